using SuperSpace.Simd.Tests.Solvers.Problems;

namespace SuperSpace.Simd.Tests.Solvers;

/// <summary>
/// Box bounds: MGH problems with the bounds of Gay (1984), whose constrained minima are tabulated by
/// Neumaier (http://www.mat.univie.ac.at/~neum/glopt/bounds.html, as quoted in Ceres' more_garbow_hillstrom.cc).
/// Every point the solver evaluates — trial points, finite-difference probes, geodesic probes — must lie
/// in the box, not just the returned one.
/// </summary>
[TestFixture]
public sealed class LevenbergMarquardtBoundsTests
{
    /// <summary>Records every parameter vector the solver passes to the problem.</summary>
    private sealed class Recording<TProblem>(TProblem inner) : ILeastSquaresProblem where TProblem : ILeastSquaresProblem
    {
        public List<double[]> Points { get; } = [];

        public int ParameterCount => inner.ParameterCount;

        public int ResidualCount => inner.ResidualCount;

        public void Residuals(ReadOnlySpan<double> parameters, Span<double> residuals)
        {
            lock (Points)
            {
                Points.Add(parameters.ToArray());
            }

            inner.Residuals(parameters, residuals);
        }

        public bool Jacobian(ReadOnlySpan<double> parameters, Span<double> jacobian)
        {
            lock (Points)
            {
                Points.Add(parameters.ToArray());
            }

            return inner.Jacobian(parameters, jacobian);
        }
    }

    internal sealed record BoundedCase(MghFunction Function, int N, int M, double[] Lower, double[] Upper, double ConstrainedMinimum, int Digits = 8)
    {
        public override string ToString() => $"{Function}(n={N},m={M})";
    }

    private static readonly BoundedCase[] Cases =
    [
        // Two entries carry only 6 significant digits (the table pads them with zeros: 1.51259e-10, 1.12793e-8).
        new(MghFunction.PowellBadlyScaled, 2, 2, [0, 1], [1, 9], 0.15125900e-9, 6),
        new(MghFunction.BrownBadlyScaled, 2, 3, [0, 0.00003], [1000000, 100], 0.78400000e3),
        new(MghFunction.Beale, 2, 3, [0.6, 0.5], [10, 100], 0),
        new(MghFunction.HelicalValley, 3, 3, [-100, -1, -1], [0.8, 1, 1], 0.99042212),
        new(MghFunction.Gaussian, 3, 15, [0.398, 1, -0.5], [4.2, 2, 0.1], 0.11279300e-7, 6),
        new(MghFunction.Wood, 4, 6, [-100, -100, -100, -100], [0, 10, 100, 100], 0.15567008e1),
        new(MghFunction.BrownDennis, 4, 20, [-10, 0, -100, -20], [100, 15, 0, 0.2], 0.88860479e5),
        new(MghFunction.BiggsExp6, 6, 13, [0, 0, 0, 1, 0, 0], [2, 8, 1, 7, 5, 5], 0.53209865e-3),
    ];

    private static IEnumerable<TestCaseData> Variants()
    {
        foreach (var c in Cases)
        {
            yield return new TestCaseData(c, "analytic").SetArgDisplayNames(c.ToString(), "analytic");
            yield return new TestCaseData(c, "central differences").SetArgDisplayNames(c.ToString(), "central differences");
            yield return new TestCaseData(c, "geodesic").SetArgDisplayNames(c.ToString(), "geodesic");
        }
    }

    /// <summary>The MGH problem with its Jacobian withheld (finite differences).</summary>
    private readonly struct WithoutJacobian(MghProblem inner) : ILeastSquaresProblem
    {
        public int ParameterCount => inner.ParameterCount;

        public int ResidualCount => inner.ResidualCount;

        public void Residuals(ReadOnlySpan<double> parameters, Span<double> residuals) => inner.Residuals(parameters, residuals);

        public bool Jacobian(ReadOnlySpan<double> parameters, Span<double> jacobian) => false;
    }

