namespace SuperSpace.Simd;

/// <summary>The diagonal scaling D of the trust region ‖D·step‖ ≤ Δ (MINPACK's <c>diag</c>).</summary>
public enum LevenbergMarquardtScaling
{
    /// <summary>Moré's scaling (MINPACK mode 1): Dⱼ is the running maximum of the norms of Jacobian column j, so the method is invariant to the units of each parameter.</summary>
    JacobianColumnNorms = 0,

    /// <summary>Fixed user scale factors (MINPACK mode 2): Dⱼ = <see cref="LevenbergMarquardtOptions.ParameterScales"/>[j] (use 1/typical magnitude).</summary>
    User = 1,

    /// <summary>D = I: the plain Levenberg damping λ·I.</summary>
    Identity = 2,
}

/// <summary>How each trial step's damped linear least-squares problem is solved.</summary>
public enum LevenbergMarquardtMethod
{
    /// <summary>
    /// Pivoted QR of the Jacobian, once per iteration; each trial λ folds √λ·D into R with Givens rotations
    /// (MINPACK's qrsolv: O(n³) per λ, independent of the residual count). The accurate path: the condition
    /// number is that of J, not JᵀJ.
    /// </summary>
    Qr = 0,

    /// <summary>
    /// Normal equations: JᵀJ and Jᵀr once per iteration (O(m·n²/2)), a Cholesky factorisation of JᵀJ + λD² per trial
    /// λ. Faster when residualCount ≫ parameterCount and n is large; squares the condition number.
    /// </summary>
    NormalEquations = 1,
}

/// <summary>How the damping parameter λ is controlled between trial steps.</summary>
public enum LevenbergMarquardtDamping
{
    /// <summary>Moré's trust region (MINPACK lmder/lmpar): Δ is updated from the gain ratio and λ is the Lagrange multiplier that makes ‖D·step‖ ≈ Δ.</summary>
    TrustRegion = 0,

    /// <summary>
    /// Direct λ control with "delayed gratification" (Transtrum &amp; Sethna 2012): λ ← λ/3 after a successful
    /// step, λ ← 2λ after a rejected one, starting from <see cref="LevenbergMarquardtOptions.InitialDamping"/> (relative to D²).
    /// </summary>
    DelayedGratification = 1,
}

/// <summary>Finite-difference scheme used when the problem does not supply a Jacobian.</summary>
public enum FiniteDifferenceScheme
{
    /// <summary>Forward differences (one residual evaluation per parameter), relative step √ε by default.</summary>
    Forward = 0,

    /// <summary>Central differences (two evaluations per parameter, O(h²) error), relative step ε^(1/3) by default.</summary>
    Central = 1,
}

/// <summary>
/// A robust loss ρ applied to each squared residual s = wᵢ·rᵢ² (Ceres conventions, scale a):
/// the solver minimises Σ ρ(sᵢ), which down-weights large residuals (outliers).
/// </summary>
public enum RobustLoss
{
    /// <summary>ρ(s) = s: ordinary least squares.</summary>
    None = 0,

    /// <summary>Huber: ρ(s) = s for s ≤ a², 2a√s − a² beyond (quadratic core, linear tails).</summary>
    Huber = 1,

    /// <summary>Cauchy: ρ(s) = a²·ln(1 + s/a²) (strongly down-weights outliers).</summary>
    Cauchy = 2,

    /// <summary>Soft L1: ρ(s) = 2a²·(√(1 + s/a²) − 1) (a smooth Huber).</summary>
    SoftL1 = 3,
}
