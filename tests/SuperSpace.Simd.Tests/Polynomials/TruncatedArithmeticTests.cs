using SuperSpace.Simd.Polynomials;

namespace SuperSpace.Simd.Tests.Polynomials;

[TestFixture]
public sealed class TruncatedArithmeticTests
{
    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(1, 6);
        yield return new TestCaseData(3, 4);
        yield return new TestCaseData(5, 3);
        yield return new TestCaseData(4, 0);
    }

    [TestCaseSource(nameof(Shapes))]
    public void ProductTableAddsExponents(int variableCount, int degree)
    {
        ProductTable table = ProductTable.Get(variableCount, degree);
        MonomialBasis basis = table.Basis;
        int n = basis.TermCount;
        var ea = new int[variableCount];
        var eb = new int[variableCount];
        var sum = new int[variableCount];
        for (int a = 0; a < n; a++)
        {
            basis.GetExponents(a, ea);
            int count = (int)(table.RowStart[a + 1] - table.RowStart[a]);
            int expected = Enumerable.Range(0, n).Count(b => basis.GetDegree(b) + basis.GetDegree(a) <= degree);
            Assert.That(count, Is.EqualTo(expected));
            for (int b = 0; b < count; b++)
            {
                basis.GetExponents(b, eb);
                for (int i = 0; i < variableCount; i++)
                {
                    sum[i] = ea[i] + eb[i];
                }

                Assert.That(table.Targets[table.RowStart[a] + b], Is.EqualTo(basis.IndexOf(sum)));
            }
        }

        Assert.That(table.Targets.LongLength, Is.EqualTo(MonomialBasis.CountTerms(2 * variableCount, degree)), "C(2v + D, D) pairs");
        Assert.That(ProductTable.Get(variableCount, degree), Is.SameAs(table), "shared per (v, D)");
    }

    [Category("Simd")]
    [TestCase(3, 5, 8)]
    [TestCase(4, 4, 16)]
    [TestCase(2, 7, 8)]
    public void BatchedProductMatchesTheNaiveProduct(int variableCount, int degree, int lanes)
    {
        ProductTable table = ProductTable.Get(variableCount, degree);
        MonomialBasis basis = table.Basis;
        int n = basis.TermCount;
        var random = new Random(variableCount * 100 + degree);
        double[] a = Enumerable.Range(0, n * lanes).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] b = Enumerable.Range(0, n * lanes).Select(_ => random.NextDouble() - 0.5).ToArray();
        // A holds degrees 1 … 3 only, B 0 … D; truncate at L = D − 1.
        int aMin = 1, aMax = 3, limit = degree - 1;
        for (int t = 0; t < n; t++)
        {
            int d = basis.GetDegree(t);
            if (d < aMin || d > aMax)
            {
                a.AsSpan(t * lanes, lanes).Clear();
            }
        }

        var c = new double[n * lanes];
        TruncatedArithmetic.MultiplyAdd(table, a, aMin, aMax, b, 0, degree, c, limit, lanes);

        var expected = new double[n * lanes];
        var ea = new int[variableCount];
        var eb = new int[variableCount];
        for (int ia = 0; ia < n; ia++)
        {
            basis.GetExponents(ia, ea);
            for (int ib = 0; ib < n; ib++)
            {
                if (basis.GetDegree(ia) + basis.GetDegree(ib) > limit)
                {
                    continue;
                }

                basis.GetExponents(ib, eb);
                int target = basis.IndexOf(ea.Zip(eb, (x, y) => x + y).ToArray());
                for (int j = 0; j < lanes; j++)
                {
                    expected[(target * lanes) + j] += a[(ia * lanes) + j] * b[(ib * lanes) + j];
                }
            }
        }

        Assert.That(c, Is.EqualTo(expected).Within(1e-14));
    }

    [Test]
    public void AffineSubstitutionIsExact()
    {
        const int v = 3, degree = 5;
        var basis = new MonomialBasis(v, degree);
        var random = new Random(3);
        double[] p = Enumerable.Range(0, basis.TermCount).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] center = [0.5, -1.25, 2];
        double[] scale = [2, 0.5, -3];
        double[] q = (double[])p.Clone();
        AffineSubstitution.Apply(basis, center, scale, q);
        var original = new SuperPlane(basis, p);
        var substituted = new SuperPlane(basis, q);
        for (int k = 0; k < 20; k++)
        {
            double[] x = [(random.NextDouble() * 4) - 2, (random.NextDouble() * 4) - 2, (random.NextDouble() * 4) - 2];
            double[] u = [(x[0] - center[0]) / scale[0], (x[1] - center[1]) / scale[1], (x[2] - center[2]) / scale[2]];
            double expected = original.Evaluate(u);
            Assert.That(substituted.Evaluate(x), Is.EqualTo(expected).Within(1e-12 * Math.Max(1, Math.Abs(expected))));
        }
    }
}
