// General matrix product, row-major with leading dimensions:
//   C(m×n) ← α·op(A)·op(B) + β·C,   op(X) = X or Xᵀ;   2·m·n·k flops.
// A is m×k (stored k×m when transA), B is k×n (stored n×k when transB). β = 0 means C is only
// written (it may hold NaN on entry); α = 0 or k = 0 means A and B are not read (BLAS semantics).
// The work is done by GemmEngine (packed panels, register-tiled SIMD micro-kernel, optional threads).
using System.Diagnostics;

namespace SuperSpace.Simd.LinearAlgebra;

internal static class Gemm
{
    /// <summary>C(m×n, ldc) = α·op(A)·op(B) + β·C. maxDegreeOfParallelism: 1 = this thread, −1 = all cores.</summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, double alpha,
                                ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
                                double beta, Span<double> c, int ldc, int maxDegreeOfParallelism = 1)
    {
        Debug.Assert(m >= 0 && n >= 0 && k >= 0, "Gemm: negative size");
        Debug.Assert(ldc >= Math.Max(1, n) && (m == 0 || c.Length >= ((m - 1) * (long)ldc) + n), "Gemm: C too small");
        Debug.Assert(lda >= Math.Max(1, transA ? m : k), "Gemm: lda too small");
        Debug.Assert(ldb >= Math.Max(1, transB ? k : n), "Gemm: ldb too small");
        Debug.Assert(maxDegreeOfParallelism == -1 || maxDegreeOfParallelism >= 1, "Gemm: bad parallelism");
        if (m == 0 || n == 0)
        {
            return;
        }

        if (alpha != 0 && k != 0)
        {
            Debug.Assert(a.Length >= (transA ? ((k - 1) * (long)lda) + m : ((m - 1) * (long)lda) + k), "Gemm: A too small");
            Debug.Assert(b.Length >= (transB ? ((n - 1) * (long)ldb) + k : ((k - 1) * (long)ldb) + n), "Gemm: B too small");
        }

        int threads = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        unsafe
        {
            fixed (double* pa = a)
            fixed (double* pb = b)
            fixed (double* pc = c)
            {
                GemmEngine.Gemm(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, threads);
            }
        }
    }
}
