using SuperSpace.Simd.Activations;

namespace SuperSpace.Simd.Tests.Activations;

[TestFixture]
public sealed class ActivationTests
{
    private static readonly Activation[] All =
    [
        Activation.Identity, Activation.Sigmoid, Activation.Tanh, Activation.Softplus, Activation.Silu,
        Activation.Gelu, Activation.Relu, Activation.Exp, Activation.Sin, Activation.Polynomial([0.5, -1, 0.25, 0.125]),
    ];

    private static IEnumerable<Activation> Analytic() => All.Where(a => a != Activation.Relu);

    [Test]
    public void TanhAtZeroIsTheBernoulliSeries()
    {
        // tanh x = Σ_{n≥1} 2^{2n}(2^{2n} − 1) B_{2n} x^{2n−1} / (2n)!
        double[] bernoulli = [1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6, -3617.0 / 510];
        var series = new double[17];
        Activation.Tanh.TaylorCoefficients(0, series);
        for (int k = 0; k < series.Length; k += 2)
        {
            Assert.That(series[k], Is.Zero, $"even coefficient {k}");
        }

        double factorial = 1;
        for (int n = 1; n <= bernoulli.Length; n++)
        {
            factorial *= (2 * n - 1) * (2 * n);
            double power = Math.Pow(4, n);
            double expected = power * (power - 1) * bernoulli[n - 1] / factorial;
            Assert.That(series[(2 * n) - 1], Is.EqualTo(expected).Within(2e-15 * Math.Abs(expected)), $"x^{2 * n - 1}");
        }
    }

    [Test]
    public void SigmoidAtZeroIsTheKnownSeries()
    {
        double[] expected = [0.5, 0.25, 0, -1.0 / 48, 0, 1.0 / 480, 0, -17.0 / 80640, 0, 31.0 / 1451520];
        var series = new double[expected.Length];
        Activation.Sigmoid.TaylorCoefficients(0, series);
        Assert.That(series, Is.EqualTo(expected).Within(1e-17));
    }

    [TestCase(-2.5)]
    [TestCase(0.3)]
    [TestCase(4.0)]
    public void SigmoidSeriesIsTheHalvedTanhSeries(double center)
    {
        // σ(z) = (1 + tanh(z/2))/2, so σ_k(c) = t_k(c/2)/2^{k+1} for k ≥ 1 — two independent recurrences.
        var s = new double[25];
        var t = new double[25];
        Activation.Sigmoid.TaylorCoefficients(center, s);
        Activation.Tanh.TaylorCoefficients(center / 2, t);
        Assert.That(s[0], Is.EqualTo((1 + t[0]) / 2).Within(1e-16));
        for (int k = 1; k < s.Length; k++)
        {
            double expected = t[k] / Math.Pow(2, k + 1);
            Assert.That(s[k], Is.EqualTo(expected).Within(1e-13 * Math.Abs(expected) + 1e-300), $"k = {k}");
        }
    }

    [TestCase(-3.0)]
    [TestCase(0.0)]
    [TestCase(1.75)]
    public void ExpSeriesIsExpOverFactorial(double center)
    {
        var series = new double[20];
        Activation.Exp.TaylorCoefficients(center, series);
        double factorial = 1;
        for (int k = 0; k < series.Length; k++)
        {
            factorial *= Math.Max(k, 1);
            Assert.That(series[k], Is.EqualTo(Math.Exp(center) / factorial).Within(1e-15 * Math.Exp(center) / factorial));
        }
    }

    [Test]
    public void GeluAtZeroIsTheNormalSeries()
    {
        // z·Φ(z) = z/2 + φ0·(z² − z⁴/6 + z⁶/40 − z⁸/336), φ0 = 1/√(2π).
        double phi0 = 1 / Math.Sqrt(2 * Math.PI);
        double[] expected = [0, 0.5, phi0, 0, -phi0 / 6, 0, phi0 / 40, 0, -phi0 / 336];
        var series = new double[expected.Length];
        Activation.Gelu.TaylorCoefficients(0, series);
        Assert.That(series, Is.EqualTo(expected).Within(1e-16));
    }

