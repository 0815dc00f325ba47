using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Tests.LinearAlgebra;

[TestFixture]
[Category("Simd")]
public sealed class TriangularTests
{
    private static IEnumerable<TestCaseData> Shapes()
    {
        foreach (int n in new[] { 1, 2, 3, 5, 8, 9, 16, 17, 24, 25, 31, 64, 97 })
        {
            foreach (int nrhs in new[] { 1, 3, 8, 17, 33, 70 })
            {
                yield return new TestCaseData(n, nrhs, n % 3);
            }
        }
    }

    // A well-conditioned random upper triangle: unit-ish diagonal dominance keeps ‖U⁻¹‖ moderate.
    private static double[] UpperTriangle(int n, int lda, int seed)
    {
        double[] u = Reference.RandomMatrix(n, n, lda, seed);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                u[(i * lda) + j] = double.NaN; // the lower triangle is never read
            }

            u[(i * lda) + i] = 2 + Math.Abs(u[(i * lda) + i]);
        }

        return u;
    }

    [TestCaseSource(nameof(Shapes))]
    public void SolvesHaveSmallComponentwiseResidual(int n, int nrhs, int pad)
    {
        int lda = n + pad;
        int ldb = nrhs + 1;
        double[] u = UpperTriangle(n, lda, n + nrhs);
        foreach (bool transposed in new[] { false, true })
        {
            double[] b = Reference.RandomMatrix(n, nrhs, ldb, 7 * n);
            double[] x = (double[])b.Clone();
            double[] xb = (double[])b.Clone();
            if (transposed)
            {
                Triangular.SolveUpperTransposed(u, n, lda, x, nrhs, ldb);
                Triangular.SolveUpperTransposedBlocked(u, n, lda, xb, nrhs, ldb);
            }
            else
            {
                Triangular.SolveUpper(u, n, lda, x, nrhs, ldb);
                Triangular.SolveUpperBlocked(u, n, lda, xb, nrhs, ldb);
            }

            AssertResidual(u, n, lda, transposed, b, x, nrhs, ldb);

            // The blocked variants (GEMM updates between 16-row diagonal solves) satisfy the same bound.
            AssertResidual(u, n, lda, transposed, b, xb, nrhs, ldb);

            if (nrhs == 1)
            {
                double[] single = new double[n];
                for (int i = 0; i < n; i++)
                {
                    single[i] = b[i * ldb];
                }

                if (transposed)
                {
                    Triangular.SolveUpperTransposed(u, n, lda, single);
                }
                else
                {
                    Triangular.SolveUpper(u, n, lda, single);
                }

                var asMatrix = new double[n];
                var rhs = new double[n];
                for (int i = 0; i < n; i++)
                {
                    rhs[i] = b[i * ldb];
                }

                single.CopyTo(asMatrix, 0);
                AssertResidual(u, n, lda, transposed, rhs, asMatrix, 1, 1);
            }

            for (int i = 0; i < n - 1; i++)
            {
                Assert.That(x[(i * ldb) + nrhs], Is.NaN, "padding of B was written");
            }
        }
    }

    // Backward stability of substitution (Higham Thm 8.5): (U + ΔU)·x̂ = b with |ΔU| ≤ γ_n|U|, so
    // |b − U·x̂| ≤ γ_n·|U|·|x̂|; evaluating the residual adds γ_{n+1}·(|b| + |U|·|x̂|).
    private static void AssertResidual(double[] u, int n, int lda, bool transposed, double[] b, double[] x, int nrhs, int ldb)
    {
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < nrhs; c++)
            {
                double s = b[(i * ldb) + c], abs = 0;
                for (int j = 0; j < n; j++)
                {
                    double uij = transposed ? (j <= i ? u[(j * lda) + i] : 0) : (j >= i ? u[(i * lda) + j] : 0);
                    s -= uij * x[(j * ldb) + c];
                    abs += Math.Abs(uij * x[(j * ldb) + c]);
                }

                double bound = (Reference.Gamma(n) * abs) + (Reference.Gamma(n + 1) * (Math.Abs(b[(i * ldb) + c]) + abs));
                Assert.That(Math.Abs(s), Is.LessThanOrEqualTo(bound), $"row {i}, rhs {c}, transposed={transposed}");
            }
        }
    }
}
