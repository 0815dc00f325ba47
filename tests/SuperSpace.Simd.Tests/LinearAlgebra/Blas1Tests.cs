using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Tests.LinearAlgebra;

[TestFixture]
[Category("Simd")]
public sealed class Blas1Tests
{
    // Every length from 0 to 3×8 + 1 (three Vector512<double> widths and a tail), then a few larger and prime.
    private static IEnumerable<int> Lengths() => Enumerable.Range(0, 27).Concat([31, 32, 33, 63, 64, 65, 127, 1000, 1021]);

    [TestCaseSource(nameof(Lengths))]
    public void DotMatchesNaiveSum(int n)
    {
        double[] x = Reference.RandomArray(n + 3, n);
        double[] y = Reference.RandomArray(n + 3, n + 100);
        double s = 0, abs = 0;
        for (int i = 0; i < n; i++)
        {
            s += x[i + 1] * y[i + 2];
            abs += Math.Abs(x[i + 1] * y[i + 2]);
        }

        // |fl(xᵀy) − xᵀy| ≤ γ_n·|x|ᵀ|y| for any order; both results carry it.
        double got = Blas1.Dot(x.AsSpan(1, n), y.AsSpan(2, n));
        Assert.That(got, Is.EqualTo(s).Within(2 * Reference.Gamma(n) * abs));
    }

    [TestCaseSource(nameof(Lengths))]
    public void AxpyAndScaleMatchNaiveLoops(int n)
    {
        double[] x = Reference.RandomArray(n, n);
        double[] y = Reference.RandomArray(n + 2, n + 7);
        double[] expected = (double[])y.Clone();
        const double alpha = -1.375;
        for (int i = 0; i < n; i++)
        {
            expected[i + 1] += alpha * x[i];
        }

        Blas1.Axpy(alpha, x, y.AsSpan(1, n));

        // One product and one sum per entry: |Δ| ≤ γ_2·(|αx| + |y|) per entry (a fused product is exact).
        for (int i = 0; i < n + 2; i++)
        {
            double bound = i == 0 || i == n + 1 ? 0 : 2 * Reference.Gamma(2) * (Math.Abs(alpha * x[i - 1]) + Math.Abs(expected[i]));
            Assert.That(y[i], Is.EqualTo(expected[i]).Within(bound), $"y[{i}]");
        }

        double[] z = (double[])x.Clone();
        Blas1.Scale(3.25, z.AsSpan());
        for (int i = 0; i < n; i++)
        {
            Assert.That(z[i], Is.EqualTo(3.25 * x[i]), "a single product is correctly rounded");
        }
    }

    [TestCaseSource(nameof(Lengths))]
    public void InPlaceUpdatesApplyEachElementOnce(int n)
    {
        // The element-wise drivers store an overlapping last vector; in place it must still use the inputs.
        double[] x = Reference.RandomArray(n, 2 * n);
        double[] y = (double[])x.Clone();
        Blas1.Axpy(0.5, y, y);                 // y = 1.5·x exactly (α·x + x with one rounding)
        Blas1.Scale(-2, x);                     // x = −2·x
        for (int i = 0; i < n; i++)
        {
            Assert.That(y[i], Is.EqualTo(Math.FusedMultiplyAdd(0.5, -x[i] / 2, -x[i] / 2)), $"axpy y[{i}]");
        }

        // Ones: any lane counted twice by the masked tail would show as a sum above n.
        double[] ones = Enumerable.Repeat(1.0, n).ToArray();
        Assert.That(Blas1.Dot(ones, ones), Is.EqualTo(n));
    }

    [TestCaseSource(nameof(Lengths))]
    public void Norm2MatchesDoubleDoubleReference(int n)
    {
        double[] x = Reference.RandomArray(n, 3 * n);
        // ‖x‖ computed with n rounded products and sums then a square root: relative error ≤ γ_{n+2}.
        Assert.That(Blas1.Norm2(x), Is.EqualTo(Reference.Norm2(x)).Within(Reference.Gamma(n + 2) * Reference.Norm2(x)));
    }

    [TestCase(1e-200)]
    [TestCase(1e200)]
    [TestCase(4.9e-324)]
    [TestCase(1e307)]
    [TestCase(1e-310)]
    public void Norm2NeitherOverflowsNorUnderflows(double scale)
    {
        foreach (int n in new[] { 1, 2, 7, 9, 33, 100 })
        {
            double[] x = Reference.RandomArray(n, n);
            for (int i = 0; i < n; i++)
            {
                x[i] *= scale;
            }

            double expected = Reference.Norm2(x);
            Assert.That(expected, Is.GreaterThan(0).And.LessThan(double.PositiveInfinity));
            Assert.That(Blas1.Norm2(x), Is.EqualTo(expected).Within(Reference.Gamma(n + 2) * expected), $"n = {n}");
        }
    }

    [Test]
    public void Norm2SpecialValues()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Blas1.Norm2([]), Is.Zero);
            Assert.That(Blas1.Norm2(new double[17]), Is.Zero);
            Assert.That(Blas1.Norm2([3, 4]), Is.EqualTo(5));
            Assert.That(Blas1.Norm2([1, double.PositiveInfinity, 2]), Is.EqualTo(double.PositiveInfinity));
            Assert.That(Blas1.Norm2([1, double.NegativeInfinity, double.NaN]), Is.NaN);
            Assert.That(Blas1.Norm2([1, double.NaN, 2, 3, 4, 5, 6, 7, 8, 9, 10]), Is.NaN);
            Assert.That(Blas1.Norm2([1e300, 1e300]), Is.EqualTo(Math.Sqrt(2) * 1e300).Within(1).Ulps);
        });
    }
}
