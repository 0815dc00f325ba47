namespace SuperSpace.Simd;

/// <summary>
/// The result of <see cref="SuperPlane.Fit(ReadOnlySpan{double}, ReadOnlySpan{double}, MonomialBasis, SuperPlaneFitOptions?)"/>:
/// the fitted <see cref="Plane"/> in the raw variables and the statistics a user needs.
/// </summary>
public sealed class SuperPlaneFit
{
    internal SuperPlaneFit(
        SuperPlane plane, double residualSumOfSquares, double totalSumOfSquares, long sampleCount, long degreesOfFreedom,
        double[] standardErrors, int rank, LeastSquaresMethod method, bool fellBackToQr, double conditionEstimate,
        SuperPlaneFitStatus status, ComputeBackend backend, double[] center, double[] scale, string message)
    {
        Plane = plane;
        ResidualSumOfSquares = residualSumOfSquares;
        TotalSumOfSquares = totalSumOfSquares;
        SampleCount = sampleCount;
        DegreesOfFreedom = degreesOfFreedom;
        StandardErrors = standardErrors;
        Rank = rank;
        Method = method;
        FellBackToQr = fellBackToQr;
        ConditionEstimate = conditionEstimate;
        Status = status;
        Backend = backend;
        Center = center;
        Scale = scale;
        Message = message;
        RSquared = totalSumOfSquares > 0 ? 1 - (residualSumOfSquares / totalSumOfSquares) : (residualSumOfSquares == 0 ? 1 : 0);
        ResidualStandardDeviation = degreesOfFreedom > 0 ? Math.Sqrt(residualSumOfSquares / degreesOfFreedom) : 0;
    }

    /// <summary>The fitted polynomial, in the raw variables.</summary>
    public SuperPlane Plane { get; }

    /// <summary>Σ w_i (y_i − p(x_i))² (weights 1 when none were given).</summary>
    public double ResidualSumOfSquares { get; }

    /// <summary>
    /// Σ w_i (y_i − ȳ)² with ȳ the weighted mean when the basis has the constant term; Σ w_i y_i² without
    /// it (regression through the origin, as R and NIST StRD).
    /// </summary>
    public double TotalSumOfSquares { get; }

    /// <summary>1 − RSS / TSS (1 for a perfect fit of constant data).</summary>
    public double RSquared { get; }

    /// <summary>√(RSS / <see cref="DegreesOfFreedom"/>); 0 when there are no residual degrees of freedom.</summary>
    public double ResidualStandardDeviation { get; }

    /// <summary>Number of samples with positive weight.</summary>
    public long SampleCount { get; }

    /// <summary>Residual degrees of freedom: <see cref="SampleCount"/> − <see cref="Rank"/> (at least 0).</summary>
    public long DegreesOfFreedom { get; }

    /// <summary>
    /// Standard error of each coefficient of <see cref="Plane"/> (raw variables): σ̂·√diag(Cov) with
    /// σ̂ = <see cref="ResidualStandardDeviation"/>, Cov = (ZᵀWZ)⁻¹ carried to the raw variables (the
    /// pseudo-inverse when rank-deficient; the ridge estimator's covariance with a ridge). +∞ when there
    /// are no residual degrees of freedom; empty when not requested.
    /// </summary>
    public double[] StandardErrors { get; }

    /// <summary>Numerical rank of the design matrix (of the regularised system with a ridge).</summary>
    public int Rank { get; }

    /// <summary>The method that produced the coefficients (never <see cref="LeastSquaresMethod.Auto"/>).</summary>
    public LeastSquaresMethod Method { get; }

    /// <summary>True when the normal equations were tried and rejected (Cholesky failed or the condition was too large), and QR solved the problem.</summary>
    public bool FellBackToQr { get; }

    /// <summary>
    /// Estimated condition number of the standardised, weighted design matrix: κ₁ of its triangular factor
    /// R (QR: Z·P = Q·R; normal equations: ZᵀWZ = RᵀR). +∞ when rank-deficient.
    /// </summary>
    public double ConditionEstimate { get; }

    /// <summary>Full rank or rank-deficient.</summary>
    public SuperPlaneFitStatus Status { get; }

    /// <summary>The linear-algebra backend that ran the factorisation.</summary>
    public ComputeBackend Backend { get; }

    /// <summary>The centre c of the standardisation z = (x − c)/s (0 without a constant term).</summary>
    public IReadOnlyList<double> Center { get; }

    /// <summary>The scale s of the standardisation z = (x − c)/s.</summary>
    public IReadOnlyList<double> Scale { get; }

    /// <summary>A human-readable account of how the fit went (method choice, fallback, rank).</summary>
    public string Message { get; }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"SuperPlaneFit({Method}, rank {Rank}/{Plane.Basis.TermCount}, R² = {RSquared:G10}, σ = {ResidualStandardDeviation:G6}, κ ≈ {ConditionEstimate:G3}, {Status})");
}
