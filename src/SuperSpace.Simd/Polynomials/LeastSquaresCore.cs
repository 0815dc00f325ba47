// The small dense end of a fit, on p × p systems (p = termCount), in the standardised variables:
//   QR:     Z·P = Q·R (R from TallSkinnyQr, refactored with column pivoting), rank from |R[k,k]|,
//           b = minimum-norm least-squares solution (complete orthogonal decomposition when rank < p).
//   Normal: G + λD = UᵀU (Cholesky), b = U⁻¹U⁻ᵀg; rejected when Cholesky fails or κ₁ > limit.
//   Moments only (the accumulator): pivoted Cholesky PGPᵀ = SᵀS when the plain one is rejected, and the
//           minimum-norm b = G⁺g.
// Each also returns a factor L with (ZᵀWZ + λD)⁺ = L·Lᵀ (p × q): L = P·R⁻¹ at full rank, L = P·S⁺ with
// S⁺ = Q₁·R₁⁻ᵀ from the QR of Sᵀ (S = the leading rank rows of R or U) otherwise — the covariance of
// the coefficients is σ²·L·Lᵀ, carried to the raw variables by the caller. Cost O(p³).
using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Polynomials;

internal sealed class CoreSolution
{
    /// <summary>Standardised coefficients, target-major (k × p).</summary>
    public required double[] Coefficients { get; init; }

    public required int Rank { get; init; }

    public required double Condition { get; init; }

    /// <summary>L (p × FactorColumns, row-major) with (ZᵀWZ + λD)⁺ = L·Lᵀ; null when standard errors are not wanted.</summary>
    public double[]? Factor { get; init; }

    public int FactorColumns { get; init; }

    /// <summary>
    /// At full rank, the upper-triangular U (p × p row-major) with P·(ZᵀWZ + λD)·Pᵀ = UᵀU — the Cholesky factor,
    /// or R of the pivoted QR — for refinement solves; null when rank-deficient.
    /// </summary>
    public double[]? Triangle { get; init; }

    /// <summary>P of <see cref="Triangle"/>: permutation[j] = original index at position j; null = identity.</summary>
    public int[]? Permutation { get; init; }

    /// <summary>δᵀ(ZᵀWZ + λD)δ = ‖U·(Pδ)‖² with the full-rank factor.</summary>
    public double GramNorm(ReadOnlySpan<double> delta, int p)
    {
        double[] u = Triangle!;
        double total = 0;
        for (int i = 0; i < p; i++)
        {
            double sum = 0;
            for (int j = i; j < p; j++)
            {
                sum += u[(i * p) + j] * delta[Permutation is null ? j : Permutation[j]];
            }

            total += sum * sum;
        }

        return total;
    }

    /// <summary>Solves (ZᵀWZ + λD)·X = H in place (H p × k row-major) with the full-rank factor.</summary>
    public void SolveGram(Span<double> h, int p, int k)
    {
        double[] u = Triangle!;
        if (Permutation is null)
        {
            LinearAlgebra.Cholesky.Solve(u, p, p, h, k, k);
            return;
        }

        var pivoted = new double[p * k];
        for (int j = 0; j < p; j++)
        {
            h.Slice(Permutation[j] * k, k).CopyTo(pivoted.AsSpan(j * k, k));
        }

        LinearAlgebra.Cholesky.Solve(u, p, p, pivoted, k, k);
        for (int j = 0; j < p; j++)
        {
            pivoted.AsSpan(j * k, k).CopyTo(h.Slice(Permutation[j] * k, k));
        }
    }
}

internal static class LeastSquaresCore
{
    /// <summary>Solves from a tall-skinny QR state (R: rows × p column-major with lda p; Qᵀy target-major with stride p).</summary>
    public static CoreSolution SolveTriangle(ILinearAlgebraBackend la, TallSkinnyQr.State state, int p, int k, double rankTolerance, bool wantFactor)
    {
        int m = state.Rows;
        int lda = p;
        var qr = new double[p * p];
        for (int t = 0; t < p; t++)
        {
            for (int i = 0; i < m && i <= t; i++)
            {
                qr[(t * lda) + i] = state.R[(t * p) + i];
            }
        }

        var permutation = new int[p];
        var tau = new double[Math.Min(m, p)];
        la.QrFactor(qr, m, p, lda, permutation, tau, new double[Math.Max(1, la.QrWorkspaceSize(m, p))], pivot: true);
        int rank = PivotedQr.Rank(qr, m, p, lda, rankTolerance);

        var coefficients = new double[k * p];
        var work = new double[Math.Max(1, la.LeastSquaresWorkspaceSize(m, p))];
        var rhs = new double[Math.Max(m, 1)];
        var x = new double[p];
        for (int r = 0; r < k; r++)
        {
            state.Qty.AsSpan(r * p, m).CopyTo(rhs);
            la.QrSolveLeastSquares(qr, m, p, lda, permutation, tau, rank, rhs, x, work);
            x.CopyTo(coefficients.AsSpan(r * p, p));
        }

        // Row-major upper trapezoid S = R[0:rank, :] in pivoted column order.
        var s = new double[Math.Max(1, rank * p)];
        for (int i = 0; i < rank; i++)
        {
            for (int j = i; j < p; j++)
            {
                s[(i * p) + j] = qr[(j * lda) + i];
            }
        }

        double condition = rank == p ? TriangularCondition(s, p) : double.PositiveInfinity;
        double[]? factor = null;
        int columns = 0;
        if (wantFactor && rank > 0)
        {
            (factor, columns) = PseudoInverseFactor(la, s, rank, p, permutation);
        }

        return new CoreSolution
        {
            Coefficients = coefficients,
            Rank = rank,
            Condition = condition,
            Factor = factor,
            FactorColumns = columns,
            Triangle = rank == p ? s : null,
            Permutation = rank == p ? permutation : null,
        };
    }

