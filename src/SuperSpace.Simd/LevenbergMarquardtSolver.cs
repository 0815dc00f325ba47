using SuperSpace.Simd.Internals;
using SuperSpace.Simd.LinearAlgebra;
using SuperSpace.Simd.Solvers;

namespace SuperSpace.Simd;

/// <summary>
/// Nonlinear least squares by the Levenberg–Marquardt method: Moré's trust-region algorithm with MINPACK
/// <c>lmder</c> semantics (scaling, λ by Moré's method, stopping tests and info codes), the step from a
/// pivoted QR of the Jacobian with the damping folded in by Givens rotations, plus box bounds that hold at
/// every iterate, fixed parameters, weights, robust losses, finite differences, geodesic acceleration and
/// covariance. Numerical outcomes are statuses (<see cref="LevenbergMarquardtResult.Status"/>), never
/// exceptions, and the best point found is always returned.
/// </summary>
/// <remarks>
/// A solver instance keeps one workspace for the last (parameterCount, residualCount) it solved, so
/// repeated solves of same-shaped problems allocate only their result, and no iteration allocates. An
/// instance may be used from several threads at once (a concurrent solve builds its own workspace).
/// </remarks>
/// <example>
/// <code>
/// // y = a·exp(−b·t): residuals rᵢ = a·exp(−b·tᵢ) − yᵢ.
/// var solver = new LevenbergMarquardtSolver();
/// var result = solver.Solve(t.Length, [1.0, 0.1], (p, r) =>
/// {
///     for (int i = 0; i &lt; t.Length; i++) r[i] = (p[0] * Math.Exp(-p[1] * t[i])) - y[i];
/// });
/// </code>
/// </example>
public sealed class LevenbergMarquardtSolver
{
    private const double MachineEpsilon = 2.220446049250313e-16;
    private readonly LevenbergMarquardtOptions _options;
    private readonly ILinearAlgebraBackend _backend;
    private readonly FiniteDifferenceSettings _finiteDifferences;
    private LevenbergMarquardtWorkspace? _cached;

    /// <summary>Creates a solver; the options are validated here, once.</summary>
    /// <param name="options">Options; null for the defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="NotSupportedException"><see cref="ComputeBackend.Native"/> was requested and the native backend is not available.</exception>
    public LevenbergMarquardtSolver(LevenbergMarquardtOptions? options = null)
    {
        _options = options ?? new LevenbergMarquardtOptions();
        ValidateOptions(_options);
        _backend = LinearAlgebraBackends.Resolve(_options.Backend);
        _finiteDifferences = FiniteDifferenceSettings.Create(
            _options.FiniteDifferences,
            _options.FiniteDifferenceRelativeStep > 0
                ? _options.FiniteDifferenceRelativeStep
                : _options.FiniteDifferences == FiniteDifferenceScheme.Central ? Math.Cbrt(MachineEpsilon) : Math.Sqrt(MachineEpsilon),
            _options.FiniteDifferenceMinimumMagnitude,
            Validate.DegreeOfParallelism(_options.FiniteDifferenceParallelism, nameof(LevenbergMarquardtOptions.FiniteDifferenceParallelism)),
            _options.FixedParameters,
            _options.LowerBounds,
            _options.UpperBounds);
    }

    /// <summary>The options this solver runs with.</summary>
    public LevenbergMarquardtOptions Options => _options;

    /// <summary>Minimises Σ ρ(wᵢ·rᵢ(p)²) from <paramref name="initialParameters"/>.</summary>
    /// <typeparam name="TProblem">The problem type; a struct is called without interface dispatch.</typeparam>
    /// <param name="problem">The residuals (and optionally the Jacobian).</param>
    /// <param name="initialParameters">The start, length <see cref="ILeastSquaresProblem.ParameterCount"/>; projected into the bounds.</param>
    /// <returns>The best point found, with the reason the solver stopped.</returns>
    /// <exception cref="ArgumentException">Counts or lengths do not match, or the start or an option array is not finite.</exception>
    public LevenbergMarquardtResult Solve<TProblem>(TProblem problem, ReadOnlySpan<double> initialParameters)
        where TProblem : ILeastSquaresProblem =>
        Solve(problem, initialParameters, CancellationToken.None);