    private static IEnumerable<TestCaseData> NonZeroCentres()
    {
        foreach (Activation a in Analytic())
        {
            foreach (double c in new[] { -1.3, 0.7, 2.1 })
            {
                yield return new TestCaseData(a, c).SetArgDisplayNames(a.Name, c.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    [TestCaseSource(nameof(NonZeroCentres))]
    public void LowOrderCoefficientsMatchFiniteDifferences(Activation activation, double center)
    {
        var series = new double[4];
        activation.TaylorCoefficients(center, series);
        double f(double x) => activation.Evaluate(x);

        // Central differences; truncation error ≈ h²·|f^(k+2)|·c_k with |f^(j)| ≤ 10 here, rounding ≈ ε·|f|/h^k.
        double h1 = 1e-4, h2 = 1e-3, h3 = 1e-2;
        double d1 = (f(center + h1) - f(center - h1)) / (2 * h1);
        double d2 = (f(center + h2) - (2 * f(center)) + f(center - h2)) / (h2 * h2);
        double d3 = (f(center + (2 * h3)) - (2 * f(center + h3)) + (2 * f(center - h3)) - f(center - (2 * h3))) / (2 * h3 * h3 * h3);
        double scale = Math.Max(1, Math.Abs(f(center)));
        Assert.Multiple(() =>
        {
            Assert.That(series[0], Is.EqualTo(f(center)).Within(1e-15 * scale));
            Assert.That(series[1], Is.EqualTo(d1).Within((10 * h1 * h1 / 6) + (4e-16 * scale / h1)));
            Assert.That(2 * series[2], Is.EqualTo(d2).Within((10 * h2 * h2 / 12) + (8e-16 * scale / (h2 * h2))));
            Assert.That(6 * series[3], Is.EqualTo(d3).Within((10 * h3 * h3 / 4) + (1e-15 * scale / (h3 * h3 * h3))));
        });
    }

    [TestCaseSource(nameof(NonZeroCentres))]
    public void TheSeriesSumsToTheFunctionInsideTheRadius(Activation activation, double center)
    {
        // Σ_{k<40} a_k δ^k with |δ| = R/4: the remainder is below 4^{−40}·max|f| on the disc.
        double radius = Math.Min(activation.RadiusOfConvergence(center), 2);
        var series = new double[40];
        activation.TaylorCoefficients(center, series);
        foreach (double delta in new[] { -radius / 4, radius / 5, radius / 4 })
        {
            double sum = 0;
            for (int k = series.Length - 1; k >= 0; k--)
            {
                sum = (sum * delta) + series[k];
            }

            double expected = activation.Evaluate(center + delta);
            Assert.That(sum, Is.EqualTo(expected).Within(1e-14 * Math.Max(1, Math.Abs(expected))), $"δ = {delta}");
        }
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(-2.0)]
    public void RootTestOfHighOrderCoefficientsFindsTheRadius(double center)
    {
        // limsup |a_k|^{−1/k} = R for simple poles (tanh at ±iπ/2, σ and z·σ at ±iπ); softplus's logarithmic
        // branch point adds a factor k^{1/k} (≈ 5% at k = 100), so it is left to the series-sum test.
        foreach (Activation a in new[] { Activation.Tanh, Activation.Sigmoid, Activation.Silu })
        {
            var series = new double[121];
            a.TaylorCoefficients(center, series);
            double estimate = Enumerable.Range(100, 21).Where(k => series[k] != 0).Min(k => Math.Pow(Math.Abs(series[k]), -1.0 / k));
            Assert.That(estimate, Is.EqualTo(a.RadiusOfConvergence(center)).Within(3).Percent, a.Name);
        }
    }

    [Test]
    public void RadiiFromTheNearestSingularity()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Activation.Tanh.RadiusOfConvergence(0), Is.EqualTo(Math.PI / 2).Within(1e-15));
            Assert.That(Activation.Tanh.RadiusOfConvergence(2), Is.EqualTo(Math.Sqrt(4 + (Math.PI * Math.PI / 4))).Within(1e-15));
            Assert.That(Activation.Sigmoid.RadiusOfConvergence(0), Is.EqualTo(Math.PI).Within(1e-15));
            Assert.That(Activation.Softplus.RadiusOfConvergence(-1), Is.EqualTo(Math.Sqrt(1 + (Math.PI * Math.PI))).Within(1e-15));
            Assert.That(Activation.Silu.RadiusOfConvergence(0), Is.EqualTo(Math.PI).Within(1e-15));
            Assert.That(Activation.Relu.RadiusOfConvergence(0), Is.Zero);
            Assert.That(Activation.Relu.RadiusOfConvergence(-0.5), Is.EqualTo(0.5));
            Assert.That(Activation.Gelu.RadiusOfConvergence(3), Is.EqualTo(double.PositiveInfinity));
            Assert.That(Activation.Exp.RadiusOfConvergence(3), Is.EqualTo(double.PositiveInfinity));
            Assert.That(Activation.Sin.RadiusOfConvergence(3), Is.EqualTo(double.PositiveInfinity));
            Assert.That(Activation.Identity.RadiusOfConvergence(3), Is.EqualTo(double.PositiveInfinity));
        });
    }

