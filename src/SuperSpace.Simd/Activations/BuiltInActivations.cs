// The built-in activations. Each TaylorCore writes f^(k)(c)/k!, k < n, from the function's ODE:
//   tanh:     t′ = 1 − t²      (k+1)·t_{k+1} = −Σ_{j=0..k} t_j t_{k−j} (k ≥ 1), t_1 = sech² c
//   sigmoid:  s′ = s(1 − s)    (k+1)·s_{k+1} = q·s_k − Σ_{j=1..k−1} s_j s_{k−j} (k ≥ 1), q = 1 − 2s_0 = −tanh(c/2), s_1 = σ(c)σ(−c)
//   softplus: p′ = σ           p_{k+1} = s_k/(k + 1)
//   silu:     z·σ              u_k = c·s_k + s_{k−1}
//   gelu:     z·Φ, Φ′ = φ, φ′ = −zφ:  (k+1)·φ_{k+1} = −(c·φ_k + φ_{k−1}), Φ_{k+1} = φ_k/(k+1), g_k = c·Φ_k + Φ_{k−1}
//   exp, sin: closed forms e^c/k!, sin(c + kπ/2)/k!
//   polynomial: Taylor shift by repeated synthetic division (Horner), O(n·m)
// The first-order terms are formed without cancellation (sech², σ(c)σ(−c)), so coefficients stay
// accurate in relative terms deep in saturation. Cost O(n²).
using System.Globalization;
using SuperSpace.Simd.Internals;

namespace SuperSpace.Simd.Activations;

internal sealed class IdentityActivation : Activation
{
    public override string Name => "identity";

    internal override bool IsPolynomial => true;

    public override double Evaluate(double x) => x;

    internal override void EvaluateCore(ReadOnlySpan<double> inputs, Span<double> destination) => inputs.CopyTo(destination);

    internal override void EvaluateDerivatives(ReadOnlySpan<double> inputs, Span<double> value, Span<double> first, Span<double> second) =>
        VectorMath.MapDerivatives<IdentityOperator>(inputs, value, first, second);

    private protected override void TaylorCore(double center, Span<double> destination)
    {
        destination.Clear();
        destination[0] = center;
        if (destination.Length > 1)
        {
            destination[1] = 1;
        }
    }

    private protected override double RadiusCore(double center) => double.PositiveInfinity;
}

internal sealed class TanhActivation : Activation
{
    public override string Name => "tanh";

    public override double Evaluate(double x) => Math.Tanh(x);

    internal override void EvaluateCore(ReadOnlySpan<double> inputs, Span<double> destination) => VectorMath.Map<TanhOperator>(inputs, destination);

    internal override void EvaluateDerivatives(ReadOnlySpan<double> inputs, Span<double> value, Span<double> first, Span<double> second) =>
        VectorMath.MapDerivatives<TanhOperator>(inputs, value, first, second);

    private protected override void TaylorCore(double center, Span<double> t)
    {
        t[0] = Math.Tanh(center);
        if (t.Length == 1)
        {
            return;
        }

        double cosh = Math.Cosh(center);
        t[1] = double.IsFinite(cosh) ? 1 / (cosh * cosh) : 0;
        for (int k = 1; k < t.Length - 1; k++)
        {
            double sum = 0;
            for (int j = 0; j <= k; j++)
            {
                sum += t[j] * t[k - j];
            }

            t[k + 1] = -sum / (k + 1);
        }
    }

    private protected override double RadiusCore(double center) => Math.Sqrt((center * center) + (Math.PI * Math.PI / 4));
}

internal sealed class SigmoidActivation : Activation
{
    public override string Name => "sigmoid";

    public override double Evaluate(double x) => SigmoidOperator.Value(x);

    internal override void EvaluateCore(ReadOnlySpan<double> inputs, Span<double> destination) => VectorMath.Map<SigmoidOperator>(inputs, destination);

    internal override void EvaluateDerivatives(ReadOnlySpan<double> inputs, Span<double> value, Span<double> first, Span<double> second) =>
        VectorMath.MapDerivatives<SigmoidOperator>(inputs, value, first, second);

    private protected override void TaylorCore(double center, Span<double> s) => Series(center, s);

    private protected override double RadiusCore(double center) => Math.Sqrt((center * center) + (Math.PI * Math.PI));

