// Level-1 BLAS on contiguous double spans.
//   Dot:   Σ x_i·y_i                 2n flops, n reads of each operand
//   Axpy:  y ← y + α·x               2n flops
//   Scale: x ← α·x                   n flops
//   Norm2: ‖x‖₂ without spurious overflow or underflow (dnrm2 semantics): one vectorised pass of
//          Σ x_i², accepted when the sum is finite and far above the underflow threshold; otherwise a
//          second, exactly scaled pass (x_i·2^−e with 2^e ≈ max|x_i|). NaN in x gives NaN, ±∞ gives +∞.
// Reductions keep W-lane accumulators and finish with a scalar tail (no overlapping re-read), so the
// summation order depends only on the length and the vector width chosen at start-up.
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SuperSpace.Simd.LinearAlgebra;

internal static class Blas1
{
    /// <summary>Σ x_i·y_i over the common length (x and y must have equal lengths).</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Debug.Assert(x.Length == y.Length, "Dot: lengths differ");
        int n = x.Length;
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        int i = 0;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated && n >= 2 * Vector512<double>.Count)
        {
            Vector512<double> s0 = Vector512<double>.Zero, s1 = Vector512<double>.Zero;
            for (; i <= n - (2 * Vector512<double>.Count); i += 2 * Vector512<double>.Count)
            {
                s0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i), s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref xr, (nuint)(i + Vector512<double>.Count)), Vector512.LoadUnsafe(ref yr, (nuint)(i + Vector512<double>.Count)), s1);
            }

            sum = Vector512.Sum(s0 + s1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 2 * Vector256<double>.Count)
        {
            Vector256<double> s0 = Vector256<double>.Zero, s1 = Vector256<double>.Zero;
            for (; i <= n - (2 * Vector256<double>.Count); i += 2 * Vector256<double>.Count)
            {
                s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i), s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xr, (nuint)(i + Vector256<double>.Count)), Vector256.LoadUnsafe(ref yr, (nuint)(i + Vector256<double>.Count)), s1);
            }

            sum = Vector256.Sum(s0 + s1);
        }
        else if (Vector128.IsHardwareAccelerated && n >= 2 * Vector128<double>.Count)
        {
            Vector128<double> s0 = Vector128<double>.Zero, s1 = Vector128<double>.Zero;
            for (; i <= n - (2 * Vector128<double>.Count); i += 2 * Vector128<double>.Count)
            {
                s0 += Vector128.LoadUnsafe(ref xr, (nuint)i) * Vector128.LoadUnsafe(ref yr, (nuint)i);
                s1 += Vector128.LoadUnsafe(ref xr, (nuint)(i + Vector128<double>.Count)) * Vector128.LoadUnsafe(ref yr, (nuint)(i + Vector128<double>.Count));
            }

            sum = Vector128.Sum(s0 + s1);
        }

        for (; i < n; i++)
        {
            sum = Math.FusedMultiplyAdd(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i), sum);
        }

        return sum;
    }

    /// <summary>y ← y + α·x (x and y must have equal lengths).</summary>
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        Debug.Assert(x.Length == y.Length, "Axpy: lengths differ");
        int n = x.Length;
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<double>.Count)
        {
            var a = Vector512.Create(alpha);
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                Vector512.FusedMultiplyAdd(a, Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            var a = Vector256.Create(alpha);
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                Vector256.FusedMultiplyAdd(a, Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<double>.Count)
        {
            var a = Vector128.Create(alpha);
            for (; i <= n - Vector128<double>.Count; i += Vector128<double>.Count)
            {
                (Vector128.LoadUnsafe(ref yr, (nuint)i) + (a * Vector128.LoadUnsafe(ref xr, (nuint)i))).StoreUnsafe(ref yr, (nuint)i);
            }
        }

        // Scalar tail: an overlapping last vector would apply the update twice to some elements.
        for (; i < n; i++)
        {
            Unsafe.Add(ref yr, i) = Math.FusedMultiplyAdd(alpha, Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
        }
    }

    /// <summary>x ← α·x.</summary>
    public static void Scale(double alpha, Span<double> x)
    {
        int n = x.Length;
        ref double xr = ref MemoryMarshal.GetReference(x);
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<double>.Count)
        {
            var a = Vector512.Create(alpha);
            for (; i <= n - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                (a * Vector512.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref xr, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            var a = Vector256.Create(alpha);
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                (a * Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref xr, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<double>.Count)
        {
            var a = Vector128.Create(alpha);
            for (; i <= n - Vector128<double>.Count; i += Vector128<double>.Count)
            {
                (a * Vector128.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref xr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref xr, i) *= alpha;
        }
    }

    // Σx² is trusted when it is at least 2^-600: any element whose square underflowed (< 2^-1022)
    // then contributes less than n·2^-422 relative, far below one ulp for any span length.
    private const double SafeSumOfSquaresFloor = 2.409919865102884e-181; // 2^-600

    /// <summary>‖x‖₂, free of spurious overflow and underflow (LAPACK dnrm2 semantics).</summary>
    public static double Norm2(ReadOnlySpan<double> x)
    {
        double sumOfSquares = Dot(x, x);
        if (double.IsFinite(sumOfSquares) && sumOfSquares >= SafeSumOfSquaresFloor)
        {
            return Math.Sqrt(sumOfSquares);
        }

        return ScaledNorm2(x);
    }

    // Slow path: all zeros, tiny entries, huge entries, NaN or ∞. Scales every entry exactly by the
    // power of two 2^−e with 2^e ≤ max|x_i| < 2^(e+1), so Σ(x_i·2^−e)² ∈ [1, n] cannot overflow.
    private static double ScaledNorm2(ReadOnlySpan<double> x)
    {
        double maxAbs = 0;
        foreach (double v in x)
        {
            double a = Math.Abs(v);
            if (double.IsNaN(a))
            {
                return double.NaN;
            }

            maxAbs = Math.Max(maxAbs, a);
        }

        if (maxAbs == 0 || double.IsPositiveInfinity(maxAbs))
        {
            return maxAbs;
        }

        int e = Math.ILogB(maxAbs);
        double sum = 0;
        foreach (double v in x)
        {
            double s = Math.ScaleB(v, -e);
            sum = Math.FusedMultiplyAdd(s, s, sum);
        }

        return Math.ScaleB(Math.Sqrt(sum), e);
    }
}
