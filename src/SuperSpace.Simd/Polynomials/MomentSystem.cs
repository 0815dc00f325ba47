// Normal equations of a monomial basis from its moments (see MomentKernel):
//   G[a, b] = M[index(e_a + e_b)],   g_r[a] = M_y,r[a]
// with index() the rank of an exponent vector in the degree-2D basis. The (a, b) → moment table is
// built once per basis (p(p+1)/2 ranks of O(v) each) and cached with the basis (up to 2,048 terms;
// beyond, pairs are ranked during assembly). Assembly is p²/2 loads.
// The moments are computed tile by tile in fixed chunks of samples, chunks in parallel, and merged in
// chunk order: the result depends on the sample count only, never on the thread count.
using System.Runtime.CompilerServices;

namespace SuperSpace.Simd.Polynomials;

internal sealed class MomentPlan
{
    private static readonly ConditionalWeakTable<MonomialBasis, MomentPlan> Plans = [];

    private readonly int[] _pairs;
    private readonly Dictionary<int, MomentKernel> _kernels = [];

    /// <summary>Largest basis whose (a, b) → moment table is kept (p² ints: 16 MiB); larger ones rank pairs on the fly.</summary>
    private const int MaxTabulatedTerms = 2048;

    private readonly int[] _exponents;
    private readonly MonomialBasis _momentBasis;

    private MomentPlan(MonomialBasis basis)
    {
        Basis = basis;
        int p = basis.TermCount;
        int v = basis.VariableCount;
        _momentBasis = new MonomialBasis(v, 2 * basis.Degree);
        _exponents = new int[p * v];
        for (int t = 0; t < p; t++)
        {
            basis.GetExponents(t, _exponents.AsSpan(t * v, v));
        }

        _pairs = [];
        if (p <= MaxTabulatedTerms)
        {
            _pairs = new int[p * p];
            var sum = new int[v];
            for (int a = 0; a < p; a++)
            {
                for (int b = a; b < p; b++)
                {
                    _pairs[(a * p) + b] = PairIndex(a, b, sum);
                }
            }
        }
    }

    /// <summary>Index in the degree-2D basis of the product of terms a and b.</summary>
    private int PairIndex(int a, int b, int[] sum)
    {
        int v = Basis.VariableCount;
        for (int j = 0; j < v; j++)
        {
            sum[j] = _exponents[(a * v) + j] + _exponents[(b * v) + j];
        }

        return _momentBasis.IndexOf(sum);
    }

    public MonomialBasis Basis { get; }

    public static MomentPlan For(MonomialBasis basis) => Plans.GetValue(basis, b => new MomentPlan(b));

    /// <summary>The kernel for <paramref name="targetCount"/> targets (built once, then shared).</summary>
    public MomentKernel Kernel(int targetCount)
    {
        lock (_kernels)
        {
            if (!_kernels.TryGetValue(targetCount, out var kernel))
            {
                kernel = new MomentKernel(Basis.VariableCount, Basis.Degree, targetCount);
                _kernels[targetCount] = kernel;
            }

            return kernel;
        }
    }

    /// <summary>
    /// From a kernel result (moments, y-moments, Σwy²): the upper triangle of G (p×p row-major) and the
    /// right-hand sides rhs (p×k row-major, column r for target r).
    /// </summary>
    public void Assemble(MomentKernel kernel, ReadOnlySpan<double> result, Span<double> gram, Span<double> rhs)
    {
        int p = Basis.TermCount;
        int k = kernel.TargetCount;
        int off = Basis.Offset;
        var sum = new int[Basis.VariableCount];
        for (int a = 0; a < p; a++)
        {
            for (int b = a; b < p; b++)
            {
                gram[(a * p) + b] = result[_pairs.Length > 0 ? _pairs[(a * p) + b] : PairIndex(a, b, sum)];
            }
        }

        int m = kernel.MomentCount;
        int low = kernel.LowCount;
        for (int a = 0; a < p; a++)
        {
            for (int r = 0; r < k; r++)
            {
                rhs[(a * k) + r] = result[m + (r * low) + a + off];
            }
        }
    }
}

internal static class MomentPass
{
    /// <summary>Fewest samples per chunk; the chunk count (≤ 64) depends on the sample count only.</summary>
    private const int MinChunkSamples = 16384;

    /// <summary>Largest total size of the per-chunk partial results.</summary>
    private const long PartialBudgetDoubles = 8L << 20;

    /// <summary>Moments of all samples (kernel result layout), deterministic for any thread count.</summary>
    public static unsafe double[] Run(MomentKernel kernel, ReadOnlySpan<double> points, ReadOnlySpan<double> targets,
                                      ReadOnlySpan<double> weights, ReadOnlySpan<double> center, ReadOnlySpan<double> spread, int threads)
    {
        int v = kernel.VariableCount;
        int n = points.Length / v;
        int length = kernel.ResultLength;
        int chunks = (int)Math.Clamp((n + MinChunkSamples - 1) / MinChunkSamples, 1, 64);
        chunks = (int)Math.Max(1, Math.Min(chunks, PartialBudgetDoubles / length));
        var partial = new double[(long)chunks * length];
        threads = Math.Max(1, Math.Min(threads, chunks));
        if (threads == 1)
        {
            var workspace = kernel.CreateWorkspace();
            for (int c = 0; c < chunks; c++)
            {
                kernel.Accumulate(points, targets, weights, center, spread, Start(n, c, chunks), Start(n, c + 1, chunks),
                                  workspace, partial.AsSpan(c * length, length));
            }
        }
        else
        {
            fixed (double* x = points)
            fixed (double* y = targets)
            fixed (double* w = weights)
            fixed (double* c = center)
            fixed (double* s = spread)
            {
                RunParallel(kernel, (nint)x, points.Length, (nint)y, targets.Length, (nint)w, weights.Length, (nint)c, (nint)s, n,
                            chunks, threads, partial);
            }
        }

        var total = new double[length];
        for (int c = 0; c < chunks; c++)
        {
            ReadOnlySpan<double> part = partial.AsSpan(c * length, length);
            for (int i = 0; i < length; i++)
            {
                total[i] += part[i];
            }
        }

        return total;
    }

    private static int Start(int n, int chunk, int chunks) => (int)((long)n * chunk / chunks);

    private static unsafe void RunParallel(MomentKernel kernel, nint x, int xLength, nint y, int yLength, nint w, int wLength,
                                           nint c, nint s, int n, int chunks, int threads, double[] partial)
    {
        int v = kernel.VariableCount;
        int length = kernel.ResultLength;
        Parallel.For(
            0,
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            kernel.CreateWorkspace,
            (chunk, _, workspace) =>
            {
                kernel.Accumulate(
                    new ReadOnlySpan<double>((double*)x, xLength),
                    new ReadOnlySpan<double>((double*)y, yLength),
                    new ReadOnlySpan<double>((double*)w, wLength),
                    new ReadOnlySpan<double>((double*)c, v),
                    new ReadOnlySpan<double>((double*)s, v),
                    Start(n, chunk, chunks),
                    Start(n, chunk + 1, chunks),
                    workspace,
                    partial.AsSpan(chunk * length, length));
                return workspace;
            },
            _ => { });
    }
}
