using System.Globalization;
using SuperSpace.Simd.Activations;
using SuperSpace.Simd.Internals;

namespace SuperSpace.Simd;

/// <summary>
/// A polynomial approximation p(z) = Σ_k c_k T_k(t), t = (2z − (a + b))/(b − a), of an activation on
/// the interval [a, b], in the Chebyshev basis (stable at any degree), with its max error on the interval.
/// </summary>
/// <remarks>
/// <para>
/// Interpolation at the Chebyshev points is within a factor 2 + (2/π)·ln(n + 1) of the best uniform
/// approximation; for an analytic function the error falls like ρ^{−n}, ρ set by the nearest
/// singularity (for ReLU only like 1/n).
/// </para>
/// <para>
/// <b>Monomial form.</b> <see cref="GetMonomialCoefficients"/> converts to c0 + c1·z + c2·z² + ….
/// The conversion multiplies rounding errors by about (1 + √2)^n (the size of the monomial
/// coefficients of T_n) times the interval's scale; it is allowed up to
/// <see cref="MaxMonomialDegree"/> = 20 (amplification ≤ 5·10⁷, i.e. at least 8 correct digits on
/// the interval). Above that, keep the Chebyshev form (<see cref="Evaluate"/> uses Clenshaw's
/// recurrence, stable at any degree) — SuperPlaneExpansion composes the Chebyshev form
/// directly for the same reason.
/// </para>
/// </remarks>
public sealed class IntervalApproximation
{
    /// <summary>The highest degree accepted by <see cref="Activation.Approximate"/>.</summary>
    public const int MaxDegree = 512;

    /// <summary>The highest degree <see cref="GetMonomialCoefficients"/> converts (see remarks).</summary>
    public const int MaxMonomialDegree = 20;

    private readonly double[] _chebyshev;

    private IntervalApproximation(Activation activation, double lower, double upper, double[] chebyshev, IntervalApproximationKind kind)
    {
        Activation = activation;
        Lower = lower;
        Upper = upper;
        _chebyshev = chebyshev;
        Kind = kind;
        MaxError = MeasureMaxError();
    }

    /// <summary>The approximated activation.</summary>
    public Activation Activation { get; }

    /// <summary>Left end of the interval.</summary>
    public double Lower { get; }

    /// <summary>Right end of the interval.</summary>
    public double Upper { get; }

    /// <summary>Polynomial degree.</summary>
    public int Degree => _chebyshev.Length - 1;

    /// <summary>How the coefficients were computed.</summary>
    public IntervalApproximationKind Kind { get; }

    /// <summary>c_k of p = Σ c_k T_k(t), t mapping [Lower, Upper] onto [−1, 1].</summary>
    public ReadOnlySpan<double> ChebyshevCoefficients => _chebyshev;

    /// <summary>
    /// max |f(z) − p(z)| over [Lower, Upper], measured on 4,096 equally spaced points plus the
    /// interpolation nodes and both ends (a lower bound of the true maximum that is tight to the grid's
    /// resolution).
    /// </summary>
    public double MaxError { get; }

    internal static IntervalApproximation Create(Activation activation, double lower, double upper, int degree, IntervalApproximationKind kind)
    {
        if (!double.IsFinite(lower) || !double.IsFinite(upper) || !(upper > lower))
        {
            ThrowHelper.Argument(nameof(lower), string.Create(CultureInfo.InvariantCulture, $"The interval [{lower}, {upper}] must be finite with lower < upper."));
        }

        if ((uint)degree > MaxDegree)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(degree), $"degree must be between 0 and {MaxDegree}; it is {degree}.");
        }

        if (kind is not (IntervalApproximationKind.Interpolation or IntervalApproximationKind.LeastSquares))
        {
            ThrowHelper.Argument(nameof(kind), $"Unknown approximation kind {kind}.");
        }

        double[] c = kind == IntervalApproximationKind.Interpolation
            ? ChebyshevFit.Interpolate(activation, lower, upper, degree)
            : ChebyshevFit.LeastSquares(activation, lower, upper, degree);
        return new IntervalApproximation(activation, lower, upper, c, kind);
    }

    /// <summary>p(z) by Clenshaw's recurrence (valid for any z; the error bound holds on the interval).</summary>
    public double Evaluate(double z) => ChebyshevFit.Clenshaw(_chebyshev, ((2 * z) - (Lower + Upper)) / (Upper - Lower));

    /// <summary>
    /// Writes the ascending monomial coefficients of p in z (length <see cref="Degree"/> + 1).
    /// </summary>
    /// <exception cref="ArgumentException">Wrong destination length.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Degree"/> exceeds <see cref="MaxMonomialDegree"/> (see remarks).</exception>
    public void GetMonomialCoefficients(Span<double> destination)
    {
        if (destination.Length != _chebyshev.Length)
        {
            ThrowHelper.LengthMismatch(nameof(destination), _chebyshev.Length, destination.Length, "Degree + 1 coefficients");
        }

        if (Degree > MaxMonomialDegree)
        {
            ThrowHelper.InvalidOperation($"Converting a degree-{Degree} Chebyshev approximation to monomials would amplify rounding errors by about (1 + √2)^{Degree}; the limit is degree {MaxMonomialDegree}. Use Evaluate or the Chebyshev coefficients instead.");
        }

        ChebyshevFit.ToMonomials(_chebyshev, Lower, Upper, destination);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Activation.Name} on [{Lower:G6}, {Upper:G6}], degree {Degree} ({Kind}), max error {MaxError:G3}");

    private double MeasureMaxError()
    {
        const int Grid = 4096;
        double max = 0;
        double half = 0.5 * (Upper - Lower), mid = 0.5 * (Upper + Lower);
        for (int i = 0; i <= Grid; i++)
        {
            double z = i == Grid ? Upper : Lower + ((Upper - Lower) * i / Grid);
            max = Math.Max(max, Math.Abs(Activation.Evaluate(z) - Evaluate(z)));
        }

        int n = _chebyshev.Length;
        for (int j = 0; j < n; j++)
        {
            double z = mid + (half * Math.Cos(Math.PI * (j + 0.5) / n));
            max = Math.Max(max, Math.Abs(Activation.Evaluate(z) - Evaluate(z)));
        }

        return max;
    }
}
