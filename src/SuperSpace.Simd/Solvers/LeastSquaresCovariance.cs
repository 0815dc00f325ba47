// Covariance of a least-squares estimate: C = σ²·(JᵀJ)⁻¹ with σ² = cost/(m − r), from the pivoted QR of the
// column-equilibrated Jacobian Jₛ = J·S⁻¹ (S = diag of column norms, so the rank test does not depend on
// the units of the parameters): Jₛ·P = Q·R, r = #{|Rₖₖ| > max(m, k)·ε·|R₀₀|} (LAPACK/NumPy rcond).
//   r = k: (JᵀJ)⁻¹ = S⁻¹·P·R⁻¹R⁻ᵀ·Pᵀ·S⁻¹ (R⁻¹ by back substitution; never forms JᵀJ).
//   r < k: R = U·Σ·Vᵀ by one-sided Jacobi (R's columns orthogonalised by plane rotations, accurate for
//          small k); (JₛᵀJₛ)⁺ = V·Σᵣ⁻²·Vᵀ keeping the r largest singular values, then unscaled: a reflexive
//          generalised inverse of JᵀJ (the Moore–Penrose inverse when the column norms are equal).
// Cost O(m·k² + k³); runs once, after the iterations.
using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Solvers;

internal static class LeastSquaresCovariance
{
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>
    /// Fills covariance (n×n row-major, zero rows/columns for fixed parameters) and standard errors from the
    /// Jacobian in ws.Jacobian; returns the numerical rank of the non-fixed columns.
    /// </summary>
    public static int Compute(LevenbergMarquardtWorkspace ws, ILinearAlgebraBackend backend, bool[]? fixedMask, double cost,
                              Span<double> covariance, Span<double> standardErrors)
    {
        int n = ws.ParameterCount;
        int m = ws.ResidualCount;
        int rows = ws.Rows;
        double[] jacobian = ws.Jacobian;
        int[] columns = ws.FreeIndex;
        int k = 0;
        for (int j = 0; j < n; j++)
        {
            if (fixedMask is null || !fixedMask[j])
            {
                columns[k++] = j;
            }
        }

        covariance.Clear();
        standardErrors.Clear();
        if (k == 0)
        {
            return 0;
        }

        // Equilibrate: column jj of the QR input is J[:, columns[jj]] / ‖J[:, columns[jj]]‖.
        Span<double> scales = ws.ColumnNorms;
        double[] qr = ws.Qr;
        for (int jj = 0; jj < k; jj++)
        {
            int j = columns[jj];
            Span<double> column = qr.AsSpan(jj * rows, rows);
            for (int i = 0; i < m; i++)
            {
                column[i] = jacobian[(i * n) + j];
            }

            column[m..].Clear();
            double norm = Norms.Euclidean(column);
            scales[jj] = norm == 0 ? 1 : norm;
            if (norm != 0)
            {
                for (int i = 0; i < m; i++)
                {
                    column[i] /= norm;
                }
            }
        }

        backend.QrFactor(qr, rows, k, rows, ws.Permutation, ws.Tau, ws.QrWork, pivot: true);
        int rank = PivotedQr.Rank(qr, k, rows, Math.Max(m, k) * MachineEpsilon);

        // inverse: k×k column-major (RᵀR)⁻¹ or its truncated pseudo-inverse, in pivoted order.
        Span<double> inverse = ws.R.AsSpan(0, k * k);
        if (rank == k)
        {
            InvertGram(qr, rows, k, inverse, ws.Factor);
        }
        else
        {
            PseudoInvertGram(qr, rows, k, rank, inverse, ws.Factor, ws.Jtj, ws.Wa);
        }

        double dof = m - rank;
        double sigma2 = dof > 0 ? cost / dof : double.NaN;
        int[] perm = ws.Permutation;
        for (int a = 0; a < k; a++)
        {
            int pa = perm[a];
            int ja = columns[pa];
            for (int b = 0; b < k; b++)
            {
                int pb = perm[b];
                int jb = columns[pb];
                covariance[(ja * n) + jb] = sigma2 * inverse[a + (b * k)] / (scales[pa] * scales[pb]);
            }
        }

        for (int j = 0; j < n; j++)
        {
            standardErrors[j] = Math.Sqrt(Math.Max(covariance[(j * n) + j], 0));
        }

        return rank;
    }