    /// <summary>
    /// Cholesky of G + λD (G: upper triangle, p × p row-major; rhs p × k row-major). Null when Cholesky fails or
    /// the estimated condition number of G + λD exceeds <paramref name="maxCondition"/> (the caller falls back).
    /// </summary>
    public static CoreSolution? SolveNormal(ILinearAlgebraBackend la, ReadOnlySpan<double> gram, ReadOnlySpan<double> rhs, int p, int k,
                                            double ridge, int firstPenalised, double maxCondition, bool wantFactor, out string reason)
    {
        var u = new double[p * p];
        gram.CopyTo(u);
        for (int t = firstPenalised; t < p; t++)
        {
            u[(t * p) + t] += ridge;
        }

        double anorm = SymmetricOneNorm(u, p);
        int info = la.CholeskyFactor(u, p, p);
        if (info != 0)
        {
            reason = FormattableString.Invariant($"Cholesky of the normal equations failed at pivot {info - 1} (the Gram matrix is not numerically positive definite)");
            return null;
        }

        double rcond = Cholesky.ReciprocalCondition(u, p, p, anorm, new double[p]);
        if (!(rcond * maxCondition >= 1))
        {
            reason = FormattableString.Invariant($"the Gram matrix's estimated condition number {1 / rcond:G3} exceeds the limit {maxCondition:G3}");
            return null;
        }

        reason = string.Empty;
        var b = rhs.ToArray();
        la.CholeskySolve(u, p, p, b, k, k);
        var coefficients = new double[k * p];
        for (int r = 0; r < k; r++)
        {
            for (int t = 0; t < p; t++)
            {
                coefficients[(r * p) + t] = b[(t * k) + r];
            }
        }

        double[] inverse = UpperInverse(u, p);
        double condition = OneNorm(u, p) * OneNorm(inverse, p);
        return new CoreSolution
        {
            Coefficients = coefficients,
            Rank = p,
            Condition = condition,
            Factor = wantFactor ? inverse : null,
            FactorColumns = wantFactor ? p : 0,
            Triangle = u,
        };
    }

    /// <summary>Minimum-norm solution b = (G + λD)⁺ g by pivoted Cholesky (moments only: the accumulator's fallback).</summary>
    public static CoreSolution SolveNormalPivoted(ILinearAlgebraBackend la, ReadOnlySpan<double> gram, ReadOnlySpan<double> rhs, int p, int k,
                                                  double ridge, int firstPenalised, double rankTolerance, bool wantFactor)
    {
        var g = new double[p * p];
        gram.CopyTo(g);
        double maxDiagonal = 0;
        for (int t = 0; t < p; t++)
        {
            if (t >= firstPenalised)
            {
                g[(t * p) + t] += ridge;
            }

            maxDiagonal = Math.Max(maxDiagonal, g[(t * p) + t]);
        }

        var permutation = new int[p];

        // A pivot of G is a squared pivot of R: the relative QR tolerance applies squared.
        double tolerance = rankTolerance * rankTolerance * maxDiagonal;
        int rank = Cholesky.FactorPivoted(g, p, p, permutation, tolerance, new double[2 * p]);
        var s = new double[Math.Max(1, rank * p)];
        for (int i = 0; i < rank; i++)
        {
            for (int j = i; j < p; j++)
            {
                s[(i * p) + j] = g[(i * p) + j];
            }
        }

        var coefficients = new double[k * p];
        double[]? factor = null;
        int columns = 0;
        if (rank > 0)
        {
            (factor, columns) = PseudoInverseFactor(la, s, rank, p, permutation);

            // b = L·(Lᵀ·g): G⁺ = L·Lᵀ.
            var lg = new double[columns];
            for (int r = 0; r < k; r++)
            {
                Array.Clear(lg);
                for (int t = 0; t < p; t++)
                {
                    double gt = rhs[(t * k) + r];
                    for (int c = 0; c < columns; c++)
                    {
                        lg[c] += factor[(t * columns) + c] * gt;
                    }
                }

                for (int t = 0; t < p; t++)
                {
                    double sum = 0;
                    for (int c = 0; c < columns; c++)
                    {
                        sum += factor[(t * columns) + c] * lg[c];
                    }

                    coefficients[(r * p) + t] = sum;
                }
            }
        }

        double condition = rank == p ? TriangularCondition(s, p) : double.PositiveInfinity;
        return new CoreSolution
        {
            Coefficients = coefficients,
            Rank = rank,
            Condition = condition,
            Factor = wantFactor ? factor : null,
            FactorColumns = wantFactor ? columns : 0,
        };
    }

