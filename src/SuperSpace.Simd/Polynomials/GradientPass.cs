// Residual pass over the data in the standardised variables, per target r:
//   rss_r = Σ_i w_i (y_ir − z_i·b_r)²   and, for iterative refinement, h_r = Zᵀ W (y_r − Z b_r)
// (Björck's corrected semi-normal equations: δ = (ZᵀWZ + λD)⁻¹ (h − λDb) brings a Cholesky solution,
// whose error grows like κ(Z)²·ε, close to the QR accuracy κ(Z)·ε — the residuals come from the data,
// not from the moments, which is the point). Per tile of S samples: the basis feature-major (p
// multiplies per sample), the fitted values (p multiply-adds, PlaneEvaluator.Reduce), and h as p dot
// products of length S (p multiply-adds) — about a tenth of the moment pass for 8 variables at
// degree 3. Fixed chunks merged in order: independent of the thread count.
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SuperSpace.Simd.Polynomials;

internal static class GradientPass
{
    private const int MinChunkSamples = 16384;

    /// <summary>
    /// rss (k) and, when <paramref name="h"/> is not empty, h (p × k row-major) = Zᵀ W (Y − Z B), with
    /// B target-major (k × p), all in the standardised variables.
    /// </summary>
    public static unsafe void Run(MonomialBasis basis, ReadOnlySpan<double> coefficients, ReadOnlySpan<double> points,
                                  ReadOnlySpan<double> targets, ReadOnlySpan<double> weights, ReadOnlySpan<double> center,
                                  ReadOnlySpan<double> spread, int k, int threads, Span<double> rss, Span<double> h)
    {
        int v = basis.VariableCount;
        int p = basis.TermCount;
        int n = points.Length / v;
        bool withGradient = !h.IsEmpty;
        int length = (withGradient ? p * k : 0) + k;
        int chunks = Math.Clamp((n + MinChunkSamples - 1) / MinChunkSamples, 1, 64);
        var partial = new double[chunks * length];
        threads = Math.Max(1, Math.Min(threads, chunks));
        if (threads == 1)
        {
            for (int c = 0; c < chunks; c++)
            {
                RunChunk(basis, coefficients, points, targets, weights, center, spread, k, withGradient, Start(n, c, chunks),
                         Start(n, c + 1, chunks), partial.AsSpan(c * length, length));
            }
        }
        else
        {
            fixed (double* pb = coefficients)
            fixed (double* px = points)
            fixed (double* py = targets)
            fixed (double* pw = weights)
            fixed (double* pc = center)
            fixed (double* ps = spread)
            {
                nint b0 = (nint)pb, x0 = (nint)px, y0 = (nint)py, w0 = (nint)pw, c0 = (nint)pc, s0 = (nint)ps;
                int bl = coefficients.Length, xl = points.Length, yl = targets.Length, wl = weights.Length;
                Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
                {
                    RunChunk(basis, new ReadOnlySpan<double>((double*)b0, bl), new ReadOnlySpan<double>((double*)x0, xl),
                             new ReadOnlySpan<double>((double*)y0, yl), new ReadOnlySpan<double>((double*)w0, wl),
                             new ReadOnlySpan<double>((double*)c0, v), new ReadOnlySpan<double>((double*)s0, v), k, withGradient,
                             Start(n, c, chunks), Start(n, c + 1, chunks), partial.AsSpan(c * length, length));
                });
            }
        }

        rss.Clear();
        h.Clear();
        for (int c = 0; c < chunks; c++)
        {
            ReadOnlySpan<double> part = partial.AsSpan(c * length, length);
            for (int i = 0; i < h.Length; i++)
            {
                h[i] += part[k + i];
            }

            for (int r = 0; r < k; r++)
            {
                rss[r] += part[r];
            }
        }
    }

    private static int Start(int n, int chunk, int chunks) => (int)((long)n * chunk / chunks);

    /// <summary>result = [rss (k), h (p × k)] for samples [start, end).</summary>
    private static void RunChunk(MonomialBasis basis, ReadOnlySpan<double> coefficients, ReadOnlySpan<double> points,
                                 ReadOnlySpan<double> targets, ReadOnlySpan<double> weights, ReadOnlySpan<double> center,
                                 ReadOnlySpan<double> spread, int k, bool withGradient, int start, int end, Span<double> result)
    {
        int v = basis.VariableCount;
        int p = basis.TermCount;
        int stride = PlaneEvaluator.TileSamples(p);
        double[] tile = ArrayPool<double>.Shared.Rent(p * stride);
        double[] z = ArrayPool<double>.Shared.Rent(stride * v);
        double[] residual = ArrayPool<double>.Shared.Rent(stride);
        try
        {
            for (int s0 = start; s0 < end; s0 += stride)
            {
                int n = Math.Min(stride, end - s0);
                ReadOnlySpan<double> x = points.Slice(s0 * v, n * v);
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < v; j++)
                    {
                        z[(i * v) + j] = (x[(i * v) + j] - center[j]) / spread[j];
                    }
                }

                basis.Evaluator.EvaluateTile(z.AsSpan(0, n * v), tile, stride);
                for (int r = 0; r < k; r++)
                {
                    PlaneEvaluator.Reduce(coefficients.Slice(r * p, p), tile, stride, residual);
                    double rss = 0;
                    for (int i = 0; i < n; i++)
                    {
                        double w = weights.IsEmpty ? 1.0 : weights[s0 + i];
                        double e = targets[((s0 + i) * k) + r] - residual[i];
                        rss += w * e * e;
                        residual[i] = w * e;
                    }

                    result[r] += rss;
                    if (withGradient)
                    {
                        residual.AsSpan(n, stride - n).Clear();
                        for (int t = 0; t < p; t++)
                        {
                            result[k + (t * k) + r] += Dot(tile.AsSpan(t * stride, stride), residual.AsSpan(0, stride));
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(residual);
            ArrayPool<double>.Shared.Return(z);
            ArrayPool<double>.Shared.Return(tile);
        }
    }

    /// <summary>Σ a_i b_i for a length that is a multiple of 32 (tile rows).</summary>
    internal static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return Dot<Lanes512, Vector512<double>>(a, b);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return Dot<Lanes256, Vector256<double>>(a, b);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            return Dot<Lanes128, Vector128<double>>(a, b);
        }

        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Dot<TL, TV>(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int w = TL.Count;
        ref double pa = ref MemoryMarshal.GetReference(a);
        ref double pb = ref MemoryMarshal.GetReference(b);
        TV a0 = TL.Zero, a1 = TL.Zero, a2 = TL.Zero, a3 = TL.Zero;
        for (nint i = 0; i < a.Length; i += 4 * w)
        {
            a0 = TL.MultiplyAdd(TL.Load(ref pa, i), TL.Load(ref pb, i), a0);
            a1 = TL.MultiplyAdd(TL.Load(ref pa, i + w), TL.Load(ref pb, i + w), a1);
            a2 = TL.MultiplyAdd(TL.Load(ref pa, i + (2 * w)), TL.Load(ref pb, i + (2 * w)), a2);
            a3 = TL.MultiplyAdd(TL.Load(ref pa, i + (3 * w)), TL.Load(ref pb, i + (3 * w)), a3);
        }

        return TL.Sum(TL.Add(TL.Add(a0, a1), TL.Add(a2, a3)));
    }
}
