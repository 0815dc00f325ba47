// ‖x‖₂ for the solver's short vectors: a plain sum of squares (one pass, vectorisable) when it neither
// overflows nor loses the small entries to underflow; otherwise the scaled dnrm2 of LinearAlgebra.Blas1.
// Cost O(n).
using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Solvers;

internal static class Norms
{
    // Squares of values in [2^-480, 2^480] are exact in range; outside, fall back to the scaled norm.
    private const double SmallestSafeSquare = 1e-290;
    private const double LargestSafeSquare = 1e290;

    public static double Euclidean(ReadOnlySpan<double> x)
    {
        double sum = SumOfSquares(x);
        if (sum > SmallestSafeSquare && sum < LargestSafeSquare)
        {
            return Math.Sqrt(sum);
        }

        return sum == 0 ? 0 : Blas1.Norm2(x);
    }

    /// <summary>Σ xᵢ² in four interleaved accumulators (fixed order, so results are reproducible).</summary>
    public static double SumOfSquares(ReadOnlySpan<double> x)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i <= x.Length - 4; i += 4)
        {
            s0 += x[i] * x[i];
            s1 += x[i + 1] * x[i + 1];
            s2 += x[i + 2] * x[i + 2];
            s3 += x[i + 3] * x[i + 3];
        }

        for (; i < x.Length; i++)
        {
            s0 += x[i] * x[i];
        }

        return (s0 + s1) + (s2 + s3);
    }
}