    /// <summary>Minimises Σ ρ(wᵢ·rᵢ(p)²) from <paramref name="initialParameters"/>, stopping early (status
    /// <see cref="LevenbergMarquardtStatus.Cancelled"/>, best point returned) when <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <typeparam name="TProblem">The problem type; a struct is called without interface dispatch.</typeparam>
    /// <param name="problem">The residuals (and optionally the Jacobian).</param>
    /// <param name="initialParameters">The start, length <see cref="ILeastSquaresProblem.ParameterCount"/>; projected into the bounds.</param>
    /// <param name="cancellationToken">Checked before every trial step and Jacobian.</param>
    /// <returns>The best point found, with the reason the solver stopped.</returns>
    /// <exception cref="ArgumentException">Counts or lengths do not match, or the start or an option array is not finite.</exception>
    public LevenbergMarquardtResult Solve<TProblem>(TProblem problem, ReadOnlySpan<double> initialParameters, CancellationToken cancellationToken)
        where TProblem : ILeastSquaresProblem
    {
        if (problem is null)
        {
            ThrowHelper.ArgumentNull(nameof(problem));
        }

        int n = problem.ParameterCount;
        int m = problem.ResidualCount;
        ValidateProblem(n, m, initialParameters);
        int qrWork = _backend.QrWorkspaceSize(Math.Max(m, n), n);

        var workspace = Interlocked.Exchange(ref _cached, null);
        if (workspace is null || !workspace.Fits(n, m, qrWork))
        {
            workspace = new LevenbergMarquardtWorkspace(n, m, qrWork);
        }

        try
        {
            return LevenbergMarquardtDriver.Run(ref problem, initialParameters, _options, _backend, _finiteDifferences, workspace, cancellationToken);
        }
        finally
        {
            Volatile.Write(ref _cached, workspace);
        }
    }

    /// <summary>
    /// Convenience overload with delegates: <paramref name="residuals"/>(p, r) writes the residuals, and the
    /// optional <paramref name="jacobian"/>(p, J) writes the row-major residualCount × parameterCount Jacobian
    /// and returns true (false, or null, for finite differences).
    /// </summary>
    /// <param name="residualCount">The number of residuals.</param>
    /// <param name="initialParameters">The start; its length is the parameter count.</param>
    /// <param name="residuals">Writes r(p).</param>
    /// <param name="jacobian">Writes J(p) and returns true; null for finite differences.</param>
    /// <param name="cancellationToken">Checked before every trial step and Jacobian.</param>
    /// <returns>The best point found, with the reason the solver stopped.</returns>
    public LevenbergMarquardtResult Solve(int residualCount, ReadOnlySpan<double> initialParameters,
                                          Action<ReadOnlySpan<double>, Span<double>> residuals,
                                          Func<ReadOnlySpan<double>, Span<double>, bool>? jacobian = null,
                                          CancellationToken cancellationToken = default)
    {
        if (residuals is null)
        {
            ThrowHelper.ArgumentNull(nameof(residuals));
        }

        return Solve(new DelegateProblem(initialParameters.Length, residualCount, residuals, jacobian), initialParameters, cancellationToken);
    }

    private readonly struct DelegateProblem(int parameterCount, int residualCount, Action<ReadOnlySpan<double>, Span<double>> residuals,
                                            Func<ReadOnlySpan<double>, Span<double>, bool>? jacobian) : ILeastSquaresProblem
    {
        public int ParameterCount { get; } = parameterCount;
        public int ResidualCount { get; } = residualCount;

        public void Residuals(ReadOnlySpan<double> parameters, Span<double> destination) => residuals(parameters, destination);

        public bool Jacobian(ReadOnlySpan<double> parameters, Span<double> destination) => jacobian is not null && jacobian(parameters, destination);
    }

    private void ValidateProblem(int n, int m, ReadOnlySpan<double> initialParameters)
    {
        if (n < 1)
        {
            ThrowHelper.ArgumentOutOfRange("problem", $"ParameterCount must be at least 1 (was {n}).");
        }

        if (m < 1)
        {
            ThrowHelper.ArgumentOutOfRange("problem", $"ResidualCount must be at least 1 (was {m}).");
        }

        if ((long)m * n > Array.MaxLength)
        {
            ThrowHelper.ArgumentOutOfRange("problem", $"The Jacobian would have {(long)m * n} entries ({m} residuals × {n} parameters), more than an array holds.");
        }

        if (initialParameters.Length != n)
        {
            ThrowHelper.LengthMismatch(nameof(initialParameters), n, initialParameters.Length, "the problem's ParameterCount");
        }

        long bad = Validate.IndexOfNonFinite(initialParameters);
        if (bad >= 0)
        {
            ThrowHelper.Argument(nameof(initialParameters), $"initialParameters[{bad}] is not finite ({initialParameters[(int)bad]}).");
        }

        var o = _options;
        CheckLength(o.ParameterScales, n, nameof(LevenbergMarquardtOptions.ParameterScales), "parameterCount");
        CheckLength(o.LowerBounds, n, nameof(LevenbergMarquardtOptions.LowerBounds), "parameterCount");
        CheckLength(o.UpperBounds, n, nameof(LevenbergMarquardtOptions.UpperBounds), "parameterCount");
        CheckLength(o.Weights, m, nameof(LevenbergMarquardtOptions.Weights), "residualCount");
        if (o.FixedParameters is not null && o.FixedParameters.Length != n)
        {
            ThrowHelper.LengthMismatch(nameof(LevenbergMarquardtOptions.FixedParameters), n, o.FixedParameters.Length, "parameterCount");
        }
    }

