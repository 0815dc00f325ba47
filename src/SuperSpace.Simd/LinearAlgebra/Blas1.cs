// Level-1 BLAS on contiguous double spans.
//   Dot:   Σ x_i·y_i                 2n flops, n reads of each operand
//   Axpy:  y ← y + α·x               2n flops
//   Scale: x ← α·x                   n flops
//   Norm2: ‖x‖₂ without spurious overflow or underflow (dnrm2 semantics): one vectorised pass of
//          Σ x_i², accepted when the sum is finite and far above the underflow threshold; otherwise a
//          second, exactly scaled pass (x_i·2^−e with 2^e ≈ max|x_i|). NaN in x gives NaN, ±∞ gives +∞.
// The loops are the generic drivers of Kernels/ElementWise.cs with the operator structs of
// Kernels/Operators.cs (overlapping last vector for element-wise, masked last vector for reductions),
// so the summation order depends only on the length and the vector width chosen at start-up.
using System.Diagnostics;
using SuperSpace.Simd.Kernels;

namespace SuperSpace.Simd.LinearAlgebra;

internal static class Blas1
{
    /// <summary>Σ x_i·y_i over the common length (x and y must have equal lengths).</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Debug.Assert(x.Length == y.Length, "Dot: lengths differ");
        return ElementWise.Reduce(x, y, default(MultiplyAddOperator));
    }

    /// <summary>y ← y + α·x (x and y must have equal lengths; y may not partially overlap x).</summary>
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        Debug.Assert(x.Length == y.Length, "Axpy: lengths differ");
        ElementWise.Map(x, y, y, new AxpyOperator(alpha));
    }

    /// <summary>x ← α·x.</summary>
    public static void Scale(double alpha, Span<double> x) => ElementWise.Map(x, x, new ScaleOperator(alpha));

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
