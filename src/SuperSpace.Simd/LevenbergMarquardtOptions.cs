namespace SuperSpace.Simd;

/// <summary>
/// Options of <see cref="LevenbergMarquardtSolver"/>. Defaults follow MINPACK's <c>lmder</c> where it has
/// a counterpart (scaling, initial step bound, tolerance definitions) with tolerances tight enough to
/// converge to machine precision. Validated once, when the solver is constructed.
/// </summary>
public sealed record LevenbergMarquardtOptions
{
    /// <summary>The most successful iterations (accepted steps). Default 1000. 0 evaluates the start and returns.</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>
    /// The most residual evaluations, counting finite-difference and geodesic-acceleration evaluations
    /// (MINPACK's maxfev). Default 0: no limit beyond <see cref="MaxIterations"/>.
    /// </summary>
    public int MaxFunctionEvaluations { get; init; }

    /// <summary>
    /// MINPACK's ftol: stop when both the actual and the predicted relative reductions of the cost in a
    /// step are at most this (and the ratio of the two is at most 2). Default 1e-15.
    /// </summary>
    public double FunctionTolerance { get; init; } = 1e-15;

    /// <summary>
    /// MINPACK's xtol: stop when the trust-region radius Δ is at most this times ‖D·p‖, i.e. the relative
    /// change of the scaled parameters is below it. Default 1e-15.
    /// </summary>
    public double ParameterTolerance { get; init; } = 1e-15;

    /// <summary>
    /// MINPACK's gtol: stop when the cosine of the angle between the residual vector and every Jacobian
    /// column is at most this. Default 0 (the test only fires on an exactly zero gradient).
    /// </summary>
    public double GradientTolerance { get; init; }

    /// <summary>
    /// MINPACK's factor: the initial trust-region radius is this times ‖D·p₀‖ (or this, when that is 0). Default 100.
    /// </summary>
    public double InitialStepBound { get; init; } = 100;

    /// <summary>The trust-region scaling D. Default <see cref="LevenbergMarquardtScaling.JacobianColumnNorms"/> (Moré).</summary>
    public LevenbergMarquardtScaling Scaling { get; init; } = LevenbergMarquardtScaling.JacobianColumnNorms;

    /// <summary>Dⱼ for <see cref="LevenbergMarquardtScaling.User"/>: positive multiplicative scale factors, length parameterCount (use 1/typical magnitude).</summary>
    public double[]? ParameterScales { get; init; }

    /// <summary>QR (accurate, default) or normal equations (fast for residualCount ≫ parameterCount).</summary>
    public LevenbergMarquardtMethod Method { get; init; } = LevenbergMarquardtMethod.Qr;

    /// <summary>Trust region (Moré, default) or direct λ control with delayed gratification.</summary>
    public LevenbergMarquardtDamping Damping { get; init; } = LevenbergMarquardtDamping.TrustRegion;

    /// <summary>Starting λ (relative to D²) for <see cref="LevenbergMarquardtDamping.DelayedGratification"/>. Default 1e-3.</summary>
    public double InitialDamping { get; init; } = 1e-3;

    /// <summary>Finite-difference scheme when the problem's Jacobian returns false. Default forward.</summary>
    public FiniteDifferenceScheme FiniteDifferences { get; init; } = FiniteDifferenceScheme.Forward;

    /// <summary>
    /// Relative finite-difference step η: hⱼ = η·max(|pⱼ|, <see cref="FiniteDifferenceMinimumMagnitude"/>), and hⱼ = η
    /// when that is 0 (MINPACK's fdjac2 rule). Default 0 = automatic: √ε ≈ 1.5e-8 (forward), ε^(1/3) ≈ 6.1e-6 (central).
    /// The step is adjusted so pⱼ + hⱼ is exactly representable, and taken backwards when forwards would leave the bounds.
    /// </summary>
    public double FiniteDifferenceRelativeStep { get; init; }

    /// <summary>The floor of |pⱼ| in the finite-difference step (see <see cref="FiniteDifferenceRelativeStep"/>). Default 0.</summary>
    public double FiniteDifferenceMinimumMagnitude { get; init; }

    /// <summary>
    /// Threads for finite-difference columns: 1 (default) = the calling thread; −1 = all cores. With more than one
    /// thread the problem's Residuals must be thread-safe, and task scheduling allocates a little per Jacobian.
    /// </summary>
    public int FiniteDifferenceParallelism { get; init; } = 1;

    /// <summary>Lower bounds (length parameterCount; −∞ for none). Every iterate satisfies them; the start is projected into the box.</summary>
    public double[]? LowerBounds { get; init; }

