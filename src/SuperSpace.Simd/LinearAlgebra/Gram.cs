// Gram matrix (SYRK, "AᵀA") fused with Aᵀb, row-major A (m×n, lda):
//   C[i,j] (+)= Σ_r A[r,i]·A[r,j]  for j ≥ i (upper triangle only),   m·n·(n+1) flops
//   atb[i] (+)= Σ_r A[r,i]·b[r]    (optional, same pass over A),       2·m·n flops
// The strictly lower triangle of C is never touched. The result does not depend on the thread count:
// rows are summed in one fixed order for every C entry.
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
        bool withAtb = !atb.IsEmpty;
        if (!accumulate)
        {
            for (int i = 0; i < n; i++)
            {
                c.Slice((i * ldc) + i, n - i).Clear();
            }

            if (withAtb)
            {
                atb[..n].Clear();
            }
        }

        // One rank-1 update per row: C[i, i:n] += A[r,i]·A[r, i:n].
        for (int r = 0; r < m; r++)
        {
            ReadOnlySpan<double> ar = a.Slice(r * lda, n);
            for (int i = 0; i < n; i++)
            {
                Blas1.Axpy(ar[i], ar[i..], c.Slice((i * ldc) + i, n - i));
            }

            if (withAtb)
            {
                Blas1.Axpy(b[r], ar, atb[..n]);
            }
        }
    }
}
