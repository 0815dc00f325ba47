using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Tests.LinearAlgebra;

// The managed fixture is a SIMD-path test (rerun under each instruction-set switch); the native one is not.
[TestFixture(ComputeBackend.Managed, Category = "Simd")]
[TestFixture(ComputeBackend.Native)]
public sealed class CholeskyTests(ComputeBackend backend)
{
    private ILinearAlgebraBackend _la = null!;

    [OneTimeSetUp]
    public void ResolveBackend() => _la = BackendUnderTest.Resolve(backend);

    /// <summary>SPD A = BᵀB/m + shift·I (n×n, row-major, ld), lower triangle NaN (never read).</summary>
    internal static double[] RandomSpd(int n, int ld, int seed, double shift = 0.1, bool fillLower = false)
    {
        int m = n + 5;
        double[] b = Reference.RandomMatrix(m, n, n, seed);
        var a = new double[n == 0 ? 0 : ((n - 1) * ld) + n];
        a.AsSpan().Fill(double.NaN);
        for (int i = 0; i < n; i++)
        {
            for (int j = fillLower ? 0 : i; j < n; j++)
            {
                double s = 0;
                for (int r = 0; r < m; r++)
                {
                    s += b[(r * n) + i] * b[(r * n) + j];
                }

                a[(i * ld) + j] = (s / m) + (i == j ? shift : 0);
            }
        }

        return a;
    }

    private static IEnumerable<TestCaseData> Sizes() =>
        new[] { 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 25, 31, 33, 64, 65, 100, 129, 257 }.Select(n => new TestCaseData(n, n % 4));

    [TestCaseSource(nameof(Sizes))]
    public void FactorReproducesTheMatrix(int n, int pad)
    {
        int lda = n + pad;
        double[] a = RandomSpd(n, lda, n);
        double[] u = (double[])a.Clone();
        Assert.That(_la.CholeskyFactor(u, n, lda), Is.Zero);

        // Backward error (Higham Thm 10.3): UᵀU = A + ΔA, |ΔA| ≤ γ_{n+1}·|Uᵀ||U|; forming UᵀU in the
        // test adds γ_n·|Uᵀ||U|.
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                int idx = (i * lda) + j;
                if (j < i)
                {
                    Assert.That(u[idx], Is.NaN, "the lower triangle was written");
                    continue;
                }

                double s = 0, abs = 0;
                for (int k = 0; k <= i; k++)
                {
                    s += u[(k * lda) + i] * u[(k * lda) + j];
                    abs += Math.Abs(u[(k * lda) + i] * u[(k * lda) + j]);
                }

                double bound = (Reference.Gamma(n + 1) + Reference.Gamma(n)) * abs;
                if (!(Math.Abs(s - a[idx]) <= bound))
                {
                    Assert.Fail($"(UᵀU)[{i},{j}] = {s}, A = {a[idx]}, bound {bound}");
                }
            }
        }
    }

    [TestCaseSource(nameof(Sizes))]
    public void SolveHasSmallBackwardError(int n, int pad)
    {
        int lda = n + pad;
        const int nrhs = 3;
        int ldb = nrhs + 2;
        double[] a = RandomSpd(n, lda, n + 1);
        double[] u = (double[])a.Clone();
        Assert.That(_la.CholeskyFactor(u, n, lda), Is.Zero);
        double[] b = Reference.RandomMatrix(n, nrhs, ldb, 3);
        double[] x = (double[])b.Clone();
        _la.CholeskySolve(u, n, lda, x, nrhs, ldb);

        // (A + ΔA)·x̂ = b with |ΔA| ≤ γ_{3n+1}·|Uᵀ||U| (Higham Thm 10.4); evaluating the residual adds
        // γ_{n+1}·(|b| + |A||x̂|).
        for (int c = 0; c < nrhs; c++)
        {
            for (int i = 0; i < n; i++)
            {
                double r = b[(i * ldb) + c], ax = 0, utux = 0;
                for (int j = 0; j < n; j++)
                {
                    double aij = j >= i ? a[(i * lda) + j] : a[(j * lda) + i];
                    r -= aij * x[(j * ldb) + c];
                    ax += Math.Abs(aij * x[(j * ldb) + c]);
                    double g = 0;
                    for (int k = 0; k <= Math.Min(i, j); k++)
                    {
                        g += Math.Abs(u[(k * lda) + i] * u[(k * lda) + j]);
                    }

                    utux += g * Math.Abs(x[(j * ldb) + c]);
                }

                double bound = (Reference.Gamma((3 * n) + 1) * utux) + (Reference.Gamma(n + 1) * (Math.Abs(b[(i * ldb) + c]) + ax));
                Assert.That(Math.Abs(r), Is.LessThanOrEqualTo(bound), $"row {i}, rhs {c}");
            }
        }
    }

    [Test]
    public void IndefiniteMatrixReportsTheFailingPivotWithoutThrowing()
    {
        // [[4, 2, 0], [2, 1, 3], [0, 3, 5]]: the second pivot is 1 − 2²/4 = 0, not positive.
        double[] a = [4, 2, 0, double.NaN, 1, 3, double.NaN, double.NaN, 5];
        Assert.That(_la.CholeskyFactor(a, 3, 3), Is.EqualTo(2));
        Assert.That(a[0], Is.EqualTo(2), "the first row of U was computed");

        double[] negative = [1, 2, double.NaN, -3];
        Assert.That(_la.CholeskyFactor(negative, 2, 2), Is.EqualTo(2));

        double[] first = [-1, 0, double.NaN, 1];
        Assert.That(_la.CholeskyFactor(first, 2, 2), Is.EqualTo(1));

        double[] nan = [1, 0, double.NaN, double.NaN];
        Assert.That(_la.CholeskyFactor(nan, 2, 2), Is.EqualTo(2));
    }

    [Test]
    public void EmptyMatrixFactorsTrivially() => Assert.That(_la.CholeskyFactor([], 0, 1), Is.Zero);
}