    /// <summary>σ's Taylor coefficients at c (shared by softplus and silu).</summary>
    internal static void Series(double center, Span<double> s)
    {
        double e = Math.Exp(-Math.Abs(center));
        double p = 1 / (1 + e);   // σ(|c|)
        double q = e * p;         // σ(−|c|)
        s[0] = center >= 0 ? p : q;
        if (s.Length == 1)
        {
            return;
        }

        s[1] = p * q;
        double oneMinusTwoS = center >= 0 ? q - p : p - q;
        for (int k = 1; k < s.Length - 1; k++)
        {
            double sum = oneMinusTwoS * s[k];
            for (int j = 1; j < k; j++)
            {
                sum -= s[j] * s[k - j];
            }

            s[k + 1] = sum / (k + 1);
        }
    }
}

internal sealed class SoftplusActivation : Activation
{
    public override string Name => "softplus";

    public override double Evaluate(double x) => SoftplusOperator.Value(x);

    internal override void EvaluateCore(ReadOnlySpan<double> inputs, Span<double> destination) => VectorMath.Map<SoftplusOperator>(inputs, destination);

    internal override void EvaluateDerivatives(ReadOnlySpan<double> inputs, Span<double> value, Span<double> first, Span<double> second) =>
        VectorMath.MapDerivatives<SoftplusOperator>(inputs, value, first, second);

    private protected override void TaylorCore(double center, Span<double> destination)
    {
        int n = destination.Length;
        Span<double> s = n <= 256 ? stackalloc double[n] : new double[n];
        SigmoidActivation.Series(center, s);
        for (int k = n - 1; k >= 1; k--)
        {
            destination[k] = s[k - 1] / k;
        }

        destination[0] = SoftplusOperator.Value(center);
    }

    private protected override double RadiusCore(double center) => Math.Sqrt((center * center) + (Math.PI * Math.PI));
}

internal sealed class SiluActivation : Activation
{
    public override string Name => "silu";

    public override double Evaluate(double x) => SiluOperator.Value(x);

    internal override void EvaluateCore(ReadOnlySpan<double> inputs, Span<double> destination) => VectorMath.Map<SiluOperator>(inputs, destination);

    internal override void EvaluateDerivatives(ReadOnlySpan<double> inputs, Span<double> value, Span<double> first, Span<double> second) =>
        VectorMath.MapDerivatives<SiluOperator>(inputs, value, first, second);

    private protected override void TaylorCore(double center, Span<double> destination)
    {
        int n = destination.Length;
        Span<double> s = n <= 256 ? stackalloc double[n] : new double[n];
        SigmoidActivation.Series(center, s);
        for (int k = n - 1; k >= 1; k--)
        {
            destination[k] = (center * s[k]) + s[k - 1];
        }

        destination[0] = center * s[0];
    }

    private protected override double RadiusCore(double center) => Math.Sqrt((center * center) + (Math.PI * Math.PI));
}

internal sealed class GeluActivation : Activation
{
    private const double InverseSqrtTwoPi = 0.39894228040143267793994605993438187;

    public override string Name => "gelu";

    public override double Evaluate(double x) => x * SpecialFunctions.NormalCdf(x);

    internal override void EvaluateDerivatives(ReadOnlySpan<double> inputs, Span<double> value, Span<double> first, Span<double> second)
    {
        for (int i = 0; i < inputs.Length; i++)
        {
            double x = inputs[i];
            double cdf = SpecialFunctions.NormalCdf(x);
            double pdf = InverseSqrtTwoPi * Math.Exp(-0.5 * x * x);
            value[i] = x * cdf;
            first[i] = cdf + (x * pdf);
            if (!second.IsEmpty)
            {
                second[i] = pdf * (2 - (x * x));
            }
        }
    }

    private protected override void TaylorCore(double center, Span<double> destination)
    {
        int n = destination.Length;
        destination[0] = center * SpecialFunctions.NormalCdf(center);
        if (n == 1)
        {
            return;
        }

        // φ_k (normal density series) then Φ_k = φ_{k−1}/k, g_k = c·Φ_k + Φ_{k−1}.
        Span<double> phi = n <= 256 ? stackalloc double[n] : new double[n];
        phi[0] = InverseSqrtTwoPi * Math.Exp(-0.5 * center * center);
        if (n > 1)
        {
            phi[1] = -center * phi[0];
        }

        for (int k = 1; k < n - 1; k++)
        {
            phi[k + 1] = -((center * phi[k]) + phi[k - 1]) / (k + 1);
        }

        double previousCdf = SpecialFunctions.NormalCdf(center); // Φ_0
        for (int k = 1; k < n; k++)
        {
            double cdf = phi[k - 1] / k; // Φ_k
            destination[k] = (center * cdf) + previousCdf;
            previousCdf = cdf;
        }
    }

    private protected override double RadiusCore(double center) => double.PositiveInfinity;
}

internal sealed class ReluActivation : Activation
{
    public override string Name => "relu";

