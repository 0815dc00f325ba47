using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Tests.LinearAlgebra;

/// <summary>The kernels allocate nothing per call on the calling thread (workspaces are the caller's).</summary>
[TestFixture(ComputeBackend.Managed)]
[TestFixture(ComputeBackend.Native)]
public sealed class AllocationTests(ComputeBackend backend)
{
    private ILinearAlgebraBackend _la = null!;

    [OneTimeSetUp]
    public void ResolveBackend() => _la = BackendUnderTest.Resolve(backend);

    private static long AllocatedBy(Action action)
    {
        action(); // warm-up: JIT, static initialisation, pool priming
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Test]
    public void KernelsDoNotAllocate()
    {
        const int m = 300, n = 70;
        double[] a = Reference.RandomMatrix(m, n, n, 1);
        double[] b = Reference.RandomArray(m, 2);
        double[] bm = Reference.RandomMatrix(n, n, n, 3);
        var c = new double[n * n];
        var atb = new double[n];
        double[] spd = CholeskyTests.RandomSpd(n, n, 4);
        var u = new double[n * n];
        var rhs = new double[n * 2];
        double[] colMajor = Reference.ToColumnMajor(a, m, n, m);
        var qr = new double[colMajor.Length];
        var permutation = new int[n];
        var tau = new double[n];
        var work = new double[Math.Max(_la.QrWorkspaceSize(m, n), _la.LeastSquaresWorkspaceSize(m, n))];
        var x = new double[n];
        var bb = new double[m];

        Assert.Multiple(() =>
        {
            Assert.That(AllocatedBy(() => _la.Gemm(false, true, n, n, n, 1, bm, n, bm, n, 0, c, n)), Is.Zero, "Gemm");
            Assert.That(AllocatedBy(() => _la.Gram(m, n, a, n, c, n, false, b, atb)), Is.Zero, "Gram");
            Assert.That(AllocatedBy(() =>
            {
                spd.CopyTo(u, 0);
                _la.CholeskyFactor(u, n, n);
                _la.CholeskySolve(u, n, n, rhs, 2, 2);
            }), Is.Zero, "Cholesky");
            Assert.That(AllocatedBy(() =>
            {
                colMajor.CopyTo(qr, 0);
                b.CopyTo(bb, 0);
                _la.QrFactor(qr, m, n, m, permutation, tau, work);
                _la.QrSolveLeastSquares(qr, m, n, m, permutation, tau, n - 3, bb, x, work);
            }), Is.Zero, "QR + least squares");
            if (backend == ComputeBackend.Managed)
            {
                Assert.That(AllocatedBy(() =>
                {
                    spd.CopyTo(u, 0);
                    Cholesky.Factor(u, n, n);
                    Cholesky.ReciprocalCondition(u, n, n, 1, work);
                    Cholesky.FactorPivoted(spd.ToArray(), n, n, permutation, -1, work);
                }), Is.EqualTo(AllocatedBy(() => _ = spd.ToArray())), "rcond and pivoted Cholesky");
                Assert.That(AllocatedBy(() =>
                {
                    Triangular.SolveUpper(bm, n, n, x);
                    Triangular.SolveUpperTransposed(bm, n, n, x);
                    _ = Blas1.Norm2(a) + Blas1.Dot(a, a);
                }), Is.Zero, "triangular, dot, norm");
            }
        });
    }
}
