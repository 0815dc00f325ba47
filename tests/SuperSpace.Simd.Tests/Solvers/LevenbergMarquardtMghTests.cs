using SuperSpace.Simd.Tests.Solvers.Problems;

namespace SuperSpace.Simd.Tests.Solvers;

/// <summary>
/// The Moré–Garbow–Hillstrom least-squares problems (ACM TOMS 7(1), 1981) from the paper's x0 and 10·x0,
/// default options except MaxIterations = 5000: the solver must reach the minimum the paper reports, or a
/// documented local minimum, and must not use more evaluations than approved below. The approved counts
/// are this implementation's; MINPACK's lmder (cminpack, ftol = xtol = 1e-15) on the same functions is
/// listed beside them for reference. Change the table only with a reason.
/// </summary>
[TestFixture]
public sealed class LevenbergMarquardtMghTests
{
    /// <summary>What the solver is expected to reach.</summary>
    internal enum Outcome
    {
        /// <summary>The global minimum the paper reports.</summary>
        Global,

        /// <summary>A local minimum the paper reports.</summary>
        PaperLocal,

        /// <summary>An infimum approached as some parameters run to ±∞ (value derived independently in the test).</summary>
        Asymptotic,

        /// <summary>A stationary point reported in the literature and reached by MINPACK too (Trigonometric n = 10).</summary>
        LiteratureLocal,

        /// <summary>Levenberg–Marquardt does not converge from this start (MINPACK neither): the solver must say so.</summary>
        NoConvergence,
    }

    internal sealed record Case(MghFunction Function, int N, int M, int Scale, double Expected, Outcome Outcome,
                              int ApprovedEvaluations, int ApprovedJacobians, int MinpackEvaluations, int MinpackJacobians)
    {
        public override string ToString() => $"{Function}(n={N},m={M}) from {Scale}·x0";
    }

