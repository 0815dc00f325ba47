using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Tests.LinearAlgebra;

// The managed fixture is a SIMD-path test (rerun under each instruction-set switch); the native one is not.
[TestFixture(ComputeBackend.Managed, Category = "Simd")]
[TestFixture(ComputeBackend.Native)]
public sealed class GemmTests(ComputeBackend backend)
{
    private ILinearAlgebraBackend _la = null!;

    [OneTimeSetUp]
    public void ResolveBackend() => _la = BackendUnderTest.Resolve(backend);

    // Every tail of the register tiles and vector widths (1 … 3×8 + 1 = 25, primes), and sizes crossing cache blocks.
    private static readonly int[] Sizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 15, 16, 17, 23, 24, 25, 31, 32, 33, 48, 49, 67];

    private static IEnumerable<TestCaseData> Shapes()
    {
        foreach (bool ta in new[] { false, true })
        {
            foreach (bool tb in new[] { false, true })
            {
                foreach (int s in Sizes)
                {
                    yield return new TestCaseData(ta, tb, s, 7, 5, 0).SetArgDisplayNames($"{ta}", $"{tb}", $"m={s}", "n=7", "k=5", "pad=0");
                    yield return new TestCaseData(ta, tb, 6, s, 9, 3).SetArgDisplayNames($"{ta}", $"{tb}", "m=6", $"n={s}", "k=9", "pad=3");
                    yield return new TestCaseData(ta, tb, 5, 11, s, 1).SetArgDisplayNames($"{ta}", $"{tb}", "m=5", "n=11", $"k={s}", "pad=1");
                }

                yield return new TestCaseData(ta, tb, 97, 131, 83, 2).SetArgDisplayNames($"{ta}", $"{tb}", "m=97", "n=131", "k=83", "pad=2");
                // Across the packing blocks: m > Mc = 144, k > Kc = 256, n > Nc = 1536.
                yield return new TestCaseData(ta, tb, 150, 50, 260, 5).SetArgDisplayNames($"{ta}", $"{tb}", "m=150", "n=50", "k=260", "pad=5");
                yield return new TestCaseData(ta, tb, 9, 1540, 20, 1).SetArgDisplayNames($"{ta}", $"{tb}", "m=9", "n=1540", "k=20", "pad=1");
            }
        }
    }

    [TestCaseSource(nameof(Shapes))]
    public void MatchesNaiveProduct(bool transA, bool transB, int m, int n, int k, int pad)
    {
        int lda = (transA ? m : k) + pad;
        int ldb = (transB ? k : n) + pad;
        double[] a = transA ? Reference.RandomMatrix(k, m, lda, 11 + m) : Reference.RandomMatrix(m, k, lda, 11 + m);
        double[] b = transB ? Reference.RandomMatrix(n, k, ldb, 13 + n) : Reference.RandomMatrix(k, n, ldb, 13 + n);

        // Naive sums Σ_p op(A)[i,p]·op(B)[p,j] and Σ_p |op(A)[i,p]·op(B)[p,j]|, shared by the three (α, β) cases.
        var sum = new double[m * n];
        var abs = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                double aip = Reference.At(a, lda, transA, i, p);
                for (int j = 0; j < n; j++)
                {
                    double prod = aip * Reference.At(b, ldb, transB, p, j);
                    sum[(i * n) + j] += prod;
                    abs[(i * n) + j] += Math.Abs(prod);
                }
            }
        }

        foreach ((double alpha, double beta) in new[] { (1.0, 0.0), (-0.75, 1.0), (1.5, -0.5) })
        {
            Check(transA, transB, m, n, k, pad, a, lda, b, ldb, sum, abs, alpha, beta);
        }
    }

    // Row split (m ≫ n) and column split (n ≫ m), with transposes and a β update.
    [TestCase(301, 203, 257, false, false)]
    [TestCase(20, 700, 300, true, true)]
    [TestCase(150, 150, 40, false, true)]
    public void ParallelMatchesSerialBitForBit(int m, int n, int k, bool transA, bool transB)
    {
        double[] a = transA ? Reference.RandomMatrix(k, m, m, 1) : Reference.RandomMatrix(m, k, k, 1);
        double[] b = transB ? Reference.RandomMatrix(n, k, k, 2) : Reference.RandomMatrix(k, n, n, 2);
        double[] c0 = Reference.RandomMatrix(m, n, n, 3);
        double[] serial = (double[])c0.Clone();
        _la.Gemm(transA, transB, m, n, k, 1.25, a, transA ? m : k, b, transB ? k : n, -0.5, serial, n, 1);
        foreach (int threads in new[] { 2, 3, -1 })
        {
            double[] parallel = (double[])c0.Clone();
            _la.Gemm(transA, transB, m, n, k, 1.25, a, transA ? m : k, b, transB ? k : n, -0.5, parallel, n, threads);
            if (backend == ComputeBackend.Managed)
            {
                Assert.That(parallel, Is.EqualTo(serial), $"threads = {threads}");
            }
            else
            {
                // OpenBLAS does not promise identical sums across thread counts: each result is within
                // γ_{k+2}·(|α|·Σ|a||b| + |β||c|) ≤ γ_{k+2}·(1.25k + 0.5) of the exact value (|entries| ≤ 1), so they differ by at most twice that.
                for (int i = 0; i < m * n; i++)
                {
                    Assert.That(parallel[i], Is.EqualTo(serial[i]).Within(2 * Reference.Gamma(k + 2) * ((1.25 * k) + 0.5)), $"threads = {threads}, index {i}");
                }
            }
        }
    }

    [Test]
    public void BetaZeroDoesNotReadC()
    {
        const int m = 9, n = 10, k = 3;
        double[] a = Reference.RandomMatrix(m, k, k, 3);
        double[] b = Reference.RandomMatrix(k, n, n, 4);
        var c = new double[m * n];
        c.AsSpan().Fill(double.NaN);
        _la.Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n);
        Assert.That(c.All(double.IsFinite), Is.True);
    }

    [Test]
    public void AlphaZeroScalesCOnlyAndPaddingIsUntouched()
    {
        const int m = 4, n = 5, k = 6, ldc = 8;
        double[] a = Reference.RandomMatrix(m, k, k, 5);
        a[3] = double.NaN; // α = 0: A and B are not read (BLAS semantics)
        double[] b = Reference.RandomMatrix(k, n, n, 6);
        double[] c = Reference.RandomMatrix(m, n, ldc, 7);
        double[] expected = (double[])c.Clone();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                expected[(i * ldc) + j] *= 2;
            }
        }

        _la.Gemm(false, false, m, n, k, 0, a, k, b, n, 2, c, ldc);
        Assert.That(c, Is.EqualTo(expected)); // padding is NaN in both: NUnit treats NaN as equal to NaN
    }

    private void Check(bool transA, bool transB, int m, int n, int k, int pad, double[] a, int lda, double[] b, int ldb,
                       double[] sum, double[] abs, double alpha, double beta)
    {
        int ldc = n + pad;
        double[] c = Reference.RandomMatrix(m, n, ldc, 17 + k);
        double[] c0 = (double[])c.Clone();
        if (beta == 0)
        {
            for (int i = 0; i < m; i++)
            {
                c.AsSpan(i * ldc, n).Fill(double.NaN);
            }
        }

        _la.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, 1);

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double cij = beta == 0 ? 0 : c0[(i * ldc) + j];
                double want = (alpha * sum[(i * n) + j]) + (beta * cij);

                // |fl(αAB + βC) − (αAB + βC)| ≤ γ_{k+2}·(|α|·|A||B| + |β|·|C|) for any summation order
                // (Higham, Accuracy and Stability, §3.5); the reference carries the same bound, hence 2×.
                double bound = 2 * Reference.Gamma(k + 2) * ((Math.Abs(alpha) * abs[(i * n) + j]) + Math.Abs(beta * cij));
                double got = c[(i * ldc) + j];
                if (!(Math.Abs(got - want) <= bound))
                {
                    Assert.Fail($"C[{i},{j}] = {got}, expected {want} ± {bound} (α={alpha}, β={beta})");
                }
            }

            for (int j = n; j < ldc && i < m - 1; j++)
            {
                Assert.That(c[(i * ldc) + j], Is.EqualTo(c0[(i * ldc) + j]), $"padding C[{i},{j}] was written");
            }
        }
    }
}
