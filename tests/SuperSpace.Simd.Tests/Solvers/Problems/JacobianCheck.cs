namespace SuperSpace.Simd.Tests.Solvers.Problems;

/// <summary>Central finite differences of a problem's residuals, to check analytic Jacobians.</summary>
internal static class JacobianCheck
{
    private const double Epsilon = 2.220446049250313e-16;

    /// <summary>
    /// The largest discrepancy between the analytic Jacobian and a Richardson-extrapolated central
    /// difference, (4·D(h/2) − D(h))/3 with h = ε^(1/5)·|pⱼ| (ε^(1/5) when pⱼ = 0), relative to the
    /// column's largest entry. The estimate is accurate to O(h⁴) + O(ε/h) ≈ 1e-11 relative, so a wrong
    /// formula stands out by many orders of magnitude.
    /// </summary>
    public static double MaxRelativeError<TProblem>(TProblem problem, ReadOnlySpan<double> parameters)
        where TProblem : ILeastSquaresProblem
    {
        int m = problem.ResidualCount;
        int n = problem.ParameterCount;
        var analytic = new double[m * n];
        if (!problem.Jacobian(parameters, analytic))
        {
            throw new InvalidOperationException("The problem has no analytic Jacobian.");
        }

        var p = parameters.ToArray();
        var coarse = new double[m];
        var fine = new double[m];
        double worst = 0;
        for (int j = 0; j < n; j++)
        {
            double h = Math.Pow(Epsilon, 0.2) * (p[j] == 0 ? 1 : Math.Abs(p[j]));
            Central(problem, p, j, h, coarse);
            Central(problem, p, j, h / 2, fine);

            double columnScale = 0;
            for (int i = 0; i < m; i++)
            {
                columnScale = Math.Max(columnScale, Math.Abs(analytic[(i * n) + j]));
            }

            for (int i = 0; i < m; i++)
            {
                double numeric = ((4 * fine[i]) - coarse[i]) / 3;
                double error = Math.Abs(numeric - analytic[(i * n) + j]) / Math.Max(columnScale, 1e-300);
                worst = Math.Max(worst, error);
            }
        }

        return worst;
    }

    private static void Central<TProblem>(TProblem problem, double[] p, int j, double h, double[] derivative)
        where TProblem : ILeastSquaresProblem
    {
        int m = problem.ResidualCount;
        var plus = new double[m];
        var minus = new double[m];
        double original = p[j];
        p[j] = original + h;
        double upper = p[j];
        problem.Residuals(p, plus);
        p[j] = original - h;
        double lower = p[j];
        problem.Residuals(p, minus);
        p[j] = original;
        for (int i = 0; i < m; i++)
        {
            derivative[i] = (plus[i] - minus[i]) / (upper - lower);
        }
    }
}
