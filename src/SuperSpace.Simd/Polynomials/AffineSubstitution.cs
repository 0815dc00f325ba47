// Exact affine change of variables of a multivariate polynomial in a monomial basis.
//
//   p(x) = q(α∘x + γ),  q(z) = Σ_b q_b z^b  ⇒  p_a = Σ_(b ≥ a) q_b · Π_j C(b_j, a_j) α_j^(a_j) γ_j^(b_j − a_j)
//
// (multinomial theorem, one binomial expansion per variable; b ≥ a componentwise). Special cases:
// standardised variables z = (x − c)/s (α = 1/s, γ = −c/s, computed as (−c)^(b−a) / s^b so that 1/s
// and c/s are never rounded), and the shift of centre q(x − c) (α = 1, γ = −c).
//
// Accuracy: every factor, product and sum is carried in double-double (≈ 106 bits), so the result is
// the exact expansion rounded once to double, even when the expansion cancels heavily (raw
// coefficients of a polynomial fitted far from the origin). Cost: Σ_b Π_j (b_j + 1) double-double
// multiply-adds of ≤ D factors each — for 8 variables at degree 3, about 1,000; for 6 variables at
// degree 8, about 10⁵.
using System.Globalization;
using SuperSpace.Simd.Internals;

namespace SuperSpace.Simd.Polynomials;

/// <summary>
/// The affine change of variables of polynomials over a <see cref="MonomialBasis"/>, exact to rounding:
/// from standardised to raw variables, the shift of centre, and the general per-variable affine map.
/// </summary>
/// <remarks>
/// Coefficient spans hold one or more polynomials, each <see cref="MonomialBasis.TermCount"/> long,
/// back to back (polynomialCount × termCount row-major); the destination has the same shape and is
/// written only after everything is computed, so it may alias the source. A basis without the
/// constant term can take only maps with a zero offset (an offset would create a constant).
/// </remarks>
internal static class AffineSubstitution
{
    /// <summary>
    /// In place: replaces the coefficients of P(u) by those of Q(x) = P((x − <paramref name="center"/>)/<paramref name="scale"/>),
    /// i.e. u_i = (x_i − c_i)/s_i. An empty <paramref name="scale"/> means 1 for every variable; an empty
    /// <paramref name="center"/> means 0. (The network expansion's entry point; <see cref="FromStandardized"/> otherwise.)
    /// </summary>
    public static void Apply(MonomialBasis basis, ReadOnlySpan<double> center, ReadOnlySpan<double> scale, Span<double> coefficients)
    {
        int v = basis.VariableCount;
        double[] c = center.IsEmpty ? new double[v] : center.ToArray();
        double[] s = scale.IsEmpty ? Ones(v) : scale.ToArray();
        FromStandardized(basis, coefficients, c, s, coefficients);
    }

    /// <summary>p(x) = q(scale∘x + offset), per variable z_j = scale_j·x_j + offset_j.</summary>
    public static void ApplyAffine(MonomialBasis basis, ReadOnlySpan<double> coefficients, ReadOnlySpan<double> scale,
                                   ReadOnlySpan<double> offset, Span<double> destination)
    {
        CheckMap(basis, scale, offset, nameof(scale), nameof(offset));
        var factors = BuildFactors(basis, scale, offset, standardised: false);
        Expand(basis, coefficients, factors, destination);
    }

    /// <summary>
    /// Coefficients in the raw variables of a polynomial given in standardised variables
    /// z_j = (x_j − center_j) / spread_j: p(x) = q((x − center)/spread). Spreads must be non-zero.
    /// </summary>
    public static void FromStandardized(MonomialBasis basis, ReadOnlySpan<double> coefficients, ReadOnlySpan<double> center,
                                        ReadOnlySpan<double> spread, Span<double> destination)
    {
        CheckMap(basis, spread, center, nameof(spread), nameof(center));
        var factors = BuildFactors(basis, spread, center, standardised: true);
        Expand(basis, coefficients, factors, destination);
    }

    /// <summary>Shift of centre: the coefficients of p(x) = q(x − center), for q given in u = x − center.</summary>
    public static void Shift(MonomialBasis basis, ReadOnlySpan<double> coefficients, ReadOnlySpan<double> center, Span<double> destination)
    {
        int v = basis.VariableCount;
        if (center.Length != v)
        {
            ThrowHelper.LengthMismatch(nameof(center), v, center.Length, "one value per variable");
        }

        var offset = new double[v];
        for (int j = 0; j < v; j++)
        {
            offset[j] = -center[j];
        }

        ApplyAffine(basis, coefficients, Ones(v), offset, destination);
    }

    private static double[] Ones(int count)
    {
        var ones = new double[count];
        ones.AsSpan().Fill(1.0);
        return ones;
    }

