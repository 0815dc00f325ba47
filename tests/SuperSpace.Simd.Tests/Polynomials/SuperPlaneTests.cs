namespace SuperSpace.Simd.Tests.Polynomials;

/// <summary>The SuperPlane type: batch evaluation (SIMD, parallel, allocation-free), terms, importance, arithmetic.</summary>
[TestFixture]
public sealed class SuperPlaneTests
{
    private static IEnumerable<TestCaseData> EvaluateShapes()
    {
        foreach (var (v, d, constant) in new[] { (1, 0, true), (1, 7, true), (3, 3, true), (3, 3, false), (8, 3, true), (5, 5, false) })
        {
            foreach (int n in new[] { 0, 1, 7, 31, 32, 33, 100, 1000 })
            {
                yield return new TestCaseData(v, d, constant, n);
            }
        }
    }

    [TestCaseSource(nameof(EvaluateShapes))]
    [Category("Simd")]
    public void BatchEvaluateMatchesTheDefinitionAtEveryLength(int v, int degree, bool constant, int n)
    {
        var random = new Random((v * 100) + (degree * 10) + n);
        var basis = new MonomialBasis(v, degree, constant);
        double[] c = FitTestData.Coefficients(random, basis.TermCount);
        double[] x = FitTestData.Points(random, n, v, -1.5, 1.5);
        var plane = new SuperPlane(basis, c);
        var batch = new double[n];
        plane.Evaluate(x, batch, 1);
        double[] expected = FitTestData.Evaluate(basis, c, x);
        for (int i = 0; i < n; i++)
        {
            double scale = 0;
            Assert.That(batch[i], Is.EqualTo(expected[i]).Within(1e-13 * Math.Max(1, Math.Abs(expected[i]) + SumAbs(c, ref scale))), $"sample {i}");
            Assert.That(plane.Evaluate(x.AsSpan(i * v, v)), Is.EqualTo(batch[i]).Within(1e-13 * Math.Max(1, Math.Abs(batch[i]))));
        }
    }

    private static double SumAbs(double[] c, ref double scale)
    {
        foreach (double value in c)
        {
            scale += Math.Abs(value);
        }

        return scale;
    }

    [Test]
    [Category("Simd")]
    public void ParallelEvaluateIsBitwiseTheSingleThreadedOne()
    {
        var random = new Random(1);
        var basis = new MonomialBasis(6, 4);
        var plane = new SuperPlane(basis, FitTestData.Coefficients(random, basis.TermCount));
        double[] x = FitTestData.Points(random, 20_011, 6);
        var one = new double[20_011];
        var all = new double[20_011];
        var auto = new double[20_011];
        plane.Evaluate(x, one, 1);
        plane.Evaluate(x, all, -1);
        plane.Evaluate(x, auto);
        Assert.Multiple(() =>
        {
            Assert.That(all, Is.EqualTo(one));
            Assert.That(auto, Is.EqualTo(one));
        });
    }

