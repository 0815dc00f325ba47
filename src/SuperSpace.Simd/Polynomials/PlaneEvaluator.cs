// Batch evaluation of a polynomial: y_s = Σ_t c_t · m_t(x_s).
// Per tile of S samples the basis is evaluated feature-major (tile[t·S + s] = m_t(x_s), one multiply
// per term and sample, MonomialEvaluator.EvaluateTile), then reduced against the coefficients with
// register-blocked FMAs: 4 vectors of samples held in accumulators while t runs over the terms, so
// each tile value is loaded once and nothing but the result is stored. Cost per sample: p multiplies
// + p multiply-adds (p = termCount), all SIMD; memory: one tile of p × S doubles (pooled), sized to
// stay in L2. The 128-bit and scalar paths multiply and add separately: they also serve hardware
// without FMA, where a fused multiply-add would be emulated in software.
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SuperSpace.Simd.Polynomials;

internal static class PlaneEvaluator
{
    /// <summary>Tile bytes aimed at: half of a typical 512 KiB–1 MiB L2.</summary>
    private const int TileBudgetBytes = 256 * 1024;

    /// <summary>Samples per tile for a basis of <paramref name="termCount"/> terms: a multiple of 32 in [32, 512].</summary>
    public static int TileSamples(int termCount)
    {
        int s = TileBudgetBytes / sizeof(double) / Math.Max(termCount, 1);
        return Math.Clamp(s / 32 * 32, 32, 512);
    }

    /// <summary>
    /// destination[s] = Σ_t coefficients[t] · m_t(points[s]) for every sample. Inputs are trusted
    /// (validated by the caller). threads = 1 allocates nothing beyond pooled scratch.
    /// </summary>
    public static void Evaluate(MonomialBasis basis, ReadOnlySpan<double> coefficients, ReadOnlySpan<double> points,
                                Span<double> destination, int threads)
    {
        int sampleCount = destination.Length;
        if (sampleCount == 0)
        {
            return;
        }

        int stride = TileSamples(basis.TermCount);
        int tiles = (sampleCount + stride - 1) / stride;
        threads = Math.Max(1, Math.Min(threads, tiles));
        if (threads == 1)
        {
            EvaluateRange(basis, coefficients, points, destination, 0, sampleCount, stride);
            return;
        }

        unsafe
        {
            fixed (double* c = coefficients)
            fixed (double* x = points)
            fixed (double* y = destination)
            {
                EvaluateParallel(basis, (nint)c, (nint)x, (nint)y, sampleCount, stride, threads);
            }
        }
    }

