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
}