[TestFixture]
[Category("Simd")]
public sealed class CholeskyManagedExtrasTests
{
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(5)]
    [TestCase(17)]
    [TestCase(40)]
    public void ReciprocalConditionBracketsTheExactValue(int n)
    {
        foreach (double shift in new[] { 1.0, 1e-3, 1e-8 })
        {
            double[] a = CholeskyTests.RandomSpd(n, n, n + 10, shift, fillLower: true);
            double exact = ExactReciprocalCondition(a, n);
            double[] u = (double[])a.Clone();
            Assert.That(Cholesky.Factor(u, n, n), Is.Zero);
            double anorm = OneNorm(a, n);
            double estimate = Cholesky.ReciprocalCondition(u, n, n, anorm, new double[Cholesky.ReciprocalConditionWorkspaceSize(n)]);

            // The estimator evaluates ‖A⁻¹x‖₁ at unit-1-norm vectors x, so it never exceeds ‖A⁻¹‖₁: rcond is
            // bounded below by the exact value (up to the solves' relative error, generously 1e-6 at
            // κ ≤ 1e9). Hager/Higham estimates are within a factor 3 in practice (Higham 1988, §5).
            Assert.That(estimate, Is.GreaterThanOrEqualTo(exact * (1 - 1e-6)), $"shift {shift}");
            Assert.That(estimate, Is.LessThanOrEqualTo(3 * exact), $"shift {shift}");
        }
    }

    [Test]
    public void ReciprocalConditionOfHilbertIsTiny()
    {
        const int n = 8;
        var h = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                h[(i * n) + j] = 1.0 / (i + j + 1);
            }
        }

        double exact = ExactReciprocalCondition(h, n);
        double[] u = (double[])h.Clone();
        Assert.That(Cholesky.Factor(u, n, n), Is.Zero);
        double estimate = Cholesky.ReciprocalCondition(u, n, n, OneNorm(h, n), new double[n]);
        // κ₁(H₈) ≈ 3.4e10: the solves lose about κ·u ≈ 4e-6 relative.
        Assert.That(estimate, Is.InRange(exact * (1 - 1e-4), 3 * exact));
    }

    [Test]
    public void ReciprocalConditionEdgeCases()
    {
        Assert.That(Cholesky.ReciprocalCondition([], 0, 1, 0, []), Is.EqualTo(1));
        Assert.That(Cholesky.ReciprocalCondition([2.0], 1, 1, 0, new double[1]), Is.Zero);
        Assert.That(Cholesky.ReciprocalCondition([2.0], 1, 1, 4, new double[1]), Is.EqualTo(1));
    }

    [TestCase(6, 6)]
    [TestCase(6, 3)]
    [TestCase(20, 1)]
    [TestCase(33, 17)]
    [TestCase(50, 49)]
    public void PivotedFactorRevealsTheRankOfASemiDefiniteMatrix(int n, int rank)
    {
        // A = BᵀB with B rank×n: positive semi-definite of rank `rank`.
        double[] b = Reference.RandomMatrix(rank, n, n, n + rank);
        double[] a = Reference.Multiply(Reference.Transpose(b, rank, n), b, n, rank, n);
        double[] f = (double[])a.Clone();
        var permutation = new int[n];
        int r = Cholesky.FactorPivoted(f, n, n, permutation, -1, new double[Cholesky.PivotedWorkspaceSize(n)]);
        Assert.That(r, Is.EqualTo(rank));
        Assert.That(permutation.Order(), Is.EqualTo(Enumerable.Range(0, n)));

        // (P·A·Pᵀ)[i,j] = A[p_i, p_j] ≈ (UᵀU)[i,j] with U the leading r rows; backward error as for the
        // unpivoted factor plus the neglected trailing block, which is O(u·‖A‖) (Higham 2002, §10.3).
        double anorm = a.Max(Math.Abs);
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                double s = 0, abs = 0;
                for (int k = 0; k <= Math.Min(i, r - 1); k++)
                {
                    s += f[(k * n) + i] * f[(k * n) + j];
                    abs += Math.Abs(f[(k * n) + i] * f[(k * n) + j]);
                }

                double expected = a[(permutation[i] * n) + permutation[j]];
                double bound = ((Reference.Gamma(n + 1) + Reference.Gamma(n)) * abs) + (Reference.Gamma(4 * n) * n * anorm);
                Assert.That(s, Is.EqualTo(expected).Within(bound), $"({i},{j})");
            }
        }

        // Pivots never increase.
        for (int k = 1; k < r; k++)
        {
            Assert.That(f[(k * n) + k], Is.LessThanOrEqualTo(f[((k - 1) * n) + k - 1] * (1 + 1e-12)));
        }
    }

    [Test]
    public void PivotedFactorHonoursAnExplicitTolerance()
    {
        // diag(4, 1e-6, 9): with tolerance 1e-3 the 1e-6 pivot stops the factorisation at rank 2.
        double[] a = [4, 0, 0, 0, 1e-6, 0, 0, 0, 9];
        var permutation = new int[3];
        Assert.That(Cholesky.FactorPivoted(a, 3, 3, permutation, 1e-3, new double[6]), Is.EqualTo(2));
        Assert.That(permutation, Is.EqualTo(new[] { 2, 0, 1 }));
        Assert.That(a[0], Is.EqualTo(3));
        Assert.That(a[4], Is.EqualTo(2));
    }

    private static double OneNorm(double[] a, int n)
    {
        double max = 0;
        for (int j = 0; j < n; j++)
        {
            double s = 0;
            for (int i = 0; i < n; i++)
            {
                s += Math.Abs(a[(i * n) + j]);
            }

            max = Math.Max(max, s);
        }

        return max;
    }

    // 1/(‖A‖₁·‖A⁻¹‖₁) with A⁻¹ from MathNet's LU inverse (an independent implementation).
    private static double ExactReciprocalCondition(double[] a, int n)
    {
        var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n, (i, j) => a[(i * n) + j]);
        return 1 / (m.L1Norm() * m.Inverse().L1Norm());
    }
}
