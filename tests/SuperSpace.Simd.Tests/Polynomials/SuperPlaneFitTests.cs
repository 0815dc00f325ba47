using SuperSpace.Simd.Polynomials;

namespace SuperSpace.Simd.Tests.Polynomials;

[TestFixture]
public sealed class SuperPlaneFitTests
{
    private static readonly LeastSquaresMethod[] Methods = [LeastSquaresMethod.Qr, LeastSquaresMethod.NormalEquations];

    private static IEnumerable<TestCaseData> RecoveryShapes()
    {
        foreach (var (v, d) in new[] { (1, 5), (2, 5), (3, 4), (4, 3), (5, 2), (6, 3), (6, 5) })
        {
            foreach (var method in Methods)
            {
                yield return new TestCaseData(v, d, method).SetName($"Recovers_v{v}_D{d}_{method}");
            }
        }
    }

    // Noise-free data from a random polynomial: the least-squares solution is the polynomial itself, and
    // both paths must return it. Points in [−1, 2] (off-centre, so the standardisation and the exact
    // change of variables matter); 1e-9 of the largest coefficient.
    [TestCaseSource(nameof(RecoveryShapes))]
    public void RecoversKnownPolynomialsFromNoiseFreeData(int v, int degree, LeastSquaresMethod method)
    {
        var random = new Random((100 * v) + degree);
        var basis = new MonomialBasis(v, degree);
        int n = Math.Max(3 * basis.TermCount, 50);
        double[] x = FitTestData.Points(random, n, v, -1, 2);
        double[] truth = FitTestData.Coefficients(random, basis.TermCount);
        double[] y = FitTestData.Evaluate(basis, truth, x);

        var fit = SuperPlane.Fit(x, y, basis, new SuperPlaneFitOptions { Method = method });
        Assert.Multiple(() =>
        {
            Assert.That(fit.Method, Is.EqualTo(method));
            Assert.That(fit.FellBackToQr, Is.False);
            Assert.That(fit.Rank, Is.EqualTo(basis.TermCount));
            Assert.That(fit.Status, Is.EqualTo(SuperPlaneFitStatus.Success));
            Assert.That(FitTestData.MaxRelativeError(fit.Plane.Coefficients, truth), Is.LessThan(1e-9));
            Assert.That(fit.RSquared, Is.EqualTo(1).Within(1e-12));
        });
    }

    private static IEnumerable<TestCaseData> IllConditionedCases() =>
        Enumerable.Range(0, 3).Select(seed => new TestCaseData(seed).SetName($"DegreeTen_RawConditionAbove1e15_seed{seed}"));

    // One variable at degree 10 on x = 0, 0.5, …, 30 (61 points): the raw Vandermonde matrix has condition
    // ≈ 1e15–1e16 (numpy.linalg.cond; raw lstsq loses every digit). The polynomial Σ a_k (x/15)^k with
    // integer a_k in ±[1, 9] has coefficients spread over 12 orders of magnitude; rounding y to double
    // moves the exact least-squares solution by ≤ 1e-9 relative (80-digit check), so ≥ 7 correct
    // significant digits in every coefficient are attainable — and required.
    [TestCaseSource(nameof(IllConditionedCases))]
    [Category("Simd")]
    public void KeepsSevenDigitsOfEveryCoefficientWhenTheRawVandermondeIsIllConditioned(int seed)
    {
        var random = new Random(seed);
        var basis = new MonomialBasis(1, 10);
        double[] x = Enumerable.Range(0, 61).Select(i => 0.5 * i).ToArray();
        double[] truth = Enumerable.Range(0, 11)
            .Select(k => (random.Next(1, 10) * (random.Next(2) == 0 ? -1 : 1)) / Math.Pow(15, k)).ToArray();
        double[] y = x.Select(xi => Horner(truth, xi)).ToArray();

        // A lower bound on the raw condition number, from the pivoted QR of the raw Vandermonde matrix.
        Assert.That(RawConditionLowerBound(x, 11), Is.GreaterThan(1e13), "the test case must be ill-conditioned");

        foreach (var method in new[] { LeastSquaresMethod.Qr, LeastSquaresMethod.Auto })
        {
            var fit = SuperPlane.Fit(x, y, basis, new SuperPlaneFitOptions { Method = method });
            for (int k = 0; k <= 10; k++)
            {
                double relative = Math.Abs(fit.Plane.Coefficients[k] - truth[k]) / Math.Abs(truth[k]);
                Assert.That(relative, Is.LessThan(1e-7), $"{method}: coefficient of x^{k}: {fit.Plane.Coefficients[k]:R} vs {truth[k]:R}");
            }
        }
    }

