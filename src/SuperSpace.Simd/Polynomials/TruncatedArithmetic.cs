// Truncated multivariate polynomial arithmetic over the graded basis, batched over "lanes" (many
// polynomials at once, e.g. every neuron of a layer). Storage is term-major: P[t·lanes + j] is the
// coefficient of term t in polynomial j; lanes is a multiple of 8, so the inner loop is one
// Vector512 (or two Vector256 / four Vector128) per 8 polynomials.
//   MultiplyAdd:  C += A·B mod (degree > L), over the pairs (a, b) with deg a + deg b ≤ L read from
//                 the shared ProductTable: Σ_a N(≤ L − deg a) lane-vector FMAs — C(2v + L, L) pairs
//                 when A and B are full, far fewer when one factor is sparse in degree (affine h).
//   Linear:       Z[t, j] = Σ_i P[t, i]·W[j, i] (+ bias on the constant term): rows·units·inputs FMAs,
//                 as dot products (narrow layers) or lane axpys with Wᵀ (wide layers).
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SuperSpace.Simd.Polynomials;

internal static class TruncatedArithmetic
{
    /// <summary>Lane counts are padded to a multiple of this.</summary>
    public const int LaneBlock = 8;

    public static int PadLanes(int count) => (count + LaneBlock - 1) / LaneBlock * LaneBlock;

