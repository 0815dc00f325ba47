using SuperSpace.Simd.Polynomials;

namespace SuperSpace.Simd;

public sealed partial class SuperPlane
{
    /// <summary>
    /// Fits the Super Plane (polynomial in <paramref name="basis"/>) that minimises Σ w_i (y_i − p(x_i))²
    /// (+ the ridge penalty), and reports the statistics of the fit.
    /// </summary>
    /// <param name="points">sampleCount × VariableCount, row-major, finite.</param>
    /// <param name="targets">sampleCount values, finite.</param>
    /// <param name="basis">The monomials to fit (sklearn PolynomialFeatures order; <c>includeConstant: false</c> fits through the origin).</param>
    /// <param name="options">Method, ridge, weights, backend, threads; null = <see cref="SuperPlaneFitOptions.Default"/>.</param>
    /// <returns>The fitted plane in the raw variables with RSS, R², σ̂, standard errors, rank, method, condition and status.</returns>
    /// <remarks>
    /// The variables are always standardised (z = (x − mean)/sd; without the constant term only scaled) before
    /// solving and the coefficients are mapped back exactly, so ill-conditioned raw bases (a degree-10
    /// polynomial on [0, 30]) keep their accuracy. Rank deficiency (duplicated or constant variables, fewer
    /// samples than terms) is a <see cref="SuperPlaneFitStatus"/>, not an exception: the minimum-norm solution
    /// is returned, never NaN. Nothing the caller passed is modified.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="basis"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// Lengths that do not match, no samples, NaN/±∞ in points or targets (the message names the sample),
    /// negative or non-finite weights (named), all weights zero, or an invalid option (negative ridge, …).
    /// </exception>
    /// <exception cref="NotSupportedException"><see cref="ComputeBackend.Native"/> was requested and the native library is not available.</exception>
    public static SuperPlaneFit Fit(ReadOnlySpan<double> points, ReadOnlySpan<double> targets, MonomialBasis basis,
                                    SuperPlaneFitOptions? options = null)
    {
        options ??= SuperPlaneFitOptions.Default;
        PlaneFitter.Validate(points, targets, 1, basis, options);
        return PlaneFitter.Fit(points, targets, 1, basis, options)[0];
    }

    /// <summary>
    /// Fits one Super Plane per target column, all sharing one factorisation (one moment pass or one QR):
    /// <paramref name="targets"/> is sampleCount × <paramref name="outputCount"/> row-major. Otherwise as
    /// <see cref="Fit(ReadOnlySpan{double}, ReadOnlySpan{double}, MonomialBasis, SuperPlaneFitOptions?)"/>.
    /// </summary>
    /// <returns>One fit per output, in column order; rank, method and condition are shared.</returns>
    public static SuperPlaneFit[] Fit(ReadOnlySpan<double> points, ReadOnlySpan<double> targets, int outputCount, MonomialBasis basis,
                                      SuperPlaneFitOptions? options = null)
    {
        options ??= SuperPlaneFitOptions.Default;
        PlaneFitter.Validate(points, targets, outputCount, basis, options);
        return PlaneFitter.Fit(points, targets, outputCount, basis, options);
    }
}