    private static void CheckLength(double[]? values, int expected, string name, string what)
    {
        if (values is not null && values.Length != expected)
        {
            ThrowHelper.LengthMismatch(name, expected, values.Length, what);
        }
    }

    private static void ValidateOptions(LevenbergMarquardtOptions o)
    {
        if (o.MaxIterations < 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(o.MaxIterations), "MaxIterations must be non-negative.");
        }

        if (o.RefinementSteps < 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(o.RefinementSteps), "RefinementSteps must be non-negative.");
        }

        if (o.MaxFunctionEvaluations < 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(o.MaxFunctionEvaluations), "MaxFunctionEvaluations must be non-negative (0 = no limit).");
        }

        NonNegative(o.FunctionTolerance, nameof(o.FunctionTolerance));
        NonNegative(o.ParameterTolerance, nameof(o.ParameterTolerance));
        NonNegative(o.GradientTolerance, nameof(o.GradientTolerance));
        Positive(o.InitialStepBound, nameof(o.InitialStepBound));
        Positive(o.InitialDamping, nameof(o.InitialDamping));
        Positive(o.LossScale, nameof(o.LossScale));
        NonNegative(o.FiniteDifferenceRelativeStep, nameof(o.FiniteDifferenceRelativeStep));
        NonNegative(o.FiniteDifferenceMinimumMagnitude, nameof(o.FiniteDifferenceMinimumMagnitude));
        Positive(o.GeodesicAccelerationRatio, nameof(o.GeodesicAccelerationRatio));
        Positive(o.GeodesicStep, nameof(o.GeodesicStep));
        _ = Validate.DegreeOfParallelism(o.FiniteDifferenceParallelism, nameof(o.FiniteDifferenceParallelism));
        if (!Enum.IsDefined(o.Scaling) || !Enum.IsDefined(o.Method) || !Enum.IsDefined(o.Damping) || !Enum.IsDefined(o.FiniteDifferences)
            || !Enum.IsDefined(o.Loss) || !Enum.IsDefined(o.Backend))
        {
            ThrowHelper.ArgumentOutOfRange(nameof(o), "An enum option has an undefined value.");
        }

        if (o.Scaling == LevenbergMarquardtScaling.User)
        {
            if (o.ParameterScales is null)
            {
                ThrowHelper.Argument(nameof(o.ParameterScales), "ParameterScales are required with LevenbergMarquardtScaling.User.");
            }

            for (int j = 0; j < o.ParameterScales!.Length; j++)
            {
                if (!(o.ParameterScales[j] > 0) || !double.IsFinite(o.ParameterScales[j]))
                {
                    ThrowHelper.Argument(nameof(o.ParameterScales), $"ParameterScales[{j}] must be positive and finite (was {o.ParameterScales[j]}).");
                }
            }
        }

        if (o.Weights is { } weights)
        {
            for (int i = 0; i < weights.Length; i++)
            {
                if (!(weights[i] >= 0) || !double.IsFinite(weights[i]))
                {
                    ThrowHelper.Argument(nameof(o.Weights), $"Weights[{i}] must be finite and non-negative (was {weights[i]}).");
                }
            }
        }

        if (o.LowerBounds is { } lower)
        {
            for (int j = 0; j < lower.Length; j++)
            {
                if (double.IsNaN(lower[j]) || double.IsPositiveInfinity(lower[j]))
                {
                    ThrowHelper.Argument(nameof(o.LowerBounds), $"LowerBounds[{j}] must be a number below +∞ (was {lower[j]}).");
                }
            }
        }

        if (o.UpperBounds is { } upper)
        {
            for (int j = 0; j < upper.Length; j++)
            {
                if (double.IsNaN(upper[j]) || double.IsNegativeInfinity(upper[j]))
                {
                    ThrowHelper.Argument(nameof(o.UpperBounds), $"UpperBounds[{j}] must be a number above −∞ (was {upper[j]}).");
                }

                if (o.LowerBounds is { } lo && j < lo.Length && lo[j] > upper[j])
                {
                    ThrowHelper.Argument(nameof(o.UpperBounds), $"UpperBounds[{j}] = {upper[j]} is below LowerBounds[{j}] = {lo[j]}.");
                }
            }
        }
    }

    private static void NonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            ThrowHelper.ArgumentOutOfRange(name, $"{name} must be finite and non-negative (was {value}).");
        }
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            ThrowHelper.ArgumentOutOfRange(name, $"{name} must be finite and positive (was {value}).");
        }
    }
}
