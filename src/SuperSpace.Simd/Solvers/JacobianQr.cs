// Householder QR with column pivoting of the free columns of a row-major Jacobian, fused for the small,
// tall problems Levenberg–Marquardt mostly sees (n ≤ 64, any m): one pass transposes the free columns into
// column-major storage (the layout and reflector convention of LinearAlgebra.PivotedQr, so its ApplyQt/ApplyQ
// work on the result), and each reflector is applied to the residual vector as it is generated (Qᵀf̃, as
// MINPACK's lmder forms qtf). Pivoting as dgeqp3/MINPACK qrfac: the remaining column of largest partial norm
// goes next; partial norms start from the column norms the caller already has and are downdated with
// LAPACK's dlaqp2 test (recomputed when cancellation makes the downdate unreliable).
//   J[:, free]·P = Q·R,  Qᵀf̃ → qtf,  R (k×k) copied column-major.
// Cost: 4mk² − 4k³/3 flops for the factorisation plus 4mk for Qᵀf̃; no allocation.
using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Solvers;

internal static class JacobianQr
{
    /// <summary>Largest free-column count this kernel takes; wider problems use the backend's (blocked) QR.</summary>
    public const int MaxColumns = 64;

    private const double NormRecomputeThreshold = 1.0536712127723509e-8; // √(ε/2), LAPACK's tol3z
    private const double SafeLow = 1e-290;
    private const double SafeHigh = 1e290;

    /// <param name="jacobian">Row-major m×n.</param>
    /// <param name="m">Residual count.</param>
    /// <param name="n">Parameter count (the Jacobian's row length).</param>
    /// <param name="free">The k column indices to factor.</param>
    /// <param name="k">Free column count.</param>
    /// <param name="rows">Rows of the column-major storage, max(m, n).</param>
    /// <param name="columnNorms">‖J[:, j]‖ for all n columns (the pivoting's starting partial norms).</param>
    /// <param name="qr">Column-major rows×k output (rows ≥ m; rows beyond m are zero padding).</param>
    /// <param name="model">The residuals the linear model uses (length m).</param>
    /// <param name="permutation">Output: position j holds free column permutation[j].</param>
    /// <param name="tau">Output: reflector coefficients.</param>
    /// <param name="qtf">Output, length rows: Qᵀ·(model residuals, zero-padded).</param>
    /// <param name="r">Output: R, k×k column-major (upper triangle).</param>
    /// <param name="vn1">Work, k.</param>
    /// <param name="vn2">Work, k.</param>
    public static void Factor(ReadOnlySpan<double> jacobian, int m, int n, ReadOnlySpan<int> free, int k, int rows,
                              ReadOnlySpan<double> columnNorms, ReadOnlySpan<double> model,
                              Span<double> qr, Span<int> permutation, Span<double> tau, Span<double> qtf, Span<double> r,
                              Span<double> vn1, Span<double> vn2)
    {
        // Transpose the free columns (contiguous writes, stride-n reads).
        for (int jj = 0; jj < k; jj++)
        {
            int j = free[jj];
            Span<double> column = qr.Slice(jj * rows, rows);
            for (int i = 0; i < m; i++)
            {
                column[i] = jacobian[(i * n) + j];
            }

            column[m..].Clear();
            permutation[jj] = jj;
            vn1[jj] = columnNorms[j];
            vn2[jj] = vn1[jj];
        }

        model[..m].CopyTo(qtf);
        qtf[m..rows].Clear();

        int kmax = Math.Min(rows, k);
        for (int i = 0; i < kmax; i++)
        {
            int p = i;
            for (int j = i + 1; j < k; j++)
            {
                if (vn1[j] > vn1[p])
                {
                    p = j;
                }
            }

            if (p != i)
            {
                Span<double> a = qr.Slice(p * rows, rows);
                Span<double> b = qr.Slice(i * rows, rows);
                for (int row = 0; row < rows; row++)
                {
                    (a[row], b[row]) = (b[row], a[row]);
                }

                (permutation[p], permutation[i]) = (permutation[i], permutation[p]);
                vn1[p] = vn1[i];
                vn2[p] = vn2[i];
            }

            Span<double> column = qr.Slice((i * rows) + i, rows - i);
            double t = Reflector(column);
            tau[i] = t;
            if (t != 0)
            {
                ReadOnlySpan<double> v = column[1..];
                Reflect(v, t, qtf.Slice(i, rows - i));
                for (int j = i + 1; j < k; j++)
                {
                    Reflect(v, t, qr.Slice((j * rows) + i, rows - i));
                }
            }

            // Downdate the partial norms (dlaqp2).
            for (int j = i + 1; j < k; j++)
            {
                if (vn1[j] == 0)
                {
                    continue;
                }

                double ratio = Math.Abs(qr[(j * rows) + i]) / vn1[j];
                double temp = Math.Max(0, (1 + ratio) * (1 - ratio));
                double drift = vn1[j] / vn2[j];
                if (temp * drift * drift <= NormRecomputeThreshold)
                {
                    vn1[j] = i + 1 < rows ? Norms.Euclidean(qr.Slice((j * rows) + i + 1, rows - i - 1)) : 0;
                    vn2[j] = vn1[j];
                }
                else
                {
                    vn1[j] *= Math.Sqrt(temp);
                }
            }
        }

        for (int i = kmax; i < k; i++)
        {
            tau[i] = 0;
        }

        for (int j = 0; j < k; j++)
        {
            ReadOnlySpan<double> source = qr.Slice(j * rows, Math.Min(j + 1, rows));
            Span<double> target = r.Slice(j * k, k);
            source.CopyTo(target);
            target[source.Length..].Clear();
        }
    }

    /// <summary>
    /// dlarfg on x = (α, tail): H·x = (β, 0…0) with H = I − τ·v·vᵀ, v = (1, tail/(α − β)); x becomes (β, v₁…).
    /// One pass for ‖tail‖² when everything is in range; LinearAlgebra.PivotedQr's rescaling version otherwise.
    /// </summary>
    private static double Reflector(Span<double> x)
    {
        if (x.Length <= 1)
        {
            return 0;
        }

        Span<double> tail = x[1..];
        double sumOfSquares = Blas1.Dot(tail, tail);
        if (sumOfSquares == 0)
        {
            return 0;
        }

        double alpha = x[0];
        double alphaSquared = alpha * alpha;
        if (!(sumOfSquares > SafeLow && sumOfSquares < SafeHigh && alphaSquared < SafeHigh))
        {
            return PivotedQr.GenerateReflector(ref x[0], tail);
        }

        double beta = -Math.CopySign(Math.Sqrt(alphaSquared + sumOfSquares), alpha);
        Blas1.Scale(1 / (alpha - beta), tail);
        x[0] = beta;
        return (beta - alpha) / beta;
    }

    /// <summary>y ← (I − τ·v·vᵀ)·y with v = (1, tail).</summary>
    private static void Reflect(ReadOnlySpan<double> tail, double tau, Span<double> y)
    {
        Span<double> rest = y[1..];
        double s = tau * (y[0] + Blas1.Dot(tail, rest));
        y[0] -= s;
        Blas1.Axpy(-s, tail, rest);
    }
}
