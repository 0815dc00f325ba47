namespace SuperSpace.Simd.Tests.Polynomials;

/// <summary>Every misuse of SuperPlane.Fit throws an ArgumentException (naming the sample where there is one) before any work, and leaves the caller's data untouched.</summary>
[TestFixture]
public sealed class SuperPlaneFitInputTests
{
    private static readonly MonomialBasis Basis = new(2, 2);

    private static double[] Points() => [0, 1, 1, 2, 2, 0, 3, 1, 4, 4, 5, 2, 1, 1];

    private static double[] Targets() => [1, 2, 3, 4, 5, 6, 7];

    private static IEnumerable<TestCaseData> Misuses()
    {
        yield return Case("points not a multiple of VariableCount", Points()[..13], Targets(), null, "points");
        yield return Case("no samples", [], [], null, "points");
        yield return Case("targets too short", Points(), Targets()[..6], null, "targets");
        yield return Case("NaN in points", Set(Points(), 7, double.NaN), Targets(), null, "points", "sample 3");
        yield return Case("infinity in points", Set(Points(), 0, double.NegativeInfinity), Targets(), null, "points", "sample 0");
        yield return Case("NaN in targets", Points(), Set(Targets(), 5, double.NaN), null, "targets", "sample 5");
        yield return Case("negative ridge", Points(), Targets(), new SuperPlaneFitOptions { Ridge = -1 }, "options", "Ridge");
        yield return Case("NaN ridge", Points(), Targets(), new SuperPlaneFitOptions { Ridge = double.NaN }, "options", "Ridge");
        yield return Case("weights too short", Points(), Targets(), new SuperPlaneFitOptions { Weights = new double[6] }, "options", "Weights");
        yield return Case("negative weight", Points(), Targets(), new SuperPlaneFitOptions { Weights = Set(Ones(7), 4, -1) }, "options", "sample 4");
        yield return Case("NaN weight", Points(), Targets(), new SuperPlaneFitOptions { Weights = Set(Ones(7), 2, double.NaN) }, "options", "sample 2");
        yield return Case("all weights zero", Points(), Targets(), new SuperPlaneFitOptions { Weights = new double[7] }, "options", "all zero");
        yield return Case("parallelism 0", Points(), Targets(), new SuperPlaneFitOptions { MaxDegreeOfParallelism = 0 }, "options", "MaxDegreeOfParallelism");
        yield return Case("unknown method", Points(), Targets(), new SuperPlaneFitOptions { Method = (LeastSquaresMethod)9 }, "options", "Method");
        yield return Case("unknown backend", Points(), Targets(), new SuperPlaneFitOptions { Backend = (ComputeBackend)9 }, "options", "Backend");
        yield return Case("condition limit below 1", Points(), Targets(), new SuperPlaneFitOptions { MaxNormalEquationsCondition = 0.5 }, "options", "MaxNormalEquationsCondition");
        yield return Case("rank tolerance 1", Points(), Targets(), new SuperPlaneFitOptions { RankTolerance = 1 }, "options", "RankTolerance");
    }

    private static TestCaseData Case(string name, double[] points, double[] targets, SuperPlaneFitOptions? options, string parameter, string? mention = null) =>
        new TestCaseData(points, targets, options, parameter, mention).SetName("Rejects " + name);

    private static double[] Set(double[] values, int index, double value)
    {
        values[index] = value;
        return values;
    }

    private static double[] Ones(int n) => Enumerable.Repeat(1.0, n).ToArray();

    [TestCaseSource(nameof(Misuses))]
    public void RejectsMisuseBeforeAnyWork(double[] points, double[] targets, SuperPlaneFitOptions? options, string parameter, string? mention)
    {
        double[] pointsCopy = (double[])points.Clone();
        double[] targetsCopy = (double[])targets.Clone();
        double[]? weightsCopy = options?.Weights.ToArray();
        var error = Assert.Catch<ArgumentException>(() => SuperPlane.Fit(points, targets, Basis, options));
        Assert.Multiple(() =>
        {
            Assert.That(error!.ParamName, Is.EqualTo(parameter));
            if (mention is not null)
            {
                Assert.That(error.Message, Does.Contain(mention));
            }

            Assert.That(points, Is.EqualTo(pointsCopy));
            Assert.That(targets, Is.EqualTo(targetsCopy));
            if (weightsCopy is not null)
            {
                Assert.That(options!.Weights.ToArray(), Is.EqualTo(weightsCopy));
            }
        });
    }

    [Test]
    public void RejectsNullBasisAndBadOutputCount()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentNullException>(() => SuperPlane.Fit(Points(), Targets(), null!));
            Assert.Throws<ArgumentOutOfRangeException>(() => SuperPlane.Fit(Points(), Targets(), 0, Basis));
            Assert.Throws<ArgumentException>(() => SuperPlane.Fit(Points(), Targets(), 2, Basis));
        });
    }

    [Test]
    public void BasesTooLargeToFactorAreRejectedAndTooManyMomentsMeanQr()
    {
        // 50 variables at degree 3: 23,426 terms, a 4.4 GB factor.
        var huge = new MonomialBasis(50, 3);
        var error = Assert.Throws<ArgumentException>(() => SuperPlane.Fit(new double[50], new double[1], huge));
        Assert.That(error!.ParamName, Is.EqualTo("basis"));

        // 45 variables at degree 3: 17,296 terms but 18 million moments of degree ≤ 6.
        var wide = new MonomialBasis(45, 3);
        Assert.Multiple(() =>
        {
            Assert.That(SuperSpace.Simd.Polynomials.PlaneFitter.Choose(LeastSquaresMethod.Auto, 1_000_000_000, wide), Is.EqualTo(LeastSquaresMethod.Qr));
            Assert.That(SuperSpace.Simd.Polynomials.PlaneFitter.Choose(LeastSquaresMethod.Auto, 1_000_000_000, new MonomialBasis(8, 3)),
                        Is.EqualTo(LeastSquaresMethod.NormalEquations));
            Assert.Throws<ArgumentException>(() => _ = new SuperPlaneAccumulator(wide));
        });
    }

    [Test]
    public void NativeBackendWhenMissingThrowsNotSupportedWithTheTrace()
    {
        try
        {
            var fit = SuperPlane.Fit(Points(), Targets(), Basis, new SuperPlaneFitOptions { Backend = ComputeBackend.Native });
            Assert.That(fit.Backend, Is.EqualTo(ComputeBackend.Native), "when the native shim is present the fit runs on it");
        }
        catch (NotSupportedException error)
        {
            Assert.That(error.Message, Is.Not.Empty);
        }
    }
}
