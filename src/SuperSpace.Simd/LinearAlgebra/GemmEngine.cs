// Packed, cache-blocked GEMM/SYRK engine (the Goto/BLIS algorithm), row-major operands:
//   C(m×n) ← α·op(A)·op(B) + β·C                                    2mnk flops
//   C(n×n, upper) ← α·AᵀA + β·C (A m×n), optionally atb ← atb + Aᵀb    mn(n+1) flops
// Loops, outermost first: column blocks of nc, depth panels of kc (B panel packed into NR-wide
// slivers), row blocks of mc (A block packed into MR-tall slivers), then the MR×NR register-tile
// micro-kernel (Vector512: 8×24, Vector256: 4×12, otherwise scalar 4×4), which keeps the tile of C
// in registers for the whole panel and does one FMA per element of A·B.
// Determinism: tile boundaries sit at global multiples of MR/NR and panels at global multiples of
// kc, and every C element is owned by exactly one thread, so each element is computed by the same
// operations in the same order whatever the thread count. Parallel work is split into contiguous
// sliver ranges (rows or columns for GEMM, columns for SYRK); each thread packs what it needs.
// Workspace: pack buffers rented from ArrayPool (about 3.5 MB per thread), 64-byte aligned.
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SuperSpace.Simd.LinearAlgebra;

internal static unsafe class GemmEngine
{
    internal enum Isa
    {
        Scalar,
        Vector256,
        Vector512,
    }

    internal static readonly Isa Kind =
        Vector512.IsHardwareAccelerated ? Isa.Vector512 :
        Vector256.IsHardwareAccelerated ? Isa.Vector256 : Isa.Scalar;

    /// <summary>Register tile height (rows of C).</summary>
    internal static readonly int Mr = Kind == Isa.Vector512 ? 8 : 4;

    /// <summary>Register tile width (columns of C); a multiple of <see cref="Mr"/>.</summary>
    internal static readonly int Nr = Kind switch { Isa.Vector512 => 24, Isa.Vector256 => 12, _ => 4 };

    /// <summary>Depth of a packed panel (shared dimension).</summary>
    internal const int Kc = 256;

    /// <summary>Rows of C per packed A block (a multiple of every MR).</summary>
    internal const int Mc = 144;

    /// <summary>Columns of C per packed B panel (a multiple of every NR).</summary>
    internal const int Nc = 1536;

    /// <summary>Below this many flops one thread does the work, whatever the caller allows.</summary>
    internal const long ParallelThreshold = 1L << 22;

    private const int MaxTile = 8 * 24;

    /// <summary>GEMMs this shallow (k ≤ 4) skip packing.</summary>
    internal const int SmallDepth = 4;

    /// <summary>Gram matrices this narrow (n ≤ 4) are summed directly: a register tile would be mostly padding.</summary>
    internal const int SmallGramWidth = 4;

