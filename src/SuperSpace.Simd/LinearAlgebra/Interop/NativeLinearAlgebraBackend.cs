// ILinearAlgebraBackend over superspace_native (CBLAS/LAPACKE). The native code cannot bounds-check,
// so every extent is checked here in O(1) before a pointer crosses the boundary (ArgumentException);
// the managed kernels assert the same conditions only in Debug builds.
using System.Diagnostics;

namespace SuperSpace.Simd.LinearAlgebra.Interop;

internal sealed unsafe class NativeLinearAlgebraBackend : ILinearAlgebraBackend
{
    public static readonly NativeLinearAlgebraBackend Instance = new();

    private NativeLinearAlgebraBackend()
    {
    }

    public ComputeBackend Kind => ComputeBackend.Native;

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            Throw(what);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Throw(string what) => throw new ArgumentException($"native backend: {what}");

    // Length a row-major rows×columns matrix with leading dimension ld occupies.
    private static long Extent(int rows, int columns, int ld) => rows == 0 || columns == 0 ? 0 : ((rows - 1) * (long)ld) + columns;

    private static int Threads(int maxDegreeOfParallelism) =>
        maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : Math.Max(1, maxDegreeOfParallelism);

    public void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
                     ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc, int maxDegreeOfParallelism = 1)
    {
        Require(m >= 0 && n >= 0 && k >= 0, "negative size");
        Require(c.Length >= Extent(m, n, ldc), "C too small");
        bool readsAb = alpha != 0 && k > 0 && m > 0 && n > 0;
        Require(!readsAb || a.Length >= (transA ? Extent(k, m, lda) : Extent(m, k, lda)), "A too small");
        Require(!readsAb || b.Length >= (transB ? Extent(n, k, ldb) : Extent(k, n, ldb)), "B too small");
        fixed (double* pa = a)
        fixed (double* pb = b)
        fixed (double* pc = c)
        {
            NativeMethods.Check(
                NativeMethods.ss_dgemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, Threads(maxDegreeOfParallelism)),
                "ss_dgemm");
        }
    }

    public void Gram(int m, int n, ReadOnlySpan<double> a, int lda, Span<double> c, int ldc, bool accumulate,
                     ReadOnlySpan<double> b, Span<double> atb, int maxDegreeOfParallelism = 1)
    {
        Require(m >= 0 && n >= 0, "negative size");
        Require(a.Length >= Extent(m, n, lda) && c.Length >= Extent(n, n, ldc), "A or C too small");
        Require(atb.IsEmpty || (atb.Length >= n && b.Length >= m), "b or atb too small");
        fixed (double* pa = a)
        fixed (double* pc = c)
        fixed (double* pb = b)
        fixed (double* patb = atb)
        {
            NativeMethods.Check(
                NativeMethods.ss_dgram(m, n, pa, lda, pc, ldc, accumulate ? 1 : 0, atb.IsEmpty ? null : pb, atb.IsEmpty ? null : patb, Threads(maxDegreeOfParallelism)),
                "ss_dgram");
        }
    }

    public int CholeskyFactor(Span<double> a, int n, int lda)
    {
        Require(n >= 0 && a.Length >= Extent(n, n, lda), "A too small");
        fixed (double* pa = a)
        {
            return NativeMethods.Check(NativeMethods.ss_dpotrf(pa, n, lda), "ss_dpotrf");
        }
    }

    public void CholeskySolve(ReadOnlySpan<double> u, int n, int lda, Span<double> b, int nrhs, int ldb)
    {
        Require(n >= 0 && nrhs >= 0 && u.Length >= Extent(n, n, lda) && b.Length >= Extent(n, nrhs, ldb), "U or B too small");
        fixed (double* pu = u)
        fixed (double* pb = b)
        {
            NativeMethods.Check(NativeMethods.ss_dpotrs(pu, n, lda, pb, nrhs, ldb), "ss_dpotrs");
        }
    }

    public int QrWorkspaceSize(int m, int n)
    {
        int lwork;
        NativeMethods.Check(NativeMethods.ss_dgeqp3_workspace(m, n, &lwork), "ss_dgeqp3_workspace");
        return lwork;
    }

    public void QrFactor(Span<double> a, int m, int n, int lda, Span<int> permutation, Span<double> tau, Span<double> work, bool pivot = true)
    {
        Require(m >= 0 && n >= 0 && lda >= Math.Max(1, m), "bad size or lda");
        Require(a.Length >= Extent(n, m, lda), "A too small");
        Require(permutation.Length >= n && tau.Length >= Math.Min(m, n), "permutation or tau too small");
        int lwork = QrWorkspaceSize(m, n);
        Require(work.Length >= lwork, "work too small (use QrWorkspaceSize of this backend)");
        fixed (double* pa = a)
        fixed (int* pp = permutation)
        fixed (double* pt = tau)
        fixed (double* pw = work)
        {
            NativeMethods.Check(NativeMethods.ss_dgeqp3(pa, m, n, lda, pp, pt, pw, lwork, pivot ? 1 : 0), "ss_dgeqp3");
        }
    }

    public int LeastSquaresWorkspaceSize(int m, int n)
    {
        int lwork;
        NativeMethods.Check(NativeMethods.ss_dqrls_workspace(m, n, &lwork), "ss_dqrls_workspace");
        return checked(lwork + n);
    }

    public void QrSolveLeastSquares(Span<double> qr, int m, int n, int lda, ReadOnlySpan<int> permutation, ReadOnlySpan<double> tau,
                                    int rank, Span<double> b, Span<double> x, Span<double> work)
    {
        Require(m >= 0 && n >= 0 && lda >= Math.Max(1, m) && qr.Length >= Extent(n, m, lda), "QR too small");
        Require(rank >= 0 && rank <= Math.Min(m, n), "rank out of range");
        Require(b.Length >= m && x.Length >= n && permutation.Length >= n && tau.Length >= Math.Min(m, n), "b, x, permutation or tau too small");
        int total = LeastSquaresWorkspaceSize(m, n);
        Require(work.Length >= total, "work too small (use LeastSquaresWorkspaceSize of this backend)");
        Span<double> z = work[..n];
        fixed (double* pq = qr)
        fixed (double* pt = tau)
        fixed (double* pb = b)
        fixed (double* pw = work)
        {
            NativeMethods.Check(NativeMethods.ss_dqrls(pq, m, n, lda, pt, rank, pb, pw, pw + n, total - n), "ss_dqrls");
        }

        for (int j = 0; j < n; j++)
        {
            Debug.Assert((uint)permutation[j] < (uint)n, "permutation entry out of range");
            x[permutation[j]] = z[j];
        }
    }
}
