using SuperSpace.Simd.Polynomials;

namespace SuperSpace.Simd.Tests.Polynomials;

/// <summary>
/// The fused moment kernel against a naive reference: every moment Σ w·z^a of degree ≤ 2D (each monomial
/// as the product of its variables), Σ w·y_r·z^a for degree ≤ D, and Σ w·y_r², over shapes that exercise
/// every op kind (D = 0, D = 1 where the fused level holds y-moments, v > 8 for chunked leaf families)
/// and sample counts with partial tiles.
/// </summary>
[TestFixture]
[Category("Simd")]
public sealed class MomentKernelTests
{
    private static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(1, 0, 1, 5);
        yield return new TestCaseData(1, 1, 1, 33);
        yield return new TestCaseData(3, 1, 2, 100);
        yield return new TestCaseData(2, 3, 1, 257);
        yield return new TestCaseData(4, 2, 1, 64);
        yield return new TestCaseData(8, 3, 1, 300);
        yield return new TestCaseData(5, 4, 2, 71);
        yield return new TestCaseData(11, 2, 1, 130);
        yield return new TestCaseData(19, 1, 3, 45);
    }

    [TestCaseSource(nameof(Shapes))]
    public void MatchesNaiveMoments(int v, int degree, int k, int n)
    {
        var random = new Random((v * 1000) + (degree * 10) + k);
        double[] x = Enumerable.Range(0, n * v).Select(_ => (random.NextDouble() * 4) - 1).ToArray();
        double[] y = Enumerable.Range(0, n * k).Select(_ => random.NextDouble() - 0.3).ToArray();
        double[] w = Enumerable.Range(0, n).Select(i => i % 7 == 3 ? 0 : random.NextDouble() + 0.5).ToArray();
        double[] center = Enumerable.Range(0, v).Select(j => 0.25 * j).ToArray();
        double[] spread = Enumerable.Range(0, v).Select(j => 1.0 + (0.5 * j)).ToArray();

        var kernel = new MomentKernel(v, degree, k);
        foreach (bool weighted in new[] { false, true })
        {
            double[] result = new double[kernel.ResultLength];
            kernel.Accumulate(x, y, weighted ? w : [], center, spread, 0, n, kernel.CreateWorkspace(), result);

            var basis = kernel.MomentBasis;
            var exponents = new int[v];
            var expected = new double[kernel.ResultLength];
            for (int i = 0; i < n; i++)
            {
                double wi = weighted ? w[i] : 1;
                for (int t = 0; t < basis.TermCount; t++)
                {
                    basis.GetExponents(t, exponents);
                    double m = wi;
                    for (int j = 0; j < v; j++)
                    {
                        double zj = (x[(i * v) + j] - center[j]) / spread[j];
                        for (int e = 0; e < exponents[j]; e++)
                        {
                            m *= zj;
                        }
                    }

                    expected[t] += m;
                    if (t < kernel.LowCount)
                    {
                        for (int r = 0; r < k; r++)
                        {
                            expected[kernel.MomentCount + (r * kernel.LowCount) + t] += m * y[(i * k) + r];
                        }
                    }
                }

                for (int r = 0; r < k; r++)
                {
                    expected[kernel.MomentCount + (k * kernel.LowCount) + r] += wi * y[(i * k) + r] * y[(i * k) + r];
                }
            }

            for (int e = 0; e < expected.Length; e++)
            {
                Assert.That(result[e], Is.EqualTo(expected[e]).Within(1e-12 * Math.Max(1, Math.Abs(expected[e]))),
                            $"entry {e} of {expected.Length} (weighted: {weighted})");
            }
        }
    }

    [Test]
    public void MomentsDoNotDependOnTheThreadCount()
    {
        int v = 4, degree = 3, n = 70_000;
        var random = new Random(3);
        double[] x = Enumerable.Range(0, n * v).Select(_ => random.NextDouble()).ToArray();
        double[] y = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        double[] center = [0.5, 0.5, 0.5, 0.5];
        double[] spread = [0.3, 0.3, 0.3, 0.3];
        var kernel = new MomentKernel(v, degree, 1);
        double[] one = MomentPass.Run(kernel, x, y, [], center, spread, 1);
        double[] two = MomentPass.Run(kernel, x, y, [], center, spread, 2);
        double[] many = MomentPass.Run(kernel, x, y, [], center, spread, 7);
        Assert.Multiple(() =>
        {
            Assert.That(two, Is.EqualTo(one));
            Assert.That(many, Is.EqualTo(one));
        });
    }
}
