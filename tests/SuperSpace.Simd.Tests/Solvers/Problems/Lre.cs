namespace SuperSpace.Simd.Tests.Solvers.Problems;

/// <summary>
/// NIST's log relative error: LRE = −log10(|est − cert| / |cert|), capped at the digits the
/// certified value carries (11 for the nonlinear files); absolute error when cert = 0;
/// 0 when no digit is right (including NaN).
/// </summary>
internal static class Lre
{
    public const double Cap = 11;

    public static double Of(double estimate, double certified, double cap = Cap)
    {
        if (!double.IsFinite(estimate))
        {
            return 0;
        }

        double error = certified == 0 ? Math.Abs(estimate) : Math.Abs(estimate - certified) / Math.Abs(certified);
        if (error == 0)
        {
            return cap;
        }

        return Math.Clamp(-Math.Log10(error), 0, cap);
    }

    /// <summary>The smallest LRE over a vector (the NIST score of a fit's parameters).</summary>
    public static double Min(ReadOnlySpan<double> estimates, ReadOnlySpan<double> certified, double cap = Cap)
    {
        double min = cap;
        for (int k = 0; k < certified.Length; k++)
        {
            min = Math.Min(min, Of(estimates[k], certified[k], cap));
        }

        return min;
    }
}
