// Cholesky factorisation of a symmetric positive (semi-)definite A (n×n, row-major, lda), upper triangle:
//   A = Uᵀ·U                              n³/3 flops, blocked right-looking (block 128): unblocked diagonal
//                                          block, U12 = U11⁻ᵀA12 (blocked TRSM), A22 −= U12ᵀU12 (packed SYRK)
//   (UᵀU)·X = B                           2·n²·nrhs flops (two triangular solves)
//   rcond₁(A) ≈ 1 / (‖A‖₁·‖A⁻¹‖₁)          a few solves: Hager's estimator with Higham's extra test
//   P·A·Pᵀ = Uᵀ·U, pivoted (semi-definite) n²·r flops for rank r (LAPACK dpstf2 semantics)
// Only the upper triangle (j ≥ i) is read or written; the strictly lower triangle is never touched.
using System.Diagnostics;

namespace SuperSpace.Simd.LinearAlgebra;

internal static class Cholesky
{
    /// <summary>Block size of the blocked factorisation (the SYRK depth of each trailing update).</summary>
    internal const int BlockSize = 128;

    /// <summary>
    /// In place A = Uᵀ·U on the upper triangle. Returns 0 on success, else k + 1 where k is the first
    /// pivot that is not positive (or NaN); rows before the failing block hold U, the rest is partially
    /// updated. Blocked right-looking: factor a diagonal block, U12 = U11⁻ᵀ·A12, then the trailing
    /// SYRK A22 −= U12ᵀ·U12 on the GEMM engine (threads only there, when maxDegreeOfParallelism allows).
    /// </summary>
    public static int Factor(Span<double> a, int n, int lda, int maxDegreeOfParallelism = 1)
    {
        Debug.Assert(n >= 0, "Cholesky: negative size");
        Debug.Assert(n == 0 || (lda >= n && a.Length >= ((n - 1) * (long)lda) + n), "Cholesky: A too small");
        if (n <= BlockSize)
        {
            return FactorUnblocked(a, n, lda);
        }

        int threads = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        for (int k = 0; k < n; k += BlockSize)
        {
            int kb = Math.Min(BlockSize, n - k);
            int info = FactorUnblocked(a[((k * lda) + k)..], kb, lda);
            if (info != 0)
            {
                return k + info;
            }

            int rest = n - k - kb;
            if (rest == 0)
            {
                break;
            }

            Span<double> a12 = a[((k * lda) + k + kb)..];
            Triangular.SolveUpperTransposedBlocked(a[((k * lda) + k)..], kb, lda, a12, rest, lda);
            unsafe
            {
                fixed (double* p12 = a12)
                fixed (double* p22 = a[(((k + kb) * lda) + k + kb)..])
                {
                    GemmEngine.Syrk(kb, rest, p12, lda, -1.0, p22, lda, 1.0, null, null, threads);
                }
            }
        }

        return 0;
    }

    // Right-looking unblocked factorisation: row k of U, then A[i, i:n] −= U[k,i]·U[k, i:n] for i > k.
    private static int FactorUnblocked(Span<double> a, int n, int lda)
    {
        for (int k = 0; k < n; k++)
        {
            int kk = (k * lda) + k;
            double d = a[kk];
            if (!(d > 0))
            {
                return k + 1;
            }

            double ukk = Math.Sqrt(d);
            a[kk] = ukk;
            int tail = n - k - 1;
            Span<double> uk = a.Slice(kk + 1, tail);
            for (int j = 0; j < tail; j++)
            {
                uk[j] /= ukk;
            }

            for (int i = k + 1; i < n; i++)
            {
                Blas1.Axpy(-uk[i - k - 1], uk[(i - k - 1)..], a.Slice((i * lda) + i, n - i));
            }
        }

        return 0;
    }

    /// <summary>Solves (UᵀU)·X = B in place; B is n×nrhs row-major with leading dimension ldb.</summary>
    public static void Solve(ReadOnlySpan<double> u, int n, int lda, Span<double> b, int nrhs, int ldb)
    {
        Triangular.SolveUpperTransposedBlocked(u, n, lda, b, nrhs, ldb);
        Triangular.SolveUpperBlocked(u, n, lda, b, nrhs, ldb);
    }