    // C ← α·op(A)·op(B) + β·C as k rank-1 updates of each row of C (k ≤ SmallDepth).
    private static void GemmSmallDepth(bool transA, bool transB, int m, int n, int k, double alpha,
                                       double* a, int lda, double* b, int ldb, double beta, double* c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            double* ci = c + ((long)i * ldc);
            ScaleRow(ci, n, beta);
            var row = new Span<double>(ci, n);
            for (int p = 0; p < k; p++)
            {
                double aip = alpha * (transA ? a[((long)p * lda) + i] : a[((long)i * lda) + p]);
                if (!transB)
                {
                    Blas1.Axpy(aip, new ReadOnlySpan<double>(b + ((long)p * ldb), n), row);
                }
                else
                {
                    for (int j = 0; j < n; j++)
                    {
                        row[j] = Math.FusedMultiplyAdd(aip, b[((long)j * ldb) + p], row[j]);
                    }
                }
            }
        }
    }

    // Upper triangle of α·AᵀA + β·C and Aᵀb for n ≤ SmallGramWidth: running sums over the rows in order.
    private static void SyrkNarrow(int m, int n, double* a, int lda, double alpha, double* c, int ldc, double beta, double* b, double* atb)
    {
        double* sums = stackalloc double[SmallGramWidth * SmallGramWidth];
        double* sumsB = stackalloc double[SmallGramWidth];
        for (int q = 0; q < SmallGramWidth * SmallGramWidth; q++)
        {
            sums[q] = 0;
        }

        for (int q = 0; q < SmallGramWidth; q++)
        {
            sumsB[q] = 0;
        }

        for (int r = 0; r < m; r++)
        {
            double* row = a + ((long)r * lda);
            for (int i = 0; i < n; i++)
            {
                double ai = row[i];
                for (int j = i; j < n; j++)
                {
                    sums[(i * SmallGramWidth) + j] = Math.FusedMultiplyAdd(ai, row[j], sums[(i * SmallGramWidth) + j]);
                }

                if (atb != null)
                {
                    sumsB[i] = Math.FusedMultiplyAdd(ai, b[r], sumsB[i]);
                }
            }
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                double v = alpha * sums[(i * SmallGramWidth) + j];
                double* cij = c + ((long)i * ldc) + j;
                *cij = beta == 0 ? v : Math.FusedMultiplyAdd(beta, *cij, v);
            }

            if (atb != null)
            {
                atb[i] = beta == 0 ? sumsB[i] : Math.FusedMultiplyAdd(beta, atb[i], sumsB[i]);
            }
        }
    }

    public static void Gemm(bool transA, bool transB, int m, int n, int k, double alpha,
                            double* a, int lda, double* b, int ldb, double beta, double* c, int ldc, int threads)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (alpha == 0 || k == 0)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }

        if (k <= SmallDepth)
        {
            // Packing a panel only a few deep costs more than it saves: rank-k updates row by row.
            GemmSmallDepth(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }

        int mr = Mr, nr = Nr;
        int rowSlivers = (m + mr - 1) / mr;
        int colSlivers = (n + nr - 1) / nr;
        long flops = 2L * m * n * k;
        int t = flops < ParallelThreshold ? 1 : Math.Min(threads, Math.Max(rowSlivers, colSlivers));
        var job = new GemmJob(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        if (t <= 1)
        {
            job.Run(0, m, 0, n);
            return;
        }

        RunGemmParallel(job, t, rowSlivers >= colSlivers, rowSlivers, colSlivers);
    }

    private static void RunGemmParallel(GemmJob job, int t, bool splitRows, int rowSlivers, int colSlivers)
    {
        int slivers = splitRows ? rowSlivers : colSlivers;
        int width = splitRows ? Mr : Nr;
        Parallel.For(0, t, new ParallelOptions { MaxDegreeOfParallelism = t }, w =>
        {
            int s0 = (int)((long)slivers * w / t);
            int s1 = (int)((long)slivers * (w + 1) / t);
            if (splitRows)
            {
                job.Run(s0 * width, Math.Min(job.M, s1 * width), 0, job.N);
            }
            else
            {
                job.Run(0, job.M, s0 * width, Math.Min(job.N, s1 * width));
            }
        });
    }

    private readonly struct GemmJob(bool transA, bool transB, int m, int n, int k, double alpha,
                                    double* a, int lda, double* b, int ldb, double beta, double* c, int ldc)
    {
        public int M => m;

        public int N => n;

        public void Run(int r0, int r1, int c0, int c1)
        {
            int mr = Mr, nr = Nr;
            int ncMax = Math.Min(Nc, RoundUp(c1 - c0, nr));
            int mcMax = Math.Min(Mc, RoundUp(r1 - r0, mr));
            int kcMax = Math.Min(Kc, k);
            double[] bArray = ArrayPool<double>.Shared.Rent((kcMax * ncMax) + 8);
            double[] aArray = ArrayPool<double>.Shared.Rent((kcMax * mcMax) + 8);
            double* tile = stackalloc double[MaxTile];
            try
            {
                fixed (double* bBase = bArray)
                fixed (double* aBase = aArray)
                {
                    double* bp = Align64(bBase);
                    double* ap = Align64(aBase);
                    for (int jc = c0; jc < c1; jc += Nc)
                    {
                        int nc = Math.Min(Nc, c1 - jc);
                        for (int pc = 0; pc < k; pc += Kc)
                        {
                            int kc = Math.Min(Kc, k - pc);
                            double betaPanel = pc == 0 ? beta : 1.0;
                            PackB(transB, b, ldb, pc, kc, jc, nc, bp);
                            for (int ic = r0; ic < r1; ic += Mc)
                            {
                                int mc = Math.Min(Mc, r1 - ic);
                                PackA(transA, a, lda, ic, mc, pc, kc, ap);
                                for (int jr = 0; jr < nc; jr += nr)
                                {
                                    int nrEff = Math.Min(nr, nc - jr);
                                    double* bSliver = bp + ((long)jr * kc);
                                    for (int ir = 0; ir < mc; ir += mr)
                                    {
                                        int mrEff = Math.Min(mr, mc - ir);
                                        double* aSliver = ap + ((long)ir * kc);
                                        double* cTile = c + ((long)(ic + ir) * ldc) + jc + jr;
                                        if (mrEff == mr && nrEff == nr)
                                        {
                                            Kernel(kc, aSliver, mr, bSliver, cTile, ldc, alpha, betaPanel);
                                        }
                                        else
                                        {
                                            Kernel(kc, aSliver, mr, bSliver, tile, nr, 1.0, 0.0);
                                            MergeTile(tile, nr, cTile, ldc, mrEff, nrEff, alpha, betaPanel);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(aArray);
                ArrayPool<double>.Shared.Return(bArray);
            }
        }
    }

    /// <summary>
    /// Upper triangle of C(n×n) ← α·AᵀA + β·C for row-major A (m×n, lda), and when atb != null,
    /// atb ← β·atb + Aᵀb in the same pass over A. β = 0: C and atb are not read.
    /// </summary>
    public static void Syrk(int m, int n, double* a, int lda, double alpha, double* c, int ldc, double beta,
                            double* b, double* atb, int threads)
    {
        if (n == 0)
        {
            return;
        }

        if (m == 0 || alpha == 0)
        {
            for (int i = 0; i < n; i++)
            {
                ScaleRow(c + ((long)i * ldc) + i, n - i, beta);
            }

            if (atb != null)
            {
                ScaleRow(atb, n, beta);
            }

            return;
        }

        if (n <= SmallGramWidth)
        {
            SyrkNarrow(m, n, a, lda, alpha, c, ldc, beta, b, atb);
            return;
        }

        int nr = Nr;
        int slivers = (n + nr - 1) / nr;
        long flops = (long)m * n * (n + 1);
        int t = flops < ParallelThreshold ? 1 : Math.Min(threads, slivers);
        var job = new SyrkJob(m, n, a, lda, alpha, c, ldc, beta, b, atb);
        if (t <= 1)
        {
            job.Run(0, slivers);
            return;
        }

        RunSyrkParallel(job, t, slivers);
    }

    private static void RunSyrkParallel(SyrkJob job, int t, int slivers)
    {
        // Sliver s (columns s·NR …) holds about s + 1 tiles of the upper triangle: split the cumulative
        // work (s + 1)(s + 2)/2 evenly.
        Span<int> bounds = stackalloc int[t + 1];
        double total = (double)slivers * (slivers + 1) / 2;
        bounds[0] = 0;
        int s = 0;
        for (int w = 1; w < t; w++)
        {
            double target = total * w / t;
            while (s < slivers && (double)(s + 1) * (s + 2) / 2 <= target)
            {
                s++;
            }

            bounds[w] = Math.Max(s, bounds[w - 1]);
        }

        bounds[t] = slivers;
        int[] ranges = bounds.ToArray();
        Parallel.For(0, t, new ParallelOptions { MaxDegreeOfParallelism = t }, w =>
        {
            if (ranges[w] < ranges[w + 1])
            {
                job.Run(ranges[w], ranges[w + 1]);
            }
        });
    }

    private readonly struct SyrkJob(int m, int n, double* a, int lda, double alpha, double* c, int ldc, double beta, double* b, double* atb)
    {
        /// <summary>Column slivers [s0, s1) of C, over all panels.</summary>
        public void Run(int s0, int s1)
        {
            int mr = Mr, nr = Nr;
            int jLo = s0 * nr;
            int jHi = Math.Min(n, s1 * nr);
            int width = RoundUp(jHi, nr);      // columns 0 … jHi are packed: they serve as rows of Aᵀ too
            int kcMax = Math.Min(Kc, m);
            double[] packArray = ArrayPool<double>.Shared.Rent((kcMax * width) + 8);
            double* tile = stackalloc double[MaxTile];
            try
            {
                fixed (double* packBase = packArray)
                {
                    double* pack = Align64(packBase);
                    if (atb != null && beta == 0)
                    {
                        new Span<double>(atb + jLo, jHi - jLo).Clear();
                    }
                    else if (atb != null && beta != 1)
                    {
                        ScaleRow(atb + jLo, jHi - jLo, beta);
                    }

                    for (int pc = 0; pc < m; pc += Kc)
                    {
                        int kc = Math.Min(Kc, m - pc);
                        double betaPanel = pc == 0 ? beta : 1.0;
                        PackB(false, a, lda, pc, kc, 0, jHi, pack);
                        if (atb != null)
                        {
                            var atbRange = new Span<double>(atb + jLo, jHi - jLo);
                            for (int p = 0; p < kc; p++)
                            {
                                double* row = a + ((long)(pc + p) * lda);
                                Blas1.Axpy(b[pc + p], new ReadOnlySpan<double>(row + jLo, jHi - jLo), atbRange);
                            }
                        }

                        for (int s = s0; s < s1; s++)
                        {
                            int j0 = s * nr;
                            int nrEff = Math.Min(nr, n - j0);
                            double* bSliver = pack + ((long)j0 * kc);
                            int iEnd = Math.Min(j0 + nr, n);
                            for (int i0 = 0; i0 < iEnd; i0 += mr)
                            {
                                // Rows i0 … i0+MR of Aᵀ are columns of A: read them from the packed sliver that holds them.
                                double* aSliver = pack + ((long)(i0 / nr) * nr * kc) + (i0 % nr);
                                double* cTile = c + ((long)i0 * ldc) + j0;
                                int mrEff = Math.Min(mr, n - i0);
                                if (i0 + mr - 1 <= j0 && nrEff == nr && mrEff == mr)
                                {
                                    Kernel(kc, aSliver, nr, bSliver, cTile, ldc, alpha, betaPanel);
                                }
                                else
                                {
                                    Kernel(kc, aSliver, nr, bSliver, tile, nr, 1.0, 0.0);
                                    MergeUpperTile(tile, nr, cTile, ldc, mrEff, nrEff, j0 - i0, alpha, betaPanel);
                                }
                            }
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(packArray);
            }
        }
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    private static double* Align64(double* p) => (double*)(((nint)p + 63) & ~(nint)63);

    // C ← α·T + β·C on the mr×nr corner of a tile (β = 0: C not read); same arithmetic as the kernels.
    private static void MergeTile(double* t, int ldt, double* c, int ldc, int mr, int nr, double alpha, double beta)
    {
        for (int i = 0; i < mr; i++)
        {
            for (int j = 0; j < nr; j++)
            {
                double v = alpha * t[(i * ldt) + j];
                c[((long)i * ldc) + j] = beta == 0 ? v : Math.FusedMultiplyAdd(beta, c[((long)i * ldc) + j], v);
            }
        }
    }

    // As MergeTile, only for entries with column ≥ row, where column − row = shift + j − i.
    private static void MergeUpperTile(double* t, int ldt, double* c, int ldc, int mr, int nr, int shift, double alpha, double beta)
    {
        for (int i = 0; i < mr; i++)
        {
            for (int j = Math.Max(0, i - shift); j < nr; j++)
            {
                double v = alpha * t[(i * ldt) + j];
                c[((long)i * ldc) + j] = beta == 0 ? v : Math.FusedMultiplyAdd(beta, c[((long)i * ldc) + j], v);
            }
        }
    }

    private static void ScaleRow(double* x, int n, double beta)
    {
        var span = new Span<double>(x, n);
        if (beta == 0)
        {
            span.Clear();
        }
        else if (beta != 1)
        {
            Blas1.Scale(beta, span);
        }
    }

    internal static void ScaleC(int m, int n, double beta, double* c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            ScaleRow(c + ((long)i * ldc), n, beta);
        }
    }

    // B panel rows pc … pc+kc, columns jc … jc+nc of op(B) into NR-wide slivers: dest[s·kc·NR + p·NR + j].
    // Columns past nc are zero so edge tiles need no special case in the kernel.
    private static void PackB(bool trans, double* b, int ldb, int pc, int kc, int jc, int nc, double* dest)
    {
        int nr = Nr;
        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int w = Math.Min(nr, nc - j0);
            double* d = dest + ((long)j0 * kc);
            if (!trans)
            {
                double* src = b + ((long)pc * ldb) + jc + j0;
                if (w == nr)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        Buffer.MemoryCopy(src, d, nr * sizeof(double), nr * sizeof(double));
                        src += ldb;
                        d += nr;
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        int j = 0;
                        for (; j < w; j++)
                        {
                            d[j] = src[j];
                        }

                        for (; j < nr; j++)
                        {
                            d[j] = 0;
                        }

                        src += ldb;
                        d += nr;
                    }
                }
            }
            else
            {
                // op(B)(p, j) = b[j·ldb + p]: each column is a contiguous run over p.
                for (int j = 0; j < nr; j++)
                {
                    if (j < w)
                    {
                        double* src = b + ((long)(jc + j0 + j) * ldb) + pc;
                        for (int p = 0; p < kc; p++)
                        {
                            d[(p * nr) + j] = src[p];
                        }
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++)
                        {
                            d[(p * nr) + j] = 0;
                        }
                    }
                }
            }
        }
    }

    // A block rows ic … ic+mc, columns pc … pc+kc of op(A) into MR-tall slivers: dest[s·kc·MR + p·MR + i].
    private static void PackA(bool trans, double* a, int lda, int ic, int mc, int pc, int kc, double* dest)
    {
        int mr = Mr;
        for (int i0 = 0; i0 < mc; i0 += mr)
        {
            int h = Math.Min(mr, mc - i0);
            double* d = dest + ((long)i0 * kc);
            if (trans)
            {
                // op(A)(i, p) = a[p·lda + i]: MR consecutive rows of op(A) are contiguous in memory.
                double* src = a + ((long)pc * lda) + ic + i0;
                for (int p = 0; p < kc; p++)
                {
                    int i = 0;
                    for (; i < h; i++)
                    {
                        d[i] = src[i];
                    }

                    for (; i < mr; i++)
                    {
                        d[i] = 0;
                    }

                    src += lda;
                    d += mr;
                }
            }
            else
            {
                for (int i = 0; i < mr; i++)
                {
                    if (i < h)
                    {
                        double* src = a + ((long)(ic + i0 + i) * lda) + pc;
                        for (int p = 0; p < kc; p++)
                        {
                            d[(p * mr) + i] = src[p];
                        }
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++)
                        {
                            d[(p * mr) + i] = 0;
                        }
                    }
                }
            }
        }
    }

    /// <summary>C[0:MR, 0:NR] ← α·Σ_p A[p·aStride + i]·B[p·NR + j] + β·C (β = 0: C not read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel(int kc, double* a, nint aStride, double* b, double* c, nint ldc, double alpha, double beta)
    {
        if (Kind == Isa.Vector512)
        {
            Kernel512(kc, a, aStride, b, c, ldc, alpha, beta);
        }
        else if (Kind == Isa.Vector256)
        {
            Kernel256(kc, a, aStride, b, c, ldc, alpha, beta);
        }
        else
        {
            KernelScalar(kc, a, aStride, b, c, ldc, alpha, beta);
        }
    }

    // 8×24 register tile on Vector512<double>: 24 accumulators, 3 loads of B and 8 broadcasts of A per step.
    private static void Kernel512(int kc, double* a, nint aStride, double* b, double* c, nint ldc, double alpha, double beta)
    {
        Vector512<double> c00 = default; Vector512<double> c01 = default; Vector512<double> c02 = default;
        Vector512<double> c10 = default; Vector512<double> c11 = default; Vector512<double> c12 = default;
        Vector512<double> c20 = default; Vector512<double> c21 = default; Vector512<double> c22 = default;
        Vector512<double> c30 = default; Vector512<double> c31 = default; Vector512<double> c32 = default;
        Vector512<double> c40 = default; Vector512<double> c41 = default; Vector512<double> c42 = default;
        Vector512<double> c50 = default; Vector512<double> c51 = default; Vector512<double> c52 = default;
        Vector512<double> c60 = default; Vector512<double> c61 = default; Vector512<double> c62 = default;
        Vector512<double> c70 = default; Vector512<double> c71 = default; Vector512<double> c72 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<double> b0 = Vector512.Load(b + 0);
            Vector512<double> b1 = Vector512.Load(b + 8);
            Vector512<double> b2 = Vector512.Load(b + 16);
            Vector512<double> a0 = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
            c02 = Vector512.FusedMultiplyAdd(a0, b2, c02);
            Vector512<double> a1 = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
            c12 = Vector512.FusedMultiplyAdd(a1, b2, c12);
            Vector512<double> a2 = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(a2, b1, c21);
            c22 = Vector512.FusedMultiplyAdd(a2, b2, c22);
            Vector512<double> a3 = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(a3, b1, c31);
            c32 = Vector512.FusedMultiplyAdd(a3, b2, c32);
            Vector512<double> a4 = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(a4, b1, c41);
            c42 = Vector512.FusedMultiplyAdd(a4, b2, c42);
            Vector512<double> a5 = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(a5, b1, c51);
            c52 = Vector512.FusedMultiplyAdd(a5, b2, c52);
            Vector512<double> a6 = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(a6, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(a6, b1, c61);
            c62 = Vector512.FusedMultiplyAdd(a6, b2, c62);
            Vector512<double> a7 = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(a7, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(a7, b1, c71);
            c72 = Vector512.FusedMultiplyAdd(a7, b2, c72);
            a += aStride;
            b += 24;
        }

        Vector512<double> va = Vector512.Create(alpha);
        if (beta == 0)
        {
            (va * c00).Store(c + (0 * ldc) + 0);
            (va * c01).Store(c + (0 * ldc) + 8);
            (va * c02).Store(c + (0 * ldc) + 16);
            (va * c10).Store(c + (1 * ldc) + 0);
            (va * c11).Store(c + (1 * ldc) + 8);
            (va * c12).Store(c + (1 * ldc) + 16);
            (va * c20).Store(c + (2 * ldc) + 0);
            (va * c21).Store(c + (2 * ldc) + 8);
            (va * c22).Store(c + (2 * ldc) + 16);
            (va * c30).Store(c + (3 * ldc) + 0);
            (va * c31).Store(c + (3 * ldc) + 8);
            (va * c32).Store(c + (3 * ldc) + 16);
            (va * c40).Store(c + (4 * ldc) + 0);
            (va * c41).Store(c + (4 * ldc) + 8);
            (va * c42).Store(c + (4 * ldc) + 16);
            (va * c50).Store(c + (5 * ldc) + 0);
            (va * c51).Store(c + (5 * ldc) + 8);
            (va * c52).Store(c + (5 * ldc) + 16);
            (va * c60).Store(c + (6 * ldc) + 0);
            (va * c61).Store(c + (6 * ldc) + 8);
            (va * c62).Store(c + (6 * ldc) + 16);
            (va * c70).Store(c + (7 * ldc) + 0);
            (va * c71).Store(c + (7 * ldc) + 8);
            (va * c72).Store(c + (7 * ldc) + 16);
        }
        else
        {
            Vector512<double> vb = Vector512.Create(beta);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (0 * ldc) + 0), va * c00).Store(c + (0 * ldc) + 0);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (0 * ldc) + 8), va * c01).Store(c + (0 * ldc) + 8);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (0 * ldc) + 16), va * c02).Store(c + (0 * ldc) + 16);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (1 * ldc) + 0), va * c10).Store(c + (1 * ldc) + 0);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (1 * ldc) + 8), va * c11).Store(c + (1 * ldc) + 8);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (1 * ldc) + 16), va * c12).Store(c + (1 * ldc) + 16);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (2 * ldc) + 0), va * c20).Store(c + (2 * ldc) + 0);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (2 * ldc) + 8), va * c21).Store(c + (2 * ldc) + 8);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (2 * ldc) + 16), va * c22).Store(c + (2 * ldc) + 16);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (3 * ldc) + 0), va * c30).Store(c + (3 * ldc) + 0);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (3 * ldc) + 8), va * c31).Store(c + (3 * ldc) + 8);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (3 * ldc) + 16), va * c32).Store(c + (3 * ldc) + 16);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (4 * ldc) + 0), va * c40).Store(c + (4 * ldc) + 0);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (4 * ldc) + 8), va * c41).Store(c + (4 * ldc) + 8);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (4 * ldc) + 16), va * c42).Store(c + (4 * ldc) + 16);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (5 * ldc) + 0), va * c50).Store(c + (5 * ldc) + 0);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (5 * ldc) + 8), va * c51).Store(c + (5 * ldc) + 8);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (5 * ldc) + 16), va * c52).Store(c + (5 * ldc) + 16);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (6 * ldc) + 0), va * c60).Store(c + (6 * ldc) + 0);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (6 * ldc) + 8), va * c61).Store(c + (6 * ldc) + 8);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (6 * ldc) + 16), va * c62).Store(c + (6 * ldc) + 16);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (7 * ldc) + 0), va * c70).Store(c + (7 * ldc) + 0);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (7 * ldc) + 8), va * c71).Store(c + (7 * ldc) + 8);
            Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + (7 * ldc) + 16), va * c72).Store(c + (7 * ldc) + 16);
        }
    }

    // 4×12 register tile on Vector256<double>: 12 accumulators, 3 loads of B and 4 broadcasts of A per step.
    private static void Kernel256(int kc, double* a, nint aStride, double* b, double* c, nint ldc, double alpha, double beta)
    {
        Vector256<double> c00 = default; Vector256<double> c01 = default; Vector256<double> c02 = default;
        Vector256<double> c10 = default; Vector256<double> c11 = default; Vector256<double> c12 = default;
        Vector256<double> c20 = default; Vector256<double> c21 = default; Vector256<double> c22 = default;
        Vector256<double> c30 = default; Vector256<double> c31 = default; Vector256<double> c32 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<double> b0 = Vector256.Load(b + 0);
            Vector256<double> b1 = Vector256.Load(b + 4);
            Vector256<double> b2 = Vector256.Load(b + 8);
            Vector256<double> a0 = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            c02 = Vector256.FusedMultiplyAdd(a0, b2, c02);
            Vector256<double> a1 = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            c12 = Vector256.FusedMultiplyAdd(a1, b2, c12);
            Vector256<double> a2 = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
            c22 = Vector256.FusedMultiplyAdd(a2, b2, c22);
            Vector256<double> a3 = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
            c32 = Vector256.FusedMultiplyAdd(a3, b2, c32);
            a += aStride;
            b += 12;
        }

        Vector256<double> va = Vector256.Create(alpha);
        if (beta == 0)
        {
            (va * c00).Store(c + (0 * ldc) + 0);
            (va * c01).Store(c + (0 * ldc) + 4);
            (va * c02).Store(c + (0 * ldc) + 8);
            (va * c10).Store(c + (1 * ldc) + 0);
            (va * c11).Store(c + (1 * ldc) + 4);
            (va * c12).Store(c + (1 * ldc) + 8);
            (va * c20).Store(c + (2 * ldc) + 0);
            (va * c21).Store(c + (2 * ldc) + 4);
            (va * c22).Store(c + (2 * ldc) + 8);
            (va * c30).Store(c + (3 * ldc) + 0);
            (va * c31).Store(c + (3 * ldc) + 4);
            (va * c32).Store(c + (3 * ldc) + 8);
        }
        else
        {
            Vector256<double> vb = Vector256.Create(beta);
            Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + (0 * ldc) + 0), va * c00).Store(c + (0 * ldc) + 0);
            Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + (0 * ldc) + 4), va * c01).Store(c + (0 * ldc) + 4);
            Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + (0 * ldc) + 8), va * c02).Store(c + (0 * ldc) + 8);
            Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + (1 * ldc) + 0), va * c10).Store(c + (1 * ldc) + 0);
            Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + (1 * ldc) + 4), va * c11).Store(c + (1 * ldc) + 4);
            Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + (1 * ldc) + 8), va * c12).Store(c + (1 * ldc) + 8);
            Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + (2 * ldc) + 0), va * c20).Store(c + (2 * ldc) + 0);
            Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + (2 * ldc) + 4), va * c21).Store(c + (2 * ldc) + 4);
            Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + (2 * ldc) + 8), va * c22).Store(c + (2 * ldc) + 8);
            Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + (3 * ldc) + 0), va * c30).Store(c + (3 * ldc) + 0);
            Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + (3 * ldc) + 4), va * c31).Store(c + (3 * ldc) + 4);
            Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + (3 * ldc) + 8), va * c32).Store(c + (3 * ldc) + 8);
        }
    }


    // 4×4 portable tile (no hardware vectors): the same sums in the same order as the vector tiles.
    private static void KernelScalar(int kc, double* a, nint aStride, double* b, double* c, nint ldc, double alpha, double beta)
    {
        double* acc = stackalloc double[16];
        for (int q = 0; q < 16; q++)
        {
            acc[q] = 0;
        }

        for (int p = 0; p < kc; p++)
        {
            for (int i = 0; i < 4; i++)
            {
                double ai = a[i];
                for (int j = 0; j < 4; j++)
                {
                    acc[(i * 4) + j] = Math.FusedMultiplyAdd(ai, b[j], acc[(i * 4) + j]);
                }
            }

            a += aStride;
            b += 4;
        }

        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                double v = alpha * acc[(i * 4) + j];
                c[(i * ldc) + j] = beta == 0 ? v : Math.FusedMultiplyAdd(beta, c[(i * ldc) + j], v);
            }
        }
    }
}
