// Householder QR with column pivoting on COLUMN-MAJOR storage (column j of the m×n matrix is
// a[j·lda .. j·lda + m), i.e. the row-major storage of Aᵀ), LAPACK dgeqp3/dlaqp2 semantics:
//   A·P = Q·R,  Q = H(0)·H(1)⋯H(kmax−1),  H(i) = I − τ_i·v_i·v_iᵀ,  v_i = (0…0, 1, a[i+1:m, i]),
//   R on and above the diagonal (R[i,j] = a[j·lda + i], i ≤ j), kmax = min(m, n).
// At step i the remaining column with the largest partial norm ‖A[i:m, j]‖ is swapped in; those norms are
// downdated (‖·‖² −= R[i,j]²) and recomputed when cancellation makes the downdate unreliable (the
// dlaqp2 test with tol3z = √ε, Drmač & Bujanović 2008). Cost: 4mn² − 4n³/3 flops for m ≥ n.
// Least squares: min ‖A·x − b‖₂ via Qᵀb and R; when rank r < n the minimum-norm solution comes from a
// complete orthogonal decomposition, [R11 R12] = [T 0]·Z (the RZ step of LAPACK dgelsy/dtzrzf).
using System.Diagnostics;

namespace SuperSpace.Simd.LinearAlgebra;

internal static class PivotedQr
{
    // √ε, the threshold below which the downdated column norm is recomputed (LAPACK's tol3z = √dlamch('E')).
    private static readonly double NormRecomputeThreshold = Math.Sqrt(1.1102230246251565e-16);

    // dlamch('S')/dlamch('E'): below this |β| the reflector is generated after rescaling (dlarfg).
    private const double SafeMinimum = 2.0041683600089728e-292; // 2^-969

    /// <summary>Workspace length <see cref="Factor"/> needs: 2n (partial and reference column norms).</summary>
    public static int WorkspaceSize(int m, int n)
    {
        _ = m;
        return 2 * n;
    }

    /// <summary>
    /// The documented default for <see cref="Rank(ReadOnlySpan{double}, int, int, double)"/>:
    /// max(m, n)·ε with ε = 2⁻⁵² (NumPy's matrix_rank / lstsq rcond).
    /// </summary>
    public static double DefaultRankTolerance(int m, int n) => Math.Max(m, n) * MachineEpsilon;

    private const double MachineEpsilon = 2.220446049250313e-16; // 2^-52

    /// <summary>
    /// Factors A·P = Q·R in place. permutation[j] = original column at position j (identity when
    /// <paramref name="pivot"/> is false: plain Householder QR). tau has min(m, n) entries; work
    /// <see cref="WorkspaceSize"/>.
    /// </summary>
    public static void Factor(Span<double> a, int m, int n, int lda, Span<int> permutation, Span<double> tau,
                              Span<double> work, bool pivot = true)
    {
        Debug.Assert(m >= 0 && n >= 0, "PivotedQr: negative size");
        Debug.Assert(n == 0 || (lda >= Math.Max(1, m) && a.Length >= ((n - 1) * (long)lda) + m), "PivotedQr: A too small");
        Debug.Assert(permutation.Length >= n && tau.Length >= Math.Min(m, n), "PivotedQr: permutation or tau too small");
        Debug.Assert(work.Length >= WorkspaceSize(m, n), "PivotedQr: work too small");
        int kmax = Math.Min(m, n);
        for (int j = 0; j < n; j++)
        {
            permutation[j] = j;
        }

        Span<double> vn1 = work[..n];
        Span<double> vn2 = work.Slice(n, n);
        if (pivot)
        {
            for (int j = 0; j < n; j++)
            {
                vn1[j] = Blas1.Norm2(a.Slice(j * lda, m));
                vn2[j] = vn1[j];
            }
        }

        for (int i = 0; i < kmax; i++)
        {
            if (pivot)
            {
                int p = i;
                for (int j = i + 1; j < n; j++)
                {
                    if (vn1[j] > vn1[p])
                    {
                        p = j;
                    }
                }

                if (p != i)
                {
                    SwapColumns(a.Slice(p * lda, m), a.Slice(i * lda, m));
                    (permutation[p], permutation[i]) = (permutation[i], permutation[p]);
                    vn1[p] = vn1[i];
                    vn2[p] = vn2[i];
                }
            }

            Span<double> column = a.Slice((i * lda) + i, m - i);
            tau[i] = GenerateReflector(column);
            double t = tau[i];
            if (t != 0)
            {
                // A[i:m, j] −= τ·v·(vᵀ·A[i:m, j]) for the trailing columns.
                ReadOnlySpan<double> v = column;
                for (int j = i + 1; j < n; j++)
                {
                    Span<double> aj = a.Slice((j * lda) + i, m - i);
                    double s = t * (aj[0] + Blas1.Dot(v[1..], aj[1..]));
                    aj[0] -= s;
                    Blas1.Axpy(-s, v[1..], aj[1..]);
                }
            }

            if (pivot)
            {
                for (int j = i + 1; j < n; j++)
                {
                    if (vn1[j] == 0)
                    {
                        continue;
                    }

                    double r = Math.Abs(a[(j * lda) + i]) / vn1[j];
                    double temp = Math.Max(0, (1 + r) * (1 - r));
                    double ratio = vn1[j] / vn2[j];
                    if (temp * ratio * ratio <= NormRecomputeThreshold)
                    {
                        vn1[j] = i + 1 < m ? Blas1.Norm2(a.Slice((j * lda) + i + 1, m - i - 1)) : 0;
                        vn2[j] = vn1[j];
                    }
                    else
                    {
                        vn1[j] *= Math.Sqrt(temp);
                    }
                }
            }
        }
    }