    /// <summary>Workspace length <see cref="ReciprocalCondition"/> needs: n.</summary>
    public static int ReciprocalConditionWorkspaceSize(int n) => n;

    /// <summary>
    /// Estimate of the reciprocal 1-norm condition number 1/(‖A‖₁·‖A⁻¹‖₁) of A = UᵀU, given
    /// <paramref name="anorm1"/> = ‖A‖₁ of the original matrix. ‖A⁻¹‖₁ is estimated with Hager's
    /// method (the power-like iteration on the convex function ‖A⁻¹x‖₁ over ‖x‖₁ = 1, at most five
    /// steps) together with Higham's alternating-sign test vector, as LAPACK's dlacn2 does; the
    /// estimate is a lower bound on ‖A⁻¹‖₁, almost always within a factor 3, so the returned value is
    /// an upper bound on the true rcond in that sense. work needs n entries. Returns 0 when anorm1 is 0
    /// or the estimate overflows, 1 for n = 0.
    /// </summary>
    public static double ReciprocalCondition(ReadOnlySpan<double> u, int n, int lda, double anorm1, Span<double> work)
    {
        Debug.Assert(work.Length >= n, "ReciprocalCondition: work too small");
        if (n == 0)
        {
            return 1;
        }

        if (!(anorm1 > 0))
        {
            return 0;
        }

        Span<double> y = work[..n];

        // x₀ = (1/n, …, 1/n); each later x is a unit vector e_j, kept implicit (only j is stored).
        int j = -1;
        double estimate = 0;
        for (int iteration = 0; iteration < 5; iteration++)
        {
            if (j < 0)
            {
                y.Fill(1.0 / n);
            }
            else
            {
                y.Clear();
                y[j] = 1;
            }

            Solve(u, n, lda, y, 1, 1);
            double newEstimate = 0;
            foreach (double v in y)
            {
                newEstimate += Math.Abs(v);
            }

            if (iteration > 0 && newEstimate <= estimate)
            {
                break;
            }

            estimate = newEstimate;

            // z = A⁻ᵀ·sign(y) = A⁻¹·sign(y) (A is symmetric).
            for (int i = 0; i < n; i++)
            {
                y[i] = y[i] >= 0 ? 1 : -1;
            }

            Solve(u, n, lda, y, 1, 1);
            int jmax = 0;
            for (int i = 1; i < n; i++)
            {
                if (Math.Abs(y[i]) > Math.Abs(y[jmax]))
                {
                    jmax = i;
                }
            }

            // Stop when ‖z‖∞ ≤ zᵀx (x is the current implicit vector) or the same e_j recurs.
            double ztx = 0;
            if (j < 0)
            {
                foreach (double v in y)
                {
                    ztx += v;
                }

                ztx /= n;
            }
            else
            {
                ztx = y[j];
            }

            if (Math.Abs(y[jmax]) <= ztx || jmax == j)
            {
                break;
            }

            j = jmax;
        }

        // Higham's test vector x_i = (−1)^i·(1 + i/(n−1)); estimate 2‖A⁻¹x‖₁/(3n).
        for (int i = 0; i < n; i++)
        {
            double v = 1 + (n > 1 ? (double)i / (n - 1) : 0);
            y[i] = (i & 1) == 0 ? v : -v;
        }

        Solve(u, n, lda, y, 1, 1);
        double alt = 0;
        foreach (double v in y)
        {
            alt += Math.Abs(v);
        }

        estimate = Math.Max(estimate, 2 * alt / (3 * n));
        double rcond = 1 / (anorm1 * estimate);
        return double.IsFinite(rcond) && estimate > 0 ? rcond : 0;
    }

    // LAPACK's DLAMCH('E') = 2⁻⁵³, the unit roundoff of round-to-nearest doubles.
    private const double UnitRoundoff = 1.1102230246251565e-16;

