// Element-wise activation kernels over spans: one readonly struct per activation with a scalar and a
// Vector<double> path, one generic driver (the JIT specialises it per struct, so there is no call per
// element). Cost: a few vector exp/log per element. Formulas (a = |x|, u = e^{−2a}, e = e^{−a}):
//   tanh x    = sign(x)·(−m/(2 + m)), m = expm1(−2a)       tanh′ = 4u/(1 + u)²,  tanh″ = −2·tanh·tanh′
//   σ(x)      = 1/(1 + e) or e/(1 + e) by sign             σ′ = e/(1 + e)²,      σ″ = σ′·(1 − 2σ)
//   softplus  = max(x, 0) + log1p(e)                       softplus′ = σ,        softplus″ = σ′
//   silu      = x·σ                                        silu′ = σ + xσ′,      silu″ = 2σ′ + xσ″
// expm1 and log1p use Kahan's trick (w = e^y; expm1 = (w − 1)·y/ln w), accurate to a few ulps
// without a dedicated vector expm1/log1p.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SuperSpace.Simd.Activations;

/// <summary>An element-wise activation: value, and value with first and second derivatives.</summary>
internal interface IActivationOperator
{
    static abstract double Value(double x);

    static abstract Vector<double> Value(Vector<double> x);

    static abstract double Derivatives(double x, out double first, out double second);

    static abstract Vector<double> Derivatives(Vector<double> x, out Vector<double> first, out Vector<double> second);
}

internal static class VectorMath
{
    /// <summary>destination[i] = f(x[i]).</summary>
    public static void Map<TOp>(ReadOnlySpan<double> x, Span<double> destination)
        where TOp : struct, IActivationOperator
    {
        int n = x.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ref double xs = ref MemoryMarshal.GetReference(x);
            ref double ys = ref MemoryMarshal.GetReference(destination);
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                TOp.Value(Vector.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            destination[i] = TOp.Value(x[i]);
        }
    }

    /// <summary>value, first and (when non-empty) second derivative at every x.</summary>
    public static void MapDerivatives<TOp>(ReadOnlySpan<double> x, Span<double> value, Span<double> first, Span<double> second)
        where TOp : struct, IActivationOperator
    {
        int n = x.Length;
        bool wantSecond = !second.IsEmpty;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ref double xs = ref MemoryMarshal.GetReference(x);
            ref double vs = ref MemoryMarshal.GetReference(value);
            ref double fs = ref MemoryMarshal.GetReference(first);
            ref double ss = ref MemoryMarshal.GetReference(second);
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                Vector<double> v = TOp.Derivatives(Vector.LoadUnsafe(ref xs, (nuint)i), out Vector<double> d1, out Vector<double> d2);
                v.StoreUnsafe(ref vs, (nuint)i);
                d1.StoreUnsafe(ref fs, (nuint)i);
                if (wantSecond)
                {
                    d2.StoreUnsafe(ref ss, (nuint)i);
                }
            }
        }

        for (; i < n; i++)
        {
            value[i] = TOp.Derivatives(x[i], out double d1, out double d2);
            first[i] = d1;
            if (wantSecond)
            {
                second[i] = d2;
            }
        }
    }

    /// <summary>e^y − 1 for y ≤ 0 (Kahan: exact-ish via (w − 1)·y / ln w).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> ExpM1NonPositive(Vector<double> y) => ExpM1NonPositive(y, out _);

    /// <summary>e^y − 1 for y ≤ 0, and e^y itself in <paramref name="w"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> ExpM1NonPositive(Vector<double> y, out Vector<double> w)
    {
        w = Vector.Exp(y);
        Vector<double> wm1 = w - Vector<double>.One;
        Vector<double> kahan = wm1 * y / Vector.Log(w);
        // w == 1: y is tiny, expm1 = y. w == 0: underflow, expm1 = −1.
        Vector<double> result = Vector.ConditionalSelect(Vector.Equals(w, Vector<double>.One), y, kahan);
        return Vector.ConditionalSelect(Vector.Equals(w, Vector<double>.Zero), -Vector<double>.One, result);
    }

    /// <summary>ln(1 + e) for 0 ≤ e ≤ 1 (Kahan: ln w · e/(w − 1), w = 1 + e).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Log1pSmall(Vector<double> e)
    {
        Vector<double> w = Vector<double>.One + e;
        Vector<double> kahan = Vector.Log(w) * e / (w - Vector<double>.One);
        return Vector.ConditionalSelect(Vector.Equals(w, Vector<double>.One), e, kahan);
    }

    /// <summary>Scalar <see cref="ExpM1NonPositive(Vector{double})"/>.</summary>
    public static double ExpM1NonPositive(double y)
    {
        double w = Math.Exp(y);
        return w == 1 ? y : w == 0 ? -1 : (w - 1) * y / Math.Log(w);
    }

    /// <summary>Scalar <see cref="Log1pSmall(Vector{double})"/>.</summary>
    public static double Log1pSmall(double e)
    {
        double w = 1 + e;
        return w == 1 ? e : Math.Log(w) * e / (w - 1);
    }
}

internal readonly struct IdentityOperator : IActivationOperator
{
    public static double Value(double x) => x;

    public static Vector<double> Value(Vector<double> x) => x;

    public static double Derivatives(double x, out double first, out double second)
    {
        first = 1;
        second = 0;
        return x;
    }

    public static Vector<double> Derivatives(Vector<double> x, out Vector<double> first, out Vector<double> second)
    {
        first = Vector<double>.One;
        second = Vector<double>.Zero;
        return x;
    }
}