    [Test]
    public void SingleThreadedBatchEvaluateAllocatesNothing()
    {
        var random = new Random(2);
        var basis = new MonomialBasis(4, 3);
        var plane = new SuperPlane(basis, FitTestData.Coefficients(random, basis.TermCount));
        double[] x = FitTestData.Points(random, 5000, 4);
        var y = new double[5000];
        plane.Evaluate(x, y, 1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int r = 0; r < 5; r++)
        {
            plane.Evaluate(x, y, 1);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void EvaluateRejectsBadInputAndWritesNothing()
    {
        var plane = new SuperPlane(new MonomialBasis(2, 2), [1, 2, 3, 4, 5, 6]);
        double[] x = [1, 2, 3, 4, 5, double.NaN];
        var y = new double[3];
        y.AsSpan().Fill(-7);
        var error = Assert.Throws<ArgumentException>(() => plane.Evaluate(x, y));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("sample 2").And.Contain("variable 1"));
            Assert.That(y, Has.All.EqualTo(-7));
            Assert.Throws<ArgumentException>(() => plane.Evaluate(new double[5], new double[2]));
            Assert.Throws<ArgumentException>(() => plane.Evaluate(new double[6], new double[2]));
            Assert.Throws<ArgumentOutOfRangeException>(() => plane.Evaluate(new double[6], new double[3], 0));
        });
    }

    [Test]
    public void TermsListIndexExponentsNameAndCoefficient()
    {
        var plane = new SuperPlane(new MonomialBasis(2, 2), [1, 2, 3, 4, 5, 6]);
        var terms = plane.Terms;
        Assert.Multiple(() =>
        {
            Assert.That(terms.Select(t => t.Name), Is.EqualTo(new[] { "1", "x0", "x1", "x0^2", "x0*x1", "x1^2" }));
            Assert.That(terms.Select(t => t.Coefficient), Is.EqualTo(new double[] { 1, 2, 3, 4, 5, 6 }));
            Assert.That(terms[4].Exponents, Is.EqualTo(new[] { 1, 1 }));
            Assert.That(terms[5].Degree, Is.EqualTo(2));
            Assert.That(terms[3].Index, Is.EqualTo(3));
        });
    }

    // A large coefficient on a small monomial matters less than a small coefficient on a large one.
    [Test]
    public void RankTermsUsesCoefficientTimesRootMeanSquare()
    {
        var plane = new SuperPlane(new MonomialBasis(1, 2), [0.5, 100, 1]);
        double[] x = [0.01, -0.02, 0.03, 10, 20];
        var ranked = plane.RankTerms(x);
        double rms1 = Math.Sqrt(x.Sum(v => v * v) / 5);
        double rms2 = Math.Sqrt(x.Sum(v => Math.Pow(v, 4)) / 5);
        Assert.Multiple(() =>
        {
            Assert.That(ranked.Select(r => r.Term.Name), Is.EqualTo(new[] { "x0", "x0^2", "1" }));
            Assert.That(ranked[0].Importance, Is.EqualTo(100 * rms1).Within(1e-12).Percent);
            Assert.That(ranked[1].Importance, Is.EqualTo(rms2).Within(1e-12).Percent);
            Assert.That(ranked[2].RootMeanSquare, Is.EqualTo(1));
            Assert.That(ranked.Sum(r => r.Share), Is.EqualTo(1).Within(1e-14));
            Assert.Throws<ArgumentException>(() => plane.RankTerms([]));
            Assert.Throws<ArgumentException>(() => plane.RankTerms([double.PositiveInfinity]));
        });

        var swapped = new SuperPlane(new MonomialBasis(1, 2), [0.5, 0.001, 1]);
        Assert.That(swapped.RankTerms(x)[0].Term.Name, Is.EqualTo("x0^2"));
    }

    [Test]
    public void AddSubtractAndScaleAcrossDegreesAndConstants()
    {
        var random = new Random(3);
        var a = new SuperPlane(new MonomialBasis(2, 2), FitTestData.Coefficients(random, 6));
        var b = new SuperPlane(new MonomialBasis(2, 3, includeConstant: false), FitTestData.Coefficients(random, 9));
        double[] x = FitTestData.Points(random, 20, 2);
        var ya = new double[20];
        var yb = new double[20];
        var ys = new double[20];
        a.Evaluate(x, ya);
        b.Evaluate(x, yb);

        SuperPlane sum = a + b;
        SuperPlane difference = a - b;
        SuperPlane scaled = 2.5 * a;
        Assert.Multiple(() =>
        {
            Assert.That(sum.Basis.Degree, Is.EqualTo(3));
            Assert.That(sum.Basis.IncludesConstant, Is.True);
            sum.Evaluate(x, ys);
            Assert.That(FitTestData.MaxRelativeError(ys, ya.Zip(yb, (p, q) => p + q).ToArray()), Is.LessThan(1e-14));
            difference.Evaluate(x, ys);
            Assert.That(FitTestData.MaxRelativeError(ys, ya.Zip(yb, (p, q) => p - q).ToArray()), Is.LessThan(1e-14));
            scaled.Evaluate(x, ys);
            Assert.That(FitTestData.MaxRelativeError(ys, ya.Select(p => 2.5 * p).ToArray()), Is.LessThan(1e-15));
            Assert.Throws<ArgumentException>(() => a.Add(new SuperPlane(new MonomialBasis(3, 1), new double[4])));
            Assert.Throws<ArgumentException>(() => a.Multiply(double.NaN));
        });
    }
}