    [Test]
    public void ReluSeriesIsLocallyLinear()
    {
        var series = new double[4];
        Activation.Relu.TaylorCoefficients(1.5, series);
        Assert.That(series, Is.EqualTo(new[] { 1.5, 1, 0, 0 }));
        Activation.Relu.TaylorCoefficients(-1.5, series);
        Assert.That(series, Is.EqualTo(new double[4]));
    }

    [Test]
    public void PolynomialSeriesIsTheTaylorShift()
    {
        // p(z) = 1 − 2z + 3z³ at c = 2: p(2 + u) = 21 + 34u + 18u² + 3u³.
        var series = new double[6];
        Activation.Polynomial([1, -2, 0, 3]).TaylorCoefficients(2, series);
        Assert.That(series, Is.EqualTo(new double[] { 21, 34, 18, 3, 0, 0 }));
    }

    [Test]
    public void SaturatedTanhAndSigmoidKeepRelativeAccuracy()
    {
        // At c = 30, sech² c = 4e^{−60}(1 + O(e^{−60})); 1 − tanh² would give 0.
        var t = new double[3];
        Activation.Tanh.TaylorCoefficients(30, t);
        Assert.That(t[1], Is.EqualTo(4 * Math.Exp(-60)).Within(1e-13 * 4 * Math.Exp(-60)));
        Assert.That(t[2], Is.EqualTo(-4 * Math.Exp(-60)).Within(1e-13 * 4 * Math.Exp(-60)));
        var s = new double[2];
        Activation.Sigmoid.TaylorCoefficients(-40, s);
        Assert.That(s[1], Is.EqualTo(Math.Exp(-40)).Within(1e-13 * Math.Exp(-40)));
    }

    private static IEnumerable<TestCaseData> ActivationsAndLengths()
    {
        foreach (Activation a in All)
        {
            yield return new TestCaseData(a).SetArgDisplayNames(a.Name);
        }
    }

    [Category("Simd")]
    [TestCaseSource(nameof(ActivationsAndLengths))]
    public void VectorisedEvaluateAndDerivativesMatchScalar(Activation activation)
    {
        var random = new Random(5);
        for (int length = 0; length <= 37; length++)
        {
            double[] x = Enumerable.Range(0, length).Select(i => i % 7 == 3 ? (i % 2 == 0 ? 1e-9 : -800.0) : (random.NextDouble() * 16) - 8).ToArray();
            var values = new double[length];
            var first = new double[length];
            var second = new double[length];
            var separate = new double[length];
            activation.Evaluate(x, separate);
            activation.EvaluateDerivatives(x, values, first, second);
            var series = new double[3];
            for (int i = 0; i < length; i++)
            {
                double expected = activation.Evaluate(x[i]);
                double tolerance = 2e-15 * Math.Max(Math.Abs(expected), 1e-300);
                Assert.That(separate[i], Is.EqualTo(expected).Within(tolerance), $"value at {x[i]}");
                Assert.That(values[i], Is.EqualTo(expected).Within(tolerance), $"value with derivatives at {x[i]}");
                activation.TaylorCoefficients(x[i], series);
                // Derivatives of silu and gelu are sums that cancel (σ + zσ′, 2σ′ + zσ″, φ·(2 − z²)): their rounding
                // error is relative to the summands, which are at most max(1, |z|) in size (here ≤ 0.5·max(1, |z|)).
                double cancellation = 4e-16 * Math.Max(1, Math.Abs(x[i]));
                Assert.That(first[i], Is.EqualTo(series[1]).Within((1e-14 * Math.Abs(series[1])) + cancellation), $"f' at {x[i]}");
                Assert.That(second[i], Is.EqualTo(2 * series[2]).Within((1e-14 * Math.Abs(2 * series[2])) + cancellation), $"f'' at {x[i]}");
            }
        }
    }

