using MathNet.Numerics.LinearAlgebra;
using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Tests.LinearAlgebra;

// The managed fixture is a SIMD-path test (rerun under each instruction-set switch); the native one is not.
[TestFixture(ComputeBackend.Managed, Category = "Simd")]
[TestFixture(ComputeBackend.Native)]
public sealed class PivotedQrTests(ComputeBackend backend)
{
    private ILinearAlgebraBackend _la = null!;

    [OneTimeSetUp]
    public void ResolveBackend() => _la = BackendUnderTest.Resolve(backend);

    private sealed record Factorisation(double[] Qr, int[] Permutation, double[] Tau, int Lda);

    // Blocking for the managed factorisation: (0, 0) = the defaults; otherwise (block size, crossover), so
    // that small matrices go through the blocked dlaqps path, several blocks and the dlaqp2 tail.
    private static readonly (int Block, int Crossover)[] Blockings = [(0, 0), (3, 2), (8, 0)];

    private Factorisation Factor(double[] rowMajor, int m, int n, int pad, bool pivot = true, (int Block, int Crossover) blocking = default)
    {
        int lda = Math.Max(1, m + pad);
        double[] qr = Reference.ToColumnMajor(rowMajor, m, n, lda);
        var permutation = new int[n];
        var tau = new double[Math.Min(m, n)];
        var work = new double[_la.QrWorkspaceSize(m, n)];
        if (blocking.Block == 0)
        {
            _la.QrFactor(qr, m, n, lda, permutation, tau, work, pivot);
        }
        else
        {
            PivotedQr.Factor(qr, m, n, lda, permutation, tau, work, pivot, blocking.Block, blocking.Crossover);
        }

        return new Factorisation(qr, permutation, tau, lda);
    }

    // The blockings that apply to this fixture: the explicit ones exercise the managed kernels only.
    private (int Block, int Crossover)[] BlockingsUnderTest() => backend == ComputeBackend.Managed ? Blockings : [default];

    private static IEnumerable<TestCaseData> Shapes()
    {
        int[][] shapes =
        [
            [1, 1], [2, 1], [1, 2], [3, 3], [5, 2], [2, 5], [8, 8], [9, 7], [17, 16], [16, 17], [25, 24],
            [33, 8], [50, 20], [64, 64], [65, 33], [100, 9], [130, 70], [7, 30], [201, 200],
        ];
        foreach (int[] s in shapes)
        {
            yield return new TestCaseData(s[0], s[1], s[0] % 3);
        }
    }

    [TestCaseSource(nameof(Shapes))]
    public void FactorReproducesThePermutedMatrix(int m, int n, int pad)
    {
        double[] a = Reference.RandomMatrix(m, n, n, (31 * m) + n);
        foreach ((bool pivot, var blocking) in new[] { true, false }.SelectMany(p => BlockingsUnderTest().Select(b => (p, b))))
        {
            Factorisation f = Factor(a, m, n, pad, pivot, blocking);
            int k = Math.Min(m, n);
            Assert.That(f.Permutation.Order(), Is.EqualTo(Enumerable.Range(0, n)));
            if (!pivot)
            {
                Assert.That(f.Permutation, Is.EqualTo(Enumerable.Range(0, n)));
            }

            // Column j of Q·R is Q·(R[0:min(j+1,k), j], 0…): apply Q to the stored R column.
            // Householder QR is normwise backward stable column by column (Higham Thm 19.4):
            // ‖Δa_j‖₂ ≤ γ̃_{mn}·‖a_j‖₂; we take γ̃_{mn} = n·γ_{6m} (n reflectors, each applied with error γ_{6m}),
            // and applying Q again in the test adds the same amount, hence 2×.
            var column = new double[m];
            for (int j = 0; j < n; j++)
            {
                Array.Clear(column);
                for (int i = 0; i <= Math.Min(j, k - 1); i++)
                {
                    column[i] = f.Qr[(j * f.Lda) + i];
                }

                PivotedQr.ApplyQ(f.Qr, m, k, f.Lda, f.Tau, column);
                var original = new double[m];
                for (int i = 0; i < m; i++)
                {
                    original[i] = a[(i * n) + f.Permutation[j]];
                }

                double err = Reference.Norm2(column.Zip(original, (x, y) => x - y).ToArray());
                double bound = 2 * n * Reference.Gamma(6 * m) * Reference.Norm2(original);
                Assert.That(err, Is.LessThanOrEqualTo(bound), $"column {j}, pivot={pivot}, blocking {blocking}");
            }

            if (pivot)
            {
                // Column pivoting makes |R[i,i]| ≥ ‖R[i:j+1, j]‖ for j > i (up to rounding in the downdates).
                for (int i = 0; i < k; i++)
                {
                    double rii = Math.Abs(f.Qr[(i * f.Lda) + i]);
                    for (int j = i + 1; j < n; j++)
                    {
                        double s = 0;
                        for (int l = i; l <= Math.Min(j, m - 1); l++)
                        {
                            s += f.Qr[(j * f.Lda) + l] * f.Qr[(j * f.Lda) + l];
                        }

                        Assert.That(Math.Sqrt(s), Is.LessThanOrEqualTo(rii * (1 + 1e-10)), $"pivot order at {i}, column {j}, blocking {blocking}");
                    }
                }
            }
        }
    }