    /// <summary>
    /// The transposed map, for moments: destination[b] = Σ_(a ≤ b) C(b, a)·scale^a·offset^(b−a)·source[a], i.e.
    /// Σ_i m_b(scale∘u_i + offset) from the sums Σ_i m_a(u_i) of every monomial a of the basis (which must
    /// be closed under taking sub-monomials: include the constant). Exact to rounding like <see cref="ApplyAffine"/>.
    /// </summary>
    public static void ApplyTransposed(MonomialBasis basis, ReadOnlySpan<double> source, ReadOnlySpan<double> scale,
                                       ReadOnlySpan<double> offset, Span<double> destination)
    {
        CheckMap(basis, scale, offset, nameof(scale), nameof(offset));
        int p = basis.TermCount;
        if (source.Length != p || destination.Length != p)
        {
            ThrowHelper.Argument(nameof(source), "source and destination must have TermCount entries.");
        }

        var factors = BuildFactors(basis, scale, offset, standardised: false);
        var terms = new SubTerms(basis, factors);
        var sums = new DoubleDouble[p];
        for (int b = 0; b < p; b++)
        {
            terms.Reset(b);
            while (terms.MoveNext())
            {
                sums[b] += terms.Factor * source[terms.Index];
            }
        }

        for (int b = 0; b < p; b++)
        {
            destination[b] = sums[b].Value;
        }
    }

    /// <summary>
    /// The matrix T of <see cref="FromStandardized"/> (raw = T · standardised), termCount × termCount
    /// row-major, each entry correctly rounded. Used to carry covariances to the raw variables.
    /// </summary>
    public static void FromStandardizedMatrix(MonomialBasis basis, ReadOnlySpan<double> center, ReadOnlySpan<double> spread, Span<double> destination)
    {
        CheckMap(basis, spread, center, nameof(spread), nameof(center));
        int p = basis.TermCount;
        if (destination.Length != (long)p * p)
        {
            ThrowHelper.LengthMismatch(nameof(destination), (long)p * p, destination.Length, "termCount × termCount");
        }

        var factors = BuildFactors(basis, spread, center, standardised: true);
        destination.Clear();
        var terms = new SubTerms(basis, factors);
        for (int b = 0; b < p; b++)
        {
            terms.Reset(b);
            while (terms.MoveNext())
            {
                destination[(terms.Index * p) + b] = terms.Factor.Value;
            }
        }
    }

    private static void CheckMap(MonomialBasis basis, ReadOnlySpan<double> linear, ReadOnlySpan<double> offset, string linearName, string offsetName)
    {
        int v = basis.VariableCount;
        if (linear.Length != v)
        {
            ThrowHelper.LengthMismatch(linearName, v, linear.Length, "one value per variable");
        }

        if (offset.Length != v)
        {
            ThrowHelper.LengthMismatch(offsetName, v, offset.Length, "one value per variable");
        }

        for (int j = 0; j < v; j++)
        {
            if (!double.IsFinite(linear[j]) || linear[j] == 0)
            {
                ThrowHelper.Argument(linearName, string.Create(CultureInfo.InvariantCulture,
                    $"{linearName} must be finite and non-zero; variable {j} has {linear[j]}."));
            }

            if (!double.IsFinite(offset[j]))
            {
                ThrowHelper.Argument(offsetName, string.Create(CultureInfo.InvariantCulture,
                    $"{offsetName} must be finite; variable {j} has {offset[j]}."));
            }

            if (!basis.IncludesConstant && offset[j] != 0)
            {
                ThrowHelper.Argument(offsetName, string.Create(CultureInfo.InvariantCulture,
                    $"The basis has no constant term, so the map cannot shift variable {j} (offset {offset[j]}): the result would need a constant."));
            }
        }
    }

    /// <summary>
    /// factors[j][b·(D+1) + a] = C(b, a)·α_j^a·γ_j^(b−a) for a ≤ b ≤ D, in double-double. In the
    /// standardised form (linear = spread s, offset = centre c) it is C(b, a)·(−c)^(b−a) / s^b.
    /// </summary>
    private static DoubleDouble[][] BuildFactors(MonomialBasis basis, ReadOnlySpan<double> linear, ReadOnlySpan<double> offset, bool standardised)
    {
        int v = basis.VariableCount;
        int d = basis.Degree;
        int w = d + 1;

        // Pascal's triangle; exact while the entries stay below 2^53 (degree ≤ 56), correctly rounded sums beyond.
        var binomial = new DoubleDouble[w * w];
        for (int n = 0; n <= d; n++)
        {
            binomial[n * w] = DoubleDouble.One;
            for (int k = 1; k <= n; k++)
            {
                binomial[(n * w) + k] = binomial[((n - 1) * w) + k - 1] + (k < n ? binomial[((n - 1) * w) + k] : default);
            }
        }

        var factors = new DoubleDouble[v][];
        var linearPowers = new DoubleDouble[w];
        var offsetPowers = new DoubleDouble[w];
        for (int j = 0; j < v; j++)
        {
            var f = new DoubleDouble[w * w];
            var lin = new DoubleDouble(linear[j]);
            var off = new DoubleDouble(standardised ? -offset[j] : offset[j]);
            linearPowers[0] = DoubleDouble.One;
            offsetPowers[0] = DoubleDouble.One;
            for (int k = 1; k <= d; k++)
            {
                linearPowers[k] = linearPowers[k - 1] * lin;
                offsetPowers[k] = offsetPowers[k - 1] * off;
            }

            for (int b = 0; b <= d; b++)
            {
                for (int a = 0; a <= b; a++)
                {
                    DoubleDouble value = offsetPowers[b - a] * binomial[(b * w) + a];
                    value = standardised ? value / linearPowers[b] : value * linearPowers[a];
                    f[(b * w) + a] = value;
                }
            }

            factors[j] = f;
        }

        return factors;
    }

