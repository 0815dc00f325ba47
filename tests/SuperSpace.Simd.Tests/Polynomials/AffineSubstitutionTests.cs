using System.Numerics;
using SuperSpace.Simd.Polynomials;

namespace SuperSpace.Simd.Tests.Polynomials;

/// <summary>
/// The exact affine change of variables against exact rational arithmetic (BigInteger fractions): every
/// double input is a rational, so the exact expansion is computable, and the library's double-double
/// result must be within one unit in the last place of it (correct rounding up to the final step).
/// </summary>
[TestFixture]
public sealed class AffineSubstitutionTests
{
    private readonly record struct Rational(BigInteger Num, BigInteger Den)
    {
        public static Rational FromDouble(double value)
        {
            long bits = BitConverter.DoubleToInt64Bits(value);
            bool negative = bits < 0;
            int exponent = (int)((bits >> 52) & 0x7FF);
            long mantissa = bits & 0xFFFFFFFFFFFFFL;
            if (exponent == 0)
            {
                exponent = 1;
            }
            else
            {
                mantissa |= 1L << 52;
            }

            exponent -= 1075;
            BigInteger num = negative ? -mantissa : mantissa;
            return exponent >= 0 ? new Rational(num * BigInteger.Pow(2, exponent), 1) : new Rational(num, BigInteger.Pow(2, -exponent));
        }

        public static Rational operator +(Rational a, Rational b) => new((a.Num * b.Den) + (b.Num * a.Den), a.Den * b.Den);

        public static Rational operator *(Rational a, Rational b) => new(a.Num * b.Num, a.Den * b.Den);

        public static Rational operator /(Rational a, Rational b) =>
            b.Num.Sign < 0 ? new(-a.Num * b.Den, a.Den * -b.Num) : new(a.Num * b.Den, a.Den * b.Num);

        public static Rational Pow(Rational a, int k) => new(BigInteger.Pow(a.Num, k), BigInteger.Pow(a.Den, k));

        /// <summary>|this − d| ≤ ulp(d) (one unit in the last place of the double).</summary>
        public bool WithinOneUlp(double d)
        {
            Rational error = this + FromDouble(-d);
            double ulp = Math.BitIncrement(Math.Abs(d)) - Math.Abs(d);
            if (d == 0)
            {
                ulp = double.Epsilon;
            }

            Rational bound = FromDouble(ulp);
            return BigInteger.Abs(error.Num) * bound.Den <= bound.Num * error.Den;
        }
    }

    private static long Binomial(int n, int k)
    {
        long c = 1;
        for (int i = 1; i <= k; i++)
        {
            c = c * (n - k + i) / i;
        }

        return c;
    }