    private static double Horner(double[] c, double x)
    {
        double s = 0;
        for (int k = c.Length - 1; k >= 0; k--)
        {
            s = (s * x) + c[k];
        }

        return s;
    }

    private static double RawConditionLowerBound(double[] x, int terms)
    {
        int m = x.Length;
        var a = new double[m * terms];
        for (int k = 0; k < terms; k++)
        {
            for (int i = 0; i < m; i++)
            {
                a[(k * m) + i] = Math.Pow(x[i], k);
            }
        }

        var perm = new int[terms];
        var tau = new double[terms];
        SuperSpace.Simd.LinearAlgebra.PivotedQr.Factor(a, m, terms, m, perm, tau, new double[SuperSpace.Simd.LinearAlgebra.PivotedQr.WorkspaceSize(m, terms)]);
        return Math.Abs(a[0]) / Math.Abs(a[((terms - 1) * m) + terms - 1]);
    }

    [Test]
    [Category("Simd")]
    public void QrAndNormalEquationsAgreeOnWellConditionedNoisyData()
    {
        var random = new Random(5);
        var basis = new MonomialBasis(4, 3);
        int n = 3000;
        double[] x = FitTestData.Points(random, n, 4);
        double[] y = Enumerable.Range(0, n).Select(i => Math.Sin(x[4 * i] + (2 * x[(4 * i) + 1])) + Math.Exp(x[(4 * i) + 3]) + (0.1 * (random.NextDouble() - 0.5))).ToArray();
        var qr = SuperPlane.Fit(x, y, basis, new SuperPlaneFitOptions { Method = LeastSquaresMethod.Qr });
        var ne = SuperPlane.Fit(x, y, basis, new SuperPlaneFitOptions { Method = LeastSquaresMethod.NormalEquations });
        Assert.Multiple(() =>
        {
            Assert.That(FitTestData.MaxRelativeError(ne.Plane.Coefficients, qr.Plane.Coefficients.ToArray()), Is.LessThan(1e-11));
            Assert.That(ne.ResidualSumOfSquares, Is.EqualTo(qr.ResidualSumOfSquares).Within(1e-10).Percent);
            Assert.That(ne.RSquared, Is.EqualTo(qr.RSquared).Within(1e-12));
            for (int t = 0; t < basis.TermCount; t++)
            {
                Assert.That(ne.StandardErrors[t], Is.EqualTo(qr.StandardErrors[t]).Within(1e-8).Percent);
            }
        });
    }

