namespace SuperSpace.Simd.Tests.Polynomials;

/// <summary>Chunked and merged moments give the one-shot fit (the map-reduce contract).</summary>
[TestFixture]
public sealed class SuperPlaneAccumulatorTests
{
    private static (double[] X, double[] Y, double[] W) Data(int seed, int n, int v, int k = 1)
    {
        var random = new Random(seed);
        double[] x = FitTestData.Points(random, n, v, -1, 3);
        var y = new double[n * k];
        for (int i = 0; i < n; i++)
        {
            for (int r = 0; r < k; r++)
            {
                y[(i * k) + r] = Math.Sin(x[i * v] + r) + (x[(i * v) + v - 1] * x[i * v]) + (0.1 * random.NextDouble());
            }
        }

        double[] w = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2).ToArray();
        return (x, y, w);
    }

    [Test]
    [Category("Simd")]
    public void ChunksMergedInAnyTreeEqualTheOneShotFit()
    {
        var basis = new MonomialBasis(3, 3);
        var (x, y, w) = Data(1, 3000, 3);
        var options = new SuperPlaneFitOptions { Method = LeastSquaresMethod.NormalEquations, Weights = w };
        var oneShot = SuperPlane.Fit(x, y, basis, options);

        // Three workers, each with its own standardisation from its first chunk; merged pairwise.
        var workers = new[] { new SuperPlaneAccumulator(basis), new SuperPlaneAccumulator(basis), new SuperPlaneAccumulator(basis) };
        int[] cuts = [0, 500, 1200, 1201, 2200, 3000];
        for (int c = 0; c + 1 < cuts.Length; c++)
        {
            int start = cuts[c], end = cuts[c + 1];
            workers[c % 3].Add(x.AsSpan(start * 3, (end - start) * 3), y.AsSpan(start, end - start), w.AsSpan(start, end - start));
        }

        workers[1].Merge(workers[2]);
        workers[0].Merge(workers[1]);
        SuperPlaneFit merged = workers[0].Solve();
        Assert.Multiple(() =>
        {
            Assert.That(workers[0].SampleCount, Is.EqualTo(3000));
            Assert.That(merged.Method, Is.EqualTo(LeastSquaresMethod.NormalEquations));
            Assert.That(FitTestData.MaxRelativeError(merged.Plane.Coefficients, oneShot.Plane.Coefficients.ToArray()), Is.LessThan(1e-10));
            Assert.That(merged.ResidualSumOfSquares, Is.EqualTo(oneShot.ResidualSumOfSquares).Within(1e-8).Percent);
            Assert.That(merged.RSquared, Is.EqualTo(oneShot.RSquared).Within(1e-12));
            Assert.That(merged.DegreesOfFreedom, Is.EqualTo(oneShot.DegreesOfFreedom));
            for (int t = 0; t < basis.TermCount; t++)
            {
                Assert.That(merged.StandardErrors[t], Is.EqualTo(oneShot.StandardErrors[t]).Within(1e-7).Percent);
            }
        });
    }

    [Test]
    public void GivenStandardisationAndSeveralOutputs()
    {
        var basis = new MonomialBasis(2, 4);
        var (x, y, _) = Data(2, 2000, 2, k: 2);
        var accumulator = new SuperPlaneAccumulator(basis, [1, 1], [1.2, 1.2], outputCount: 2);
        for (int start = 0; start < 2000; start += 256)
        {
            int count = Math.Min(256, 2000 - start);
            accumulator.Add(x.AsSpan(start * 2, count * 2), y.AsSpan(start * 2, count * 2), default, maxDegreeOfParallelism: -1);
        }

        SuperPlaneFit[] fits = accumulator.SolveAll();
        SuperPlaneFit[] oneShot = SuperPlane.Fit(x, y, 2, basis, new SuperPlaneFitOptions { Method = LeastSquaresMethod.NormalEquations });
        Assert.Multiple(() =>
        {
            Assert.That(accumulator.Center, Is.EqualTo(new[] { 1.0, 1.0 }));
            for (int r = 0; r < 2; r++)
            {
                Assert.That(FitTestData.MaxRelativeError(fits[r].Plane.Coefficients, oneShot[r].Plane.Coefficients.ToArray()), Is.LessThan(1e-9));
            }
        });
    }

    [Test]
    public void RidgeFromMomentsMatchesTheOneShotRidge()
    {
        var basis = new MonomialBasis(2, 3);
        var (x, y, _) = Data(3, 500, 2);
        var accumulator = new SuperPlaneAccumulator(basis);
        accumulator.Add(x, y);
        var fromMoments = accumulator.Solve(new SuperPlaneFitOptions { Ridge = 4 });
        var oneShot = SuperPlane.Fit(x, y, basis, new SuperPlaneFitOptions { Ridge = 4, Method = LeastSquaresMethod.NormalEquations });
        Assert.That(FitTestData.MaxRelativeError(fromMoments.Plane.Coefficients, oneShot.Plane.Coefficients.ToArray()), Is.LessThan(1e-10));
    }

    [Test]
    public void RankDeficientMomentsGiveTheMinimumNormSolutionWithoutNaN()
    {
        var basis = new MonomialBasis(2, 1);
        var random = new Random(4);
        double[] x0 = FitTestData.Points(random, 50, 1);
        double[] x = x0.SelectMany(v => new[] { v, v }).ToArray();
        double[] y = x0.Select(v => 2 - v).ToArray();
        var accumulator = new SuperPlaneAccumulator(basis);
        accumulator.Add(x, y);
        var fit = accumulator.Solve();
        Assert.Multiple(() =>
        {
            Assert.That(fit.Status, Is.EqualTo(SuperPlaneFitStatus.RankDeficient));
            Assert.That(fit.Rank, Is.EqualTo(2));
            Assert.That(fit.Plane.Coefficients[0], Is.EqualTo(2).Within(1e-7));
            Assert.That(fit.Plane.Coefficients[1], Is.EqualTo(-0.5).Within(1e-7));
            Assert.That(fit.Plane.Coefficients[2], Is.EqualTo(-0.5).Within(1e-7));
            Assert.That(fit.StandardErrors, Has.All.Matches<double>(double.IsFinite));
            Assert.That(fit.Message, Does.Contain("pivoted Cholesky"));
        });
    }

    [Test]
    public void MisuseIsRejectedAndFailedAddsAddNothing()
    {
        var basis = new MonomialBasis(2, 2);
        var accumulator = new SuperPlaneAccumulator(basis);
        Assert.Throws<InvalidOperationException>(() => accumulator.Solve());
        accumulator.Add([], []);
        Assert.That(accumulator.SampleCount, Is.Zero);

        var error = Assert.Throws<ArgumentException>(() => accumulator.Add([1, 2, 3, double.NaN], [1, 2]));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("sample 1"));
            Assert.That(accumulator.SampleCount, Is.Zero);
            Assert.That(accumulator.Center, Is.Empty);
            Assert.Throws<ArgumentException>(() => accumulator.Add([1, 2, 3], [1]));
            Assert.Throws<ArgumentException>(() => accumulator.Add([1, 2], [1, 2]));
            Assert.Throws<ArgumentException>(() => accumulator.Add([1, 2], [1], [-1]));
            Assert.Throws<ArgumentException>(() => accumulator.Add([1, 2], [1], [1, 1]));
            Assert.Throws<ArgumentException>(() => accumulator.Merge(new SuperPlaneAccumulator(new MonomialBasis(2, 3))));
            Assert.Throws<ArgumentException>(() => accumulator.Merge(accumulator));
            Assert.Throws<ArgumentException>(() => _ = new SuperPlaneAccumulator(basis, [0, 0], [1, 0]));
            Assert.Throws<ArgumentException>(() => _ = new SuperPlaneAccumulator(new MonomialBasis(2, 2, false), [1, 0], [1, 1]));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SuperPlaneAccumulator(basis, 0));
        });

        accumulator.Add([1, 2, 3, 4, 5, 7, 2, 2, 0, 1, 4, 4], [1, 2, 3, 4, 5, 6]);
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => accumulator.Solve(new SuperPlaneFitOptions { Method = LeastSquaresMethod.Qr }));
            Assert.Throws<ArgumentException>(() => accumulator.Solve(new SuperPlaneFitOptions { Weights = new double[6] }));
            Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.Solve(new SuperPlaneFitOptions { Ridge = -1 }));
        });
    }
}
