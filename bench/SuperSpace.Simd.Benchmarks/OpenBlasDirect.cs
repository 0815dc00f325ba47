using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SuperSpace.Simd.Benchmarks;

/// <summary>
/// OpenBLAS and LAPACKE called directly (no shim), the floor the native backend is measured against.
/// Debian: libopenblas0 (libopenblas.so.0) and liblapacke (liblapacke.so.3).
/// </summary>
internal static unsafe partial class OpenBlasDirect
{
    private const string Blas = "libopenblas.so.0";
    private const string Lapacke = "liblapacke.so.3";

    public const int RowMajor = 101;
    public const int ColMajor = 102;
    public const int NoTrans = 111;
    public const int Trans = 112;
    public const int Upper = 121;

    [LibraryImport(Blas)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void openblas_set_num_threads(int threads);

    [LibraryImport(Blas)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void cblas_dgemm(int order, int transA, int transB, int m, int n, int k, double alpha,
                                           double* a, int lda, double* b, int ldb, double beta, double* c, int ldc);

    [LibraryImport(Blas)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void cblas_dsyrk(int order, int uplo, int trans, int n, int k, double alpha,
                                           double* a, int lda, double beta, double* c, int ldc);

    [LibraryImport(Lapacke)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int LAPACKE_dpotrf_work(int layout, byte uplo, int n, double* a, int lda);

    [LibraryImport(Lapacke)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int LAPACKE_dgeqp3_work(int layout, int m, int n, double* a, int lda, int* jpvt, double* tau, double* work, int lwork);

    /// <summary>Optimal dgeqp3 workspace (a LAPACK workspace query).</summary>
    public static int Dgeqp3Workspace(int m, int n)
    {
        double size;
        _ = LAPACKE_dgeqp3_work(ColMajor, m, n, null, Math.Max(1, m), null, null, &size, -1);
        return (int)size;
    }
}