    [TestCaseSource(nameof(Variants))]
    public void ReachesTheConstrainedMinimumWithEveryEvaluationInTheBox(object testCase, string variant)
    {
        var c = (BoundedCase)testCase;
        var mgh = new MghProblem(c.Function, c.N, c.M);
        var options = new LevenbergMarquardtOptions
        {
            LowerBounds = c.Lower,
            UpperBounds = c.Upper,
            MaxIterations = 5000,
            FiniteDifferences = FiniteDifferenceScheme.Central,
            GeodesicAcceleration = variant == "geodesic",
        };
        var x0 = mgh.StartingPoint();
        LevenbergMarquardtResult result;
        List<double[]> points;
        if (variant == "central differences")
        {
            var recording = new Recording<WithoutJacobian>(new WithoutJacobian(mgh));
            result = new LevenbergMarquardtSolver(options).Solve(recording, x0);
            points = recording.Points;
        }
        else
        {
            var recording = new Recording<MghProblem>(mgh);
            result = new LevenbergMarquardtSolver(options).Solve(recording, x0);
            points = recording.Points;
        }

        TestContext.Out.WriteLine($"{c} {variant}: f = {result.ResidualSumOfSquares:G9} (constrained minimum {c.ConstrainedMinimum:G9}), {result.Message}");
        Assert.Multiple(() =>
        {
            Assert.That(result.Converged, Is.True, result.Message);
            for (int j = 0; j < c.N; j++)
            {
                Assert.That(points.Select(p => p[j]), Has.All.InRange(c.Lower[j], c.Upper[j]), $"parameter {j} left the box");
            }

            if (c.ConstrainedMinimum == 0)
            {
                Assert.That(result.ResidualSumOfSquares, Is.LessThan(1e-20));
            }
            else
            {
                // Agreement to a half unit in the last digit the table prints.
                double tolerance = 0.5 * Math.Pow(10, 1 - c.Digits) * c.ConstrainedMinimum;
                Assert.That(result.ResidualSumOfSquares, Is.EqualTo(c.ConstrainedMinimum).Within(tolerance));
            }
        });
    }

    [Test]
    public void AStartOutsideTheBoxIsProjectedIntoIt()
    {
        // Rosenbrock with x1 ≤ 0.5: the constrained minimum is at x1 = 0.5, x2 = 0.25 (f = (1 − 0.5)² = 0.25).
        var problem = new MghProblem(MghFunction.Rosenbrock, 2, 2);
        var recording = new Recording<MghProblem>(problem);
        var options = new LevenbergMarquardtOptions { LowerBounds = [-2, -2], UpperBounds = [0.5, 2] };
        var result = new LevenbergMarquardtSolver(options).Solve(recording, [3.0, 5.0]);
        Assert.Multiple(() =>
        {
            Assert.That(recording.Points[0], Is.EqualTo(new[] { 0.5, 2.0 }), "the first evaluation is at the projected start");
            Assert.That(result.Parameters, Is.EqualTo(new[] { 0.5, 0.25 }).Within(1e-12));
            Assert.That(result.ResidualSumOfSquares, Is.EqualTo(0.25).Within(1e-14));
            Assert.That(recording.Points.Select(p => p[0]), Has.All.LessThanOrEqualTo(0.5));
        });
    }

    [Test]
    public void EqualBoundsHoldAParameter()
    {
        var problem = new MghProblem(MghFunction.Rosenbrock, 2, 2);
        var options = new LevenbergMarquardtOptions { LowerBounds = [0.7, double.NegativeInfinity], UpperBounds = [0.7, double.PositiveInfinity] };
        var result = new LevenbergMarquardtSolver(options).Solve(problem, [-1.2, 1.0]);
        Assert.That(result.Parameters, Is.EqualTo(new[] { 0.7, 0.49 }).Within(1e-12));
    }
}