    // Separate so the closure is allocated only on the parallel path.
    private static unsafe void EvaluateParallel(MonomialBasis basis, nint c, nint x, nint y, int sampleCount, int stride, int threads)
    {
        int v = basis.VariableCount;
        int p = basis.TermCount;
        int tiles = (sampleCount + stride - 1) / stride;
        int chunks = Math.Min(tiles, threads * 4);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, k =>
        {
            int start = (int)((long)tiles * k / chunks) * stride;
            int end = Math.Min(sampleCount, (int)((long)tiles * (k + 1) / chunks) * stride);
            var coefficients = new ReadOnlySpan<double>((double*)c, p);
            var points = new ReadOnlySpan<double>((double*)x, sampleCount * v);
            var destination = new Span<double>((double*)y, sampleCount);
            EvaluateRange(basis, coefficients, points, destination, start, end, stride);
        });
    }

    private static void EvaluateRange(MonomialBasis basis, ReadOnlySpan<double> coefficients, ReadOnlySpan<double> points,
                                      Span<double> destination, int start, int end, int stride)
    {
        int v = basis.VariableCount;
        int p = basis.TermCount;
        double[] tile = ArrayPool<double>.Shared.Rent(p * stride);
        double[] sums = ArrayPool<double>.Shared.Rent(stride);
        try
        {
            for (int s0 = start; s0 < end; s0 += stride)
            {
                int n = Math.Min(stride, end - s0);
                basis.Evaluator.EvaluateTile(points.Slice(s0 * v, n * v), tile, stride);
                Reduce(coefficients, tile, stride, sums);
                sums.AsSpan(0, n).CopyTo(destination.Slice(s0, n));
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sums);
            ArrayPool<double>.Shared.Return(tile);
        }
    }

    /// <summary>sums[s] = Σ_t c_t · tile[t·stride + s] for s &lt; stride (stride a multiple of 32).</summary>
    internal static void Reduce(ReadOnlySpan<double> coefficients, ReadOnlySpan<double> tile, int stride, Span<double> sums)
    {
        int p = coefficients.Length;
        ref double c0 = ref MemoryMarshal.GetReference(coefficients);
        ref double t0 = ref MemoryMarshal.GetReference(tile);
        ref double y0 = ref MemoryMarshal.GetReference(sums);
        if (Vector512.IsHardwareAccelerated)
        {
            for (int s = 0; s < stride; s += 32)
            {
                Vector512<double> a0 = Vector512<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
                ref double row = ref Unsafe.Add(ref t0, s);
                for (int t = 0; t < p; t++)
                {
                    var c = Vector512.Create(Unsafe.Add(ref c0, t));
                    a0 = Vector512.FusedMultiplyAdd(c, Vector512.LoadUnsafe(ref row, 0), a0);
                    a1 = Vector512.FusedMultiplyAdd(c, Vector512.LoadUnsafe(ref row, 8), a1);
                    a2 = Vector512.FusedMultiplyAdd(c, Vector512.LoadUnsafe(ref row, 16), a2);
                    a3 = Vector512.FusedMultiplyAdd(c, Vector512.LoadUnsafe(ref row, 24), a3);
                    row = ref Unsafe.Add(ref row, stride);
                }

                a0.StoreUnsafe(ref y0, (nuint)s);
                a1.StoreUnsafe(ref y0, (nuint)(s + 8));
                a2.StoreUnsafe(ref y0, (nuint)(s + 16));
                a3.StoreUnsafe(ref y0, (nuint)(s + 24));
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (int s = 0; s < stride; s += 16)
            {
                Vector256<double> a0 = Vector256<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
                ref double row = ref Unsafe.Add(ref t0, s);
                for (int t = 0; t < p; t++)
                {
                    var c = Vector256.Create(Unsafe.Add(ref c0, t));
                    a0 = Vector256.FusedMultiplyAdd(c, Vector256.LoadUnsafe(ref row, 0), a0);
                    a1 = Vector256.FusedMultiplyAdd(c, Vector256.LoadUnsafe(ref row, 4), a1);
                    a2 = Vector256.FusedMultiplyAdd(c, Vector256.LoadUnsafe(ref row, 8), a2);
                    a3 = Vector256.FusedMultiplyAdd(c, Vector256.LoadUnsafe(ref row, 12), a3);
                    row = ref Unsafe.Add(ref row, stride);
                }

                a0.StoreUnsafe(ref y0, (nuint)s);
                a1.StoreUnsafe(ref y0, (nuint)(s + 4));
                a2.StoreUnsafe(ref y0, (nuint)(s + 8));
                a3.StoreUnsafe(ref y0, (nuint)(s + 12));
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (int s = 0; s < stride; s += 8)
            {
                Vector128<double> a0 = Vector128<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
                ref double row = ref Unsafe.Add(ref t0, s);
                for (int t = 0; t < p; t++)
                {
                    var c = Vector128.Create(Unsafe.Add(ref c0, t));
                    a0 += c * Vector128.LoadUnsafe(ref row, 0);
                    a1 += c * Vector128.LoadUnsafe(ref row, 2);
                    a2 += c * Vector128.LoadUnsafe(ref row, 4);
                    a3 += c * Vector128.LoadUnsafe(ref row, 6);
                    row = ref Unsafe.Add(ref row, stride);
                }

                a0.StoreUnsafe(ref y0, (nuint)s);
                a1.StoreUnsafe(ref y0, (nuint)(s + 2));
                a2.StoreUnsafe(ref y0, (nuint)(s + 4));
                a3.StoreUnsafe(ref y0, (nuint)(s + 6));
            }
        }
        else
        {
            for (int s = 0; s < stride; s++)
            {
                double sum = 0;
                for (int t = 0; t < p; t++)
                {
                    sum += Unsafe.Add(ref c0, t) * Unsafe.Add(ref t0, (t * stride) + s);
                }

                Unsafe.Add(ref y0, s) = sum;
            }
        }
    }
}
