// Tall-skinny QR of the (weighted, standardised) design matrix without ever forming it:
//   Z = [Z_1; Z_2; …]  →  R_1 = qr(Z_1),  R_(i+1) = qr([R_i; Z_(i+1)]),  and the same reflectors carry
//   Qᵀy, so min ‖√W(Zb − y)‖ = min ‖R b − (Qᵀ√W y)[0:p]‖ + a constant.
// Each block Z_i (b samples × p terms) is evaluated straight into column-major storage: the basis
// tile evaluator writes feature-major rows, which are exactly the columns of the block (its stride is
// the leading dimension), below the p rows of the previous R. Householder QR is backward stable on each
// stacked block, so the final R is the R of Z up to signs and rounding (singular values preserved);
// the caller then factors R with column pivoting to reveal the rank. Cost: ≈ 2·(p + b)·p² per block of
// b samples, i.e. 2·n·p²·(1 + p/b); b is chosen so that a block stays near 1 MiB. Memory: one block.
// Chunks of blocks run in parallel; their R factors are folded in chunk order, so the result depends
// on the sample count only. The block QRs always use the managed kernels, whatever backend the fit asked
// for (that backend factors the final R): they run concurrently on the chunk workers, and OpenBLAS called
// from two threads at once, each call spreading over its own thread pool, oversubscribes the cores — measured
// at 1M × 8 × degree 3 on 2 cores: 15.2 s with native block QRs against 4.5 s on one thread, 2.6 s managed.
using System.Buffers;
using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Polynomials;

internal sealed class TallSkinnyQr
{
    private const int BlockBudgetDoubles = 128 * 1024;

    private readonly ILinearAlgebraBackend _la = ManagedBackend.Instance;
    private readonly MonomialBasis _basis;
    private readonly int _p;
    private readonly int _k;

    public TallSkinnyQr(MonomialBasis basis, int targetCount)
    {
        _basis = basis;
        _p = basis.TermCount;
        _k = targetCount;
    }

    /// <summary>Upper trapezoid R (Rows × p, column-major with leading dimension p) and Qᵀy (p × k, target-major, first Rows entries valid).</summary>
    public sealed class State
    {
        public State(int p, int k)
        {
            R = new double[p * p];
            Qty = new double[p * k];
        }

        public double[] R { get; }

        public double[] Qty { get; }

        public int Rows { get; set; }
    }

    public int BlockSamples => Math.Max(2 * _p, ((BlockBudgetDoubles / _p) - _p + 7) / 8 * 8);

    /// <summary>Factors the design matrix of all samples; weights empty = 1.</summary>
    public unsafe State Run(ReadOnlySpan<double> points, ReadOnlySpan<double> targets, ReadOnlySpan<double> weights,
                            ReadOnlySpan<double> center, ReadOnlySpan<double> spread, int threads)
    {
        int v = _basis.VariableCount;
        int n = points.Length / v;
        int block = BlockSamples;
        int chunks = (int)Math.Clamp(n / (8L * block), 1, 16);
        var states = new State[chunks];
        threads = Math.Max(1, Math.Min(threads, chunks));
        if (threads == 1)
        {
            for (int c = 0; c < chunks; c++)
            {
                states[c] = RunChunk(points, targets, weights, center, spread, Start(n, c, chunks), Start(n, c + 1, chunks));
            }
        }
        else
        {
            fixed (double* x = points)
            fixed (double* y = targets)
            fixed (double* w = weights)
            fixed (double* cc = center)
            fixed (double* s = spread)
            {
                nint px = (nint)x, py = (nint)y, pw = (nint)w, pc = (nint)cc, ps = (nint)s;
                int xl = points.Length, yl = targets.Length, wl = weights.Length;
                Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
                {
                    states[c] = RunChunk(
                        new ReadOnlySpan<double>((double*)px, xl),
                        new ReadOnlySpan<double>((double*)py, yl),
                        new ReadOnlySpan<double>((double*)pw, wl),
                        new ReadOnlySpan<double>((double*)pc, v),
                        new ReadOnlySpan<double>((double*)ps, v),
                        Start(n, c, chunks),
                        Start(n, c + 1, chunks));
                });
            }
        }

        State result = states[0];
        for (int c = 1; c < chunks; c++)
        {
            Fold(result, states[c]);
        }

