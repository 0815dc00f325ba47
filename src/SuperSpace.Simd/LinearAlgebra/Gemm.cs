// General matrix product, row-major with leading dimensions:
//   C(m×n) ← α·op(A)·op(B) + β·C,   op(X) = X or Xᵀ;   2·m·n·k flops.
// A is m×k (stored k×m when transA), B is k×n (stored n×k when transB). β = 0 means C is only
// written (it may hold NaN on entry); α = 0 or k = 0 means A and B are not read (BLAS semantics).
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

        ScaleC(m, n, beta, c, ldc);
        if (alpha == 0 || k == 0)
        {
            return;
        }

        Debug.Assert(a.Length >= (transA ? ((k - 1) * (long)lda) + m : ((m - 1) * (long)lda) + k), "Gemm: A too small");
        Debug.Assert(b.Length >= (transB ? ((n - 1) * (long)ldb) + k : ((k - 1) * (long)ldb) + n), "Gemm: B too small");

        for (int i = 0; i < m; i++)
        {
            Span<double> ci = c.Slice(i * ldc, n);
            if (!transB)
            {
                // C[i,:] += α·A(i,p)·B[p,:] — a contiguous axpy per p.
                for (int p = 0; p < k; p++)
                {
                    double aip = transA ? a[(p * lda) + i] : a[(i * lda) + p];
                    Blas1.Axpy(alpha * aip, b.Slice(p * ldb, n), ci);
                }
            }
            else if (!transA)
            {
                // C[i,j] += α·⟨A[i,:], B[j,:]⟩ — contiguous dot products.
                ReadOnlySpan<double> ai = a.Slice(i * lda, k);
                for (int j = 0; j < n; j++)
                {
                    ci[j] += alpha * Blas1.Dot(ai, b.Slice(j * ldb, k));
                }
            }
            else
            {
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int p = 0; p < k; p++)
                    {
                        s = Math.FusedMultiplyAdd(a[(p * lda) + i], b[(j * ldb) + p], s);
                    }

                    ci[j] += alpha * s;
                }
            }
        }
    }

    /// <summary>C ← β·C, with β = 0 writing zeros without reading C.</summary>
    internal static void ScaleC(int m, int n, double beta, Span<double> c, int ldc)
    {
        if (beta == 1)
        {
            return;
        }

        for (int i = 0; i < m; i++)
        {
            Span<double> ci = c.Slice(i * ldc, n);
            if (beta == 0)
            {
                ci.Clear();
            }
            else
            {
                Blas1.Scale(beta, ci);
            }
        }
    }
}
