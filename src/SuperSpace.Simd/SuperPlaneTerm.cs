namespace SuperSpace.Simd;

/// <summary>One term of a <see cref="SuperPlane"/>: its index in the basis, exponents, name and coefficient.</summary>
public sealed class SuperPlaneTerm
{
    private readonly int[] _exponents;

    internal SuperPlaneTerm(int index, int[] exponents, string name, double coefficient)
    {
        Index = index;
        _exponents = exponents;
        Name = name;
        Coefficient = coefficient;
        int degree = 0;
        foreach (int e in exponents)
        {
            degree += e;
        }

        Degree = degree;
    }

    /// <summary>Index of the term in <see cref="SuperPlane.Basis"/> (and in <see cref="SuperPlane.Coefficients"/>).</summary>
    public int Index { get; }

    /// <summary>Exponent of each variable, length VariableCount.</summary>
    public IReadOnlyList<int> Exponents => _exponents;

    /// <summary>Total degree.</summary>
    public int Degree { get; }

    /// <summary>The monomial's name, e.g. <c>"x0^2*x2"</c> (<see cref="MonomialBasis.FormatTerm"/>).</summary>
    public string Name { get; }

    /// <summary>The coefficient of the monomial.</summary>
    public double Coefficient { get; }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Coefficient:G6}*{Name}");
}

/// <summary>
/// A term and its importance over a data set: |coefficient| × RMS of the monomial over the points
/// (<see cref="SuperPlane.RankTerms"/>). Raw |coefficient| misleads across degrees and units; this is
/// the typical size of the term's contribution to the polynomial's value.
/// </summary>
public sealed class SuperPlaneTermImportance
{
    internal SuperPlaneTermImportance(SuperPlaneTerm term, double rootMeanSquare, double importance, double share)
    {
        Term = term;
        RootMeanSquare = rootMeanSquare;
        Importance = importance;
        Share = share;
    }

    /// <summary>The term.</summary>
    public SuperPlaneTerm Term { get; }

    /// <summary>Root mean square of the monomial over the points: √(Σ_i m(x_i)² / sampleCount).</summary>
    public double RootMeanSquare { get; }

    /// <summary>|coefficient| × <see cref="RootMeanSquare"/>.</summary>
    public double Importance { get; }

    /// <summary>This term's importance divided by the sum over all terms (0 when every importance is 0).</summary>
    public double Share { get; }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Term.Name}: {Importance:G6} ({Share:P1})");
}
