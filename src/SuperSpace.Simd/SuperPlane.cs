using System.Globalization;
using System.Text;
using SuperSpace.Simd.Internals;

namespace SuperSpace.Simd;

/// <summary>
/// A Super Plane: a linear function in Super Space, i.e. the polynomial Σ_t c_t · m_t(x) over the
/// monomials m_t of a <see cref="MonomialBasis"/>, in the raw input variables.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed partial class SuperPlane
{
    private readonly double[] _coefficients;

    /// <summary>Creates the Super Plane with the given coefficients, one per term of <paramref name="basis"/>.</summary>
    /// <exception cref="ArgumentException">Wrong number of coefficients, or a non-finite coefficient.</exception>
    public SuperPlane(MonomialBasis basis, ReadOnlySpan<double> coefficients)
    {
        if (basis is null)
        {
            ThrowHelper.ArgumentNull(nameof(basis));
        }

        if (coefficients.Length != basis.TermCount)
        {
            ThrowHelper.LengthMismatch(nameof(coefficients), basis.TermCount, coefficients.Length, "one coefficient per term of the basis");
        }

        long bad = Validate.IndexOfNonFinite(coefficients);
        if (bad >= 0)
        {
            ThrowHelper.Argument(nameof(coefficients), string.Create(CultureInfo.InvariantCulture,
                $"coefficients contains a non-finite value ({coefficients[(int)bad]}) at term {bad} ({basis.FormatTerm((int)bad)})."));
        }

        Basis = basis;
        _coefficients = coefficients.ToArray();
    }

    /// <summary>The monomials this plane is a linear combination of.</summary>
    public MonomialBasis Basis { get; }

    /// <summary>One coefficient per term of <see cref="Basis"/>, in the basis order.</summary>
    public ReadOnlySpan<double> Coefficients => _coefficients;

    /// <summary>Value of the polynomial at one point (length <see cref="MonomialBasis.VariableCount"/>).</summary>
    public double Evaluate(ReadOnlySpan<double> point)
    {
        if (point.Length != Basis.VariableCount)
        {
            ThrowHelper.LengthMismatch(nameof(point), Basis.VariableCount, point.Length, "one value per variable");
        }

        Validate.AllFinite(point, Basis.VariableCount, nameof(point));
        int termCount = Basis.TermCount;
        double[]? rented = null;
        Span<double> features = termCount <= 512
            ? stackalloc double[termCount]
            : (rented = System.Buffers.ArrayPool<double>.Shared.Rent(termCount)).AsSpan(0, termCount);
        try
        {
            Basis.Evaluator.Evaluate(point, features, 1, 1);
            double sum = 0;
            for (int t = 0; t < termCount; t++)
            {
                sum += _coefficients[t] * features[t];
            }

            return sum;
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Values at many points: <paramref name="points"/> sampleCount × VariableCount row-major,
    /// <paramref name="destination"/> sampleCount. SIMD (the basis is evaluated tile by tile and reduced
    /// against the coefficients); large inputs use all cores.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths that do not match, or NaN/±∞ in the points (the message names the sample and variable); nothing is written.</exception>
    public void Evaluate(ReadOnlySpan<double> points, Span<double> destination) =>
        Evaluate(points, destination, AutoParallelism);

    /// <summary>As <see cref="Evaluate(ReadOnlySpan{double}, Span{double})"/>, with an explicit thread count.</summary>
    /// <param name="points">sampleCount × VariableCount, row-major.</param>
    /// <param name="destination">sampleCount values.</param>
    /// <param name="maxDegreeOfParallelism">1 = this thread only (allocates nothing beyond pooled scratch); −1 = all cores; otherwise the most threads to use.</param>
    public void Evaluate(ReadOnlySpan<double> points, Span<double> destination, int maxDegreeOfParallelism)
    {
        int v = Basis.VariableCount;
        if (points.Length % v != 0)
        {
            ThrowHelper.Argument(nameof(points), $"points has length {points.Length}, not a multiple of VariableCount = {v}.");
        }

        int sampleCount = points.Length / v;
        if (destination.Length != sampleCount)
        {
            ThrowHelper.LengthMismatch(nameof(destination), sampleCount, destination.Length, "one value per sample");
        }

        int threads = maxDegreeOfParallelism == AutoParallelism
            ? ((long)sampleCount * Basis.TermCount >= SuperSpace.Simd.Basis.MonomialEvaluator.ParallelThreshold ? Environment.ProcessorCount : 1)
            : Validate.DegreeOfParallelism(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        Validate.AllFinite(points, v, nameof(points));
        Polynomials.PlaneEvaluator.Evaluate(Basis, _coefficients, points, destination, threads);
    }

    private const int AutoParallelism = int.MinValue;

    /// <summary>The polynomial as text, terms in basis order, e.g. <c>1.5 + 2*x0 - 0.25*x0^2*x1</c>; zero coefficients are omitted.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        for (int t = 0; t < _coefficients.Length; t++)
        {
            double c = _coefficients[t];
            if (c == 0)
            {
                continue;
            }

            string magnitude = Math.Abs(c).ToString("G6", CultureInfo.InvariantCulture);
            string name = Basis.FormatTerm(t);
            if (builder.Length == 0)
            {
                builder.Append(c < 0 ? "-" : string.Empty);
            }
            else
            {
                builder.Append(c < 0 ? " - " : " + ");
            }

            builder.Append(name == "1" ? magnitude : (magnitude == "1" ? name : magnitude + "*" + name));
        }

        return builder.Length == 0 ? "0" : builder.ToString();
    }
}
