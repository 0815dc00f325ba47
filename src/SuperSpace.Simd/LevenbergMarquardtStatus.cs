namespace SuperSpace.Simd;

/// <summary>
/// Why <see cref="LevenbergMarquardtSolver"/> stopped. Values 1–8 are MINPACK's <c>lmder</c> info codes
/// with the same meaning; the best point found is returned whatever the status.
/// </summary>
public enum LevenbergMarquardtStatus
{
    /// <summary>Info 1: both the actual and the predicted relative reductions of the cost are at most <see cref="LevenbergMarquardtOptions.FunctionTolerance"/>.</summary>
    FunctionToleranceReached = 1,

    /// <summary>Info 2: the relative change of the scaled parameters (trust-region radius over ‖D·p‖) is at most <see cref="LevenbergMarquardtOptions.ParameterTolerance"/>.</summary>
    ParameterToleranceReached = 2,

    /// <summary>Info 3: both <see cref="FunctionToleranceReached"/> and <see cref="ParameterToleranceReached"/> hold.</summary>
    FunctionAndParameterToleranceReached = 3,

    /// <summary>Info 4: the cosine of the angle between the residuals and every Jacobian column is at most <see cref="LevenbergMarquardtOptions.GradientTolerance"/> (also a zero residual vector).</summary>
    GradientToleranceReached = 4,

    /// <summary>Info 5: <see cref="LevenbergMarquardtOptions.MaxFunctionEvaluations"/> residual evaluations were used.</summary>
    MaxFunctionEvaluationsReached = 5,

    /// <summary>Info 6: the function tolerance is below machine precision — no further reduction of the cost is possible.</summary>
    FunctionToleranceTooSmall = 6,

    /// <summary>Info 7: the parameter tolerance is below machine precision — no further improvement of the parameters is possible.</summary>
    ParameterToleranceTooSmall = 7,

    /// <summary>Info 8: the gradient tolerance is below machine precision — the residuals are orthogonal to the Jacobian columns to machine precision.</summary>
    GradientToleranceTooSmall = 8,

    /// <summary><see cref="LevenbergMarquardtOptions.MaxIterations"/> successful iterations were taken.</summary>
    MaxIterationsReached = 9,

    /// <summary>The <see cref="CancellationToken"/> was cancelled; the best parameters so far are returned.</summary>
    Cancelled = 10,

    /// <summary>The progress callback returned <see langword="false"/>; the best parameters so far are returned.</summary>
    UserStop = 11,

    /// <summary>The residuals at the initial parameters are not all finite (or their sum of squares overflows); no step was taken.</summary>
    NonFiniteResiduals = 12,

    /// <summary>The Jacobian at the initial parameters has a non-finite entry (analytic, or from finite differences); no step was taken.</summary>
    NonFiniteJacobian = 13,
}
