using SuperSpace.Simd.Tests.Solvers.Problems;

namespace SuperSpace.Simd.Tests.Solvers;

/// <summary>
/// The Moré–Garbow–Hillstrom functions as coded here: analytic Jacobians against central
/// differences, and the residuals at the minimisers the paper states in closed form.
/// </summary>
[TestFixture]
public sealed class MghDataTests
{
    private static IEnumerable<TestCaseData> Cases() => MghCase.All.Select(c => new TestCaseData(c).SetArgDisplayNames(c.Name));

    [TestCaseSource(nameof(Cases))]
    public void AnalyticJacobianMatchesCentralDifferences(object testCase)
    {
        var c = (MghCase)testCase;
        var problem = c.Problem;
        var x0 = problem.StartingPoint();
        var random = new Random(7);
        var perturbed = x0.Select(v => v + (0.1 * (random.NextDouble() - 0.5) * Math.Max(Math.Abs(v), 1))).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(JacobianCheck.MaxRelativeError(problem, x0.Select(v => v + 0.01).ToArray()), Is.LessThan(1e-6), "near x0");
            Assert.That(JacobianCheck.MaxRelativeError(problem, perturbed), Is.LessThan(1e-6), "perturbed");
        });
    }

    private static double SumOfSquares(MghProblem problem, double[] x)
    {
        var f = new double[problem.ResidualCount];
        problem.Residuals(x, f);
        return f.Sum(v => v * v);
    }

    [Test]
    public void ClosedFormMinimisersGiveZero()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SumOfSquares(new(MghFunction.Rosenbrock, 2, 2), [1, 1]), Is.Zero);
            Assert.That(SumOfSquares(new(MghFunction.FreudensteinRoth, 2, 2), [5, 4]), Is.Zero);
            Assert.That(SumOfSquares(new(MghFunction.BrownBadlyScaled, 2, 3), [1e6, 2e-6]), Is.Zero);
            Assert.That(SumOfSquares(new(MghFunction.Beale, 2, 3), [3, 0.5]), Is.Zero);
            Assert.That(SumOfSquares(new(MghFunction.HelicalValley, 3, 3), [1, 0, 0]), Is.Zero);
            Assert.That(SumOfSquares(new(MghFunction.Box3D, 3, 10), [1, 10, 1]), Is.LessThan(1e-30));
            Assert.That(SumOfSquares(new(MghFunction.PowellSingular, 4, 4), [0, 0, 0, 0]), Is.Zero);
            Assert.That(SumOfSquares(new(MghFunction.Wood, 4, 6), [1, 1, 1, 1]), Is.Zero);
            Assert.That(SumOfSquares(new(MghFunction.BiggsExp6, 6, 13), [1, 10, 1, 5, 4, 3]), Is.LessThan(1e-30));
            Assert.That(SumOfSquares(new(MghFunction.ExtendedRosenbrock, 10, 10), Enumerable.Repeat(1.0, 10).ToArray()), Is.Zero);
            Assert.That(SumOfSquares(new(MghFunction.BrownAlmostLinear, 10, 10), Enumerable.Repeat(1.0, 10).ToArray()), Is.Zero);
            Assert.That(SumOfSquares(new(MghFunction.Trigonometric, 10, 10), new double[10]), Is.Zero);
            // Freudenstein–Roth's local minimum and Brown almost-linear's (0, …, 0, n + 1).
            Assert.That(SumOfSquares(new(MghFunction.FreudensteinRoth, 2, 2), [11.4128, -0.896805]), Is.EqualTo(48.9842).Within(1e-4));
            var corner = new double[10];
            corner[9] = 11;
            Assert.That(SumOfSquares(new(MghFunction.BrownAlmostLinear, 10, 10), corner), Is.EqualTo(1));
        });
    }
}