    /// <summary>Workspace length <see cref="FactorPivoted"/> accepts: 2n (as LAPACK dpstrf; the unblocked variant uses none).</summary>
    public static int PivotedWorkspaceSize(int n) => 2 * n;

    /// <summary>
    /// Pivoted Cholesky of a symmetric positive semi-definite A: P·A·Pᵀ = Uᵀ·U (dpstf2 semantics),
    /// choosing at each step the largest remaining diagonal. Stops when that pivot is ≤
    /// <paramref name="tolerance"/>; a negative tolerance selects LAPACK's default n·u·max_i A[i,i] (u = 2⁻⁵³).
    /// Returns the rank r: rows 0…r−1 of the upper triangle hold U (r×n, upper trapezoidal, columns in
    /// pivoted order); the trailing (n−r)×(n−r) block holds the remaining Schur complement.
    /// permutation[j] = original index at position j. A non-finite pivot stops with the rank so far.
    /// </summary>
    public static int FactorPivoted(Span<double> a, int n, int lda, Span<int> permutation, double tolerance, Span<double> work)
    {
        Debug.Assert(n >= 0, "Cholesky: negative size");
        Debug.Assert(n == 0 || (lda >= n && a.Length >= ((n - 1) * (long)lda) + n), "Cholesky: A too small");
        Debug.Assert(permutation.Length >= n, "Cholesky: permutation too small");
        _ = work;
        for (int i = 0; i < n; i++)
        {
            permutation[i] = i;
        }

        if (n == 0)
        {
            return 0;
        }

        if (tolerance < 0)
        {
            double maxDiagonal = 0;
            for (int i = 0; i < n; i++)
            {
                maxDiagonal = Math.Max(maxDiagonal, a[(i * lda) + i]);
            }

            tolerance = n * UnitRoundoff * maxDiagonal;
        }

        for (int k = 0; k < n; k++)
        {
            // Largest remaining diagonal of the Schur complement (first one on ties).
            int p = k;
            for (int i = k + 1; i < n; i++)
            {
                if (a[(i * lda) + i] > a[(p * lda) + p])
                {
                    p = i;
                }
            }

            double d = a[(p * lda) + p];
            if (!(d > tolerance) || !double.IsFinite(d))
            {
                return k;
            }

            if (p != k)
            {
                SymmetricSwap(a, n, lda, k, p);
                (permutation[k], permutation[p]) = (permutation[p], permutation[k]);
            }

            int kk = (k * lda) + k;
            double ukk = Math.Sqrt(d);
            a[kk] = ukk;
            int tail = n - k - 1;
            Span<double> uk = a.Slice(kk + 1, tail);
            for (int j = 0; j < tail; j++)
            {
                uk[j] /= ukk;
            }

            for (int i = k + 1; i < n; i++)
            {
                Blas1.Axpy(-uk[i - k - 1], uk[(i - k - 1)..], a.Slice((i * lda) + i, n - i));
            }
        }

        return n;
    }

    // Swaps indices k < p of the symmetric matrix stored in the upper triangle: rows 0…k−1 are rows
    // of U (only their columns k and p swap), the trailing block from k is the Schur complement.
    private static void SymmetricSwap(Span<double> a, int n, int lda, int k, int p)
    {
        for (int q = 0; q < k; q++)
        {
            (a[(q * lda) + k], a[(q * lda) + p]) = (a[(q * lda) + p], a[(q * lda) + k]);
        }

        (a[(k * lda) + k], a[(p * lda) + p]) = (a[(p * lda) + p], a[(k * lda) + k]);
        for (int j = k + 1; j < p; j++)
        {
            (a[(k * lda) + j], a[(j * lda) + p]) = (a[(j * lda) + p], a[(k * lda) + j]);
        }

        for (int j = p + 1; j < n; j++)
        {
            (a[(k * lda) + j], a[(p * lda) + j]) = (a[(p * lda) + j], a[(k * lda) + j]);
        }
    }
}
