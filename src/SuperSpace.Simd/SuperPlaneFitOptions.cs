namespace SuperSpace.Simd;

/// <summary>How <see cref="SuperPlane.Fit(ReadOnlySpan{double}, ReadOnlySpan{double}, MonomialBasis, SuperPlaneFitOptions?)"/> solves the least-squares problem.</summary>
public enum LeastSquaresMethod
{
    /// <summary>
    /// Picks by size and conditioning: <see cref="Qr"/> for small problems (samples × terms² ≤ 5·10⁷), fewer
    /// than twice as many samples as terms, or more than 2²⁴ moments of degree ≤ 2D; otherwise
    /// <see cref="NormalEquations"/>, which falls back to <see cref="Qr"/> when the normal equations are too
    /// ill-conditioned.
    /// </summary>
    Auto = 0,

    /// <summary>
    /// The accuracy path: the variables are standardised, the design matrix of the basis in the standardised
    /// variables is factored by Householder QR (tall-skinny, by blocks, then with column pivoting), and the
    /// coefficients are mapped back to the raw variables exactly. Rank-deficient problems get the
    /// minimum-norm solution. Cost ≈ 2·samples·terms² flops.
    /// </summary>
    Qr = 1,

    /// <summary>
    /// The speed path for many samples: the C(v + 2D, 2D) distinct moments of the standardised variables are
    /// accumulated in one SIMD pass, the Gram matrix is assembled from them and solved by Cholesky. Falls
    /// back to <see cref="Qr"/> (and says so in <see cref="SuperPlaneFit.FellBackToQr"/>) when Cholesky fails
    /// or the Gram matrix's condition number exceeds <see cref="SuperPlaneFitOptions.MaxNormalEquationsCondition"/>.
    /// </summary>
    NormalEquations = 2,
}

/// <summary>Outcome of a fit.</summary>
public enum SuperPlaneFitStatus
{
    /// <summary>Full rank: the least-squares solution is unique.</summary>
    Success = 0,

    /// <summary>
    /// The design matrix is (numerically) rank-deficient — e.g. a duplicated variable, a constant variable
    /// beside the constant term, or fewer samples than terms: <see cref="SuperPlaneFit.Rank"/> &lt; term count and
    /// the coefficients are the minimum-norm solution in the standardised variables.
    /// </summary>
    RankDeficient = 1,
}

/// <summary>Options of <see cref="SuperPlane.Fit(ReadOnlySpan{double}, ReadOnlySpan{double}, MonomialBasis, SuperPlaneFitOptions?)"/> and <see cref="SuperPlaneAccumulator.Solve"/>.</summary>
public sealed record SuperPlaneFitOptions
{
    /// <summary>The defaults.</summary>
    public static SuperPlaneFitOptions Default { get; } = new();

    /// <summary>
    /// Ridge (Tikhonov) parameter λ ≥ 0; default 0. The fit minimises Σ_i w_i (y_i − p(x_i))² + λ Σ_(t ≠ constant) b_t²,
    /// where b are the coefficients of p in the standardised variables z = (x − mean)/sd — so the penalty
    /// does not depend on the units of the variables. The constant term is not penalised.
    /// </summary>
    public double Ridge { get; init; }

    /// <summary>Solution method; default <see cref="LeastSquaresMethod.Auto"/>.</summary>
    public LeastSquaresMethod Method { get; init; } = LeastSquaresMethod.Auto;

    /// <summary>
    /// Linear-algebra backend for the factorisations; default <see cref="ComputeBackend.Auto"/>. The managed backend gives
    /// bit-identical coefficients for every <see cref="MaxDegreeOfParallelism"/>; the native one (OpenBLAS) agrees to rounding.
    /// </summary>
    public ComputeBackend Backend { get; init; } = ComputeBackend.Auto;

    /// <summary>−1 (default) = all cores; otherwise the most threads to use (1 = this thread only). With the managed backend results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// Observation weights, one per sample, finite and ≥ 0 with at least one positive; empty (default) = all 1.
    /// The fit minimises Σ w_i r_i²; samples of weight 0 do not count towards the degrees of freedom.
    /// Not used by <see cref="SuperPlaneAccumulator"/>, which takes weights with each chunk.
    /// </summary>
    public ReadOnlyMemory<double> Weights { get; init; }

    /// <summary>
    /// Largest condition number of the (standardised, weighted) Gram matrix the normal equations accept
    /// before falling back to QR; default 10⁸, where they still give about 8 correct digits of the
    /// standardised coefficients.
    /// </summary>
    public double MaxNormalEquationsCondition { get; init; } = 1e8;

    /// <summary>
    /// Relative tolerance for the numerical rank: |R[k,k]| ≤ tolerance·|R[0,0]| counts as zero. 0 (default) =
    /// max(sampleCount, termCount)·ε, as LAPACK and NumPy's lstsq.
    /// </summary>
    public double RankTolerance { get; init; }

    /// <summary>Whether to compute <see cref="SuperPlaneFit.StandardErrors"/> (O(terms³)); default true.</summary>
    public bool ComputeStandardErrors { get; init; } = true;
}