internal readonly struct TanhOperator : IActivationOperator
{
    public static double Value(double x) => Math.Tanh(x);

    public static Vector<double> Value(Vector<double> x)
    {
        Vector<double> a = Vector.Abs(x);
        Vector<double> m = VectorMath.ExpM1NonPositive(a * -2.0);
        Vector<double> t = -m / (m + new Vector<double>(2.0));
        return Vector.CopySign(t, x);
    }

    public static double Derivatives(double x, out double first, out double second)
    {
        double t = Math.Tanh(x);
        double u = Math.Exp(-2 * Math.Abs(x));
        double onePlus = 1 + u;
        first = 4 * u / (onePlus * onePlus);
        second = -2 * t * first;
        return t;
    }

    public static Vector<double> Derivatives(Vector<double> x, out Vector<double> first, out Vector<double> second)
    {
        Vector<double> a = Vector.Abs(x);
        Vector<double> y = a * -2.0;
        Vector<double> m = VectorMath.ExpM1NonPositive(y, out Vector<double> u);
        Vector<double> t = Vector.CopySign(-m / (m + new Vector<double>(2.0)), x);
        Vector<double> onePlus = Vector<double>.One + u;
        first = u * 4.0 / (onePlus * onePlus);
        second = t * first * -2.0;
        return t;
    }
}

internal readonly struct SigmoidOperator : IActivationOperator
{
    public static double Value(double x)
    {
        double e = Math.Exp(-Math.Abs(x));
        return x >= 0 ? 1 / (1 + e) : e / (1 + e);
    }

    public static Vector<double> Value(Vector<double> x)
    {
        Vector<double> e = Vector.Exp(-Vector.Abs(x));
        Vector<double> r = Vector<double>.One / (Vector<double>.One + e);
        return Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<double>.Zero), r, e * r);
    }

    public static double Derivatives(double x, out double first, out double second)
    {
        double e = Math.Exp(-Math.Abs(x));
        double p = 1 / (1 + e);
        double q = e * p;
        first = p * q;
        second = first * (x >= 0 ? q - p : p - q);
        return x >= 0 ? p : q;
    }

    public static Vector<double> Derivatives(Vector<double> x, out Vector<double> first, out Vector<double> second)
    {
        Vector<double> e = Vector.Exp(-Vector.Abs(x));
        Vector<double> p = Vector<double>.One / (Vector<double>.One + e);
        Vector<double> q = e * p;
        Vector<long> positive = Vector.GreaterThanOrEqual(x, Vector<double>.Zero);
        first = p * q;
        second = first * Vector.ConditionalSelect(positive, q - p, p - q);
        return Vector.ConditionalSelect(positive, p, q);
    }
}

internal readonly struct SoftplusOperator : IActivationOperator
{
    public static double Value(double x) => Math.Max(x, 0) + VectorMath.Log1pSmall(Math.Exp(-Math.Abs(x)));

    public static Vector<double> Value(Vector<double> x) =>
        Vector.Max(x, Vector<double>.Zero) + VectorMath.Log1pSmall(Vector.Exp(-Vector.Abs(x)));

    public static double Derivatives(double x, out double first, out double second)
    {
        first = SigmoidOperator.Derivatives(x, out second, out _);
        return Value(x);
    }

    public static Vector<double> Derivatives(Vector<double> x, out Vector<double> first, out Vector<double> second)
    {
        first = SigmoidOperator.Derivatives(x, out second, out _);
        return Value(x);
    }
}

internal readonly struct SiluOperator : IActivationOperator
{
    public static double Value(double x) => x * SigmoidOperator.Value(x);

    public static Vector<double> Value(Vector<double> x) => x * SigmoidOperator.Value(x);

    public static double Derivatives(double x, out double first, out double second)
    {
        double s = SigmoidOperator.Derivatives(x, out double s1, out double s2);
        first = s + (x * s1);
        second = (2 * s1) + (x * s2);
        return x * s;
    }

    public static Vector<double> Derivatives(Vector<double> x, out Vector<double> first, out Vector<double> second)
    {
        Vector<double> s = SigmoidOperator.Derivatives(x, out Vector<double> s1, out Vector<double> s2);
        first = s + (x * s1);
        second = (s1 * 2.0) + (x * s2);
        return x * s;
    }
}

internal readonly struct ExpOperator : IActivationOperator
{
    public static double Value(double x) => Math.Exp(x);

    public static Vector<double> Value(Vector<double> x) => Vector.Exp(x);

    public static double Derivatives(double x, out double first, out double second)
    {
        double e = Math.Exp(x);
        first = e;
        second = e;
        return e;
    }

    public static Vector<double> Derivatives(Vector<double> x, out Vector<double> first, out Vector<double> second)
    {
        Vector<double> e = Vector.Exp(x);
        first = e;
        second = e;
        return e;
    }
}

internal readonly struct ReluOperator : IActivationOperator
{
    public static double Value(double x) => x > 0 ? x : 0;

    public static Vector<double> Value(Vector<double> x) => Vector.Max(x, Vector<double>.Zero);

    public static double Derivatives(double x, out double first, out double second)
    {
        first = x > 0 ? 1 : 0;
        second = 0;
        return x > 0 ? x : 0;
    }

    public static Vector<double> Derivatives(Vector<double> x, out Vector<double> first, out Vector<double> second)
    {
        Vector<long> positive = Vector.GreaterThan(x, Vector<double>.Zero);
        first = Vector.ConditionalSelect(positive, Vector<double>.One, Vector<double>.Zero);
        second = Vector<double>.Zero;
        return Vector.Max(x, Vector<double>.Zero);
    }
}
