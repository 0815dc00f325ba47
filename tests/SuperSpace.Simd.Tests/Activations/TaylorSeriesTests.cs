using SuperSpace.Simd.Activations;

namespace SuperSpace.Simd.Tests.Activations;

[TestFixture]
public sealed class TaylorSeriesTests
{
    private const int N = 24;

    private static double[] Series(params double[] leading)
    {
        var a = new double[N];
        leading.CopyTo(a, 0);
        return a;
    }

    [Test]
    public void ProductAndQuotientAreInverse()
    {
        double[] a = Series(1.5, -2, 0.25, 3);
        double[] b = Series(2, 0.5, -1);
        var product = new double[N];
        var back = new double[N];
        TaylorSeries.Multiply(a, b, product);
        TaylorSeries.Divide(product, b, back);
        Assert.That(back, Is.EqualTo(a).Within(1e-12));
        // (1 − u)^{-1} = Σ u^k
        var geometric = new double[N];
        TaylorSeries.Divide(Series(1), Series(1, -1), geometric);
        Assert.That(geometric, Is.EqualTo(Enumerable.Repeat(1.0, N).ToArray()).Within(1e-15));
    }

    [Test]
    public void ExpOfLogAndSquareOfSqrtAreIdentities()
    {
        double[] a = Series(2, 0.5, -0.75, 0.1);
        var log = new double[N];
        var exp = new double[N];
        var sqrt = new double[N];
        var square = new double[N];
        TaylorSeries.Log(a, log);
        TaylorSeries.Exp(log, exp);
        TaylorSeries.Sqrt(a, sqrt);
        TaylorSeries.Multiply(sqrt, sqrt, square);
        Assert.Multiple(() =>
        {
            Assert.That(exp, Is.EqualTo(a).Within(1e-13));
            Assert.That(square, Is.EqualTo(a).Within(1e-13));
        });
    }

    [Test]
    public void ExpOfTheIdentityIsTheExponentialSeries()
    {
        var exp = new double[N];
        TaylorSeries.Exp(Series(0.3, 1), exp);
        double factorial = 1;
        for (int k = 0; k < N; k++)
        {
            factorial *= Math.Max(k, 1);
            Assert.That(exp[k], Is.EqualTo(Math.Exp(0.3) / factorial).Within(1e-15 * Math.Exp(0.3) / factorial));
        }
    }

    [Test]
    public void SinAndCosOfTheIdentityAreTheirSeriesAndSquaresSumToOne()
    {
        var s = new double[N];
        var c = new double[N];
        TaylorSeries.SinCos(Series(0.4, 1), s, c);
        var series = new double[N];
        Activation.Sin.TaylorCoefficients(0.4, series);
        Assert.That(s, Is.EqualTo(series).Within(1e-16));

        // sin a, cos a of a non-trivial a: sin² + cos² = 1.
        TaylorSeries.SinCos(Series(0.4, 1.2, -0.3, 0.5), s, c);
        var s2 = new double[N];
        var c2 = new double[N];
        TaylorSeries.Multiply(s, s, s2);
        TaylorSeries.Multiply(c, c, c2);
        for (int k = 0; k < N; k++)
        {
            Assert.That(s2[k] + c2[k], Is.EqualTo(k == 0 ? 1 : 0).Within(1e-13), $"k = {k}");
        }
    }

    [Test]
    public void ErfOfTheIdentityIsTheErfSeries()
    {
        // erf x = (2/√π)(x − x³/3 + x⁵/10 − x⁷/42 + x⁹/216)
        double k = 2 / Math.Sqrt(Math.PI);
        var erf = new double[10];
        TaylorSeries.Erf(new double[] { 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, erf);
        Assert.That(erf, Is.EqualTo(new[] { 0, k, 0, -k / 3, 0, k / 10, 0, -k / 42, 0, k / 216 }).Within(1e-16));

        // Gelu's series via erf: z·(1 + erf(z/√2))/2 at c = 0.6.
        var inner = new double[N];
        inner[0] = 0.6 / Math.Sqrt(2);
        inner[1] = 1 / Math.Sqrt(2);
        var e = new double[N];
        TaylorSeries.Erf(inner, e);
        var phi = e.Select((x, i) => (i == 0 ? 1 + x : x) / 2).ToArray();
        var gelu = new double[N];
        TaylorSeries.Multiply(Series(0.6, 1), phi, gelu);
        var reference = new double[N];
        Activation.Gelu.TaylorCoefficients(0.6, reference);
        Assert.That(gelu, Is.EqualTo(reference).Within(1e-15));
    }

    [Test]
    public void ComposeMatchesTheDirectRecurrence()
    {
        // exp(g) by composition (f = exp about g0) and by the exp recurrence.
        double[] g = Series(0.2, 0.7, -0.4, 0.3);
        var f = new double[N];
        Activation.Exp.TaylorCoefficients(0.2, f);
        var composed = new double[N];
        var direct = new double[N];
        TaylorSeries.Compose(f, g, composed);
        TaylorSeries.Exp(g, direct);
        Assert.That(composed, Is.EqualTo(direct).Within(1e-14));

        // tanh(g) by composition against the ODE solved for a general argument: (tanh g)' = (1 − tanh² g)·g'.
        var t = new double[N];
        Activation.Tanh.TaylorCoefficients(0.2, t);
        TaylorSeries.Compose(t, g, composed);
        var ode = new double[N];
        ode[0] = Math.Tanh(0.2);
        for (int k = 1; k < N; k++)
        {
            // k·y_k = Σ_{j=1..k} j g_j (1 − y²)_{k−j}
            double sum = 0;
            for (int j = 1; j <= k; j++)
            {
                double square = 0;
                for (int i = 0; i <= k - j; i++)
                {
                    square += ode[i] * ode[k - j - i];
                }

                sum += j * g[j] * ((k - j == 0 ? 1 : 0) - square);
            }

            ode[k] = sum / k;
        }

        Assert.That(composed, Is.EqualTo(ode).Within(1e-13));
    }
}
