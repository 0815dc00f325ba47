// The damped least-squares system in QR form (MINPACK qrfac/qrsolv layout, written afresh).
// Given J·P = Q·R (pivoted QR, R upper triangular n×n, column-major r[i + j·n]) and qtf = (Qᵀf)[0:n]:
//   min ‖J·x − f‖² + λ‖D·x‖²  ⇔  min ‖R·z − qtf‖² + ‖√λ·PᵀDP·z‖²,  x = P·z.
// Each row of the diagonal block √λ·PᵀDP is eliminated into R with Givens rotations, giving S upper
// triangular with SᵀS = Pᵀ(JᵀJ + λD²)P: n rows × at most n rotations × at most n entries = O(n³/6)
// rotations per λ, independent of m. S is kept transposed in the strict lower triangle of r, its diagonal
// in sdiag; R's upper triangle is left intact so the next λ starts again from R.
namespace SuperSpace.Simd.Solvers;

internal ref struct QrDampedSystem : IDampedSystem
{
    private readonly Span<double> _r;          // n×n column-major: R upper (kept), Sᵀ strict lower
    private readonly ReadOnlySpan<int> _perm;  // position j holds natural column perm[j]
    private readonly ReadOnlySpan<double> _qtf;
    private readonly Span<double> _sdiag;
    private readonly Span<double> _wa;
    private readonly Span<double> _wb;
    private readonly int _n;

    public QrDampedSystem(Span<double> r, ReadOnlySpan<int> permutation, ReadOnlySpan<double> qtf, Span<double> sdiag,
                          Span<double> wa, Span<double> wb, int n)
    {
        _r = r;
        _perm = permutation;
        _qtf = qtf;
        _sdiag = sdiag;
        _wa = wa;
        _wb = wb;
        _n = n;
    }

    public readonly int Size => _n;

    public readonly GaussNewtonOutcome SolveGaussNewton(Span<double> x)
    {
        int n = _n;
        Span<double> r = _r;
        Span<double> wa = _wa;
        int nsing = n;
        for (int j = 0; j < n; j++)
        {
            wa[j] = _qtf[j];
            if (r[j + (j * n)] == 0 && nsing == n)
            {
                nsing = j;
            }

            if (nsing < n)
            {
                wa[j] = 0;
            }
        }

        for (int j = nsing - 1; j >= 0; j--)
        {
            wa[j] /= r[j + (j * n)];
            double temp = wa[j];
            int column = j * n;
            for (int i = 0; i < j; i++)
            {
                wa[i] -= r[i + column] * temp;
            }
        }

        for (int j = 0; j < n; j++)
        {
            x[_perm[j]] = wa[j];
        }

        return nsing == n ? GaussNewtonOutcome.FullRank : GaussNewtonOutcome.RankDeficient;
    }

    public readonly double UndampedInverseTransposeNorm(ReadOnlySpan<double> v)
    {
        int n = _n;
        Span<double> r = _r;
        Span<double> w = _wb;
        for (int j = 0; j < n; j++)
        {
            w[j] = v[_perm[j]];
        }

        // Rᵀ·w = Pᵀv by forward substitution over R's columns.
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            int column = j * n;
            for (int i = 0; i < j; i++)
            {
                sum += r[i + column] * w[i];
            }

            w[j] = (w[j] - sum) / r[j + column];
        }

        return Norms.Euclidean(w[..n]);
    }

    public readonly double ScaledGradientNorm(ReadOnlySpan<double> diag)
    {
        int n = _n;
        Span<double> r = _r;
        Span<double> w = _wb;
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            int column = j * n;
            for (int i = 0; i <= j; i++)
            {
                sum += r[i + column] * _qtf[i];
            }

            w[j] = sum / diag[_perm[j]];
        }

        return Norms.Euclidean(w[..n]);
    }

    public readonly bool SolveDamped(double lambda, ReadOnlySpan<double> diag, Span<double> x)
    {
        Solve(Math.Sqrt(lambda), diag, _qtf, x);
        return true;
    }

    public readonly void SolveDampedAgain(ReadOnlySpan<double> rhs, double lambda, ReadOnlySpan<double> diag, Span<double> x) =>
        Solve(Math.Sqrt(lambda), diag, rhs, x);

    public readonly double DampedInverseTransposeNorm(ReadOnlySpan<double> v)
    {
        int n = _n;
        Span<double> r = _r;
        Span<double> w = _wb;
        for (int j = 0; j < n; j++)
        {
            w[j] = v[_perm[j]];
        }

        // Sᵀ·w = Pᵀv: Sᵀ is lower triangular, its column j below the diagonal stored in r's column j.
        for (int j = 0; j < n; j++)
        {
            w[j] /= _sdiag[j];
            double temp = w[j];
            int column = j * n;
            for (int i = j + 1; i < n; i++)
            {
                w[i] -= r[i + column] * temp;
            }
        }

        return Norms.Euclidean(w[..n]);
    }

    public readonly (double ModelNormSquared, double GradientDot) Model(ReadOnlySpan<double> p)
    {
        // J·p = Q·R·Pᵀp, so ‖J·p‖ = ‖R·z‖ and fᵀJ·p = qtfᵀ(R·z) with z = Pᵀp.
        int n = _n;
        Span<double> r = _r;
        Span<double> z = _wb;
        for (int j = 0; j < n; j++)
        {
            z[j] = p[_perm[j]];
        }

        double norm2 = 0;
        double dot = 0;
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int j = i; j < n; j++)
            {
                sum += r[i + (j * n)] * z[j];
            }

            norm2 += sum * sum;
            dot += _qtf[i] * sum;
        }

        return (norm2, dot);
    }

    /// <summary>
    /// MINPACK's qrsolv: x = argmin ‖R·z − qtb‖² + ‖PᵀΛP·z‖², x = P·z, with Λ = sqrtLambda·D. Rank-deficient S
    /// gives the least-squares solution with the trailing components of z zeroed.
    /// </summary>
    private readonly void Solve(double sqrtLambda, ReadOnlySpan<double> diag, ReadOnlySpan<double> qtb, Span<double> x)
    {
        int n = _n;
        Span<double> r = _r;
        Span<double> sdiag = _sdiag;
        Span<double> wa = _wa;

        // Start S from R: copy R's rows into the strict lower triangle (row j of R → column j below the
        // diagonal), keep R's diagonal in x meanwhile.
        for (int j = 0; j < n; j++)
        {
            int column = j * n;
            for (int i = j; i < n; i++)
            {
                r[i + column] = r[j + (i * n)];
            }

            x[j] = r[j + column];
            wa[j] = qtb[j];
        }

        for (int j = 0; j < n; j++)
        {
            double dj = sqrtLambda * diag[_perm[j]];
            if (dj != 0)
            {
                sdiag[j..n].Clear();
                sdiag[j] = dj;

                // The rotations that eliminate this row of the diagonal block touch a single element of
                // (qtb, 0) beyond the first n, which starts at zero.
                double qtbpj = 0;
                for (int k = j; k < n; k++)
                {
                    if (sdiag[k] == 0)
                    {
                        continue;
                    }

                    int kk = k + (k * n);
                    double rkk = r[kk];
                    double cos;
                    double sin;
                    if (Math.Abs(rkk) < Math.Abs(sdiag[k]))
                    {
                        double cotan = rkk / sdiag[k];
                        sin = 0.5 / Math.Sqrt(0.25 + (0.25 * cotan * cotan));
                        cos = sin * cotan;
                    }
                    else
                    {
                        double tan = sdiag[k] / rkk;
                        cos = 0.5 / Math.Sqrt(0.25 + (0.25 * tan * tan));
                        sin = cos * tan;
                    }

                    r[kk] = (cos * rkk) + (sin * sdiag[k]);
                    double temp = (cos * wa[k]) + (sin * qtbpj);
                    qtbpj = (-sin * wa[k]) + (cos * qtbpj);
                    wa[k] = temp;

                    int column = k * n;
                    for (int i = k + 1; i < n; i++)
                    {
                        double rik = r[i + column];
                        double si = sdiag[i];
                        r[i + column] = (cos * rik) + (sin * si);
                        sdiag[i] = (-sin * rik) + (cos * si);
                    }
                }
            }

            // S's diagonal element leaves the lower storage; R's diagonal element comes back.
            int jj = j + (j * n);
            sdiag[j] = r[jj];
            r[jj] = x[j];
        }

        // S·z = wa by back substitution; a singular S gives the least-squares solution.
        int nsing = n;
        for (int j = 0; j < n; j++)
        {
            if (sdiag[j] == 0 && nsing == n)
            {
                nsing = j;
            }

            if (nsing < n)
            {
                wa[j] = 0;
            }
        }

        for (int j = nsing - 1; j >= 0; j--)
        {
            double sum = 0;
            int column = j * n;
            for (int i = j + 1; i < nsing; i++)
            {
                sum += r[i + column] * wa[i];
            }

            wa[j] = (wa[j] - sum) / sdiag[j];
        }

        for (int j = 0; j < n; j++)
        {
            x[_perm[j]] = wa[j];
        }
    }
}