    /// <summary>Upper bounds (length parameterCount; +∞ for none). Every iterate satisfies them; the start is projected into the box.</summary>
    public double[]? UpperBounds { get; init; }

    /// <summary>Parameters held at their initial value (length parameterCount; true = fixed).</summary>
    public bool[]? FixedParameters { get; init; }

    /// <summary>Observation weights wᵢ ≥ 0 (length residualCount): the cost is Σ wᵢ·rᵢ². A zero weight ignores the residual, even a non-finite one.</summary>
    public double[]? Weights { get; init; }

    /// <summary>Robust loss ρ applied to each weighted squared residual. Default <see cref="RobustLoss.None"/>.</summary>
    public RobustLoss Loss { get; init; } = RobustLoss.None;

    /// <summary>The loss scale a (residuals larger than about a are outliers). Default 1.</summary>
    public double LossScale { get; init; } = 1;

    /// <summary>
    /// Geodesic acceleration (Transtrum &amp; Sethna): add ½·a to each step, a from the second directional
    /// derivative of the residuals along the step (one extra residual evaluation per trial). Default off.
    /// </summary>
    public bool GeodesicAcceleration { get; init; }

    /// <summary>The largest accepted ‖D·a‖/‖D·v‖ (acceleration over velocity) for geodesic acceleration. Default 0.75.</summary>
    public double GeodesicAccelerationRatio { get; init; } = 0.75;

    /// <summary>The relative step h of the finite difference along the velocity for geodesic acceleration. Default 0.1.</summary>
    public double GeodesicStep { get; init; } = 0.1;

    /// <summary>
    /// After convergence, up to this many rounds of Gauss–Newton refinement. Near the minimum the cost is flat to
    /// within its own rounding noise, so a method that judges steps by the cost stops short of the last digits;
    /// the gradient still points at them. Each round takes an accurate Jacobian (central differences when the
    /// problem has none) and the undamped step; the move is kept only if the next round's undamped step is
    /// shorter (the gradient decreased) and the cost rose by no more than rounding (√ε relative), otherwise the
    /// solver returns to the previous point and stops. With refinement on, the function-tolerance test also
    /// accepts a step whose predicted reduction is ≤ <see cref="FunctionTolerance"/> when the measured one is
    /// within √FunctionTolerance (rounding noise at that scale), instead of shrinking the trust region through
    /// noise-rejected trials. Problems without a Jacobian get one round, with a central-difference Jacobian,
    /// whose move is kept on the cost test alone (a validating Jacobian would cost another 2n evaluations).
    /// Default 3 (on NIST StRD: mean LRE 9.3 → 10.5 analytic, 7.8 → 9.4 finite differences, at about the same
    /// number of evaluations); 0 reproduces MINPACK's stopping exactly.
    /// </summary>
    public int RefinementSteps { get; init; } = 3;

    /// <summary>Compute the covariance σ²(JᵀJ)⁻¹ and standard errors at the solution (rank-aware). Default false.</summary>
    public bool ComputeCovariance { get; init; }

    /// <summary>Linear-algebra backend. Default <see cref="ComputeBackend.Auto"/>.</summary>
    public ComputeBackend Backend { get; init; } = ComputeBackend.Auto;

    /// <summary>
    /// Called at the start (iteration 0) and after every successful iteration; return <see langword="false"/> to stop
    /// the solve (status <see cref="LevenbergMarquardtStatus.UserStop"/>). Called on the solving thread, allocation-free.
    /// </summary>
    public Func<LevenbergMarquardtProgress, bool>? Progress { get; init; }
}

/// <summary>The state handed to <see cref="LevenbergMarquardtOptions.Progress"/>. Valid only during the call.</summary>
public readonly ref struct LevenbergMarquardtProgress
{
    /// <summary>Successful iterations so far (0 at the start).</summary>
    public int Iteration { get; init; }

    /// <summary>The current cost Σ ρ(wᵢ·rᵢ²) (the weighted residual sum of squares without a robust loss).</summary>
    public double Cost { get; init; }

    /// <summary>‖Jᵀr‖∞ over the free parameters: the largest component of half the cost's gradient.</summary>
    public double GradientNorm { get; init; }

    /// <summary>The Levenberg–Marquardt parameter λ of the last step (0 for a Gauss–Newton step).</summary>
    public double Damping { get; init; }

    /// <summary>The trust-region radius Δ (bound on ‖D·step‖).</summary>
    public double TrustRegionRadius { get; init; }

    /// <summary>Residual evaluations so far.</summary>
    public int FunctionEvaluations { get; init; }

    /// <summary>The current (best) parameters.</summary>
    public ReadOnlySpan<double> Parameters { get; init; }
}