    /// <summary>(RᵀR)⁻¹ = R⁻¹·R⁻ᵀ for the k×k upper R stored in qr (column-major, ld rows).</summary>
    private static void InvertGram(ReadOnlySpan<double> qr, int rows, int k, Span<double> inverse, Span<double> rinv)
    {
        // R⁻¹ (upper, column-major k×k) column by column: R·x = eⱼ.
        rinv[..(k * k)].Clear();
        for (int j = 0; j < k; j++)
        {
            int column = j * k;
            rinv[column + j] = 1 / qr[(j * rows) + j];
            for (int i = j - 1; i >= 0; i--)
            {
                double sum = 0;
                for (int l = i + 1; l <= j; l++)
                {
                    sum += qr[(l * rows) + i] * rinv[column + l];
                }

                rinv[column + i] = -sum / qr[(i * rows) + i];
            }
        }

        for (int a = 0; a < k; a++)
        {
            for (int b = a; b < k; b++)
            {
                double sum = 0;
                for (int l = b; l < k; l++)
                {
                    sum += rinv[a + (l * k)] * rinv[b + (l * k)];
                }

                inverse[a + (b * k)] = sum;
                inverse[b + (a * k)] = sum;
            }
        }
    }

    /// <summary>V·Σᵣ⁻²·Vᵀ from the one-sided Jacobi SVD of the k×k upper R, keeping the r largest singular values.</summary>
    private static void PseudoInvertGram(ReadOnlySpan<double> qr, int rows, int k, int rank, Span<double> inverse, Span<double> w, Span<double> v,
                                         Span<double> sigma)
    {
        w[..(k * k)].Clear();
        v[..(k * k)].Clear();
        for (int j = 0; j < k; j++)
        {
            for (int i = 0; i <= j; i++)
            {
                w[i + (j * k)] = qr[(j * rows) + i];
            }

            v[j + (j * k)] = 1;
        }

        for (int sweep = 0; sweep < 60; sweep++)
        {
            double off = 0;
            for (int p = 0; p < k - 1; p++)
            {
                for (int q = p + 1; q < k; q++)
                {
                    Span<double> wp = w.Slice(p * k, k);
                    Span<double> wq = w.Slice(q * k, k);
                    double alpha = 0, beta = 0, gamma = 0;
                    for (int i = 0; i < k; i++)
                    {
                        alpha += wp[i] * wp[i];
                        beta += wq[i] * wq[i];
                        gamma += wp[i] * wq[i];
                    }

                    if (gamma == 0 || Math.Abs(gamma) <= MachineEpsilon * Math.Sqrt(alpha * beta))
                    {
                        continue;
                    }

                    off = Math.Max(off, Math.Abs(gamma) / Math.Sqrt(alpha * beta));
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = (zeta >= 0 ? 1 : -1) / (Math.Abs(zeta) + Math.Sqrt(1 + (zeta * zeta)));
                    double c = 1 / Math.Sqrt(1 + (t * t));
                    double s = c * t;
                    Rotate(wp, wq, c, s);
                    Rotate(v.Slice(p * k, k), v.Slice(q * k, k), c, s);
                }
            }

            if (off <= MachineEpsilon)
            {
                break;
            }
        }

        for (int j = 0; j < k; j++)
        {
            sigma[j] = Norms.Euclidean(w.Slice(j * k, k));
        }

        // The rank-th largest singular value is the smallest one kept.
        double threshold = double.PositiveInfinity;
        Span<bool> kept = stackalloc bool[k];
        for (int count = 0; count < rank; count++)
        {
            int best = -1;
            for (int j = 0; j < k; j++)
            {
                if (!kept[j] && (best < 0 || sigma[j] > sigma[best]))
                {
                    best = j;
                }
            }

            kept[best] = true;
            threshold = sigma[best];
        }

        inverse[..(k * k)].Clear();
        for (int j = 0; j < k; j++)
        {
            if (!kept[j] || !(sigma[j] > 0) || sigma[j] < threshold)
            {
                continue;
            }

            double weight = 1 / (sigma[j] * sigma[j]);
            ReadOnlySpan<double> vj = v.Slice(j * k, k);
            for (int b = 0; b < k; b++)
            {
                for (int a = 0; a < k; a++)
                {
                    inverse[a + (b * k)] += weight * vj[a] * vj[b];
                }
            }
        }
    }

    private static void Rotate(Span<double> x, Span<double> y, double c, double s)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double xi = x[i];
            double yi = y[i];
            x[i] = (c * xi) - (s * yi);
            y[i] = (s * xi) + (c * yi);
        }
    }
}
