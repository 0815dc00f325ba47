namespace SuperSpace.Simd;

/// <summary>The outcome of <see cref="LevenbergMarquardtSolver.Solve{TProblem}(TProblem, ReadOnlySpan{double})"/>: always the best point found.</summary>
public sealed class LevenbergMarquardtResult
{
    internal LevenbergMarquardtResult()
    {
    }

    /// <summary>The best parameters found (the start when no step was taken).</summary>
    public double[] Parameters { get; internal init; } = [];

    /// <summary>Σ wᵢ·rᵢ² at <see cref="Parameters"/> (the plain residual sum of squares without weights).</summary>
    public double ResidualSumOfSquares { get; internal init; }

    /// <summary>The minimised cost Σ ρ(wᵢ·rᵢ²); equals <see cref="ResidualSumOfSquares"/> without a robust loss.</summary>
    public double Cost { get; internal init; }

    /// <summary>Successful iterations (accepted steps).</summary>
    public int Iterations { get; internal init; }

    /// <summary>Residual evaluations, including those for finite differences and geodesic acceleration (MINPACK's nfev).</summary>
    public int FunctionEvaluations { get; internal init; }

    /// <summary>Jacobian evaluations (analytic or by finite differences).</summary>
    public int JacobianEvaluations { get; internal init; }

    /// <summary>Why the solver stopped.</summary>
    public LevenbergMarquardtStatus Status { get; internal init; }

    /// <summary>True for the convergence statuses (MINPACK info 1–4 and 6–8).</summary>
    public bool Converged => Status is >= LevenbergMarquardtStatus.FunctionToleranceReached and <= LevenbergMarquardtStatus.GradientToleranceReached
        or LevenbergMarquardtStatus.FunctionToleranceTooSmall or LevenbergMarquardtStatus.ParameterToleranceTooSmall
        or LevenbergMarquardtStatus.GradientToleranceTooSmall;

    /// <summary>A sentence explaining <see cref="Status"/>.</summary>
    public string Message { get; internal init; } = string.Empty;

    /// <summary>‖Jᵀr‖∞ over the free parameters at the last Jacobian evaluation.</summary>
    public double GradientNorm { get; internal init; }

    /// <summary>The Levenberg–Marquardt parameter λ of the last trial step.</summary>
    public double Damping { get; internal init; }

    /// <summary>Standard errors √diag(Covariance) when <see cref="LevenbergMarquardtOptions.ComputeCovariance"/>, else null (0 for fixed parameters).</summary>
    public double[]? StandardErrors { get; internal init; }

    /// <summary>σ²·(JᵀJ)⁻¹ (a generalised inverse when J is rank-deficient), row-major parameterCount², when requested; σ² = cost/(residualCount − rank).</summary>
    public double[]? Covariance { get; internal init; }

    /// <summary>The numerical rank of the Jacobian of the non-fixed parameters at the solution, when the covariance was computed.</summary>
    public int? Rank { get; internal init; }

    /// <summary>The linear-algebra backend that ran.</summary>
    public ComputeBackend Backend { get; internal init; }

    /// <summary>Wall-clock time of the solve.</summary>
    public TimeSpan Elapsed { get; internal init; }
}