    public override double Evaluate(double x) => x > 0 ? x : 0;

    internal override void EvaluateCore(ReadOnlySpan<double> inputs, Span<double> destination) => VectorMath.Map<ReluOperator>(inputs, destination);

    internal override void EvaluateDerivatives(ReadOnlySpan<double> inputs, Span<double> value, Span<double> first, Span<double> second) =>
        VectorMath.MapDerivatives<ReluOperator>(inputs, value, first, second);

    private protected override void TaylorCore(double center, Span<double> destination)
    {
        // Locally linear away from 0; at 0 (radius 0) the value and the training subgradient 0.
        destination.Clear();
        if (center > 0)
        {
            destination[0] = center;
            if (destination.Length > 1)
            {
                destination[1] = 1;
            }
        }
    }

    private protected override double RadiusCore(double center) => Math.Abs(center);
}

internal sealed class ExpActivation : Activation
{
    public override string Name => "exp";

    public override double Evaluate(double x) => Math.Exp(x);

    internal override void EvaluateCore(ReadOnlySpan<double> inputs, Span<double> destination) => VectorMath.Map<ExpOperator>(inputs, destination);

    internal override void EvaluateDerivatives(ReadOnlySpan<double> inputs, Span<double> value, Span<double> first, Span<double> second) =>
        VectorMath.MapDerivatives<ExpOperator>(inputs, value, first, second);

    private protected override void TaylorCore(double center, Span<double> destination)
    {
        double term = Math.Exp(center);
        for (int k = 0; k < destination.Length; k++)
        {
            destination[k] = term;
            term /= k + 1;
        }
    }

    private protected override double RadiusCore(double center) => double.PositiveInfinity;
}

internal sealed class SinActivation : Activation
{
    public override string Name => "sin";

    public override double Evaluate(double x) => Math.Sin(x);

    internal override void EvaluateDerivatives(ReadOnlySpan<double> inputs, Span<double> value, Span<double> first, Span<double> second)
    {
        for (int i = 0; i < inputs.Length; i++)
        {
            (double s, double c) = Math.SinCos(inputs[i]);
            value[i] = s;
            first[i] = c;
            if (!second.IsEmpty)
            {
                second[i] = -s;
            }
        }
    }

    private protected override void TaylorCore(double center, Span<double> destination)
    {
        (double s, double c) = Math.SinCos(center);
        double factorial = 1;
        for (int k = 0; k < destination.Length; k++)
        {
            if (k > 0)
            {
                factorial *= k;
            }

            double derivative = (k & 3) switch { 0 => s, 1 => c, 2 => -s, _ => -c };
            destination[k] = derivative / factorial;
        }
    }

    private protected override double RadiusCore(double center) => double.PositiveInfinity;
}

internal sealed class PolynomialActivation : Activation
{
    private readonly double[] _coefficients;

    public PolynomialActivation(double[] coefficients) => _coefficients = coefficients;

    public override string Name => "polynomial";

    public override ReadOnlySpan<double> PolynomialCoefficients => _coefficients;

    internal override bool IsPolynomial => true;

    public override double Evaluate(double x)
    {
        double sum = 0;
        for (int k = _coefficients.Length - 1; k >= 0; k--)
        {
            sum = (sum * x) + _coefficients[k];
        }

        return sum;
    }

    internal override void EvaluateDerivatives(ReadOnlySpan<double> inputs, Span<double> value, Span<double> first, Span<double> second)
    {
        for (int i = 0; i < inputs.Length; i++)
        {
            double x = inputs[i];
            double p = 0, d1 = 0, d2 = 0;
            for (int k = _coefficients.Length - 1; k >= 0; k--)
            {
                d2 = (d2 * x) + (2 * d1);
                d1 = (d1 * x) + p;
                p = (p * x) + _coefficients[k];
            }

            value[i] = p;
            first[i] = d1;
            if (!second.IsEmpty)
            {
                second[i] = d2;
            }
        }
    }

    private protected override void TaylorCore(double center, Span<double> destination)
    {
        // Taylor shift p(c + u): b_k = p^(k)(c)/k!.
        TaylorSeries.Shift(_coefficients, center, destination);
    }

    private protected override double RadiusCore(double center) => double.PositiveInfinity;

    public override bool Equals(Activation? other) =>
        other is PolynomialActivation p && p._coefficients.AsSpan().SequenceEqual(_coefficients);

    public override int GetHashCode() => HashCode.Combine(Name, _coefficients.Length, _coefficients[0]);

    public override string ToString() =>
        "polynomial(" + string.Join(", ", _coefficients.Select(c => c.ToString("R", CultureInfo.InvariantCulture))) + ")";
}
