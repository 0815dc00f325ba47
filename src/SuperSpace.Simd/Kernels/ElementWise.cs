// Generic drivers over the operator structs of Operators.cs.
//   Map:    d_i = f(x_i) or f(x_i, y_i)       n operations; d may be the same span as x or y (in place)
//   Reduce: Σ_i f(x_i, y_i) (identity 0)      n operations
// Element-wise tails: the last full vector is computed from the inputs before anything is stored and
// stored overlapping the body, so in-place calls stay exact and no scalar loop runs once n reaches a
// vector width. Reductions never realign and never re-add: blocks of two vectors from the start, then
// the remaining elements with the scalar operator (a fused multiply-add per element for a dot
// product, more accurate than re-adding an overlapping vector), so the summation order depends only
// on n and the vector width.
// Widest accelerated width first (512 → 256 → 128), narrower widths for shorter spans, then scalar.
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SuperSpace.Simd.Kernels;

internal static class ElementWise
{
    /// <summary>d_i = op(x_i); d has x's length and may be x itself.</summary>
    public static void Map<TOp>(ReadOnlySpan<double> x, Span<double> d, TOp op)
        where TOp : struct, IUnaryOperator
    {
        Debug.Assert(d.Length == x.Length, "Map: lengths differ");
        int n = x.Length;
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double dr = ref MemoryMarshal.GetReference(d);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<double>.Count)
        {
            const int w = 8;
            Vector512<double> last = op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(n - w)));
            int i = 0;
            for (; i <= n - w; i += w)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }

            last.StoreUnsafe(ref dr, (nuint)(n - w));
            return;
        }

        if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            const int w = 4;
            Vector256<double> last = op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(n - w)));
            int i = 0;
            for (; i <= n - w; i += w)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }

            last.StoreUnsafe(ref dr, (nuint)(n - w));
            return;
        }

        if (Vector128.IsHardwareAccelerated && n >= Vector128<double>.Count)
        {
            const int w = 2;
            Vector128<double> last = op.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(n - w)));
            int i = 0;
            for (; i <= n - w; i += w)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }

            last.StoreUnsafe(ref dr, (nuint)(n - w));
            return;
        }

        for (int i = 0; i < n; i++)
        {
            Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i));
        }
    }

    /// <summary>d_i = op(x_i, y_i); all three have the same length and d may be x or y itself.</summary>
    public static void Map<TOp>(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d, TOp op)
        where TOp : struct, IBinaryOperator
    {
        Debug.Assert(x.Length == y.Length && d.Length == x.Length, "Map: lengths differ");
        int n = x.Length;
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        ref double dr = ref MemoryMarshal.GetReference(d);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<double>.Count)
        {
            const int w = 8;
            Vector512<double> last = op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(n - w)), Vector512.LoadUnsafe(ref yr, (nuint)(n - w)));
            int i = 0;
            for (; i <= n - w; i += w)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }

            last.StoreUnsafe(ref dr, (nuint)(n - w));
            return;
        }

        if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            const int w = 4;
            Vector256<double> last = op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(n - w)), Vector256.LoadUnsafe(ref yr, (nuint)(n - w)));
            int i = 0;
            for (; i <= n - w; i += w)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }

            last.StoreUnsafe(ref dr, (nuint)(n - w));
            return;
        }

        if (Vector128.IsHardwareAccelerated && n >= Vector128<double>.Count)
        {
            const int w = 2;
            Vector128<double> last = op.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(n - w)), Vector128.LoadUnsafe(ref yr, (nuint)(n - w)));
            int i = 0;
            for (; i <= n - w; i += w)
            {
                op.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)i), Vector128.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }

            last.StoreUnsafe(ref dr, (nuint)(n - w));
            return;
        }

        for (int i = 0; i < n; i++)
        {
            Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
        }
    }

    /// <summary>
    /// Σ_i op(x_i, y_i): two accumulators of the widest usable width over blocks of two vectors, their
    /// lane sum, then the remaining (fewer than two vectors of) elements one by one with the scalar
    /// operator (for a dot product: one fused multiply-add each). x and y have equal lengths.
    /// </summary>
    public static double Reduce<TOp>(ReadOnlySpan<double> x, ReadOnlySpan<double> y, TOp op)
        where TOp : struct, IAccumulateOperator
    {
        Debug.Assert(x.Length == y.Length, "Reduce: lengths differ");
        int n = x.Length;
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        int i = 0;
        double s = 0;
        if (Vector512.IsHardwareAccelerated && n >= 2 * Vector512<double>.Count)
        {
            const int w = 8;
            Vector512<double> a0 = Vector512<double>.Zero, a1 = Vector512<double>.Zero;
            for (; i <= n - (2 * w); i += 2 * w)
            {
                a0 = op.Invoke(a0, Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i));
                a1 = op.Invoke(a1, Vector512.LoadUnsafe(ref xr, (nuint)(i + w)), Vector512.LoadUnsafe(ref yr, (nuint)(i + w)));
            }

            s = Vector512.Sum(a0 + a1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 2 * Vector256<double>.Count)
        {
            const int w = 4;
            Vector256<double> a0 = Vector256<double>.Zero, a1 = Vector256<double>.Zero;
            for (; i <= n - (2 * w); i += 2 * w)
            {
                a0 = op.Invoke(a0, Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i));
                a1 = op.Invoke(a1, Vector256.LoadUnsafe(ref xr, (nuint)(i + w)), Vector256.LoadUnsafe(ref yr, (nuint)(i + w)));
            }

            s = Vector256.Sum(a0 + a1);
        }
        else if (Vector128.IsHardwareAccelerated && n >= 2 * Vector128<double>.Count)
        {
            const int w = 2;
            Vector128<double> a0 = Vector128<double>.Zero, a1 = Vector128<double>.Zero;
            for (; i <= n - (2 * w); i += 2 * w)
            {
                a0 = op.Invoke(a0, Vector128.LoadUnsafe(ref xr, (nuint)i), Vector128.LoadUnsafe(ref yr, (nuint)i));
                a1 = op.Invoke(a1, Vector128.LoadUnsafe(ref xr, (nuint)(i + w)), Vector128.LoadUnsafe(ref yr, (nuint)(i + w)));
            }

            s = Vector128.Sum(a0 + a1);
        }

        for (; i < n; i++)
        {
            s = op.Invoke(s, Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
        }

        return s;
    }
}