    /// <summary>
    /// For S (rank × p, row-major upper trapezoid in pivoted column order, full row rank), L = P·S⁺ with
    /// S⁺ = Sᵀ(SSᵀ)⁻¹ = Q₁·R₁⁻ᵀ from Sᵀ = Q₁R₁; at full rank simply P·S⁻¹. Returns (L, columns) with L p × rank.
    /// </summary>
    private static (double[] Factor, int Columns) PseudoInverseFactor(ILinearAlgebraBackend la, double[] s, int rank, int p, int[] permutation)
    {
        var factor = new double[p * rank];
        if (rank == p)
        {
            double[] inverse = UpperInverse(s, p);
            for (int j = 0; j < p; j++)
            {
                inverse.AsSpan(j * p, p).CopyTo(factor.AsSpan(permutation[j] * p, p));
            }

            return (factor, p);
        }

        // Sᵀ (p × rank) column-major = S row-major with leading dimension p.
        var qr = (double[])s.Clone();
        var perm = new int[rank];
        var tau = new double[rank];
        la.QrFactor(qr, p, rank, p, perm, tau, new double[Math.Max(1, la.QrWorkspaceSize(p, rank))], pivot: false);

        // R₁ (rank × rank upper) row-major, then E = R₁⁻ᵀ column by column: R₁ᵀ·e = unit vector.
        var r1 = new double[rank * rank];
        for (int i = 0; i < rank; i++)
        {
            for (int j = i; j < rank; j++)
            {
                r1[(i * rank) + j] = qr[(j * p) + i];
            }
        }

        var column = new double[p];
        var pivoted = new double[p * rank];
        for (int c = 0; c < rank; c++)
        {
            Array.Clear(column);
            column[c] = 1;
            Triangular.SolveUpperTransposed(r1, rank, rank, column.AsSpan(0, rank));
            PivotedQr.ApplyQ(qr, p, rank, p, tau, column);
            for (int j = 0; j < p; j++)
            {
                pivoted[(j * rank) + c] = column[j];
            }
        }

        for (int j = 0; j < p; j++)
        {
            pivoted.AsSpan(j * rank, rank).CopyTo(factor.AsSpan(permutation[j] * rank, rank));
        }

        return (factor, rank);
    }

    /// <summary>U⁻¹ of an upper-triangular U (p × p row-major), by p back substitutions.</summary>
    private static double[] UpperInverse(ReadOnlySpan<double> u, int p)
    {
        var inverse = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            inverse[(i * p) + i] = 1;
        }

        Triangular.SolveUpper(u, p, p, inverse, p, p);
        return inverse;
    }

    /// <summary>κ₁(U) = ‖U‖₁·‖U⁻¹‖₁ of an upper-triangular U, exactly (U⁻¹ formed).</summary>
    private static double TriangularCondition(ReadOnlySpan<double> u, int p)
    {
        double[] inverse = UpperInverse(u, p);
        double c = OneNorm(u, p) * OneNorm(inverse, p);
        return double.IsFinite(c) ? c : double.PositiveInfinity;
    }

    /// <summary>Largest column sum of |A| for an upper-triangular (or any) p × p row-major A.</summary>
    private static double OneNorm(ReadOnlySpan<double> a, int p)
    {
        double best = 0;
        for (int j = 0; j < p; j++)
        {
            double sum = 0;
            for (int i = 0; i < p; i++)
            {
                sum += Math.Abs(a[(i * p) + j]);
            }

            best = Math.Max(best, sum);
        }

        return best;
    }

    /// <summary>‖A‖₁ of the symmetric matrix whose upper triangle is stored.</summary>
    private static double SymmetricOneNorm(ReadOnlySpan<double> a, int p)
    {
        double best = 0;
        for (int j = 0; j < p; j++)
        {
            double sum = 0;
            for (int i = 0; i < p; i++)
            {
                sum += Math.Abs(i <= j ? a[(i * p) + j] : a[(j * p) + i]);
            }

            best = Math.Max(best, sum);
        }

        return best;
    }
}