    // Expected values: the paper's (6 digits), or derived (Asymptotic: see ExpectedAsymptote).
    // Re-approved 2026-12-07 for seven rows (Beale 10·x0, Powell singular 1·x0, Penalty I n=10 1·x0, Trigonometric,
    // Brown almost-linear): they took a few more steps after c26c8d0 made the fused managed QR the Auto path for small
    // problems; its rounding differs from the blocked QR's in the last bits, which on these flat or singular problems
    // changes some trial steps.
    private static readonly Case[] Table =
    [
        new(MghFunction.Rosenbrock, 2, 2, 1, 0, Outcome.Global, 21, 16, 21, 16),
        new(MghFunction.Rosenbrock, 2, 2, 10, 0, Outcome.Global, 8, 6, 8, 5),
        new(MghFunction.FreudensteinRoth, 2, 2, 1, 48.9842, Outcome.PaperLocal, 27, 17, 27, 17),
        new(MghFunction.FreudensteinRoth, 2, 2, 10, 48.9842, Outcome.PaperLocal, 24, 14, 26, 14),
        new(MghFunction.PowellBadlyScaled, 2, 2, 1, 0, Outcome.Global, 19, 18, 19, 17),
        new(MghFunction.PowellBadlyScaled, 2, 2, 10, double.NaN, Outcome.NoConvergence, 5294, 5001, 100000, 97934),
        new(MghFunction.BrownBadlyScaled, 2, 3, 1, 0, Outcome.Global, 17, 17, 16, 15),
        new(MghFunction.BrownBadlyScaled, 2, 3, 10, 0, Outcome.Global, 17, 16, 17, 15),
        new(MghFunction.Beale, 2, 3, 1, 0, Outcome.Global, 10, 9, 10, 8),
        new(MghFunction.Beale, 2, 3, 10, double.NaN, Outcome.Asymptotic, 2124, 1678, 2147, 1691),
        new(MghFunction.JennrichSampson, 2, 10, 1, 124.362, Outcome.Global, 33, 20, 32, 19),
        new(MghFunction.JennrichSampson, 2, 10, 10, double.NaN, Outcome.Asymptotic, 48, 48, 46, 45),
        new(MghFunction.HelicalValley, 3, 3, 1, 0, Outcome.Global, 12, 10, 12, 9),
        new(MghFunction.HelicalValley, 3, 3, 10, 0, Outcome.Global, 22, 18, 21, 16),
        new(MghFunction.Bard, 3, 15, 1, 8.21487e-3, Outcome.Global, 11, 11, 13, 8),
        new(MghFunction.Bard, 3, 15, 10, double.NaN, Outcome.Asymptotic, 88, 87, 89, 88),
        new(MghFunction.Gaussian, 3, 15, 1, 1.12793e-8, Outcome.Global, 7, 6, 8, 3),
        new(MghFunction.Gaussian, 3, 15, 10, 1.12793e-8, Outcome.Global, 15, 12, 17, 11),
        new(MghFunction.Meyer, 3, 16, 1, 87.9458, Outcome.Global, 129, 119, 132, 116),
        new(MghFunction.Meyer, 3, 16, 10, 87.9458, Outcome.Global, 1752, 1420, 1831, 1474),
        new(MghFunction.Box3D, 3, 10, 1, 0, Outcome.Global, 9, 7, 8, 7),
        new(MghFunction.Box3D, 3, 10, 10, double.NaN, Outcome.Asymptotic, 24, 22, 22, 17),
        // Powell singular: J is singular at the solution, so convergence is linear and the residuals shrink until
        // the model predicts nothing more (the noise-aware function test; with RefinementSteps = 0 the loop runs
        // on until they underflow, 489 evaluations).
        new(MghFunction.PowellSingular, 4, 4, 1, 0, Outcome.Global, 60, 58, 58, 57),
        new(MghFunction.PowellSingular, 4, 4, 10, 0, Outcome.Global, 64, 64, 70, 65),
        new(MghFunction.Wood, 4, 6, 1, 0, Outcome.Global, 70, 65, 70, 65),
        new(MghFunction.Wood, 4, 6, 10, 0, Outcome.Global, 71, 67, 71, 66),
        new(MghFunction.KowalikOsborne, 4, 11, 1, 3.07505e-4, Outcome.Global, 40, 36, 44, 35),
        new(MghFunction.KowalikOsborne, 4, 11, 10, 1.02734e-3, Outcome.PaperLocal, 130, 122, 129, 120),
        new(MghFunction.BrownDennis, 4, 20, 1, 85822.2, Outcome.Global, 407, 373, 430, 395),
        new(MghFunction.BrownDennis, 4, 20, 10, 85822.2, Outcome.Global, 111, 92, 110, 90),
        new(MghFunction.Osborne1, 5, 33, 1, 5.46489e-5, Outcome.Global, 23, 20, 30, 19),
        new(MghFunction.Osborne1, 5, 33, 10, 5.46489e-5, Outcome.Global, 91, 79, 95, 76),
        new(MghFunction.BiggsExp6, 6, 13, 1, 0, Outcome.Global, 49, 35, 44, 31),
        new(MghFunction.BiggsExp6, 6, 13, 10, 0, Outcome.Global, 60, 43, 82, 60),
        new(MghFunction.Osborne2, 11, 65, 1, 4.01377e-2, Outcome.Global, 24, 20, 23, 17),
        new(MghFunction.Osborne2, 11, 65, 10, double.NaN, Outcome.Asymptotic, 20, 18, 17, 14),
        new(MghFunction.Watson, 6, 31, 1, 2.28767e-3, Outcome.Global, 17, 14, 22, 12),
        new(MghFunction.Watson, 6, 31, 10, 2.28767e-3, Outcome.Global, 17, 14, 22, 12),
        new(MghFunction.Watson, 9, 31, 1, 1.39976e-6, Outcome.Global, 11, 11, 14, 9),
        new(MghFunction.Watson, 9, 31, 10, 1.39976e-6, Outcome.Global, 11, 11, 14, 9),
        new(MghFunction.ExtendedRosenbrock, 10, 10, 1, 0, Outcome.Global, 22, 17, 21, 16),
        new(MghFunction.ExtendedRosenbrock, 10, 10, 10, 0, Outcome.Global, 8, 6, 8, 6),
        new(MghFunction.PenaltyI, 4, 5, 1, 2.24997e-5, Outcome.Global, 51, 34, 50, 32),
        new(MghFunction.PenaltyI, 4, 5, 10, 2.24997e-5, Outcome.Global, 42, 30, 42, 29),
        new(MghFunction.PenaltyI, 10, 11, 1, 7.08765e-5, Outcome.Global, 126, 100, 126, 100),
        new(MghFunction.PenaltyI, 10, 11, 10, 7.08765e-5, Outcome.Global, 70, 55, 70, 54),
        new(MghFunction.PenaltyII, 4, 8, 1, 9.37629e-6, Outcome.Global, 162, 119, 161, 118),
        new(MghFunction.PenaltyII, 4, 8, 10, 9.37629e-6, Outcome.Global, 79, 63, 81, 63),
        new(MghFunction.PenaltyII, 10, 20, 1, 2.93660e-4, Outcome.Global, 97, 74, 96, 72),
        new(MghFunction.PenaltyII, 10, 20, 10, 2.93660e-4, Outcome.Global, 50, 33, 49, 31),
        new(MghFunction.Trigonometric, 10, 10, 1, 2.79506e-5, Outcome.LiteratureLocal, 42, 23, 46, 22),
        new(MghFunction.Trigonometric, 10, 10, 10, 2.79506e-5, Outcome.LiteratureLocal, 52, 28, 53, 26),
        new(MghFunction.BrownAlmostLinear, 10, 10, 1, 0, Outcome.Global, 21, 14, 15, 13),
        new(MghFunction.BrownAlmostLinear, 10, 10, 10, 0, Outcome.Global, 19, 10, 15, 10),
    ];

