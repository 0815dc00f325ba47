using System.Globalization;
using SuperSpace.Simd.Activations;
using SuperSpace.Simd.Internals;

namespace SuperSpace.Simd;

/// <summary>
/// An activation function — a <i>magnifying function</i>: its power series turns a neuron's linear
/// pre-activation into a polynomial of unbounded degree. Each activation evaluates element-wise
/// (vectorised over spans), gives its exact Taylor coefficients at any centre and order, its radius of
/// convergence there, and polynomial approximations on an interval (<see cref="Approximate"/>).
/// </summary>
/// <remarks>
/// Taylor coefficients come from each function's ODE or composition in truncated power-series
/// arithmetic (tanh′ = 1 − tanh², σ′ = σ(1 − σ), softplus′ = σ, silu = z·σ, gelu = z·Φ with
/// Φ′ = φ and φ′ = −zφ), so they are exact recurrences, not finite differences. Instances are
/// immutable and thread-safe; the built-in ones are singletons.
/// </remarks>
public abstract class Activation : IEquatable<Activation>
{
    /// <summary>f(z) = z.</summary>
    public static readonly Activation Identity = new IdentityActivation();

    /// <summary>The logistic function σ(z) = 1/(1 + e^{−z}); poles at ±iπ + 2kπi.</summary>
    public static readonly Activation Sigmoid = new SigmoidActivation();

    /// <summary>tanh z; poles at ±iπ/2 + kπi.</summary>
    public static readonly Activation Tanh = new TanhActivation();

    /// <summary>ln(1 + e^z); branch points at ±iπ + 2kπi.</summary>
    public static readonly Activation Softplus = new SoftplusActivation();

    /// <summary>z·σ(z) (swish with β = 1); poles at ±iπ + 2kπi.</summary>
    public static readonly Activation Silu = new SiluActivation();

    /// <summary>z·Φ(z), Φ the standard normal CDF (the exact erf form, not the tanh approximation); entire.</summary>
    public static readonly Activation Gelu = new GeluActivation();

    /// <summary>max(z, 0); not analytic at 0 (derivative taken as 0 there, as in training).</summary>
    public static readonly Activation Relu = new ReluActivation();

    /// <summary>e^z; entire.</summary>
    public static readonly Activation Exp = new ExpActivation();

    /// <summary>sin z; entire.</summary>
    public static readonly Activation Sin = new SinActivation();

    private protected Activation()
    {
    }

    /// <summary>The polynomial c0 + c1·z + c2·z² + … (ascending coefficients); entire. A network of these is an exact polynomial.</summary>
    /// <exception cref="ArgumentException">No coefficients, or a non-finite one.</exception>
    public static Activation Polynomial(ReadOnlySpan<double> coefficients)
    {
        if (coefficients.IsEmpty)
        {
            ThrowHelper.Argument(nameof(coefficients), "A polynomial activation needs at least one coefficient.");
        }

        long bad = Validate.IndexOfNonFinite(coefficients);
        if (bad >= 0)
        {
            ThrowHelper.Argument(nameof(coefficients), string.Create(CultureInfo.InvariantCulture, $"coefficients contains a non-finite value ({coefficients[(int)bad]}) at index {bad}."));
        }

        return new PolynomialActivation(coefficients.ToArray());
    }

    /// <summary>The activation's name: <c>identity</c>, <c>sigmoid</c>, <c>tanh</c>, <c>softplus</c>, <c>silu</c>, <c>gelu</c>, <c>relu</c>, <c>exp</c>, <c>sin</c> or <c>polynomial</c>.</summary>
    public abstract string Name { get; }

    /// <summary>For a <see cref="Polynomial"/> activation its ascending coefficients; empty otherwise.</summary>
    public virtual ReadOnlySpan<double> PolynomialCoefficients => ReadOnlySpan<double>.Empty;

    /// <summary>True for entire functions whose series at any centre is a finite polynomial (Identity, Polynomial).</summary>
    internal virtual bool IsPolynomial => false;

    /// <summary>f(x).</summary>
    public abstract double Evaluate(double x);

    /// <summary>destination[i] = f(inputs[i]), vectorised. The spans may be the same memory.</summary>
    /// <exception cref="ArgumentException">Lengths differ.</exception>
    public void Evaluate(ReadOnlySpan<double> inputs, Span<double> destination)
    {
        if (destination.Length != inputs.Length)
        {
            ThrowHelper.LengthMismatch(nameof(destination), inputs.Length, destination.Length, "one value per input");
        }

        EvaluateCore(inputs, destination);
    }