    private static void SwapColumns(Span<double> x, Span<double> y)
    {
        for (int r = 0; r < x.Length; r++)
        {
            (x[r], y[r]) = (y[r], x[r]);
        }
    }

    /// <summary>
    /// dlarfg: for x = (α, x₁…) finds H = I − τ·v·vᵀ with H·x = (β, 0…0), v = (1, v₁…). Overwrites x with
    /// (β, v₁…) and returns τ (0 when x₁… is already zero, H = I).
    /// </summary>
    internal static double GenerateReflector(Span<double> x) =>
        x.Length <= 1 ? 0 : GenerateReflector(ref x[0], x[1..]);

    /// <summary>dlarfg on a vector (α, tail) whose head need not be adjacent to its tail.</summary>
    internal static double GenerateReflector(ref double alpha, Span<double> tail)
    {
        double xnorm = Blas1.Norm2(tail);
        if (xnorm == 0)
        {
            return 0;
        }

        double a = alpha;
        double beta = -Math.CopySign(double.Hypot(a, xnorm), a);
        int rescalings = 0;
        if (Math.Abs(beta) < SafeMinimum)
        {
            // x is tiny: scale it up (by an exact power of two) until β is representable with full accuracy.
            const double inverseSafeMinimum = 1 / SafeMinimum;
            do
            {
                rescalings++;
                Blas1.Scale(inverseSafeMinimum, tail);
                beta *= inverseSafeMinimum;
                a *= inverseSafeMinimum;
            }
            while (Math.Abs(beta) < SafeMinimum && rescalings < 20);

            xnorm = Blas1.Norm2(tail);
            beta = -Math.CopySign(double.Hypot(a, xnorm), a);
        }

        double tau = (beta - a) / beta;
        Blas1.Scale(1 / (a - beta), tail);
        for (int j = 0; j < rescalings; j++)
        {
            beta *= SafeMinimum;
        }

        alpha = beta;
        return tau;
    }

    /// <summary>
    /// Numerical rank after <see cref="Factor"/>: the number of leading |R[k,k]| &gt; tol·|R[0,0]|,
    /// k &lt; n. This overload assumes m ≥ n (pass n = min(m, n) otherwise, or use the overload with m).
    /// Default tolerance: <see cref="DefaultRankTolerance"/> = max(m, n)·ε.
    /// </summary>
    public static int Rank(ReadOnlySpan<double> qr, int n, int lda, double relativeTolerance)
    {
        if (n == 0)
        {
            return 0;
        }

        double threshold = relativeTolerance * Math.Abs(qr[0]);
        if (!(Math.Abs(qr[0]) > 0))
        {
            return 0;
        }

        int k = 0;
        while (k < n && Math.Abs(qr[(k * lda) + k]) > threshold)
        {
            k++;
        }

        return k;
    }

    /// <summary>Numerical rank of an m×n factorisation (inspects min(m, n) diagonal entries).</summary>
    public static int Rank(ReadOnlySpan<double> qr, int m, int n, int lda, double relativeTolerance) =>
        Rank(qr, Math.Min(m, n), lda, relativeTolerance);

    /// <summary>b(m) := Qᵀ·b using the first k reflectors: H(k−1)⋯H(0)·b.</summary>
    public static void ApplyQt(ReadOnlySpan<double> qr, int m, int k, int lda, ReadOnlySpan<double> tau, Span<double> b)
    {
        Debug.Assert(k <= m && b.Length >= m && tau.Length >= k, "ApplyQt: sizes");
        for (int i = 0; i < k; i++)
        {
            ApplyReflector(qr.Slice((i * lda) + i, m - i), tau[i], b.Slice(i, m - i));
        }
    }

    /// <summary>b(m) := Q·b using the first k reflectors: H(0)⋯H(k−1)·b.</summary>
    public static void ApplyQ(ReadOnlySpan<double> qr, int m, int k, int lda, ReadOnlySpan<double> tau, Span<double> b)
    {
        Debug.Assert(k <= m && b.Length >= m && tau.Length >= k, "ApplyQ: sizes");
        for (int i = k - 1; i >= 0; i--)
        {
            ApplyReflector(qr.Slice((i * lda) + i, m - i), tau[i], b.Slice(i, m - i));
        }
    }

    // y ← (I − τ·v·vᵀ)·y with v = (1, stored[1:]).
    private static void ApplyReflector(ReadOnlySpan<double> stored, double tau, Span<double> y)
    {
        if (tau == 0)
        {
            return;
        }

        double s = tau * (y[0] + Blas1.Dot(stored[1..], y[1..]));
        y[0] -= s;
        Blas1.Axpy(-s, stored[1..], y[1..]);
    }

