using System.Globalization;

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

    /// <summary>A sentence explaining <see cref="Status"/>, with the counts (formatted on first access).</summary>
    public string Message => _message ??= Describe();

    private string? _message;

    private string Describe()
    {
        string what = Status switch
        {
            LevenbergMarquardtStatus.FunctionToleranceReached => "Converged: the relative reduction of the cost is below the function tolerance.",
            LevenbergMarquardtStatus.ParameterToleranceReached => "Converged: the relative change of the parameters is below the parameter tolerance.",
            LevenbergMarquardtStatus.FunctionAndParameterToleranceReached => "Converged: both the function and the parameter tolerances are met.",
            LevenbergMarquardtStatus.GradientToleranceReached => "Converged: the residuals are orthogonal to the Jacobian columns within the gradient tolerance.",
            LevenbergMarquardtStatus.MaxFunctionEvaluationsReached => "Stopped: the maximum number of residual evaluations was reached.",
            LevenbergMarquardtStatus.FunctionToleranceTooSmall => "Converged to machine precision: no further reduction of the cost is possible.",
            LevenbergMarquardtStatus.ParameterToleranceTooSmall => "Converged to machine precision: no further improvement of the parameters is possible.",
            LevenbergMarquardtStatus.GradientToleranceTooSmall => "Converged to machine precision: the residuals are orthogonal to the Jacobian columns.",
            LevenbergMarquardtStatus.MaxIterationsReached => "Stopped: the maximum number of iterations was reached.",
            LevenbergMarquardtStatus.Cancelled => "Cancelled: the best parameters so far are returned.",
            LevenbergMarquardtStatus.UserStop => "Stopped by the progress callback: the best parameters so far are returned.",
            LevenbergMarquardtStatus.NonFiniteResiduals => "The residuals at the initial parameters are not all finite; no step was taken.",
            LevenbergMarquardtStatus.NonFiniteJacobian => "The Jacobian at the initial parameters has a non-finite entry; no step was taken.",
            _ => "Unknown status.",
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"{what} ({Iterations} iterations, {FunctionEvaluations} residual and {JacobianEvaluations} Jacobian evaluations)");
    }

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