    /// <summary>p_a = Σ_(b ≥ a) q_b Π_j C(b_j, a_j) α_j^a_j γ_j^(b_j − a_j), exactly; α, γ given as rationals.</summary>
    private static Rational[] ExactExpansion(MonomialBasis basis, double[] q, Rational[] alpha, Rational[] gamma)
    {
        int p = basis.TermCount, v = basis.VariableCount;
        var result = Enumerable.Repeat(new Rational(0, 1), p).ToArray();
        var eb = new int[v];
        var ea = new int[v];
        for (int b = 0; b < p; b++)
        {
            basis.GetExponents(b, eb);
            for (int a = 0; a < p; a++)
            {
                basis.GetExponents(a, ea);
                bool below = true;
                for (int j = 0; j < v; j++)
                {
                    below &= ea[j] <= eb[j];
                }

                if (!below)
                {
                    continue;
                }

                Rational term = Rational.FromDouble(q[b]);
                for (int j = 0; j < v; j++)
                {
                    term *= new Rational(Binomial(eb[j], ea[j]), 1) * Rational.Pow(alpha[j], ea[j]) * Rational.Pow(gamma[j], eb[j] - ea[j]);
                }

                result[a] += term;
            }
        }

        return result;
    }

    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(1, 10, 1000.0).SetName("OneVariableDegreeTenFarFromTheOrigin");
        yield return new TestCaseData(2, 5, 7.0).SetName("TwoVariablesDegreeFive");
        yield return new TestCaseData(3, 4, 3.0).SetName("ThreeVariablesDegreeFour");
    }

    [TestCaseSource(nameof(Shapes))]
    public void FromStandardizedIsTheExactExpansionRoundedOnce(int v, int degree, double offset)
    {
        var random = new Random((v * 31) + degree);
        var basis = new MonomialBasis(v, degree);
        double[] q = FitTestData.Coefficients(random, basis.TermCount);
        double[] center = Enumerable.Range(0, v).Select(j => offset * (1 + random.NextDouble())).ToArray();
        double[] spread = Enumerable.Range(0, v).Select(j => 0.1 + random.NextDouble()).ToArray();

        var raw = new double[basis.TermCount];
        AffineSubstitution.FromStandardized(basis, q, center, spread, raw);

        // z = (x − c)/s: α = 1/s, γ = −c/s, exactly.
        Rational[] alpha = spread.Select(s => new Rational(1, 1) / Rational.FromDouble(s)).ToArray();
        Rational[] gamma = Enumerable.Range(0, v).Select(j => Rational.FromDouble(-center[j]) / Rational.FromDouble(spread[j])).ToArray();
        Rational[] exact = ExactExpansion(basis, q, alpha, gamma);
        for (int t = 0; t < basis.TermCount; t++)
        {
            Assert.That(exact[t].WithinOneUlp(raw[t]), Is.True, $"term {basis.FormatTerm(t)}: {raw[t]:R}");
        }
    }

    [Test]
    public void ApplyAffineAndShiftAreExactExpansionsToo()
    {
        var random = new Random(2);
        var basis = new MonomialBasis(3, 4);
        double[] q = FitTestData.Coefficients(random, basis.TermCount);
        double[] scale = [2.5, -0.75, 1e-3];
        double[] offset = [-3.25, 100.5, 0.1];
        var p = new double[basis.TermCount];
        AffineSubstitution.ApplyAffine(basis, q, scale, offset, p);
        Rational[] exact = ExactExpansion(basis, q, scale.Select(Rational.FromDouble).ToArray(), offset.Select(Rational.FromDouble).ToArray());
        for (int t = 0; t < basis.TermCount; t++)
        {
            Assert.That(exact[t].WithinOneUlp(p[t]), Is.True, $"affine, term {t}");
        }

        double[] center = [1.5, -2, 40];
        AffineSubstitution.Shift(basis, q, center, p);
        exact = ExactExpansion(basis, q, [new(1, 1), new(1, 1), new(1, 1)], center.Select(c => Rational.FromDouble(-c)).ToArray());
        for (int t = 0; t < basis.TermCount; t++)
        {
            Assert.That(exact[t].WithinOneUlp(p[t]), Is.True, $"shift, term {t}");
        }
    }

    [Test]
    public void ShiftedPolynomialEvaluatesAsTheOriginalAtShiftedPoints()
    {
        var random = new Random(3);
        var basis = new MonomialBasis(2, 6);
        double[] q = FitTestData.Coefficients(random, basis.TermCount);
        double[] center = [0.5, -1.25];
        var p = new double[basis.TermCount];
        AffineSubstitution.Shift(basis, q, center, p);
        double[] x = FitTestData.Points(random, 50, 2);
        double[] u = x.Select((xi, i) => xi - center[i % 2]).ToArray();
        double[] px = FitTestData.Evaluate(basis, p, x);
        double[] qu = FitTestData.Evaluate(basis, q, u);
        Assert.That(FitTestData.MaxRelativeError(px, qu), Is.LessThan(1e-12));
    }

    [Test]
    public void InPlaceApplyUsedByTheExpansionMatchesFromStandardized()
    {
        var random = new Random(4);
        var basis = new MonomialBasis(3, 3);
        double[] q = FitTestData.Coefficients(random, basis.TermCount);
        double[] center = [1, 2, 3];
        double[] scale = [0.5, 2, 4];
        var expected = new double[basis.TermCount];
        AffineSubstitution.FromStandardized(basis, q, center, scale, expected);

        double[] inPlace = (double[])q.Clone();
        AffineSubstitution.Apply(basis, center, scale, inPlace);
        Assert.That(inPlace, Is.EqualTo(expected));

        double[] centreOnly = (double[])q.Clone();
        AffineSubstitution.Apply(basis, center, [], centreOnly);
        var shifted = new double[basis.TermCount];
        AffineSubstitution.Shift(basis, q, center, shifted);
        Assert.That(centreOnly, Is.EqualTo(shifted));

        double[] identity = (double[])q.Clone();
        AffineSubstitution.Apply(basis, [], [], identity);
        Assert.That(identity, Is.EqualTo(q));
    }

    [Test]
    public void MatrixTimesCoefficientsEqualsTheExpansion()
    {
        var random = new Random(5);
        var basis = new MonomialBasis(2, 4);
        int p = basis.TermCount;
        double[] q = FitTestData.Coefficients(random, p);
        double[] center = [0.3, -0.7];
        double[] spread = [1.7, 0.4];
        var matrix = new double[p * p];
        AffineSubstitution.FromStandardizedMatrix(basis, center, spread, matrix);
        var expected = new double[p];
        AffineSubstitution.FromStandardized(basis, q, center, spread, expected);
        var product = new double[p];
        for (int a = 0; a < p; a++)
        {
            for (int b = 0; b < p; b++)
            {
                product[a] += matrix[(a * p) + b] * q[b];
            }
        }

        Assert.That(FitTestData.MaxRelativeError(product, expected), Is.LessThan(1e-13));
    }

    // Σ_i m_b(α·u_i + γ) from the sums Σ_i m_a(u_i): how accumulators with different standardisations merge.
    [Test]
    public void TransposedMapCarriesMomentSums()
    {
        var random = new Random(6);
        var basis = new MonomialBasis(3, 4);
        double[] u = FitTestData.Points(random, 40, 3);
        double[] alpha = [1.5, 0.5, -2];
        double[] gamma = [0.25, -1, 3];
        double[] z = u.Select((ui, i) => (alpha[i % 3] * ui) + gamma[i % 3]).ToArray();
        double[] sumsU = MomentSums(basis, u);
        double[] expected = MomentSums(basis, z);
        var carried = new double[basis.TermCount];
        AffineSubstitution.ApplyTransposed(basis, sumsU, alpha, gamma, carried);
        Assert.That(FitTestData.MaxRelativeError(carried, expected), Is.LessThan(1e-12));
    }

    private static double[] MomentSums(MonomialBasis basis, double[] points)
    {
        var sums = new double[basis.TermCount];
        var unit = new double[basis.TermCount];
        for (int t = 0; t < basis.TermCount; t++)
        {
            Array.Clear(unit);
            unit[t] = 1;
            sums[t] = FitTestData.Evaluate(basis, unit, points).Sum();
        }

        return sums;
    }

    [Test]
    public void BasisWithoutConstantRejectsAnOffsetButScales()
    {
        var basis = new MonomialBasis(2, 2, includeConstant: false);
        double[] q = [1, 2, 3, 4, 5];
        var p = new double[5];
        Assert.Throws<ArgumentException>(() => AffineSubstitution.FromStandardized(basis, q, [1, 0], [1, 1], p));
        AffineSubstitution.FromStandardized(basis, q, [0, 0], [2, 4], p);
        Assert.That(p, Is.EqualTo(new[] { 0.5, 0.5, 0.75, 0.5, 5.0 / 16 }));
    }

    [Test]
    public void RejectsBadMaps()
    {
        var basis = new MonomialBasis(2, 2);
        var q = new double[basis.TermCount];
        var p = new double[basis.TermCount];
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => AffineSubstitution.FromStandardized(basis, q, [0, 0], [1, 0], p));
            Assert.Throws<ArgumentException>(() => AffineSubstitution.FromStandardized(basis, q, [double.NaN, 0], [1, 1], p));
            Assert.Throws<ArgumentException>(() => AffineSubstitution.FromStandardized(basis, q, [0], [1, 1], p));
            Assert.Throws<ArgumentException>(() => AffineSubstitution.FromStandardized(basis, q, [0, 0], [1, 1], new double[3]));
        });
    }
}