        return result;
    }

    private static int Start(int n, int chunk, int chunks) => (int)((long)n * chunk / chunks);

    private State RunChunk(ReadOnlySpan<double> points, ReadOnlySpan<double> targets, ReadOnlySpan<double> weights,
                           ReadOnlySpan<double> center, ReadOnlySpan<double> spread, int start, int end)
    {
        int v = _basis.VariableCount;
        int p = _p;
        int k = _k;
        var state = new State(p, k);
        int block = BlockSamples;
        int maxLda = RoundUp8(p + block);
        double[] a = ArrayPool<double>.Shared.Rent((maxLda * p) + maxLda);
        double[] y = ArrayPool<double>.Shared.Rent(maxLda * k);
        double[] z = ArrayPool<double>.Shared.Rent(block * v);
        double[] sqrtW = ArrayPool<double>.Shared.Rent(block);
        try
        {
            for (int s0 = start; s0 < end; s0 += block)
            {
                int count = Math.Min(block, end - s0);
                int lda = RoundUp8(state.Rows + count);

                // Standardised points of the block, then the basis straight into columns [Rows, Rows + count).
                ReadOnlySpan<double> x = points.Slice(s0 * v, count * v);
                for (int i = 0; i < count; i++)
                {
                    for (int j = 0; j < v; j++)
                    {
                        z[(i * v) + j] = (x[(i * v) + j] - center[j]) / spread[j];
                    }
                }

                _basis.Evaluator.EvaluateTile(z.AsSpan(0, count * v), a.AsSpan(state.Rows, (lda * p) + lda - state.Rows), lda);

                for (int r = 0; r < k; r++)
                {
                    Span<double> yr = y.AsSpan(r * lda, lda);
                    for (int i = 0; i < count; i++)
                    {
                        yr[state.Rows + i] = targets[((s0 + i) * k) + r];
                    }
                }

                if (!weights.IsEmpty)
                {
                    for (int i = 0; i < count; i++)
                    {
                        sqrtW[i] = Math.Sqrt(weights[s0 + i]);
                    }

                    for (int t = 0; t < p; t++)
                    {
                        Span<double> col = a.AsSpan((t * lda) + state.Rows, count);
                        for (int i = 0; i < count; i++)
                        {
                            col[i] *= sqrtW[i];
                        }
                    }

                    for (int r = 0; r < k; r++)
                    {
                        Span<double> col = y.AsSpan((r * lda) + state.Rows, count);
                        for (int i = 0; i < count; i++)
                        {
                            col[i] *= sqrtW[i];
                        }
                    }
                }

                FactorStacked(state, a, y, lda, state.Rows + count);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sqrtW);
            ArrayPool<double>.Shared.Return(z);
            ArrayPool<double>.Shared.Return(y);
            ArrayPool<double>.Shared.Return(a);
        }

        return state;
    }

    /// <summary>Folds <paramref name="other"/>'s R and Qᵀy below <paramref name="state"/>'s and refactors.</summary>
    public void Fold(State state, State other)
    {
        int p = _p;
        int k = _k;
        int lda = RoundUp8(state.Rows + other.Rows);
        var a = new double[lda * p];
        var y = new double[lda * k];
        for (int t = 0; t < p; t++)
        {
            for (int i = 0; i < other.Rows && i <= t; i++)
            {
                a[(t * lda) + state.Rows + i] = other.R[(t * p) + i];
            }
        }

        for (int r = 0; r < k; r++)
        {
            other.Qty.AsSpan(r * p, other.Rows).CopyTo(y.AsSpan((r * lda) + state.Rows));
        }

        FactorStacked(state, a, y, lda, state.Rows + other.Rows);
    }

    /// <summary>Appends the rows √λ·e_t for every penalised term t (all but the constant) with targets 0.</summary>
    public void AppendRidge(State state, double ridge)
    {
        int p = _p;
        int k = _k;
        int first = _basis.IncludesConstant ? 1 : 0;
        int extra = p - first;
        if (extra == 0 || ridge == 0)
        {
            return;
        }

        int lda = RoundUp8(state.Rows + extra);
        var a = new double[lda * p];
        var y = new double[lda * k];
        double root = Math.Sqrt(ridge);
        for (int t = first; t < p; t++)
        {
            a[(t * lda) + state.Rows + (t - first)] = root;
        }

        FactorStacked(state, a, y, lda, state.Rows + extra);
    }

    /// <summary>
    /// a (column-major, lda) holds new rows at [Rows, m) of every column; copies the current R above them,
    /// factors the m × p stack without pivoting, applies the reflectors to y, and keeps the new R and Qᵀy.
    /// </summary>
    private void FactorStacked(State state, double[] a, double[] y, int lda, int m)
    {
        int p = _p;
        int k = _k;
        int rows = state.Rows;
        for (int t = 0; t < p; t++)
        {
            Span<double> col = a.AsSpan(t * lda, rows);
            for (int i = 0; i < rows; i++)
            {
                col[i] = i <= t ? state.R[(t * p) + i] : 0;
            }
        }

        for (int r = 0; r < k; r++)
        {
            state.Qty.AsSpan(r * p, rows).CopyTo(y.AsSpan(r * lda, rows));
        }

        int kmax = Math.Min(m, p);
        int[] permutation = ArrayPool<int>.Shared.Rent(p);
        double[] tau = ArrayPool<double>.Shared.Rent(kmax);
        double[] work = ArrayPool<double>.Shared.Rent(Math.Max(1, _la.QrWorkspaceSize(m, p)));
        try
        {
            _la.QrFactor(a, m, p, lda, permutation, tau, work, pivot: false);
            for (int r = 0; r < k; r++)
            {
                PivotedQr.ApplyQt(a, m, kmax, lda, tau, y.AsSpan(r * lda, m));
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(work);
            ArrayPool<double>.Shared.Return(tau);
            ArrayPool<int>.Shared.Return(permutation);
        }

        for (int t = 0; t < p; t++)
        {
            for (int i = 0; i < kmax; i++)
            {
                state.R[(t * p) + i] = i <= t ? a[(t * lda) + i] : 0;
            }
        }

        for (int r = 0; r < k; r++)
        {
            y.AsSpan(r * lda, kmax).CopyTo(state.Qty.AsSpan(r * p));
        }

        state.Rows = kmax;
    }

    private static int RoundUp8(int value) => (value + 7) & ~7;
}
