// Householder QR with column pivoting on COLUMN-MAJOR storage (column j of the m×n matrix is
// a[j·lda .. j·lda + m), i.e. the row-major storage of Aᵀ), LAPACK dgeqp3/dlaqp2 semantics:
//   A·P = Q·R,  Q = H(0)·H(1)⋯H(kmax−1),  H(i) = I − τ_i·v_i·v_iᵀ,  v_i = (0…0, 1, a[i+1:m, i]),
//   R on and above the diagonal (R[i,j] = a[j·lda + i], i ≤ j), kmax = min(m, n).
// At step i the remaining column with the largest partial norm ‖A[i:m, j]‖ is swapped in; those norms are
// downdated (‖·‖² −= R[i,j]²) and recomputed when cancellation makes the downdate unreliable (the
// dlaqp2 test with tol3z = √ε, Drmač & Bujanović 2008). Cost: 4mn² − 4n³/3 flops for m ≥ n.
// Blocked as dgeqp3: while more than 128 columns remain, blocks of 32 reflectors (dlaqps) update the
// trailing matrix lazily through A − V·Fᵀ and once per block with a GEMM, so about half of the flops
// run in the packed GEMM kernel; the rest (dlaqp2) is unblocked.
// Least squares: min ‖A·x − b‖₂ via Qᵀb and R; when rank r < n the minimum-norm solution comes from a
// complete orthogonal decomposition, [R11 R12] = [T 0]·Z (the RZ step of LAPACK dgelsy/dtzrzf).
using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace SuperSpace.Simd.LinearAlgebra;

internal static class PivotedQr
{
    // √ε, the threshold below which the downdated column norm is recomputed (LAPACK's tol3z = √dlamch('E')).
    private static readonly double NormRecomputeThreshold = Math.Sqrt(1.1102230246251565e-16);

    // dlamch('S')/dlamch('E'): below this |β| the reflector is generated after rescaling (dlarfg).
    private const double SafeMinimum = 2.0041683600089728e-292; // 2^-969

    /// <summary>Reflectors per block of the blocked factorisation (LAPACK's ILAENV default for dgeqp3).</summary>
    internal const int BlockSize = 32;

    /// <summary>Below this many remaining columns the unblocked dlaqp2 finishes the factorisation (LAPACK's crossover).</summary>
    internal const int Crossover = 128;