    [TestCaseSource(nameof(Shapes))]
    public void QtAndQAreInverseOrthogonalMaps(int m, int n, int pad)
    {
        double[] a = Reference.RandomMatrix(m, n, n, m + (3 * n));
        Factorisation f = Factor(a, m, n, pad);
        int k = Math.Min(m, n);
        double[] b = Reference.RandomArray(m, 9);
        double[] y = (double[])b.Clone();
        PivotedQr.ApplyQt(f.Qr, m, k, f.Lda, f.Tau, y);
        Assert.That(Reference.Norm2(y), Is.EqualTo(Reference.Norm2(b)).Within(2 * k * Reference.Gamma(6 * m) * Reference.Norm2(b)), "Qᵀ preserves norms");
        PivotedQr.ApplyQ(f.Qr, m, k, f.Lda, f.Tau, y);
        for (int i = 0; i < m; i++)
        {
            Assert.That(y[i], Is.EqualTo(b[i]).Within(2 * k * Reference.Gamma(6 * m) * Reference.Norm2(b)));
        }
    }

    private static IEnumerable<TestCaseData> FullRankShapes()
    {
        foreach (int[] s in new[] { new[] { 1, 1 }, [4, 4], [9, 3], [17, 17], [40, 25], [100, 33], [257, 64] })
        {
            yield return new TestCaseData(s[0], s[1], 1e3);
            yield return new TestCaseData(s[0], s[1], 1e8);
        }
    }

    [TestCaseSource(nameof(FullRankShapes))]
    public void LeastSquaresRecoversAKnownExactSolution(int m, int n, double condition)
    {
        // A with singular values geometrically spaced from 1 to 1/condition; b = A·x exactly representable
        // consistent data (r = 0 in exact arithmetic).
        var sigma = Enumerable.Range(0, n).Select(i => n == 1 ? 1 : Math.Pow(condition, -(double)i / (n - 1))).ToArray();
        double[] a = Reference.WithSingularValues(m, n, sigma, m + n);
        double[] xTrue = Reference.RandomArray(n, 5);
        double[] b = Reference.Multiply(a, xTrue, m, n, 1);
        double[] x = Solve(a, b, m, n, out int rank);
        Assert.That(rank, Is.EqualTo(n));

        // Backward-stable LS with ‖ΔA‖ ≤ η‖A‖, η = n·γ_{6m}·√n (columnwise → normwise); for a consistent
        // system ‖x̂ − x‖/‖x‖ ≤ 2κη/(1 − κη) (Higham Thm 20.1 with r = 0); the data b = A·x carries a
        // further γ_n·κ.
        double kappa = condition;
        double eta = (n * Reference.Gamma(6 * m) * Math.Sqrt(n)) + Reference.Gamma(n);
        double bound = 2 * kappa * eta / (1 - (kappa * eta));
        double err = Reference.Norm2(x.Zip(xTrue, (p, q) => p - q).ToArray()) / Reference.Norm2(xTrue);
        Assert.That(err, Is.LessThanOrEqualTo(bound));
    }

    private static IEnumerable<TestCaseData> IllConditioned()
    {
        yield return new TestCaseData("Hilbert", 12, 7).SetName("Hilbert 12×7");
        yield return new TestCaseData("Hilbert", 20, 9).SetName("Hilbert 20×9");
        yield return new TestCaseData("Vandermonde", 40, 12).SetName("Vandermonde 40×12");
        yield return new TestCaseData("Vandermonde", 60, 16).SetName("Vandermonde 60×16");
        yield return new TestCaseData("Vandermonde", 300, 17).SetName("Vandermonde 300×17");
        yield return new TestCaseData("Hilbert", 40, 10).SetName("Hilbert 40×10");
    }

    private static double[] Build(string kind, int m, int n)
    {
        var a = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            double t = m == 1 ? 0 : (double)i / (m - 1);
            for (int j = 0; j < n; j++)
            {
                a[(i * n) + j] = kind == "Hilbert" ? 1.0 / (i + j + 1) : Math.Pow(t, j);
            }
        }