    /// <summary>
    /// Writes the Taylor coefficients f^(k)(center)/k! for k = 0 … destination.Length − 1, exact at any
    /// centre and order (from the function's ODE or composition, in truncated power-series arithmetic).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="center"/> is not finite.</exception>
    public void TaylorCoefficients(double center, Span<double> destination)
    {
        if (!double.IsFinite(center))
        {
            ThrowHelper.Argument(nameof(center), string.Create(CultureInfo.InvariantCulture, $"center must be finite; it is {center}."));
        }

        if (destination.IsEmpty)
        {
            return;
        }

        TaylorCore(center, destination);
    }

    /// <summary>
    /// Radius of convergence of the Taylor series at <paramref name="center"/>: the distance to the
    /// nearest complex singularity (tanh: √(c² + π²/4); sigmoid, softplus, silu: √(c² + π²); relu: |c|),
    /// +∞ for entire functions, 0 where the function is not analytic.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="center"/> is not finite.</exception>
    public double RadiusOfConvergence(double center)
    {
        if (!double.IsFinite(center))
        {
            ThrowHelper.Argument(nameof(center), string.Create(CultureInfo.InvariantCulture, $"center must be finite; it is {center}."));
        }

        return RadiusCore(center);
    }

    /// <summary>
    /// A polynomial approximation of degree <paramref name="degree"/> on [<paramref name="lower"/>,
    /// <paramref name="upper"/>] in the Chebyshev basis, for any activation (ReLU included), with its max
    /// error on the interval.
    /// </summary>
    /// <param name="lower">Left end of the interval.</param>
    /// <param name="upper">Right end, greater than <paramref name="lower"/>.</param>
    /// <param name="degree">Polynomial degree, 0 … <see cref="IntervalApproximation.MaxDegree"/>.</param>
    /// <param name="kind">Interpolation at Chebyshev points (default) or least squares on a uniform grid.</param>
    /// <exception cref="ArgumentException">Non-finite or empty interval, degree out of range.</exception>
    public IntervalApproximation Approximate(double lower, double upper, int degree, IntervalApproximationKind kind = IntervalApproximationKind.Interpolation) =>
        IntervalApproximation.Create(this, lower, upper, degree, kind);

    /// <summary>The name, and for a polynomial its coefficients.</summary>
    public override string ToString() => Name;

    /// <inheritdoc/>
    public virtual bool Equals(Activation? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Activation);

    /// <inheritdoc/>
    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);

    /// <summary>The built-in activation with this name (case-insensitive), or null.</summary>
    internal static Activation? FromName(string name) => name.ToUpperInvariant() switch
    {
        "IDENTITY" or "LINEAR" => Identity,
        "SIGMOID" or "LOGISTIC" => Sigmoid,
        "TANH" => Tanh,
        "SOFTPLUS" => Softplus,
        "SILU" or "SWISH" => Silu,
        "GELU" => Gelu,
        "RELU" => Relu,
        "EXP" => Exp,
        "SIN" => Sin,
        _ => null,
    };

    /// <summary>Element-wise value; inputs and destination have equal lengths and may alias.</summary>
    internal virtual void EvaluateCore(ReadOnlySpan<double> inputs, Span<double> destination)
    {
        for (int i = 0; i < inputs.Length; i++)
        {
            destination[i] = Evaluate(inputs[i]);
        }
    }

    /// <summary>
    /// Value, first derivative and (when <paramref name="second"/> is non-empty) second derivative at every
    /// input, vectorised where the function allows — for training. All spans have the input's length.
    /// </summary>
    internal virtual void EvaluateDerivatives(ReadOnlySpan<double> inputs, Span<double> value, Span<double> first, Span<double> second)
    {
        Span<double> coefficients = stackalloc double[3];
        for (int i = 0; i < inputs.Length; i++)
        {
            TaylorCore(inputs[i], coefficients);
            value[i] = coefficients[0];
            first[i] = coefficients[1];
            if (!second.IsEmpty)
            {
                second[i] = 2 * coefficients[2];
            }
        }
    }

    private protected abstract void TaylorCore(double center, Span<double> destination);

    private protected abstract double RadiusCore(double center);
}

/// <summary>How <see cref="Activation.Approximate"/> builds its polynomial.</summary>
public enum IntervalApproximationKind
{
    /// <summary>Interpolation at the degree + 1 Chebyshev points of the first kind (near-minimax).</summary>
    Interpolation,

    /// <summary>Least squares on a uniform grid of 20·(degree + 1) points (at least 201): the L2-best polynomial under the uniform weight.</summary>
    LeastSquares,
}
