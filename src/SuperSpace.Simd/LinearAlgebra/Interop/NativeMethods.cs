// P/Invoke declarations for superspace_native (native/superspace_native.h). Every entry point is
// blittable (ints, doubles, raw pointers), so the generated stubs do no marshalling; the library is
// located by NativeLibraryLoader's resolver, which hands back the handle it cached.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SuperSpace.Simd.LinearAlgebra.Interop;

internal static unsafe partial class NativeMethods
{
    internal const string LibraryName = "superspace_native";

    /// <summary>The ABI revision the managed side was written against (SS_ABI_REVISION).</summary>
    internal const int ExpectedAbiRevision = 1;

    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int ss_abi_revision();

    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial byte* ss_last_error();

    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial byte* ss_blas_info();

    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int ss_dgemm(int transA, int transB, int m, int n, int k, double alpha,
                                         double* a, int lda, double* b, int ldb, double beta, double* c, int ldc, int threads);

    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int ss_dgram(int m, int n, double* a, int lda, double* c, int ldc, int accumulate,
                                         double* b, double* atb, int threads);

    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int ss_dpotrf(double* a, int n, int lda);

    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int ss_dpotrs(double* u, int n, int lda, double* b, int nrhs, int ldb);

    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int ss_dgeqp3_workspace(int m, int n, int* lwork);

    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int ss_dgeqp3(double* a, int m, int n, int lda, int* permutation, double* tau,
                                          double* work, int lwork, int pivot);

    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int ss_dqrls_workspace(int m, int n, int* lwork);

    [LibraryImport(LibraryName)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    internal static partial int ss_dqrls(double* qr, int m, int n, int lda, double* tau, int rank,
                                         double* b, double* z, double* work, int lwork);

    /// <summary>The calling thread's last error message from the shim.</summary>
    internal static string LastError() => Marshal.PtrToStringUTF8((nint)ss_last_error()) ?? string.Empty;

    /// <summary>Throws when a shim call reports a usage error or an internal failure (negative status).</summary>
    internal static int Check(int status, string function)
    {
        if (status < 0)
        {
            ThrowFailure(status, function);
        }

        return status;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowFailure(int status, string function) =>
        throw new InvalidOperationException($"superspace_native {function} failed with status {status}: {LastError()}");
}