        return a;
    }

    [TestCaseSource(nameof(IllConditioned))]
    public void IllConditionedLeastSquaresIsBackwardStable(string kind, int m, int n)
    {
        double[] a = Build(kind, m, n);
        Matrix<double> ma = Matrix<double>.Build.Dense(m, n, (i, j) => a[(i * n) + j]);
        var svd = ma.Svd();
        double kappa = svd.S[0] / svd.S[n - 1];
        TestContext.Out.WriteLine($"κ₂ = {kappa:E2}");
        Assert.That(kappa, Is.InRange(1e6, 1e12), "the case must be ill-conditioned but within the documented range");

        // An incompatible right-hand side: b = A·x + a residual of size 1e-3.
        double[] xTrue = Reference.RandomArray(n, 1);
        double[] b = Reference.Multiply(a, xTrue, m, n, 1);
        double[] noise = Reference.RandomArray(m, 2);
        for (int i = 0; i < m; i++)
        {
            b[i] += 1e-3 * noise[i];
        }

        foreach (var blocking in BlockingsUnderTest())
        {
            CheckBackwardStable(a, b, m, n, ma, svd, blocking);
        }
    }

    private void CheckBackwardStable(double[] a, double[] b, int m, int n, Matrix<double> ma, MathNet.Numerics.LinearAlgebra.Factorization.Svd<double> svd, (int Block, int Crossover) blocking)
    {
        double[] x = Solve(a, b, m, n, out int rank, relativeTolerance: 1e-14, blocking: blocking);
        Assert.That(rank, Is.EqualTo(n));

        // Residual orthogonality: the computed x̂ solves a nearby problem (A + ΔA, b + Δb) with
        // ‖ΔA‖ ≤ η‖A‖, ‖Δb‖ ≤ η‖b‖, η = n·γ_{6m}·√n; then ‖Aᵀr̂‖ ≤ η‖A‖·(2‖r̂‖ + ‖A‖‖x̂‖ + ‖b‖) to first
        // order, and evaluating r̂ adds ‖A‖·γ_{n+1}·(‖b‖ + ‖A‖‖x̂‖).
        double[] r = (double[])b.Clone();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                r[i] -= a[(i * n) + j] * x[j];
            }
        }

        var atr = new double[n];
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < m; i++)
            {
                atr[j] += a[(i * n) + j] * r[i];
            }
        }

        double normA = svd.S[0], normX = Reference.Norm2(x), normB = Reference.Norm2(b), normR = Reference.Norm2(r);
        double eta = n * Reference.Gamma(6 * m) * Math.Sqrt(n);
        double orthogonalityBound = (eta * normA * ((2 * normR) + (normA * normX) + normB))
            + (normA * Reference.Gamma(n + 1) * (normB + (normA * normX) * Math.Sqrt(n)));
        Assert.That(Reference.Norm2(atr), Is.LessThanOrEqualTo(orthogonalityBound), "‖Aᵀr‖");

        // Normwise backward error (the residual is nearly optimal): ‖r̂‖ ≤ ‖r_opt‖·(1 + η) + η‖A‖‖x̂‖ + ‖b‖η,
        // with r_opt from MathNet's SVD solution (an independent reference).
        Vector<double> xSvd = svd.Solve(Vector<double>.Build.Dense(b));
        double rOpt = (Vector<double>.Build.Dense(b) - (ma * xSvd)).L2Norm();
        Assert.That(normR, Is.LessThanOrEqualTo((rOpt * (1 + eta)) + (eta * ((normA * normX) + normB))), "‖r‖ near the optimum");
    }

    private static IEnumerable<TestCaseData> RankDeficient()
    {
        yield return new TestCaseData(20, 10, 6);
        yield return new TestCaseData(30, 30, 1);
        yield return new TestCaseData(50, 17, 16);
        yield return new TestCaseData(9, 25, 9); // underdetermined, full row rank
        yield return new TestCaseData(12, 25, 5);
        yield return new TestCaseData(100, 40, 33);
        yield return new TestCaseData(220, 150, 120); // the default blocked path (more than 128 columns) with cancellation
        yield return new TestCaseData(140, 200, 130);
    }

    [TestCaseSource(nameof(RankDeficient))]
    public void RankDeficientSystemsGetTheRankAndTheMinimumNormSolution(int m, int n, int rank)
    {
        // A = B·C, B m×rank and C rank×n random: rank exactly `rank` (numerically, σ_rank ≫ ε‖A‖).
        double[] bm = Reference.RandomMatrix(m, rank, rank, m + n);
        double[] cm = Reference.RandomMatrix(rank, n, n, rank + 1);
        double[] a = Reference.Multiply(bm, cm, m, rank, n);
        double[] rhs = Reference.RandomArray(m, 4);
        foreach (var blocking in BlockingsUnderTest())
        {
            CheckMinimumNorm(a, rhs, m, n, rank, blocking);
        }
    }

    private void CheckMinimumNorm(double[] a, double[] rhs, int m, int n, int rank, (int Block, int Crossover) blocking)
    {
        double[] x = Solve(a, rhs, m, n, out int computedRank, blocking: blocking);
        Assert.That(computedRank, Is.EqualTo(rank), $"rank with the documented default tolerance max(m, n)·ε, blocking {blocking}");

        // Independent reference: x⁺ = A⁺·b with the pseudo-inverse from MathNet's SVD.
        Matrix<double> ma = Matrix<double>.Build.Dense(m, n, (i, j) => a[(i * n) + j]);
        var svd = ma.Svd();
        Vector<double> xPlus = ma.PseudoInverse() * Vector<double>.Build.Dense(rhs);
        double kappa = svd.S[0] / svd.S[rank - 1];

        // Perturbation bound for the minimum-norm solution of a rank-r problem (Higham §20.6 / Wedin):
        // ‖x̂ − x⁺‖/‖x⁺‖ ≤ c·κ_r·η·(2 + κ_r·‖r‖/(‖A‖‖x⁺‖)) with η = n·γ_{6m}·√n, c = 4 (both solutions
        // carry it; the truncated R22 = O(η‖A‖) contributes the same order).
        double normA = svd.S[0];
        double normR = (Vector<double>.Build.Dense(rhs) - (ma * xPlus)).L2Norm();
        double eta = n * Reference.Gamma(6 * Math.Max(m, n)) * Math.Sqrt(n);
        double bound = 4 * kappa * eta * (2 + (kappa * normR / (normA * xPlus.L2Norm())));
        double err = (Vector<double>.Build.Dense(x) - xPlus).L2Norm() / xPlus.L2Norm();
        TestContext.Out.WriteLine($"κ_r = {kappa:E2}, relative error {err:E2}, bound {bound:E2}");
        Assert.That(err, Is.LessThanOrEqualTo(bound));
    }

    [Test]
    public void ZeroMatrixHasRankZeroAndSolutionZero()
    {
        double[] x = Solve(new double[12], [1, 2, 3, 4], 4, 3, out int rank);
        Assert.That(rank, Is.Zero);
        Assert.That(x, Is.All.Zero);
    }

    [Test]
    public void RankCountsLeadingDiagonalAboveTheRelativeTolerance()
    {
        // Column-major 3×3 with R diagonal (4, 1e-3, 1e-9).
        double[] r = [4, 0, 0, 1, 1e-3, 0, 2, 3, 1e-9];
        Assert.Multiple(() =>
        {
            Assert.That(PivotedQr.Rank(r, 3, 3, 1e-12), Is.EqualTo(3));
            Assert.That(PivotedQr.Rank(r, 3, 3, 1e-6), Is.EqualTo(2));
            Assert.That(PivotedQr.Rank(r, 3, 3, 1e-2), Is.EqualTo(1));
            Assert.That(PivotedQr.Rank(r, 3, 3, 1), Is.EqualTo(0));
            Assert.That(PivotedQr.Rank(r, 2, 3, 3, 1e-12), Is.EqualTo(2), "m < n inspects min(m, n) entries");
            Assert.That(PivotedQr.DefaultRankTolerance(10, 3), Is.EqualTo(10 * (Math.BitIncrement(1.0) - 1)));
        });
    }

    private double[] Solve(double[] rowMajor, double[] rhs, int m, int n, out int rank, double relativeTolerance = -1, (int Block, int Crossover) blocking = default)
    {
        Factorisation f = Factor(rowMajor, m, n, 1, true, blocking);
        rank = PivotedQr.Rank(f.Qr, m, n, f.Lda, relativeTolerance < 0 ? PivotedQr.DefaultRankTolerance(m, n) : relativeTolerance);
        double[] b = (double[])rhs.Clone();
        var x = new double[n];
        double[] qrBefore = (double[])f.Qr.Clone();
        _la.QrSolveLeastSquares(f.Qr, m, n, f.Lda, f.Permutation, f.Tau, rank, b, x, new double[_la.LeastSquaresWorkspaceSize(m, n)]);
        Assert.That(f.Qr, Is.EqualTo(qrBefore), "the factorisation is left intact for further right-hand sides");
        return x;
    }
}
