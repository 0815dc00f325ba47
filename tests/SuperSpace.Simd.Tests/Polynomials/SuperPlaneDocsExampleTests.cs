namespace SuperSpace.Simd.Tests.Polynomials;

/// <summary>The code of docs/super-plane.md, kept compiling and running (with concrete data).</summary>
[TestFixture]
public sealed class SuperPlaneDocsExampleTests
{
    [Test]
    public void FitExampleRuns()
    {
        var random = new Random(1);
        int sampleCount = 1000;
        double[] points = FitTestData.Points(random, sampleCount, 3);
        double[] targets = Enumerable.Range(0, sampleCount).Select(i => Math.Exp(points[3 * i]) * points[(3 * i) + 1]).ToArray();
        double[] weights = Enumerable.Range(0, sampleCount).Select(_ => random.NextDouble()).ToArray();
        double[] threeTargets = Enumerable.Range(0, 3 * sampleCount).Select(i => targets[i / 3] + (i % 3)).ToArray();

        var basis = new MonomialBasis(variableCount: 3, degree: 4);
        SuperPlaneFit fit = SuperPlane.Fit(points, targets, basis);
        string summary = fit.ToString();
        string polynomial = fit.Plane.ToString();
        double[] se = fit.StandardErrors;
        double r2 = fit.RSquared;

        var predictions = new double[sampleCount];
        fit.Plane.Evaluate(points, predictions);
        var top = fit.Plane.RankTerms(points).Take(5).ToList();

        var ridge = SuperPlane.Fit(points, targets, basis, new SuperPlaneFitOptions
        {
            Method = LeastSquaresMethod.Qr,
            Ridge = 0.1,
            Weights = weights,
            MaxDegreeOfParallelism = 1,
        });
        SuperPlaneFit[] fits = SuperPlane.Fit(points, threeTargets, outputCount: 3, basis);

        var accumulator = new SuperPlaneAccumulator(basis, fit.Center.ToArray(), fit.Scale.ToArray());
        var right = new SuperPlaneAccumulator(basis, fit.Center.ToArray(), fit.Scale.ToArray());
        accumulator.Add(points.AsSpan(0, 1500), targets.AsSpan(0, 500));
        right.Add(points.AsSpan(1500), targets.AsSpan(500));
        accumulator.Merge(right);
        SuperPlaneFit merged = accumulator.Solve(new SuperPlaneFitOptions { Ridge = 0.01 });

        Assert.Multiple(() =>
        {
            Assert.That(summary, Does.StartWith("SuperPlaneFit(Qr, rank 35/35"));
            Assert.That(polynomial, Does.Contain("x0*x1"));
            Assert.That(se, Has.Length.EqualTo(35));
            Assert.That(r2, Is.GreaterThan(0.999));
            Assert.That(top, Has.Count.EqualTo(5));
            Assert.That(top[0].Term.Name, Is.EqualTo("x1"));
            Assert.That(ridge.Method, Is.EqualTo(LeastSquaresMethod.Qr));
            Assert.That(fits, Has.Length.EqualTo(3));
            Assert.That(merged.SampleCount, Is.EqualTo(1000));
            Assert.That(predictions[0], Is.EqualTo(targets[0]).Within(1e-2));
        });
    }
}