    private static void Expand(MonomialBasis basis, ReadOnlySpan<double> coefficients, DoubleDouble[][] factors, Span<double> destination)
    {
        int p = basis.TermCount;
        if (coefficients.Length == 0 || coefficients.Length % p != 0)
        {
            ThrowHelper.Argument(nameof(coefficients), string.Create(CultureInfo.InvariantCulture,
                $"coefficients has length {coefficients.Length}; expected a positive multiple of TermCount = {p}."));
        }

        if (destination.Length != coefficients.Length)
        {
            ThrowHelper.LengthMismatch(nameof(destination), coefficients.Length, destination.Length, "the same shape as coefficients");
        }

        int count = coefficients.Length / p;
        var sums = new DoubleDouble[coefficients.Length];
        double[] source = coefficients.ToArray();
        var terms = new SubTerms(basis, factors);
        for (int b = 0; b < p; b++)
        {
            bool any = false;
            for (int r = 0; r < count; r++)
            {
                any |= source[(r * p) + b] != 0;
            }

            if (!any)
            {
                continue;
            }

            terms.Reset(b);
            while (terms.MoveNext())
            {
                int a = terms.Index;
                DoubleDouble factor = terms.Factor;
                for (int r = 0; r < count; r++)
                {
                    double q = source[(r * p) + b];
                    if (q != 0)
                    {
                        sums[(r * p) + a] += factor * q;
                    }
                }
            }
        }

        for (int i = 0; i < sums.Length; i++)
        {
            destination[i] = sums[i].Value;
        }
    }

    /// <summary>
    /// Enumerates the terms a ≤ b (componentwise) of a term b with their factors
    /// Π_j factor_j(b_j, a_j), skipping zero factors; a starts at b and counts down like an odometer.
    /// </summary>
    private sealed class SubTerms
    {
        private readonly MonomialBasis _basis;
        private readonly DoubleDouble[][] _factors;
        private readonly int[] _exponents;
        private readonly int[] _sub;
        private readonly int[] _active;
        private readonly int _width;
        private int _activeCount;
        private bool _started;
        private bool _done;

        public SubTerms(MonomialBasis basis, DoubleDouble[][] factors)
        {
            _basis = basis;
            _factors = factors;
            _exponents = new int[basis.VariableCount];
            _sub = new int[basis.VariableCount];
            _active = new int[basis.VariableCount];
            _width = basis.Degree + 1;
        }

        public int Index { get; private set; }

        public DoubleDouble Factor { get; private set; }

        public void Reset(int term)
        {
            _basis.GetExponents(term, _exponents);
            _activeCount = 0;
            for (int j = 0; j < _exponents.Length; j++)
            {
                _sub[j] = _exponents[j];
                if (_exponents[j] > 0)
                {
                    _active[_activeCount++] = j;
                }
            }

            _started = false;
            _done = false;
        }

        public bool MoveNext()
        {
            while (!_done)
            {
                if (_started && !Advance())
                {
                    _done = true;
                    return false;
                }

                _started = true;
                DoubleDouble factor = DoubleDouble.One;
                bool zero = false;
                for (int i = 0; i < _activeCount && !zero; i++)
                {
                    int j = _active[i];
                    DoubleDouble f = _factors[j][(_exponents[j] * _width) + _sub[j]];
                    zero = f.Hi == 0;
                    factor *= f;
                }

                if (!zero)
                {
                    Index = _basis.IndexOf(_sub);
                    Factor = factor;
                    return true;
                }
            }

            return false;
        }

        private bool Advance()
        {
            for (int k = 0; k < _activeCount; k++)
            {
                int j = _active[k];
                if (_sub[j] > 0)
                {
                    _sub[j]--;
                    return true;
                }

                _sub[j] = _exponents[j];
            }

            return false;
        }
    }
}