    /// <summary>
    /// C += A·B truncated at <paramref name="maxDegree"/>, where A holds only degrees
    /// [<paramref name="aMin"/>, <paramref name="aMax"/>] and B only [<paramref name="bMin"/>, <paramref name="bMax"/>].
    /// </summary>
    public static void MultiplyAdd(
        ProductTable table,
        ReadOnlySpan<double> a, int aMin, int aMax,
        ReadOnlySpan<double> b, int bMin, int bMax,
        Span<double> c, int maxDegree, int lanes)
    {
        int[] starts = table.DegreeStarts;
        byte[] degrees = table.Degrees;
        long[] rowStart = table.RowStart;
        ref int targets = ref MemoryMarshal.GetArrayDataReference(table.Targets);
        ref double ar = ref MemoryMarshal.GetReference(a);
        ref double br = ref MemoryMarshal.GetReference(b);
        ref double cr = ref MemoryMarshal.GetReference(c);

        if (maxDegree - bMin < aMin || bMax < bMin || aMax < aMin)
        {
            return;
        }

        int aEnd = starts[Math.Min(aMax, maxDegree - bMin) + 1];
        int bStart = starts[bMin];
        for (int ia = starts[aMin]; ia < aEnd; ia++)
        {
            int hi = Math.Min(bMax, maxDegree - degrees[ia]);
            if (hi < bMin)
            {
                break;
            }

            int bEnd = starts[hi + 1];
            ref int row = ref Unsafe.Add(ref targets, (nint)rowStart[ia]);
            for (int lane = 0; lane < lanes; lane += LaneBlock)
            {
                ref double aLanes = ref Unsafe.Add(ref ar, (ia * lanes) + lane);
                ref double bBase = ref Unsafe.Add(ref br, lane);
                ref double cBase = ref Unsafe.Add(ref cr, lane);
                if (Vector512.IsHardwareAccelerated)
                {
                    Vector512<double> va = Vector512.LoadUnsafe(ref aLanes);
                    if (va == Vector512<double>.Zero)
                    {
                        continue;
                    }

                    for (int ib = bStart; ib < bEnd; ib++)
                    {
                        ref double cp = ref Unsafe.Add(ref cBase, Unsafe.Add(ref row, ib) * lanes);
                        Vector512<double> vb = Vector512.LoadUnsafe(ref Unsafe.Add(ref bBase, ib * lanes));
                        Vector512.FusedMultiplyAdd(va, vb, Vector512.LoadUnsafe(ref cp)).StoreUnsafe(ref cp);
                    }
                }
                else if (Vector256.IsHardwareAccelerated)
                {
                    Vector256<double> va0 = Vector256.LoadUnsafe(ref aLanes);
                    Vector256<double> va1 = Vector256.LoadUnsafe(ref aLanes, 4);
                    for (int ib = bStart; ib < bEnd; ib++)
                    {
                        ref double cp = ref Unsafe.Add(ref cBase, Unsafe.Add(ref row, ib) * lanes);
                        ref double bp = ref Unsafe.Add(ref bBase, ib * lanes);
                        (Vector256.LoadUnsafe(ref cp) + (va0 * Vector256.LoadUnsafe(ref bp))).StoreUnsafe(ref cp);
                        (Vector256.LoadUnsafe(ref cp, 4) + (va1 * Vector256.LoadUnsafe(ref bp, 4))).StoreUnsafe(ref cp, 4);
                    }
                }
                else if (Vector128.IsHardwareAccelerated)
                {
                    for (int ib = bStart; ib < bEnd; ib++)
                    {
                        ref double cp = ref Unsafe.Add(ref cBase, Unsafe.Add(ref row, ib) * lanes);
                        ref double bp = ref Unsafe.Add(ref bBase, ib * lanes);
                        for (int q = 0; q < LaneBlock; q += 2)
                        {
                            (Vector128.LoadUnsafe(ref cp, (nuint)q) + (Vector128.LoadUnsafe(ref aLanes, (nuint)q) * Vector128.LoadUnsafe(ref bp, (nuint)q)))
                                .StoreUnsafe(ref cp, (nuint)q);
                        }
                    }
                }
                else
                {
                    for (int ib = bStart; ib < bEnd; ib++)
                    {
                        ref double cp = ref Unsafe.Add(ref cBase, Unsafe.Add(ref row, ib) * lanes);
                        ref double bp = ref Unsafe.Add(ref bBase, ib * lanes);
                        for (int q = 0; q < LaneBlock; q++)
                        {
                            Unsafe.Add(ref cp, q) += Unsafe.Add(ref aLanes, q) * Unsafe.Add(ref bp, q);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Z[t, j] = Σ_i P[t, i]·W[j, i] for t &lt; <paramref name="rows"/>, j &lt; <paramref name="units"/>, then Z[0, j] += bias_j;
    /// lanes j ≥ units are zeroed. P is rows × inLanes (the first <paramref name="inputCount"/> lanes are read), W is
    /// units × inputCount row-major (the network's own layout), Z is rows × outLanes. Each entry is one
    /// vectorised dot product over the inputs (a GEMM Z = P·Wᵀ; the LinearAlgebra GEMM can replace it).
    /// </summary>
    public static void Linear(ReadOnlySpan<double> p, int inLanes, int inputCount, ReadOnlySpan<double> weights, int units, ReadOnlySpan<double> bias, Span<double> z, int outLanes, int rows)
    {
        // Two loop orders for the same product: per entry a dot product over the inputs (best when the layer
        // is narrow, e.g. one output), or per (term, input) an axpy over the lanes with the weights transposed
        // (no horizontal sums; best for wide layers). Pick the one with fewer vector operations.
        long dotCost = (long)units * ((inputCount / 4) + 4);
        long axpyCost = (long)inputCount * (outLanes / 4);
        if (dotCost <= axpyCost)
        {
            for (int t = 0; t < rows; t++)
            {
                ReadOnlySpan<double> prow = p.Slice(t * inLanes, inputCount);
                Span<double> zrow = z.Slice(t * outLanes, outLanes);
                for (int j = 0; j < units; j++)
                {
                    zrow[j] = Dot(prow, weights.Slice(j * inputCount, inputCount));
                }

                zrow[units..].Clear();
            }
        }
        else
        {
            double[] rented = ArrayPool<double>.Shared.Rent(inputCount * outLanes);
            Span<double> wt = rented.AsSpan(0, inputCount * outLanes);
            wt.Clear();
            for (int j = 0; j < units; j++)
            {
                for (int i = 0; i < inputCount; i++)
                {
                    wt[(i * outLanes) + j] = weights[(j * inputCount) + i];
                }
            }

            for (int t = 0; t < rows; t++)
            {
                ReadOnlySpan<double> prow = p.Slice(t * inLanes, inputCount);
                Span<double> zrow = z.Slice(t * outLanes, outLanes);
                zrow.Clear();
                for (int i = 0; i < inputCount; i++)
                {
                    double s = prow[i];
                    if (s != 0)
                    {
                        AxpyLanes(s, wt.Slice(i * outLanes, outLanes), zrow);
                    }
                }
            }

            ArrayPool<double>.Shared.Return(rented);
        }

        for (int j = 0; j < units; j++)
        {
            z[j] += bias[j];
        }
    }

    /// <summary>y += s·x over a multiple of <see cref="LaneBlock"/> lanes.</summary>
    private static void AxpyLanes(double s, ReadOnlySpan<double> x, Span<double> y)
    {
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        int n = y.Length;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<double> vs = Vector512.Create(s);
            for (int i = 0; i < n; i += 8)
            {
                Vector512.FusedMultiplyAdd(vs, Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        else
        {
            Axpy(s, x, y);
        }
    }

    /// <summary>c = s·(a ⊙ b), element-wise (lengths a multiple of <see cref="LaneBlock"/>).</summary>
    public static void ScaledProduct(double s, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        int i = 0;
        ref double ar = ref MemoryMarshal.GetReference(a);
        ref double br = ref MemoryMarshal.GetReference(b);
        ref double cr = ref MemoryMarshal.GetReference(c);
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> vs = Vector256.Create(s);
            for (; i <= c.Length - 4; i += 4)
            {
                (vs * Vector256.LoadUnsafe(ref ar, (nuint)i) * Vector256.LoadUnsafe(ref br, (nuint)i)).StoreUnsafe(ref cr, (nuint)i);
            }
        }

        for (; i < c.Length; i++)
        {
            Unsafe.Add(ref cr, i) = s * Unsafe.Add(ref ar, i) * Unsafe.Add(ref br, i);
        }
    }

    /// <summary>c = a ⊙ b, element-wise.</summary>
    public static void Product(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c) => ScaledProduct(1.0, a, b, c);

    /// <summary>Σ a_i b_i, vectorised.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length;
        int i = 0;
        double sum = 0;
        ref double ar = ref MemoryMarshal.GetReference(a);
        ref double br = ref MemoryMarshal.GetReference(b);
        if (Vector256.IsHardwareAccelerated && n >= 4)
        {
            Vector256<double> acc0 = Vector256<double>.Zero, acc1 = Vector256<double>.Zero;
            for (; i <= n - 8; i += 8)
            {
                acc0 += Vector256.LoadUnsafe(ref ar, (nuint)i) * Vector256.LoadUnsafe(ref br, (nuint)i);
                acc1 += Vector256.LoadUnsafe(ref ar, (nuint)(i + 4)) * Vector256.LoadUnsafe(ref br, (nuint)(i + 4));
            }

            for (; i <= n - 4; i += 4)
            {
                acc0 += Vector256.LoadUnsafe(ref ar, (nuint)i) * Vector256.LoadUnsafe(ref br, (nuint)i);
            }

            sum = Vector256.Sum(acc0 + acc1);
        }

        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref ar, i) * Unsafe.Add(ref br, i);
        }

        return sum;
    }

    /// <summary>y += s·x, lengths a multiple of <see cref="LaneBlock"/> (or any length: the tail is scalar).</summary>
    public static void Axpy(double s, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length;
        int i = 0;
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> vs = Vector256.Create(s);
            for (; i <= n - 4; i += 4)
            {
                (Vector256.LoadUnsafe(ref yr, (nuint)i) + (vs * Vector256.LoadUnsafe(ref xr, (nuint)i))).StoreUnsafe(ref yr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref yr, i) += s * Unsafe.Add(ref xr, i);
        }
    }
}
