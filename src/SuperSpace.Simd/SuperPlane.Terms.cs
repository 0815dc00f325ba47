using System.Buffers;
using System.Globalization;
using SuperSpace.Simd.Internals;

namespace SuperSpace.Simd;

public sealed partial class SuperPlane
{
    private SuperPlaneTerm[]? _terms;

    /// <summary>Every term (index, exponents, name, coefficient), in basis order.</summary>
    public IReadOnlyList<SuperPlaneTerm> Terms => _terms ??= BuildTerms();

    private SuperPlaneTerm[] BuildTerms()
    {
        var terms = new SuperPlaneTerm[_coefficients.Length];
        for (int t = 0; t < terms.Length; t++)
        {
            var exponents = new int[Basis.VariableCount];
            Basis.GetExponents(t, exponents);
            terms[t] = new SuperPlaneTerm(t, exponents, Basis.FormatTerm(t), _coefficients[t]);
        }

        return terms;
    }

    /// <summary>
    /// Ranks the terms by importance over <paramref name="points"/>: |coefficient| × RMS of the monomial
    /// over the points, largest first (ties in basis order). Unlike raw |coefficient|, this compares
    /// terms of different degrees and units fairly: it is the typical size of each term's contribution.
    /// </summary>
    /// <param name="points">sampleCount × VariableCount row-major, at least one sample.</param>
    /// <exception cref="ArgumentException">A length that is not a multiple of VariableCount, no samples, or NaN/±∞ (the message names the sample and variable).</exception>
    public SuperPlaneTermImportance[] RankTerms(ReadOnlySpan<double> points)
    {
        int v = Basis.VariableCount;
        if (points.Length % v != 0 || points.Length == 0)
        {
            ThrowHelper.Argument(nameof(points), string.Create(CultureInfo.InvariantCulture,
                $"points has length {points.Length}; expected a positive multiple of VariableCount = {v}."));
        }

        Validate.AllFinite(points, v, nameof(points));
        int sampleCount = points.Length / v;
        int p = Basis.TermCount;
        int stride = Polynomials.PlaneEvaluator.TileSamples(p);
        var squares = new double[p];
        double[] tile = ArrayPool<double>.Shared.Rent(p * stride);
        try
        {
            for (int s0 = 0; s0 < sampleCount; s0 += stride)
            {
                int n = Math.Min(stride, sampleCount - s0);
                Basis.Evaluator.EvaluateTile(points.Slice(s0 * v, n * v), tile, stride);
                for (int t = 0; t < p; t++)
                {
                    ReadOnlySpan<double> row = tile.AsSpan(t * stride, n);
                    double sum = 0;
                    foreach (double m in row)
                    {
                        sum += m * m;
                    }

                    squares[t] += sum;
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(tile);
        }

        var terms = Terms;
        var importance = new double[p];
        double total = 0;
        for (int t = 0; t < p; t++)
        {
            importance[t] = Math.Abs(_coefficients[t]) * Math.Sqrt(squares[t] / sampleCount);
            total += importance[t];
        }

        var ranked = new SuperPlaneTermImportance[p];
        for (int t = 0; t < p; t++)
        {
            ranked[t] = new SuperPlaneTermImportance(terms[t], Math.Sqrt(squares[t] / sampleCount), importance[t],
                total > 0 ? importance[t] / total : 0);
        }

        // Stable: equal importances keep basis order.
        return [.. ranked.OrderByDescending(r => r.Importance)];
    }
}
