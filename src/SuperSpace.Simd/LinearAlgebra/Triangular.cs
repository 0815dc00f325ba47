// Triangular solves with an upper-triangular U (n×n, row-major, lda), in place:
//   U·x = b  (back substitution)      Uᵀ·x = b  (forward substitution)      n² flops per right-hand side
// Multiple right-hand sides: B is n×nrhs row-major (ldb); each step is a contiguous row update
// B[j,:] −= U[i,j]·B[i,:], so the cost is n²·nrhs flops in unit-stride axpys.
// No check for zero pivots: a zero on the diagonal yields ±∞/NaN, as in BLAS dtrsv/dtrsm.
using System.Diagnostics;

namespace SuperSpace.Simd.LinearAlgebra;

internal static class Triangular
{
    /// <summary>Solves U·x = b in place (b has n entries).</summary>
    public static void SolveUpper(ReadOnlySpan<double> u, int n, int lda, Span<double> b)
    {
        Debug.Assert(n >= 0 && b.Length >= n, "SolveUpper: b too small");
        Debug.Assert(n == 0 || (lda >= n && u.Length >= ((n - 1) * (long)lda) + n), "SolveUpper: U too small");
        for (int i = n - 1; i >= 0; i--)
        {
            int tail = n - i - 1;
            double s = b[i] - Blas1.Dot(u.Slice((i * lda) + i + 1, tail), b.Slice(i + 1, tail));
            b[i] = s / u[(i * lda) + i];
        }
    }

    /// <summary>Solves Uᵀ·x = b in place (b has n entries).</summary>
    public static void SolveUpperTransposed(ReadOnlySpan<double> u, int n, int lda, Span<double> b)
    {
        Debug.Assert(n >= 0 && b.Length >= n, "SolveUpperTransposed: b too small");
        Debug.Assert(n == 0 || (lda >= n && u.Length >= ((n - 1) * (long)lda) + n), "SolveUpperTransposed: U too small");
        for (int i = 0; i < n; i++)
        {
            double xi = b[i] / u[(i * lda) + i];
            b[i] = xi;
            int tail = n - i - 1;
            Blas1.Axpy(-xi, u.Slice((i * lda) + i + 1, tail), b.Slice(i + 1, tail));
        }
    }

    /// <summary>Solves U·X = B in place, B being n×nrhs row-major with leading dimension ldb.</summary>
    public static void SolveUpper(ReadOnlySpan<double> u, int n, int lda, Span<double> b, int nrhs, int ldb)
    {
        Debug.Assert(n >= 0 && nrhs >= 0, "SolveUpper: negative size");
        Debug.Assert(n == 0 || nrhs == 0 || (ldb >= nrhs && b.Length >= ((n - 1) * (long)ldb) + nrhs), "SolveUpper: B too small");
        Debug.Assert(n == 0 || (lda >= n && u.Length >= ((n - 1) * (long)lda) + n), "SolveUpper: U too small");
        if (nrhs == 0)
        {
            return;
        }

        for (int i = n - 1; i >= 0; i--)
        {
            Span<double> bi = b.Slice(i * ldb, nrhs);
            for (int j = i + 1; j < n; j++)
            {
                Blas1.Axpy(-u[(i * lda) + j], b.Slice(j * ldb, nrhs), bi);
            }

            DivideBy(bi, u[(i * lda) + i]);
        }
    }

    /// <summary>Solves Uᵀ·X = B in place, B being n×nrhs row-major with leading dimension ldb.</summary>
    public static void SolveUpperTransposed(ReadOnlySpan<double> u, int n, int lda, Span<double> b, int nrhs, int ldb)
    {
        Debug.Assert(n >= 0 && nrhs >= 0, "SolveUpperTransposed: negative size");
        Debug.Assert(n == 0 || nrhs == 0 || (ldb >= nrhs && b.Length >= ((n - 1) * (long)ldb) + nrhs), "SolveUpperTransposed: B too small");
        Debug.Assert(n == 0 || (lda >= n && u.Length >= ((n - 1) * (long)lda) + n), "SolveUpperTransposed: U too small");
        if (nrhs == 0)
        {
            return;
        }

        for (int i = 0; i < n; i++)
        {
            Span<double> bi = b.Slice(i * ldb, nrhs);
            DivideBy(bi, u[(i * lda) + i]);
            for (int j = i + 1; j < n; j++)
            {
                Blas1.Axpy(-u[(i * lda) + j], bi, b.Slice(j * ldb, nrhs));
            }
        }
    }

    // Division rather than multiplication by a rounded reciprocal: one rounding per entry, as in the
    // single right-hand-side solves.
    private static void DivideBy(Span<double> x, double d)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] /= d;
        }
    }

    /// <summary>
    /// Uᵀ·X = B in place like <see cref="SolveUpperTransposed(ReadOnlySpan{double}, int, int, Span{double}, int, int)"/>,
    /// blocked for wide B: 16-row diagonal solves and GEMM updates of the rows below (n²·nrhs flops, mostly in GEMM).
    /// </summary>
    internal static void SolveUpperTransposedBlocked(ReadOnlySpan<double> u, int n, int lda, Span<double> b, int nrhs, int ldb)
    {
        const int block = 16;
        if (n <= block || nrhs < 32)
        {
            SolveUpperTransposed(u, n, lda, b, nrhs, ldb);
            return;
        }

        unsafe
        {
            fixed (double* pu = u)
            fixed (double* pb = b)
            {
                for (int i0 = 0; i0 < n; i0 += block)
                {
                    int ih = Math.Min(block, n - i0);
                    SolveUpperTransposed(u[((i0 * lda) + i0)..], ih, lda, b[(i0 * ldb)..], nrhs, ldb);
                    int below = n - i0 - ih;
                    if (below > 0)
                    {
                        // B[i0+ih:n, :] −= U[i0:i0+ih, i0+ih:n]ᵀ · B[i0:i0+ih, :]
                        GemmEngine.Gemm(true, false, below, nrhs, ih, -1.0, pu + (i0 * lda) + i0 + ih, lda,
                                        pb + (i0 * ldb), ldb, 1.0, pb + ((i0 + ih) * ldb), ldb, 1);
                    }
                }
            }
        }
    }

    /// <summary>
    /// U·X = B in place like <see cref="SolveUpper(ReadOnlySpan{double}, int, int, Span{double}, int, int)"/>,
    /// blocked for wide B: GEMM updates from the rows already solved, then 16-row diagonal solves.
    /// </summary>
    internal static void SolveUpperBlocked(ReadOnlySpan<double> u, int n, int lda, Span<double> b, int nrhs, int ldb)
    {
        const int block = 16;
        if (n <= block || nrhs < 32)
        {
            SolveUpper(u, n, lda, b, nrhs, ldb);
            return;
        }

        unsafe
        {
            fixed (double* pu = u)
            fixed (double* pb = b)
            {
                for (int i1 = n; i1 > 0; i1 -= block)
                {
                    int i0 = Math.Max(0, i1 - block);
                    int ih = i1 - i0;
                    if (i1 < n)
                    {
                        // B[i0:i1, :] −= U[i0:i1, i1:n] · X[i1:n, :]
                        GemmEngine.Gemm(false, false, ih, nrhs, n - i1, -1.0, pu + (i0 * lda) + i1, lda,
                                        pb + (i1 * ldb), ldb, 1.0, pb + (i0 * ldb), ldb, 1);
                    }

                    SolveUpper(u[((i0 * lda) + i0)..], ih, lda, b[(i0 * ldb)..], nrhs, ldb);
                }
            }
        }
    }
}