    /// <summary>
    /// Workspace length <see cref="Factor(Span{double}, int, int, int, Span{int}, Span{double}, Span{double}, bool)"/> needs: 2n (partial and reference column norms) + nb + n·nb
    /// (the block's auxiliary vector and the F matrix of dlaqps), nb = <see cref="BlockSize"/>.
    /// </summary>
    public static int WorkspaceSize(int m, int n)
    {
        _ = m;
        return checked((2 * n) + BlockSize + (n * BlockSize));
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
    /// <see cref="WorkspaceSize"/>. As dgeqp3: blocks of <see cref="BlockSize"/> reflectors (dlaqps: the
    /// trailing update is one GEMM per block) while more than <see cref="Crossover"/> columns remain,
    /// then the unblocked dlaqp2.
    /// </summary>
    public static void Factor(Span<double> a, int m, int n, int lda, Span<int> permutation, Span<double> tau,
                              Span<double> work, bool pivot = true) =>
        Factor(a, m, n, lda, permutation, tau, work, pivot, BlockSize, Crossover);

    /// <summary>As above with an explicit block size (≤ <see cref="BlockSize"/>) and crossover, so tests reach every path on small matrices.</summary>
    internal static void Factor(Span<double> a, int m, int n, int lda, Span<int> permutation, Span<double> tau,
                                Span<double> work, bool pivot, int blockSize, int crossover)
    {
        Debug.Assert(blockSize >= 1 && blockSize <= BlockSize && crossover >= 0, "PivotedQr: bad blocking");
        Debug.Assert(m >= 0 && n >= 0, "PivotedQr: negative size");
        Debug.Assert(n == 0 || (lda >= Math.Max(1, m) && a.Length >= ((n - 1) * (long)lda) + m), "PivotedQr: A too small");
        Debug.Assert(permutation.Length >= n && tau.Length >= Math.Min(m, n), "PivotedQr: permutation or tau too small");
        Debug.Assert(work.Length >= WorkspaceSize(m, n), "PivotedQr: work too small");
        int kmax = Math.Min(m, n);
        for (int j = 0; j < n; j++)
        {
            permutation[j] = j;
        }

        if (kmax == 0)
        {
            return;
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

        int start = 0;
        if (blockSize < kmax)
        {
            Span<double> auxv = work.Slice(2 * n, blockSize);
            Span<double> f = work.Slice((2 * n) + BlockSize, n * blockSize);
            int top = kmax - crossover;
            while (start < top)
            {
                int jb = Math.Min(blockSize, top - start);
                start += FactorBlock(a, m, n, lda, start, jb, permutation, tau, vn1, vn2, auxv, f, pivot);
            }
        }

        FactorUnblocked(a, m, n, lda, start, permutation, tau, vn1, vn2, pivot);
    }

    // dlaqp2 from column `start` on (rows above `start` already hold R).
    private static void FactorUnblocked(Span<double> a, int m, int n, int lda, int start, Span<int> permutation, Span<double> tau,
                                        Span<double> vn1, Span<double> vn2, bool pivot)
    {
        int kmax = Math.Min(m, n);
        for (int i = start; i < kmax; i++)
        {
            if (pivot)
            {
                SwapInPivot(a, m, n, lda, i, permutation, vn1, vn2, default, 0, 0);
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

    // Moves the remaining column with the largest partial norm to position i (first on ties, as idamax),
    // carrying its norms, its permutation entry and, inside a block, its first `fColumns` rows of F.
    private static void SwapInPivot(Span<double> a, int m, int n, int lda, int i, Span<int> permutation, Span<double> vn1, Span<double> vn2,
                                    Span<double> f, int fOffset, int fColumns)
    {
        int p = i;
        for (int j = i + 1; j < n; j++)
        {
            if (vn1[j] > vn1[p])
            {
                p = j;
            }
        }

        if (p == i)
        {
            return;
        }

        SwapColumns(a.Slice(p * lda, m), a.Slice(i * lda, m));
        (permutation[p], permutation[i]) = (permutation[i], permutation[p]);
        vn1[p] = vn1[i];
        vn2[p] = vn2[i];
        int nf = n - fOffset;
        for (int l = 0; l < fColumns; l++)
        {
            (f[(l * nf) + p - fOffset], f[(l * nf) + i - fOffset]) = (f[(l * nf) + i - fOffset], f[(l * nf) + p - fOffset]);
        }
    }

    // dlaqps: up to nb reflectors for columns offset…, with the trailing matrix updated lazily through
    // A ← A − V·Fᵀ (F = τ-weighted Aᵀ·V, built one column per step) and once per block by a GEMM.
    // Stops early when a downdated norm became unreliable (its column is then recomputed after the GEMM).
    // F is stored by columns: F(c, l) = f[l·nf + c − offset], nf = n − offset. Returns the number of reflectors.
    private static int FactorBlock(Span<double> a, int m, int n, int lda, int offset, int nb, Span<int> permutation, Span<double> tau,
                                   Span<double> vn1, Span<double> vn2, Span<double> auxv, Span<double> f, bool pivot)
    {
        int nf = n - offset;
        int lastRow = Math.Min(m, n);
        int unreliable = 0; // 1-based head of the list of columns whose norm must be recomputed (vn2 links)
        int k = 0;
        while (k < nb && unreliable == 0)
        {
            int kk = offset + k;
            if (pivot)
            {
                SwapInPivot(a, m, n, lda, kk, permutation, vn1, vn2, f, offset, k);
            }

            Span<double> v = a.Slice((kk * lda) + kk, m - kk);

            // Apply the block's previous reflectors to this column: A(kk:m, kk) −= V(kk:m, 0:k)·F(kk, 0:k)ᵀ.
            for (int l = 0; l < k; l++)
            {
                Blas1.Axpy(-f[(l * nf) + kk - offset], a.Slice(((offset + l) * lda) + kk, m - kk), v);
            }

            tau[kk] = GenerateReflector(v);
            double t = tau[kk];
            double akk = v[0];
            v[0] = 1;

            // F(kk+1:n, k) = τ·A(kk:m, kk+1:n)ᵀ·v; F(offset:kk+1, k) = 0.
            Span<double> fk = f.Slice(k * nf, nf);
            fk[..(kk - offset + 1)].Clear();
            DotColumns(a, lda, kk + 1, n, kk, m - kk, v, t, fk[(kk - offset + 1)..]);

            // F(:, k) −= τ·F(:, 0:k)·(V(kk:m, 0:k)ᵀ·v), the correction for the updates not yet applied.
            if (k > 0)
            {
                for (int l = 0; l < k; l++)
                {
                    auxv[l] = -t * Blas1.Dot(a.Slice(((offset + l) * lda) + kk, m - kk), v);
                }

                for (int l = 0; l < k; l++)
                {
                    Blas1.Axpy(auxv[l], f.Slice(l * nf, nf), fk);
                }
            }

            // Row kk of the trailing columns: A(kk, c) −= Σ_{l≤k} A(kk, offset+l)·F(c, l).
            for (int c = kk + 1; c < n; c++)
            {
                double sum = 0;
                for (int l = 0; l <= k; l++)
                {
                    sum = Math.FusedMultiplyAdd(a[((offset + l) * lda) + kk], f[(l * nf) + c - offset], sum);
                }

                a[(c * lda) + kk] -= sum;
            }

            if (pivot && kk + 1 < lastRow)
            {
                for (int c = kk + 1; c < n; c++)
                {
                    if (vn1[c] == 0)
                    {
                        continue;
                    }

                    double r = Math.Abs(a[(c * lda) + kk]) / vn1[c];
                    double temp = Math.Max(0, (1 + r) * (1 - r));
                    double ratio = vn1[c] / vn2[c];
                    if (temp * ratio * ratio <= NormRecomputeThreshold)
                    {
                        vn2[c] = unreliable;
                        unreliable = c + 1;
                    }
                    else
                    {
                        vn1[c] *= Math.Sqrt(temp);
                    }
                }
            }

            v[0] = akk;
            k++;
        }

        int kb = k;
        int rk = offset + kb;

        // A(rk:m, rk:n) −= V(rk:m, 0:kb)·F(rk:n, 0:kb)ᵀ — in the transposed storage,
        // At[rk:n, rk:m] −= F(rk:n, :)·At[offset:offset+kb, rk:m], one GEMM.
        if (kb < Math.Min(n, m) - offset && rk < m && rk < n)
        {
            unsafe
            {
                fixed (double* pa = a)
                fixed (double* pf = f)
                {
                    GemmEngine.Gemm(true, false, n - rk, m - rk, kb, -1.0, pf + (rk - offset), nf,
                                    pa + ((long)offset * lda) + rk, lda, 1.0, pa + ((long)rk * lda) + rk, lda, 1);
                }
            }
        }

        while (unreliable > 0)
        {
            int c = unreliable - 1;
            int next = (int)vn2[c];
            vn1[c] = rk < m ? Blas1.Norm2(a.Slice((c * lda) + rk, m - rk)) : 0;
            vn2[c] = vn1[c];
            unreliable = next;
        }

        return kb;
    }

    // y[c − first] = τ·⟨A(row0 : row0+len, c), v⟩ for columns c in [first, end) (a transposed GEMV).
    private static void DotColumns(Span<double> a, int lda, int first, int end, int row0, int len, ReadOnlySpan<double> v, double tau, Span<double> y)
    {
        int c = first;
        if (Vector512.IsHardwareAccelerated || Vector256.IsHardwareAccelerated)
        {
            unsafe
            {
                fixed (double* pa = a)
                fixed (double* pv = v)
                {
                    for (; c + 4 <= end; c += 4)
                    {
                        double* c0 = pa + ((long)c * lda) + row0;
                        Dot4(c0, c0 + lda, c0 + (2L * lda), c0 + (3L * lda), pv, len, out double d0, out double d1, out double d2, out double d3);
                        y[c - first] = tau * d0;
                        y[c + 1 - first] = tau * d1;
                        y[c + 2 - first] = tau * d2;
                        y[c + 3 - first] = tau * d3;
                    }
                }
            }
        }

        for (; c < end; c++)
        {
            y[c - first] = tau * Blas1.Dot(a.Slice((c * lda) + row0, len), v);
        }
    }

    // Four dot products with one vector: each load of v feeds four FMAs.
    private static unsafe void Dot4(double* x0, double* x1, double* x2, double* x3, double* v, int len,
                                    out double d0, out double d1, out double d2, out double d3)
    {
        int i = 0;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i + 8 <= len; i += 8)
            {
                Vector512<double> vv = Vector512.Load(v + i);
                a0 = Vector512.FusedMultiplyAdd(Vector512.Load(x0 + i), vv, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Load(x1 + i), vv, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.Load(x2 + i), vv, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.Load(x3 + i), vv, a3);
            }

            s0 = Vector512.Sum(a0);
            s1 = Vector512.Sum(a1);
            s2 = Vector512.Sum(a2);
            s3 = Vector512.Sum(a3);
        }
        else
        {
            Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i + 4 <= len; i += 4)
            {
                Vector256<double> vv = Vector256.Load(v + i);
                a0 = Vector256.FusedMultiplyAdd(Vector256.Load(x0 + i), vv, a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.Load(x1 + i), vv, a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.Load(x2 + i), vv, a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.Load(x3 + i), vv, a3);
            }

            s0 = Vector256.Sum(a0);
            s1 = Vector256.Sum(a1);
            s2 = Vector256.Sum(a2);
            s3 = Vector256.Sum(a3);
        }

        for (; i < len; i++)
        {
            s0 = Math.FusedMultiplyAdd(x0[i], v[i], s0);
            s1 = Math.FusedMultiplyAdd(x1[i], v[i], s1);
            s2 = Math.FusedMultiplyAdd(x2[i], v[i], s2);
            s3 = Math.FusedMultiplyAdd(x3[i], v[i], s3);
        }

        d0 = s0;
        d1 = s1;
        d2 = s2;
        d3 = s3;
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
    /// Numerical rank after <see cref="Factor(Span{double}, int, int, int, Span{int}, Span{double}, Span{double}, bool)"/>: the number of leading |R[k,k]| &gt; tol·|R[0,0]|,
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
    /// Least squares min ‖A·x − b‖₂ after <see cref="Factor(Span{double}, int, int, int, Span{int}, Span{double}, Span{double}, bool)"/> with numerical rank <paramref name="rank"/>
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
