using System.Globalization;
using System.Text;
using SuperSpace.Simd.Basis;
using SuperSpace.Simd.Internals;

namespace SuperSpace.Simd;

/// <summary>
/// The Super Space truncated at degree D: every monomial x0^i0 · x1^i1 ⋯ of total degree ≤ D in
/// <see cref="VariableCount"/> variables, enumerated, indexed, named and evaluated.
/// </summary>
/// <remarks>
/// <para>
/// <b>Order.</b> The constant first, then the terms by total degree; within a degree, lexicographic
/// over the sorted multiset of variable indices — the order of scikit-learn's
/// <c>PolynomialFeatures</c> and of nn2poly, so coefficients compare one to one. For three
/// variables at degree 2 the ten terms are
/// <c>1, x0, x1, x2, x0^2, x0*x1, x0*x2, x1^2, x1*x2, x2^2</c>.
/// </para>
/// <para>
/// <b>Structure.</b> Every term of degree k ≥ 1 is its <i>parent</i> (the term of degree k − 1 with
/// its largest variable index removed once) times that variable, and the children of one parent
/// are contiguous: parent p whose largest variable is l has children p·x_l, p·x_(l+1), …, p·x_(v−1).
/// Evaluation therefore costs one multiply per term, and <see cref="IndexOf"/> ranks an exponent
/// vector in O(v) with the combinatorial number system.
/// </para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class MonomialBasis
{
    /// <summary>The largest supported degree.</summary>
    public const int MaxDegree = 255;

    /// <summary>
    /// The most memory a basis may use for its index tables (parent, variable and degree per term,
    /// 9 bytes a term, plus the rank table): 1 GiB, i.e. about 119 million terms.
    /// </summary>
    public const long TableBudgetBytes = 1L << 30;

    private const int BytesPerTerm = sizeof(int) + sizeof(int) + sizeof(byte);

    private readonly int[] _parent;       // full index → parent's full index (0 for the constant)
    private readonly int[] _variable;     // full index → largest variable index (0 for the constant)
    private readonly byte[] _degree;      // full index → total degree
    private readonly int[] _degreeStart;  // k = 0 … D + 1 → full index of the first term of degree k
    private readonly int[] _multisets;    // [n·D + t] = C(n + t, t): multisets of size ≤ t from n variables
    private readonly int _offset;         // 0 with the constant, 1 without: public index = full index − offset

    /// <summary>Creates the basis of all monomials in <paramref name="variableCount"/> variables of total degree ≤ <paramref name="degree"/>.</summary>
    /// <param name="variableCount">Number of variables, at least 1.</param>
    /// <param name="degree">Maximum total degree, 0 … <see cref="MaxDegree"/>.</param>
    /// <param name="includeConstant">False drops the constant term (regression through the origin); the degree must then be at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A count out of range, or a basis whose term count exceeds <see cref="int.MaxValue"/> or whose
    /// tables would exceed <see cref="TableBudgetBytes"/> (the message gives the count and the bytes).
    /// </exception>
    public MonomialBasis(int variableCount, int degree, bool includeConstant = true)
    {
        if (variableCount < 1)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(variableCount), "variableCount must be at least 1.");
        }

        if ((uint)degree > MaxDegree)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(degree), $"degree must be between 0 and {MaxDegree}; it is {degree}.");
        }

        if (!includeConstant && degree == 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(degree), "A basis without the constant term needs degree ≥ 1 (otherwise it has no terms).");
        }

        long fullCount = CountTermsOrMax(variableCount, degree);
        long tableBytes = fullCount == long.MaxValue ? long.MaxValue : SaturatingBytes(fullCount, variableCount, degree);
        if (fullCount > int.MaxValue || tableBytes > TableBudgetBytes)
        {
            string count = fullCount == long.MaxValue ? "more than 9.2e18" : fullCount.ToString("N0", CultureInfo.InvariantCulture);
            string bytes = tableBytes == long.MaxValue ? "more than 9.2e18" : tableBytes.ToString("N0", CultureInfo.InvariantCulture);
            ThrowHelper.ArgumentOutOfRange(
                nameof(degree),
                $"The basis of {variableCount} variables at degree {degree} has {count} terms; its index tables would need {bytes} bytes " +
                $"(limit: {int.MaxValue:N0} terms and {TableBudgetBytes:N0} bytes). Lower the degree or the number of variables.");
        }

        VariableCount = variableCount;
        Degree = degree;
        IncludesConstant = includeConstant;
        _offset = includeConstant ? 0 : 1;

        int full = (int)fullCount;
        TermCount = full - _offset;
        _parent = new int[full];
        _variable = new int[full];
        _degree = new byte[full];
        _degreeStart = new int[degree + 2];

        // Children of parent p are p·x_l … p·x_(v−1), l = largest variable of p; walking the parents
        // of degree k − 1 in order emits the degree-k terms in lexicographic multiset order.
        int t = 1;
        _degreeStart[0] = 0;
        _degreeStart[1] = 1;
        for (int k = 1; k <= degree; k++)
        {
            int parentEnd = _degreeStart[k];
            for (int p = _degreeStart[k - 1]; p < parentEnd; p++)
            {
                for (int j = _variable[p]; j < variableCount; j++)
                {
                    _parent[t] = p;
                    _variable[t] = j;
                    _degree[t] = (byte)k;
                    t++;
                }
            }

            _degreeStart[k + 1] = t;
        }

        // C(n + t, t) for n < v, t < D; bounded by the term count, so it fits an int.
        int d = Math.Max(degree, 1);
        _multisets = new int[variableCount * d];
        for (int n = 0; n < variableCount; n++)
        {
            long c = 1;
            for (int s = 0; s < d; s++)
            {
                // c = C(n + s, s); the division is exact at each step.
                _multisets[(n * d) + s] = (int)c;
                c = c * (n + s + 1) / (s + 1);
            }
        }

        Evaluator = new MonomialEvaluator(this);
    }

    /// <summary>Number of variables.</summary>
    public int VariableCount { get; }

    /// <summary>Maximum total degree.</summary>
    public int Degree { get; }

    /// <summary>Number of terms, C(v + D, D), minus one without the constant.</summary>
    public int TermCount { get; }

    /// <summary>Whether term 0 is the constant 1.</summary>
    public bool IncludesConstant { get; }

    internal int Offset => _offset;

    internal ReadOnlySpan<int> FullParents => _parent;

    internal ReadOnlySpan<int> FullVariables => _variable;

    /// <summary>Full index (constant included) of the first term of degree k, k = 0 … D + 1.</summary>
    internal ReadOnlySpan<int> DegreeStarts => _degreeStart;

    internal MonomialEvaluator Evaluator { get; }

    /// <summary>Number of monomials of total degree ≤ <paramref name="degree"/> in <paramref name="variableCount"/> variables: C(v + D, D), computed exactly.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or zero counts, or a result past <see cref="long.MaxValue"/>.</exception>
    public static long CountTerms(int variableCount, int degree)
    {
        if (variableCount < 1)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(variableCount), "variableCount must be at least 1.");
        }

        if (degree < 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(degree), "degree must be non-negative.");
        }

        long count = CountTermsOrMax(variableCount, degree);
        if (count == long.MaxValue)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(degree), $"C({variableCount} + {degree}, {degree}) exceeds {long.MaxValue}.");
        }

        return count;
    }

    /// <summary>C(v + D, D), or <see cref="long.MaxValue"/> when it does not fit.</summary>
    internal static long CountTermsOrMax(int variableCount, int degree)
    {
        // C(v + D, D) = C(v + D, min(v, D)); r_i = C(a + i, i) with a = max(v, D) grows by
        // r_i = r_(i−1)·(a + i)/i, exact at each step. Int128 holds r·(a + i) for any r ≤ long.MaxValue.
        long a = Math.Max((long)variableCount, degree);
        long b = Math.Min((long)variableCount, degree);
        Int128 r = 1;
        for (long i = 1; i <= b; i++)
        {
            r = r * (a + i) / i;
            if (r >= long.MaxValue)
            {
                return long.MaxValue;
            }
        }

        return (long)r;
    }

    private static long SaturatingBytes(long fullCount, int variableCount, int degree)
    {
        Int128 bytes = ((Int128)fullCount * BytesPerTerm) + ((Int128)variableCount * Math.Max(degree, 1) * sizeof(int));
        return bytes >= long.MaxValue ? long.MaxValue : (long)bytes;
    }

    /// <summary>Writes the exponent of each variable in <paramref name="term"/> to <paramref name="destination"/> (length <see cref="VariableCount"/>).</summary>
    public void GetExponents(int term, Span<int> destination)
    {
        CheckTerm(term);
        if (destination.Length != VariableCount)
        {
            ThrowHelper.LengthMismatch(nameof(destination), VariableCount, destination.Length, "one exponent per variable");
        }

        destination.Clear();
        for (int t = term + _offset; t != 0; t = _parent[t])
        {
            destination[_variable[t]]++;
        }
    }

    /// <summary>Total degree of <paramref name="term"/>.</summary>
    public int GetDegree(int term)
    {
        CheckTerm(term);
        return _degree[term + _offset];
    }

    /// <summary>
    /// Index of the term with the given exponents, or −1 when it is not in the basis (degree above
    /// <see cref="Degree"/>, or the constant in a basis without it). O(v).
    /// </summary>
    /// <exception cref="ArgumentException">Wrong length or a negative exponent.</exception>
    public int IndexOf(ReadOnlySpan<int> exponents)
    {
        if (exponents.Length != VariableCount)
        {
            ThrowHelper.LengthMismatch(nameof(exponents), VariableCount, exponents.Length, "one exponent per variable");
        }

        long total = 0;
        foreach (int e in exponents)
        {
            if (e < 0)
            {
                ThrowHelper.Argument(nameof(exponents), "Exponents must be non-negative.");
            }

            total += e;
        }

        if (total > Degree)
        {
            return -1;
        }

        int k = (int)total;
        if (k == 0)
        {
            return _offset == 0 ? 0 : -1;
        }

        // Within degree k, a term ranks after every term that agrees on variables 0 … j − 1 and has a
        // larger exponent of x_j. Those number Σ_(e' > e_j) (multisets of size r − e' from the
        // v − j − 1 later variables) = C(n + r − e_j − 1, r − e_j − 1) with n = v − j − 1.
        int d = Math.Max(Degree, 1);
        int rank = 0;
        int r = k;
        for (int j = 0; j < VariableCount - 1 && r > 0; j++)
        {
            int e = exponents[j];
            int t = r - e - 1;
            if (t >= 0)
            {
                rank += _multisets[((VariableCount - j - 1) * d) + t];
            }

            r -= e;
        }

        return _degreeStart[k] + rank - _offset;
    }

    /// <summary>
    /// The term's name: <c>"1"</c> for the constant, <c>"x0"</c>, <c>"x0^2*x2"</c>; with
    /// <paramref name="variableNames"/> (one per variable) e.g. <c>"age^2*income"</c>.
    /// </summary>
    public string FormatTerm(int term, IReadOnlyList<string>? variableNames = null)
    {
        CheckTerm(term);
        if (variableNames is not null && variableNames.Count != VariableCount)
        {
            ThrowHelper.LengthMismatch(nameof(variableNames), VariableCount, variableNames.Count, "one name per variable");
        }

        int t = term + _offset;
        if (t == 0)
        {
            return "1";
        }

        // Walk the parent chain (largest variable first), then print in ascending variable order.
        Span<int> variables = stackalloc int[_degree[t]];
        int count = 0;
        for (int u = t; u != 0; u = _parent[u])
        {
            variables[count++] = _variable[u];
        }

        var builder = new StringBuilder();
        for (int i = count - 1; i >= 0;)
        {
            int variable = variables[i];
            int power = 0;
            while (i >= 0 && variables[i] == variable)
            {
                power++;
                i--;
            }

            if (builder.Length > 0)
            {
                builder.Append('*');
            }

            if (variableNames is null)
            {
                builder.Append('x').Append(variable.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(variableNames[variable]);
            }

            if (power > 1)
            {
                builder.Append('^').Append(power.ToString(CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Evaluates every term at every point: <paramref name="points"/> is sampleCount × <see cref="VariableCount"/>
    /// row-major, <paramref name="destination"/> sampleCount × <see cref="TermCount"/> row-major. Large inputs
    /// use all cores.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths that do not match, or NaN/±∞ in the points (the message names the sample and variable); nothing is written.</exception>
    public void Evaluate(ReadOnlySpan<double> points, Span<double> destination)
    {
        int sampleCount = CheckEvaluateArguments(points.Length, destination.Length);
        Validate.AllFinite(points, VariableCount, nameof(points));
        Evaluator.Evaluate(points, destination, sampleCount, MonomialEvaluator.AutoParallelism);
    }

    /// <inheritdoc cref="Evaluate(ReadOnlySpan{double}, Span{double})"/>
    public void Evaluate(ReadOnlySpan<float> points, Span<float> destination)
    {
        int sampleCount = CheckEvaluateArguments(points.Length, destination.Length);
        Validate.AllFinite(points, VariableCount, nameof(points));
        Evaluator.Evaluate(points, destination, sampleCount, MonomialEvaluator.AutoParallelism);
    }

    /// <inheritdoc cref="Evaluate(ReadOnlySpan{double}, Span{double}, int)"/>
    public void Evaluate(ReadOnlySpan<float> points, Span<float> destination, int maxDegreeOfParallelism)
    {
        int sampleCount = CheckEvaluateArguments(points.Length, destination.Length);
        maxDegreeOfParallelism = Validate.DegreeOfParallelism(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));

        Validate.AllFinite(points, VariableCount, nameof(points));
        Evaluator.Evaluate(points, destination, sampleCount, maxDegreeOfParallelism);
    }

    /// <summary>As <see cref="Evaluate(ReadOnlySpan{double}, Span{double})"/>, with an explicit thread count.</summary>
    /// <param name="points">sampleCount × <see cref="VariableCount"/>, row-major.</param>
    /// <param name="destination">sampleCount × <see cref="TermCount"/>, row-major.</param>
    /// <param name="maxDegreeOfParallelism">1 = this thread only (allocates nothing); −1 = all cores; otherwise the most threads to use.</param>
    public void Evaluate(ReadOnlySpan<double> points, Span<double> destination, int maxDegreeOfParallelism)
    {
        int sampleCount = CheckEvaluateArguments(points.Length, destination.Length);
        maxDegreeOfParallelism = Validate.DegreeOfParallelism(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));

        Validate.AllFinite(points, VariableCount, nameof(points));
        Evaluator.Evaluate(points, destination, sampleCount, maxDegreeOfParallelism);
    }

    /// <summary>Lists the term names in order, e.g. for three variables at degree 2: <c>1, x0, x1, x2, x0^2, …</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"MonomialBasis({VariableCount} variables, degree {Degree}, {TermCount} terms)");

    private int CheckEvaluateArguments(int pointsLength, int destinationLength)
    {
        if (pointsLength % VariableCount != 0)
        {
            ThrowHelper.Argument("points", $"points has length {pointsLength}, not a multiple of VariableCount = {VariableCount}.");
        }

        int sampleCount = pointsLength / VariableCount;
        long expected = (long)sampleCount * TermCount;
        if (destinationLength != expected)
        {
            ThrowHelper.LengthMismatch("destination", expected, destinationLength, $"{sampleCount} samples × {TermCount} terms");
        }

        return sampleCount;
    }

    private void CheckTerm(int term)
    {
        if ((uint)term >= (uint)TermCount)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(term), $"term must be in [0, {TermCount}); it is {term}.");
        }
    }
}
