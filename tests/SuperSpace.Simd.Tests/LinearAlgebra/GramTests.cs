using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Tests.LinearAlgebra;

// The managed fixture is a SIMD-path test (rerun under each instruction-set switch); the native one is not.
[TestFixture(ComputeBackend.Managed, Category = "Simd")]
[TestFixture(ComputeBackend.Native)]
public sealed class GramTests(ComputeBackend backend)
{
    private ILinearAlgebraBackend _la = null!;

    [OneTimeSetUp]
    public void ResolveBackend() => _la = BackendUnderTest.Resolve(backend);

    private static readonly int[] Columns = [1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 15, 16, 17, 23, 24, 25, 31, 32, 33, 47, 65, 130];
    private static readonly int[] Rows = [1, 2, 3, 5, 8, 17, 64, 257, 1031];

    private static IEnumerable<TestCaseData> Shapes()
    {
        foreach (int n in Columns)
        {
            yield return new TestCaseData(37, n, 0);
            yield return new TestCaseData(300, n, 3);
        }

        foreach (int m in Rows)
        {
            yield return new TestCaseData(m, 11, 1);
            yield return new TestCaseData(m, 26, 0);
        }
    }

    [TestCaseSource(nameof(Shapes))]
    public void MatchesNaiveSums(int m, int n, int pad)
    {
        int lda = n + pad;
        int ldc = n + 2;
        double[] a = Reference.RandomMatrix(m, n, lda, m + (7 * n));
        double[] b = Reference.RandomArray(m, m - n);
        foreach (bool accumulate in new[] { false, true })
        {
            double[] c = Reference.RandomMatrix(n, n, ldc, 3);
            double[] c0 = (double[])c.Clone();
            double[] atb = Reference.RandomArray(n + 1, 5);
            double[] atb0 = (double[])atb.Clone();
            if (!accumulate)
            {
                for (int i = 0; i < n; i++)
                {
                    c.AsSpan((i * ldc) + i, n - i).Fill(double.NaN); // not read when not accumulating
                }

                atb.AsSpan(0, n).Fill(double.NaN);
            }

            _la.Gram(m, n, a, lda, c, ldc, accumulate, b, atb.AsSpan(0, n), 1);

            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    int idx = (i * ldc) + j;
                    if (j < i)
                    {
                        Assert.That(c[idx], Is.EqualTo(c0[idx]), $"lower triangle C[{i},{j}] was written");
                        continue;
                    }

                    double s = accumulate ? c0[idx] : 0, abs = Math.Abs(s);
                    for (int r = 0; r < m; r++)
                    {
                        double p = a[(r * lda) + i] * a[(r * lda) + j];
                        s += p;
                        abs += Math.Abs(p);
                    }

                    // |fl(Σ) − Σ| ≤ γ_{m+1}·Σ|a_ri·a_rj| (+ the accumulated term), twice for the reference's own error.
                    double bound = 2 * Reference.Gamma(m + 1) * abs;
                    if (!(Math.Abs(c[idx] - s) <= bound))
                    {
                        Assert.Fail($"C[{i},{j}] = {c[idx]}, expected {s} ± {bound} (accumulate={accumulate})");
                    }
                }

                double t = accumulate ? atb0[i] : 0, tabs = Math.Abs(t);
                for (int r = 0; r < m; r++)
                {
                    t += a[(r * lda) + i] * b[r];
                    tabs += Math.Abs(a[(r * lda) + i] * b[r]);
                }

                Assert.That(atb[i], Is.EqualTo(t).Within(2 * Reference.Gamma(m + 1) * tabs), $"atb[{i}]");
            }

            Assert.That(atb[n], Is.EqualTo(atb0[n]), "atb past n was written");
        }
    }

    [Test]
    public void WithoutAtbOnlyCIsComputed()
    {
        const int m = 50, n = 9;
        double[] a = Reference.RandomMatrix(m, n, n, 1);
        var c = new double[n * n];
        _la.Gram(m, n, a, n, c, n, false, default, default);
        var expected = Reference.Multiply(Reference.Transpose(a, m, n), a, n, m, n);
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                Assert.That(c[(i * n) + j], Is.EqualTo(expected[(i * n) + j]).Within(2 * Reference.Gamma(m) * m));
            }
        }
    }

    [Test]
    public void ResultIsBitIdenticalForEveryThreadCount()
    {
        if (backend == ComputeBackend.Native)
        {
            Assert.Ignore("determinism across thread counts is a property of the managed kernels (OpenBLAS does not promise it)");
        }

        const int m = 20_011, n = 70;
        double[] a = Reference.RandomMatrix(m, n, n, 21);
        double[] b = Reference.RandomArray(m, 22);
        double[]? first = null;
        double[]? firstAtb = null;
        foreach (int threads in new[] { 1, 2, 3, 4, -1 })
        {
            var c = new double[n * n];
            var atb = new double[n];
            _la.Gram(m, n, a, n, c, n, false, b, atb, threads);
            first ??= c;
            firstAtb ??= atb;
            Assert.That(c, Is.EqualTo(first), $"threads = {threads}");
            Assert.That(atb, Is.EqualTo(firstAtb), $"threads = {threads}");
        }
    }
}
