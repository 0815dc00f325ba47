namespace SuperSpace.Simd;

/// <summary>
/// A nonlinear least-squares problem: minimise Σᵢ rᵢ(p)² over the parameters p, where
/// r(p) is a vector of <see cref="ResidualCount"/> residuals. Implement it on a
/// <see langword="struct"/> to let <see cref="LevenbergMarquardtSolver.Solve{TProblem}(TProblem, ReadOnlySpan{double})"/>
/// call it without interface dispatch (the solver is generic over the problem type), or on a class.
/// </summary>
/// <remarks>
/// The solver calls the members from the thread that called <c>Solve</c>, except when finite
/// differences run in parallel (<see cref="LevenbergMarquardtOptions.FiniteDifferenceParallelism"/>
/// greater than 1): then <see cref="Residuals"/> is called concurrently and must be thread-safe.
/// </remarks>
public interface ILeastSquaresProblem
{
    /// <summary>The number of parameters (at least 1).</summary>
    int ParameterCount { get; }

    /// <summary>The number of residuals (at least 1).</summary>
    int ResidualCount { get; }

    /// <summary>Writes the residuals r(p) into <paramref name="residuals"/> (length <see cref="ResidualCount"/>).</summary>
    /// <param name="parameters">The parameters p (length <see cref="ParameterCount"/>).</param>
    /// <param name="residuals">Destination, length <see cref="ResidualCount"/>. May be left with NaN or ±∞: the solver treats such a point as not acceptable.</param>
    void Residuals(ReadOnlySpan<double> parameters, Span<double> residuals);

    /// <summary>
    /// Writes the Jacobian J[i, j] = ∂rᵢ/∂pⱼ, row-major residualCount × parameterCount, into
    /// <paramref name="jacobian"/> and returns <see langword="true"/>; or returns <see langword="false"/>
    /// without writing to let the solver use finite differences.
    /// </summary>
    /// <param name="parameters">The parameters p (length <see cref="ParameterCount"/>).</param>
    /// <param name="jacobian">Destination, row-major, length ResidualCount × ParameterCount.</param>
    /// <returns><see langword="true"/> when the Jacobian was written; <see langword="false"/> for finite differences.</returns>
    bool Jacobian(ReadOnlySpan<double> parameters, Span<double> jacobian);
}