    /// <summary>Workspace length <see cref="SolveLeastSquares"/> needs: min(m, n)·n + n + min(m, n).</summary>
    public static int LeastSquaresWorkspaceSize(int m, int n)
    {
        int k = Math.Min(m, n);
        return checked((k * n) + n + k);
    }

    /// <summary>
    /// Least squares min ‖A·x − b‖₂ after <see cref="Factor"/> with numerical rank <paramref name="rank"/>
    /// (from <see cref="Rank(ReadOnlySpan{double}, int, int, double)"/>). b (m) is overwritten with Qᵀb; x
    /// (n) receives the solution in the original column order. rank = n: x = P·R⁻¹·(Qᵀb)[0:n]. rank &lt; n:
    /// R22 is treated as zero and x is the minimum-norm solution of [R11 R12]·Pᵀx = (Qᵀb)[0:r], from the
    /// complete orthogonal decomposition [R11 R12] = [T 0]·Z computed in work (qr is not modified).
    /// </summary>
    public static void SolveLeastSquares(Span<double> qr, int m, int n, int lda, ReadOnlySpan<int> permutation,
                                         ReadOnlySpan<double> tau, int rank, Span<double> b, Span<double> x, Span<double> work)
    {
        int kmax = Math.Min(m, n);
        Debug.Assert(rank >= 0 && rank <= kmax, "SolveLeastSquares: rank out of range");
        Debug.Assert(b.Length >= m && x.Length >= n && permutation.Length >= n, "SolveLeastSquares: sizes");
        Debug.Assert(work.Length >= LeastSquaresWorkspaceSize(m, n), "SolveLeastSquares: work too small");
        ApplyQt(qr, m, kmax, lda, tau, b);
        if (n == 0)
        {
            return;
        }

        int r = rank;
        Span<double> z = work[..n];
        z.Clear();
        b[..r].CopyTo(z);
        if (r == n)
        {
            // Back substitution with R stored by columns: z_j = c_j / R_jj, then c[0:j] −= z_j·R[0:j, j].
            for (int j = n - 1; j >= 0; j--)
            {
                z[j] /= qr[(j * lda) + j];
                Blas1.Axpy(-z[j], qr.Slice(j * lda, j), z[..j]);
            }
        }
        else if (r > 0)
        {
            // Copy [R11 R12] (r×n) row-major into work so that its rows are contiguous.
            Span<double> t = work.Slice(n, r * n);
            Span<double> tauZ = work.Slice(n + (r * n), r);
            for (int i = 0; i < r; i++)
            {
                Span<double> row = t.Slice(i * n, n);
                row[..i].Clear();
                for (int j = i; j < n; j++)
                {
                    row[j] = qr[(j * lda) + i];
                }
            }

            ReduceTrapezoid(t, r, n, tauZ);

            // T·y = c, then z = Zᵀ·(y, 0) = H(r−1)⋯H(0)·(y, 0) … applied as H(0) first.
            Triangular.SolveUpper(t, r, n, z);
            for (int i = 0; i < r; i++)
            {
                ApplyRzReflector(t.Slice((i * n) + r, n - r), tauZ[i], ref z[i], z[r..]);
            }
        }

        for (int j = 0; j < n; j++)
        {
            x[permutation[j]] = z[j];
        }
    }

    // dlatrz on a row-major r×n upper trapezoid [R11 R12]: for i = r−1 … 0, a reflector on coordinates
    // {i} ∪ {r…n−1} annihilates row i of R12 (its vector is stored there, τ in tauZ[i]) and is applied to
    // rows 0…i−1 from the right. Afterwards [R11 R12] = [T 0]·H(0)·H(1)⋯H(r−1), T upper triangular.
    private static void ReduceTrapezoid(Span<double> t, int r, int n, Span<double> tauZ)
    {
        int l = n - r;
        for (int i = r - 1; i >= 0; i--)
        {
            Span<double> row = t.Slice(i * n, n);
            double alpha = row[i];
            Span<double> v = row[r..];
            tauZ[i] = GenerateReflector(ref alpha, v);
            row[i] = alpha;
            double tz = tauZ[i];
            if (tz == 0)
            {
                continue;
            }

            for (int q = 0; q < i; q++)
            {
                Span<double> rq = t.Slice(q * n, n);
                double w = rq[i] + Blas1.Dot(rq.Slice(r, l), v);
                rq[i] -= tz * w;
                Blas1.Axpy(-tz * w, v, rq.Slice(r, l));
            }
        }
    }

    // (z_i, zTail) ← (I − τ·u·uᵀ)·(z_i, zTail) with u = (1, v).
    private static void ApplyRzReflector(ReadOnlySpan<double> v, double tau, ref double zi, Span<double> zTail)
    {
        if (tau == 0)
        {
            return;
        }

        double s = tau * (zi + Blas1.Dot(v, zTail));
        zi -= s;
        Blas1.Axpy(-s, v, zTail);
    }
}