    // The statistics against their definitions, computed here from the returned plane.
    [TestCase(LeastSquaresMethod.Qr)]
    [TestCase(LeastSquaresMethod.NormalEquations)]
    public void StatisticsMatchTheirDefinitions(LeastSquaresMethod method)
    {
        var random = new Random(8);
        var basis = new MonomialBasis(2, 3);
        int n = 200;
        double[] x = FitTestData.Points(random, n, 2, 0, 5);
        double[] y = Enumerable.Range(0, n).Select(i => Math.Cos(x[2 * i]) * x[(2 * i) + 1]).ToArray();
        var fit = SuperPlane.Fit(x, y, basis, new SuperPlaneFitOptions { Method = method });
        double[] fitted = FitTestData.Evaluate(basis, fit.Plane.Coefficients, x);
        double mean = y.Average();
        double rss = 0, tss = 0;
        for (int i = 0; i < n; i++)
        {
            rss += (y[i] - fitted[i]) * (y[i] - fitted[i]);
            tss += (y[i] - mean) * (y[i] - mean);
        }

        // Standard errors: σ̂·√diag((XᵀX)⁻¹) in the raw variables, by Gauss elimination on XᵀX.
        int p = basis.TermCount;
        double[] design = FitTestData.Design(basis, x);
        var gram = new double[p * p];
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < p; a++)
            {
                for (int b = 0; b < p; b++)
                {
                    gram[(a * p) + b] += design[(i * p) + a] * design[(i * p) + b];
                }
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(fit.ResidualSumOfSquares, Is.EqualTo(rss).Within(1e-9).Percent);
            Assert.That(fit.TotalSumOfSquares, Is.EqualTo(tss).Within(1e-12).Percent);
            Assert.That(fit.RSquared, Is.EqualTo(1 - (rss / tss)).Within(1e-12));
            Assert.That(fit.DegreesOfFreedom, Is.EqualTo(n - p));
            Assert.That(fit.SampleCount, Is.EqualTo(n));
            Assert.That(fit.ResidualStandardDeviation, Is.EqualTo(Math.Sqrt(rss / (n - p))).Within(1e-9).Percent);
            Assert.That(fit.ConditionEstimate, Is.GreaterThan(1).And.LessThan(1e6));
            Assert.That(fit.Backend, Is.EqualTo(ComputeBackend.Managed).Or.EqualTo(ComputeBackend.Native));
            for (int t = 0; t < p; t++)
            {
                var unit = new double[p];
                unit[t] = 1;
                double[] column = FitTestData.Solve(gram, unit, p);
                double expected = fit.ResidualStandardDeviation * Math.Sqrt(column[t]);
                Assert.That(fit.StandardErrors[t], Is.EqualTo(expected).Within(1e-6).Percent, $"SE of {basis.FormatTerm(t)}");
            }
        });
    }

    [Test]
    public void SeveralTargetsShareOneFactorisationAndEqualSeparateFits()
    {
        var random = new Random(11);
        var basis = new MonomialBasis(3, 3);
        int n = 400, k = 3;
        double[] x = FitTestData.Points(random, n, 3);
        var y = new double[n * k];
        for (int i = 0; i < n; i++)
        {
            y[(i * k) + 0] = Math.Exp(x[3 * i]);
            y[(i * k) + 1] = x[(3 * i) + 1] * x[(3 * i) + 2];
            y[(i * k) + 2] = random.NextDouble();
        }

        foreach (var method in Methods)
        {
            var options = new SuperPlaneFitOptions { Method = method };
            SuperPlaneFit[] fits = SuperPlane.Fit(x, y, k, basis, options);
            Assert.That(fits, Has.Length.EqualTo(k));
            for (int r = 0; r < k; r++)
            {
                double[] column = Enumerable.Range(0, n).Select(i => y[(i * k) + r]).ToArray();
                var single = SuperPlane.Fit(x, column, basis, options);
                Assert.Multiple(() =>
                {
                    Assert.That(FitTestData.MaxRelativeError(fits[r].Plane.Coefficients, single.Plane.Coefficients.ToArray()), Is.LessThan(1e-12));
                    Assert.That(fits[r].ResidualSumOfSquares, Is.EqualTo(single.ResidualSumOfSquares).Within((1e-11 * single.ResidualSumOfSquares) + 1e-26));
                    Assert.That(fits[r].Rank, Is.EqualTo(single.Rank));
                });
            }
        }
    }

    // Integer weights are repetitions: weight 2 on a sample is the sample twice; weight 0 is the sample removed.
    [TestCase(LeastSquaresMethod.Qr)]
    [TestCase(LeastSquaresMethod.NormalEquations)]
    public void WeightsAreRepetitionsOfSamples(LeastSquaresMethod method)
    {
        var random = new Random(13);
        var basis = new MonomialBasis(2, 2);
        int n = 60;
        double[] x = FitTestData.Points(random, n, 2);
        double[] y = Enumerable.Range(0, n).Select(i => Math.Exp(x[2 * i] - x[(2 * i) + 1]) + random.NextDouble()).ToArray();
        double[] weights = Enumerable.Range(0, n).Select(i => (double)(i % 3)).ToArray();

        var repeatedX = new List<double>();
        var repeatedY = new List<double>();
        for (int i = 0; i < n; i++)
        {
            for (int r = 0; r < weights[i]; r++)
            {
                repeatedX.Add(x[2 * i]);
                repeatedX.Add(x[(2 * i) + 1]);
                repeatedY.Add(y[i]);
            }
        }

        var weighted = SuperPlane.Fit(x, y, basis, new SuperPlaneFitOptions { Method = method, Weights = weights });
        var repeated = SuperPlane.Fit(repeatedX.ToArray(), repeatedY.ToArray(), basis, new SuperPlaneFitOptions { Method = method });
        Assert.Multiple(() =>
        {
            Assert.That(FitTestData.MaxRelativeError(weighted.Plane.Coefficients, repeated.Plane.Coefficients.ToArray()), Is.LessThan(1e-10));
            Assert.That(weighted.ResidualSumOfSquares, Is.EqualTo(repeated.ResidualSumOfSquares).Within(1e-9).Percent);
            Assert.That(weighted.TotalSumOfSquares, Is.EqualTo(repeated.TotalSumOfSquares).Within(1e-9).Percent);
            Assert.That(weighted.SampleCount, Is.EqualTo(weights.Count(w => w > 0)));
        });

        // Zero weights drop samples exactly (same points, same standardisation not required).
        double[] keepX = Enumerable.Range(0, n).Where(i => weights[i] > 0).SelectMany(i => new[] { x[2 * i], x[(2 * i) + 1] }).ToArray();
        double[] keepY = Enumerable.Range(0, n).Where(i => weights[i] > 0).Select(i => y[i]).ToArray();
        double[] keepW = weights.Where(w => w > 0).ToArray();
        var dropped = SuperPlane.Fit(keepX, keepY, basis, new SuperPlaneFitOptions { Method = method, Weights = keepW });
        Assert.Multiple(() =>
        {
            Assert.That(FitTestData.MaxRelativeError(weighted.Plane.Coefficients, dropped.Plane.Coefficients.ToArray()), Is.LessThan(1e-10));
            Assert.That(weighted.DegreesOfFreedom, Is.EqualTo(dropped.DegreesOfFreedom));
            Assert.That(weighted.ResidualStandardDeviation, Is.EqualTo(dropped.ResidualStandardDeviation).Within(1e-9).Percent);
        });
    }

    // Ridge in one variable at degree 1 has the closed form b1 = Σ z y / (Σ z² + λ), b0 = ȳ (z centred), and
    // Var(b1) = σ²·Σz² / (Σz² + λ)²; in x: c1 = b1/s, c0 = ȳ − c1·x̄.
    [TestCase(LeastSquaresMethod.Qr)]
    [TestCase(LeastSquaresMethod.NormalEquations)]
    public void RidgeMatchesTheClosedFormInOneVariable(LeastSquaresMethod method)
    {
        var random = new Random(17);
        int n = 50;
        double[] x = FitTestData.Points(random, n, 1, 3, 9);
        double[] y = x.Select(xi => (2 * xi) - 1 + random.NextDouble()).ToArray();
        double lambda = 7.5;
        var (mean, sd) = FitTestData.Standardisation(x, 1);
        double[] z = x.Select(xi => (xi - mean[0]) / sd[0]).ToArray();
        double zz = z.Sum(v => v * v), zy = z.Zip(y).Sum(p => p.First * p.Second);
        double b1 = zy / (zz + lambda), b0 = y.Average();
        double c1 = b1 / sd[0], c0 = b0 - (c1 * mean[0]);
        double rss = Enumerable.Range(0, n).Sum(i => Math.Pow(y[i] - c0 - (c1 * x[i]), 2));
        double sigma = Math.Sqrt(rss / (n - 2));
        double seB1 = sigma * Math.Sqrt(zz) / (zz + lambda);

        var fit = SuperPlane.Fit(x, y, new MonomialBasis(1, 1), new SuperPlaneFitOptions { Method = method, Ridge = lambda });
        Assert.Multiple(() =>
        {
            Assert.That(fit.Plane.Coefficients[1], Is.EqualTo(c1).Within(1e-12 * Math.Abs(c1)));
            Assert.That(fit.Plane.Coefficients[0], Is.EqualTo(c0).Within(1e-12 * Math.Abs(c0)));
            Assert.That(fit.ResidualSumOfSquares, Is.EqualTo(rss).Within(1e-10 * rss));
            Assert.That(fit.StandardErrors[1], Is.EqualTo(seB1 / sd[0]).Within(1e-10 * seB1 / sd[0]));
        });
    }

    // Ridge in general: b = (ZᵀZ + λD)⁻¹ Zᵀy in the standardised variables (D = identity except the constant),
    // compared through the fitted values.
    [TestCase(LeastSquaresMethod.Qr)]
    [TestCase(LeastSquaresMethod.NormalEquations)]
    public void RidgeMatchesTheClosedFormInTheStandardisedVariables(LeastSquaresMethod method)
    {
        var random = new Random(19);
        var basis = new MonomialBasis(3, 2);
        int n = 80, p = basis.TermCount;
        double[] x = FitTestData.Points(random, n, 3, -2, 5);
        double[] y = Enumerable.Range(0, n).Select(i => Math.Sin(x[3 * i]) + x[(3 * i) + 2] + random.NextDouble()).ToArray();
        double lambda = 3;
        var (mean, sd) = FitTestData.Standardisation(x, 3);
        double[] z = Enumerable.Range(0, n * 3).Select(i => (x[i] - mean[i % 3]) / sd[i % 3]).ToArray();
        double[] design = FitTestData.Design(basis, z);
        var a = new double[p * p];
        var rhs = new double[p];
        for (int i = 0; i < n; i++)
        {
            for (int s = 0; s < p; s++)
            {
                rhs[s] += design[(i * p) + s] * y[i];
                for (int t = 0; t < p; t++)
                {
                    a[(s * p) + t] += design[(i * p) + s] * design[(i * p) + t];
                }
            }
        }

        for (int t = 1; t < p; t++)
        {
            a[(t * p) + t] += lambda;
        }

        double[] b = FitTestData.Solve(a, rhs, p);
        double[] expected = FitTestData.Evaluate(basis, b, z);

        var fit = SuperPlane.Fit(x, y, basis, new SuperPlaneFitOptions { Method = method, Ridge = lambda });
        var fitted = new double[n];
        fit.Plane.Evaluate(x, fitted);
        Assert.That(FitTestData.MaxRelativeError(fitted, expected), Is.LessThan(1e-11));

        var plain = SuperPlane.Fit(x, y, basis, new SuperPlaneFitOptions { Method = method });
        Assert.That(fit.ResidualSumOfSquares, Is.GreaterThan(plain.ResidualSumOfSquares));
    }

    [TestCase(LeastSquaresMethod.Qr)]
    [TestCase(LeastSquaresMethod.NormalEquations)]
    [TestCase(LeastSquaresMethod.Auto)]
    public void DuplicatedVariableGivesTheMinimumNormSolutionAndItsRank(LeastSquaresMethod method)
    {
        var random = new Random(23);
        int n = 40;
        double[] x0 = FitTestData.Points(random, n, 1, -1, 3);
        double[] x = x0.SelectMany(v => new[] { v, v }).ToArray();
        double[] y = x0.Select(v => 1 + (3 * v)).ToArray();
        var basis = new MonomialBasis(2, 1);
        var fit = SuperPlane.Fit(x, y, basis, new SuperPlaneFitOptions { Method = method });
        Assert.Multiple(() =>
        {
            Assert.That(fit.Rank, Is.EqualTo(2));
            Assert.That(fit.Status, Is.EqualTo(SuperPlaneFitStatus.RankDeficient));
            Assert.That(fit.Method, Is.EqualTo(LeastSquaresMethod.Qr), "normal equations cannot solve a singular Gram matrix; QR does");
            Assert.That(fit.Message, Does.Contain("minimum-norm"));
            Assert.That(fit.Plane.Coefficients.ToArray(), Has.All.Matches<double>(double.IsFinite));
            Assert.That(fit.StandardErrors, Has.All.Matches<double>(double.IsFinite));
            Assert.That(fit.ConditionEstimate, Is.EqualTo(double.PositiveInfinity));

            // Minimum norm splits the slope equally between the identical variables.
            Assert.That(fit.Plane.Coefficients[0], Is.EqualTo(1).Within(1e-12));
            Assert.That(fit.Plane.Coefficients[1], Is.EqualTo(1.5).Within(1e-12));
            Assert.That(fit.Plane.Coefficients[2], Is.EqualTo(1.5).Within(1e-12));
            Assert.That(fit.ResidualSumOfSquares, Is.LessThan(1e-20));
        });
    }

    [Test]
    public void FewerSamplesThanTermsGiveTheMinimumNormInterpolant()
    {
        var random = new Random(29);
        var basis = new MonomialBasis(3, 2);
        int n = 6, p = basis.TermCount;
        double[] x = FitTestData.Points(random, n, 3, 1, 4);
        double[] y = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        var fit = SuperPlane.Fit(x, y, basis);

        // Reference: b = Zᵀ(ZZᵀ)⁻¹y in the standardised variables the fit reports.
        double[] center = [.. fit.Center];
        double[] scale = [.. fit.Scale];
        double[] z = Enumerable.Range(0, n * 3).Select(i => (x[i] - center[i % 3]) / scale[i % 3]).ToArray();
        double[] design = FitTestData.Design(basis, z);
        var zzT = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int t = 0; t < p; t++)
                {
                    zzT[(i * n) + j] += design[(i * p) + t] * design[(j * p) + t];
                }
            }
        }

        double[] u = FitTestData.Solve(zzT, y, n);
        var expected = new double[p];
        for (int t = 0; t < p; t++)
        {
            for (int i = 0; i < n; i++)
            {
                expected[t] += design[(i * p) + t] * u[i];
            }
        }

        // The fit's coefficients carried back to z: q(z) = p(s·z + c).
        var inZ = new double[p];
        AffineSubstitution.ApplyAffine(basis, fit.Plane.Coefficients, scale, center, inZ);
        Assert.Multiple(() =>
        {
            Assert.That(fit.Rank, Is.EqualTo(n));
            Assert.That(fit.Status, Is.EqualTo(SuperPlaneFitStatus.RankDeficient));
            Assert.That(fit.DegreesOfFreedom, Is.Zero);
            Assert.That(fit.ResidualStandardDeviation, Is.Zero);
            Assert.That(fit.StandardErrors, Has.All.EqualTo(double.PositiveInfinity));
            Assert.That(FitTestData.MaxRelativeError(inZ, expected), Is.LessThan(1e-9));
            Assert.That(fit.ResidualSumOfSquares, Is.LessThan(1e-20));
        });
    }

    [Test]
    public void ConstantVariableBesideTheConstantTermIsRankDeficientNotNaN()
    {
        var random = new Random(31);
        int n = 30;
        double[] x = Enumerable.Range(0, n).SelectMany(_ => new[] { random.NextDouble(), 4.0 }).ToArray();
        double[] y = Enumerable.Range(0, n).Select(i => x[2 * i] * x[2 * i]).ToArray();
        var fit = SuperPlane.Fit(x, y, new MonomialBasis(2, 2));
        Assert.Multiple(() =>
        {
            Assert.That(fit.Status, Is.EqualTo(SuperPlaneFitStatus.RankDeficient));
            Assert.That(fit.Rank, Is.EqualTo(3));
            Assert.That(fit.Plane.Coefficients.ToArray(), Has.All.Matches<double>(double.IsFinite));
            Assert.That(fit.ResidualSumOfSquares, Is.LessThan(1e-24));
        });
    }

    [TestCase(LeastSquaresMethod.Qr)]
    [TestCase(LeastSquaresMethod.NormalEquations)]
    public void ASingleSampleInterpolatesWithRankOne(LeastSquaresMethod method)
    {
        var fit = SuperPlane.Fit([2.0, -1.0], [5.0], new MonomialBasis(2, 2), new SuperPlaneFitOptions { Method = method });
        Assert.Multiple(() =>
        {
            Assert.That(fit.Rank, Is.EqualTo(1));
            Assert.That(fit.Status, Is.EqualTo(SuperPlaneFitStatus.RankDeficient));
            Assert.That(fit.Plane.Evaluate([2.0, -1.0]), Is.EqualTo(5).Within(1e-12));
            Assert.That(fit.Plane.Coefficients.ToArray(), Has.All.Matches<double>(double.IsFinite));
            Assert.That(fit.DegreesOfFreedom, Is.Zero);
            Assert.That(fit.RSquared, Is.EqualTo(1));
        });
    }

    [Test]
    public void RegressionThroughTheOriginScalesButDoesNotCentre()
    {
        var random = new Random(37);
        var basis = new MonomialBasis(2, 2, includeConstant: false);
        double[] x = FitTestData.Points(random, 100, 2, 2, 6);
        double[] truth = FitTestData.Coefficients(random, basis.TermCount);
        double[] y = FitTestData.Evaluate(basis, truth, x);
        foreach (var method in Methods)
        {
            var fit = SuperPlane.Fit(x, y, basis, new SuperPlaneFitOptions { Method = method });
            Assert.Multiple(() =>
            {
                Assert.That(fit.Center, Has.All.Zero);
                Assert.That(FitTestData.MaxRelativeError(fit.Plane.Coefficients, truth), Is.LessThan(1e-10));
                Assert.That(fit.TotalSumOfSquares, Is.EqualTo(y.Sum(v => v * v)).Within(1e-12).Percent);
            });
        }
    }

    [Test]
    public void DegreeZeroFitsTheWeightedMean()
    {
        double[] x = [1, 2, 3, 4];
        double[] y = [1, 2, 3, 10];
        double[] w = [1, 1, 2, 0];
        var fit = SuperPlane.Fit(x, y, new MonomialBasis(1, 0), new SuperPlaneFitOptions { Weights = w });
        Assert.That(fit.Plane.Coefficients[0], Is.EqualTo(9.0 / 4).Within(1e-15));
    }

    [Test]
    public void AutoPicksQrForSmallAndNormalEquationsForLargeProblems()
    {
        var random = new Random(41);
        var basis = new MonomialBasis(3, 2);
        double[] small = FitTestData.Points(random, 100, 3);
        double[] large = FitTestData.Points(random, 600_000, 3);
        var a = SuperPlane.Fit(small, small.Where((_, i) => i % 3 == 0).ToArray(), basis);
        var b = SuperPlane.Fit(large, large.Where((_, i) => i % 3 == 0).ToArray(), basis);
        Assert.Multiple(() =>
        {
            Assert.That(a.Method, Is.EqualTo(LeastSquaresMethod.Qr));
            Assert.That(b.Method, Is.EqualTo(LeastSquaresMethod.NormalEquations));
            Assert.That(a.Message, Does.Contain("Auto chose QR"));
            Assert.That(b.Message, Does.Contain("Auto chose normal equations"));
        });
    }

    // The bit-for-bit promise is the managed backend's (OpenBLAS's summation order can follow memory alignment).
    [TestCase(LeastSquaresMethod.Qr)]
    [TestCase(LeastSquaresMethod.NormalEquations)]
    public void ManagedResultsDoNotDependOnTheThreadCount(LeastSquaresMethod method)
    {
        var random = new Random(43);
        var basis = new MonomialBasis(3, 3);
        int n = 150_000;
        double[] x = FitTestData.Points(random, n, 3);
        double[] y = Enumerable.Range(0, n).Select(i => Math.Sin(x[3 * i] * x[(3 * i) + 1]) + random.NextDouble()).ToArray();
        double[] w = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        var one = SuperPlane.Fit(x, y, basis, new SuperPlaneFitOptions { Method = method, Backend = ComputeBackend.Managed, MaxDegreeOfParallelism = 1, Weights = w });
        var all = SuperPlane.Fit(x, y, basis, new SuperPlaneFitOptions { Method = method, Backend = ComputeBackend.Managed, MaxDegreeOfParallelism = -1, Weights = w });
        var three = SuperPlane.Fit(x, y, basis, new SuperPlaneFitOptions { Method = method, Backend = ComputeBackend.Managed, MaxDegreeOfParallelism = 3, Weights = w });
        Assert.Multiple(() =>
        {
            Assert.That(all.Plane.Coefficients.ToArray(), Is.EqualTo(one.Plane.Coefficients.ToArray()));
            Assert.That(three.Plane.Coefficients.ToArray(), Is.EqualTo(one.Plane.Coefficients.ToArray()));
            Assert.That(all.ResidualSumOfSquares, Is.EqualTo(one.ResidualSumOfSquares));
        });
    }

    // The native backend on all cores agrees with the managed one-thread fit to rounding (well-conditioned data, cond ≈ 1e2).
    [TestCase(LeastSquaresMethod.Qr)]
    [TestCase(LeastSquaresMethod.NormalEquations)]
    public void NativeResultsAgreeWithManagedToRounding(LeastSquaresMethod method)
    {
        Assume.That(NativeBackend.IsAvailable, "the native shim is not built (./build.ps1 native)");
        var random = new Random(43);
        var basis = new MonomialBasis(3, 3);
        int n = 150_000;
        double[] x = FitTestData.Points(random, n, 3);
        double[] y = Enumerable.Range(0, n).Select(i => Math.Sin(x[3 * i] * x[(3 * i) + 1]) + random.NextDouble()).ToArray();
        var managed = SuperPlane.Fit(x, y, basis, new SuperPlaneFitOptions { Method = method, Backend = ComputeBackend.Managed, MaxDegreeOfParallelism = 1 });
        var native = SuperPlane.Fit(x, y, basis, new SuperPlaneFitOptions { Method = method, Backend = ComputeBackend.Native, MaxDegreeOfParallelism = -1 });
        double scale = managed.Plane.Coefficients.ToArray().Max(Math.Abs);
        Assert.Multiple(() =>
        {
            Assert.That(native.Backend, Is.EqualTo(ComputeBackend.Native));
            Assert.That(native.Plane.Coefficients.ToArray(), Is.EqualTo(managed.Plane.Coefficients.ToArray()).Within(1e-11 * scale).AsCollection);
        });
    }

    [Test]
    public void NormalEquationsFallBackToQrAndSaySo()
    {
        var random = new Random(47);
        var basis = new MonomialBasis(2, 4);
        double[] x = FitTestData.Points(random, 500, 2);
        double[] y = Enumerable.Range(0, 500).Select(i => Math.Exp(x[2 * i])).ToArray();
        var fit = SuperPlane.Fit(x, y, basis, new SuperPlaneFitOptions { Method = LeastSquaresMethod.NormalEquations, MaxNormalEquationsCondition = 2 });
        Assert.Multiple(() =>
        {
            Assert.That(fit.FellBackToQr, Is.True);
            Assert.That(fit.Method, Is.EqualTo(LeastSquaresMethod.Qr));
            Assert.That(fit.Message, Does.Contain("condition number"));
        });
    }

    [Test]
    public void StandardErrorsCanBeSkipped()
    {
        var random = new Random(53);
        double[] x = FitTestData.Points(random, 50, 2);
        double[] y = FitTestData.Points(random, 50, 1);
        var fit = SuperPlane.Fit(x, y, new MonomialBasis(2, 2), new SuperPlaneFitOptions { ComputeStandardErrors = false });
        Assert.That(fit.StandardErrors, Is.Empty);
    }
}