    [Test]
    public void ErfMatchesReferenceValues()
    {
        // Abramowitz & Stegun table 7.1 / high-precision values.
        Assert.Multiple(() =>
        {
            Assert.That(SpecialFunctions.Erf(0.5), Is.EqualTo(0.5204998778130465377).Within(2).Ulps);
            Assert.That(SpecialFunctions.Erf(1), Is.EqualTo(0.8427007929497148693).Within(2).Ulps);
            Assert.That(SpecialFunctions.Erf(2), Is.EqualTo(0.9953222650189527342).Within(2).Ulps);
            Assert.That(SpecialFunctions.Erf(-1), Is.EqualTo(-0.8427007929497148693).Within(2).Ulps);
            Assert.That(SpecialFunctions.Erfc(2), Is.EqualTo(0.004677734981047265838).Within(1e-14 * 0.00468));
            Assert.That(SpecialFunctions.Erfc(3), Is.EqualTo(2.209049699858544137e-5).Within(1e-14 * 2.21e-5));
            Assert.That(SpecialFunctions.Erfc(5), Is.EqualTo(1.537459794428034850e-12).Within(1e-14 * 1.54e-12));
            Assert.That(SpecialFunctions.Erfc(10), Is.EqualTo(2.088487583762544757e-45).Within(1e-13 * 2.09e-45));
            Assert.That(SpecialFunctions.Erfc(-3), Is.EqualTo(2 - 2.209049699858544137e-5).Within(4e-16));
        });
    }

    [Test]
    public void ErfIsContinuousWhereTheMethodChanges()
    {
        // Series below 0.8, continued fraction above: both must agree with the derivative 2/√π·e^{−x²}.
        double x = 0.8;
        double h = 1e-6;
        double slope = (SpecialFunctions.Erfc(x + h) - SpecialFunctions.Erfc(x - h)) / (2 * h);
        Assert.That(slope, Is.EqualTo(-2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x)).Within(1e-8));
    }

    [Test]
    public void ActivationsEvaluateAndCompareByValue()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Activation.Polynomial([1, 2]), Is.EqualTo(Activation.Polynomial([1.0, 2.0])));
            Assert.That(Activation.Polynomial([1, 2]), Is.Not.EqualTo(Activation.Polynomial([1, 3])));
            Assert.That(Activation.Tanh.Name, Is.EqualTo("tanh"));
            Assert.That(Activation.Gelu.Evaluate(1), Is.EqualTo(0.8413447460685429).Within(1e-15));
            Assert.That(Activation.Softplus.Evaluate(-50), Is.EqualTo(Math.Exp(-50)).Within(1e-15 * Math.Exp(-50)));
            Assert.That(Activation.Softplus.Evaluate(50), Is.EqualTo(50));
            Assert.That(() => Activation.Polynomial([]), Throws.ArgumentException);
            Assert.That(() => Activation.Polynomial([double.NaN]), Throws.ArgumentException);
            Assert.That(() => Activation.Tanh.TaylorCoefficients(double.NaN, new double[3]), Throws.ArgumentException);
            Assert.That(() => Activation.Tanh.Evaluate(new double[3], new double[2]), Throws.ArgumentException);
        });
    }
}
