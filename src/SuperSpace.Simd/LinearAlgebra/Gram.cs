// Gram matrix (SYRK, "AᵀA") fused with Aᵀb, row-major A (m×n, lda):
//   C[i,j] (+)= Σ_r A[r,i]·A[r,j]  for j ≥ i (upper triangle only),   m·n·(n+1) flops
//   atb[i] (+)= Σ_r A[r,i]·b[r]    (optional, same pass over A),       2·m·n flops
// The strictly lower triangle of C is never touched. Computed by GemmEngine.Syrk (packed panels,
// register tiles on and above the diagonal); the result does not depend on the thread count.
using System.Diagnostics;

namespace SuperSpace.Simd.LinearAlgebra;

internal static class Gram
{
    /// <summary>
    /// Upper triangle of C(n×n, ldc) = AᵀA (+= when <paramref name="accumulate"/>) and, when
    /// <paramref name="atb"/> is non-empty, atb = Aᵀb (+= when accumulate), b having m entries.
    /// </summary>
    public static void AtA(int m, int n, ReadOnlySpan<double> a, int lda, Span<double> c, int ldc, bool accumulate,
                           ReadOnlySpan<double> b, Span<double> atb, int maxDegreeOfParallelism = 1)
    {
        Debug.Assert(m >= 0 && n >= 0, "Gram: negative size");
        Debug.Assert(lda >= Math.Max(1, n) && (m == 0 || a.Length >= ((m - 1) * (long)lda) + n), "Gram: A too small");
        Debug.Assert(ldc >= Math.Max(1, n) && (n == 0 || c.Length >= ((n - 1) * (long)ldc) + n), "Gram: C too small");
        Debug.Assert(atb.IsEmpty || (atb.Length >= n && b.Length >= m), "Gram: b or atb too small");
        Debug.Assert(maxDegreeOfParallelism == -1 || maxDegreeOfParallelism >= 1, "Gram: bad parallelism");
        int threads = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        unsafe
        {
            fixed (double* pa = a)
            fixed (double* pc = c)
            fixed (double* pb = b)
            fixed (double* patb = atb)
            {
                GemmEngine.Syrk(m, n, pa, lda, 1.0, pc, ldc, accumulate ? 1.0 : 0.0, atb.IsEmpty ? null : pb, atb.IsEmpty ? null : patb, threads);
            }
        }
    }
}