    public static IEnumerable<TestCaseData> Cases() => Table.Select(c => new TestCaseData(c).SetArgDisplayNames(c.ToString()));

    [Test]
    public void TheTableCoversEveryFunctionFromBothStarts()
    {
        var functions = Table.Select(c => c.Function).Distinct().ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(functions, Has.Length.EqualTo(24), "the 24 functions the issue lists");
            Assert.That(MghCase.All.SelectMany(c => new[] { (c.Function, c.ParameterCount, 1), (c.Function, c.ParameterCount, 10) }),
                Is.EquivalentTo(Table.Select(c => (c.Function, c.N, c.Scale))));
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void ReachesTheReportedMinimumWithinTheApprovedEvaluations(object testCase)
    {
        var c = (Case)testCase;
        var problem = new MghProblem(c.Function, c.N, c.M);
        var x0 = problem.StartingPoint().Select(v => v * c.Scale).ToArray();
        var result = new LevenbergMarquardtSolver(new LevenbergMarquardtOptions { MaxIterations = 5000 }).Solve(problem, x0);
        double f = result.ResidualSumOfSquares;
        TestContext.Out.WriteLine($"{c}: f = {f:G9}, {result.FunctionEvaluations} residual / {result.JacobianEvaluations} Jacobian evaluations " +
                                  $"(MINPACK lmder: {c.MinpackEvaluations} / {c.MinpackJacobians}); {result.Message}");

        Assert.Multiple(() =>
        {
            switch (c.Outcome)
            {
                case Outcome.NoConvergence:
                    Assert.That(result.Converged, Is.False, "must not claim convergence");
                    Assert.That(result.Status, Is.EqualTo(LevenbergMarquardtStatus.MaxIterationsReached));
                    break;
                case Outcome.Asymptotic:
                    Assert.That(result.Converged, Is.True, result.Message);
                    // The parameters are large but finite, so the value sits just above the infimum.
                    double asymptote = ExpectedAsymptote(c);
                    Assert.That(f, Is.GreaterThanOrEqualTo(asymptote * (1 - 1e-12)).And.LessThanOrEqualTo(asymptote * (1 + 1e-5)));
                    break;
                default:
                    Assert.That(result.Converged, Is.True, result.Message);
                    if (c.Expected == 0)
                    {
                        Assert.That(f, Is.LessThan(1e-20));
                    }
                    else
                    {
                        // The paper prints 6 significant digits: agreement to a half unit in the 6th digit.
                        Assert.That(Math.Abs(f - c.Expected), Is.LessThanOrEqualTo(5e-6 * c.Expected + 1e-12 * c.Expected));
                        Assert.That(GradientCosine(problem, result.Parameters), Is.LessThan(1e-6), "stationary");
                    }

                    break;
            }

            Assert.That(result.FunctionEvaluations, Is.LessThanOrEqualTo(c.ApprovedEvaluations), "residual evaluations above the approved count");
            Assert.That(result.JacobianEvaluations, Is.LessThanOrEqualTo(c.ApprovedJacobians), "Jacobian evaluations above the approved count");
        });
    }

    /// <summary>max_j |Jⱼᵀf| / (‖Jⱼ‖·‖f‖): 0 at a stationary point.</summary>
    private static double GradientCosine(MghProblem problem, double[] x)
    {
        int m = problem.ResidualCount;
        int n = problem.ParameterCount;
        var f = new double[m];
        var jacobian = new double[m * n];
        problem.Residuals(x, f);
        problem.Jacobian(x, jacobian);
        double fnorm = Math.Sqrt(f.Sum(v => v * v));
        double worst = 0;
        for (int j = 0; j < n; j++)
        {
            double g = 0;
            double norm = 0;
            for (int i = 0; i < m; i++)
            {
                g += jacobian[(i * n) + j] * f[i];
                norm += jacobian[(i * n) + j] * jacobian[(i * n) + j];
            }

            if (norm > 0 && fnorm > 0)
            {
                worst = Math.Max(worst, Math.Abs(g) / Math.Sqrt(norm) / fnorm);
            }
        }

        return worst;
    }

    /// <summary>
    /// Infima approached as parameters run off to infinity, computed here independently of the solver:
    /// <list type="bullet">
    /// <item>Bard from 10·x0 (the paper's 17.4286 at (0.8406, −∞, −∞)): x2, x3 → −∞ removes uᵢ/(vᵢx2 + wᵢx3), leaving
    /// Σ (yᵢ − x1)², least at the mean of y.</item>
    /// <item>Beale from 10·x0: x1 → −∞, x2 → 1 with c = x1(1 − x2) fixed leaves (1.5 − c)² + (2.25 − 2c)² + (2.625 − 3c)², least at c = 27.75/28.</item>
    /// <item>Jennrich–Sampson from 10·x0: x1 → −∞ removes e^(i·x1), leaving Σ (2 + 2i − e^(i·x2))², minimised over x2.</item>
    /// <item>Box 3-D from 10·x0: x2 → +∞ removes e^(−t·x2), leaving Σ (e^(−t·x1) − x3·(e^(−t) − e^(−10t)))², minimised over x1 (x3 by linear least squares).</item>
    /// <item>Osborne 2 from 10·x0: the three Gaussians start centred at 20, 45, 55 with widths 30, 50, 70, so they (and their
    /// gradients) vanish to 0 on t ∈ [0, 6.4]; what is left is y ≈ x1·e^(−t·x5), minimised over x5 (x1 linear).</item>
    /// </list>
    /// </summary>
    private static double ExpectedAsymptote(Case c)
    {
        switch (c.Function)
        {
            case MghFunction.Beale:
                {
                    double t = 27.75 / 28;
                    return Square(1.5 - t) + Square(2.25 - (2 * t)) + Square(2.625 - (3 * t));
                }

            case MghFunction.Bard:
                {
                    var problem = new MghProblem(MghFunction.Bard, 3, 15);
                    var y = new double[15];
                    problem.Residuals([0, 1e300, 1e300], y);
                    double mean = y.Average();
                    return y.Sum(v => Square(v - mean));
                }

            case MghFunction.JennrichSampson:
                return GoldenSection(x2 => Enumerable.Range(1, 10).Sum(i => Square(2 + (2 * i) - Math.Exp(i * x2))), 0, 1);

            case MghFunction.Box3D:
                return GoldenSection(x1 =>
                {
                    double[] t = Enumerable.Range(1, 10).Select(i => 0.1 * i).ToArray();
                    double[] a = t.Select(ti => Math.Exp(-ti * x1)).ToArray();
                    double[] b = t.Select(ti => Math.Exp(-ti) - Math.Exp(-10 * ti)).ToArray();
                    double x3 = a.Zip(b, (u, v) => u * v).Sum() / b.Sum(v => v * v);
                    return a.Zip(b, (u, v) => Square(u - (x3 * v))).Sum();
                }, 0, 5);

            case MghFunction.Osborne2:
                return GoldenSection(x5 =>
                {
                    double[] y = Osborne2Data();
                    double[] e = Enumerable.Range(0, 65).Select(i => Math.Exp(-i / 10.0 * x5)).ToArray();
                    double x1 = y.Zip(e, (u, v) => u * v).Sum() / e.Sum(v => v * v);
                    return y.Zip(e, (u, v) => Square(u - (x1 * v))).Sum();
                }, 0, 2);

            default:
                throw new InvalidOperationException(c.ToString());
        }
    }

    private static double[] Osborne2Data()
    {
        // y from the residuals at x = 0 (every model term vanishes there): rᵢ = yᵢ.
        var problem = new MghProblem(MghFunction.Osborne2, 11, 65);
        var y = new double[65];
        problem.Residuals(new double[11], y);
        return y;
    }

    private static double Square(double x) => x * x;

    /// <summary>Golden-section search for the minimum value of a unimodal function on [a, b].</summary>
    private static double GoldenSection(Func<double, double> f, double a, double b)
    {
        double ratio = (Math.Sqrt(5) - 1) / 2;
        double c = b - (ratio * (b - a));
        double d = a + (ratio * (b - a));
        for (int iteration = 0; iteration < 200 && b - a > 1e-13 * (1 + Math.Abs(a)); iteration++)
        {
            if (f(c) < f(d))
            {
                b = d;
            }
            else
            {
                a = c;
            }

            c = b - (ratio * (b - a));
            d = a + (ratio * (b - a));
        }

        return f((a + b) / 2);
    }
}
