// Double-double arithmetic: a value is the unevaluated sum Hi + Lo with |Lo| ≤ ulp(Hi)/2, about
// 106 significant bits. Error-free transformations: TwoSum (Knuth, 6 flops) and TwoProduct with a
// fused multiply-add (2 flops). Used where a result must be correct to the last bit of a double
// after heavy cancellation (the affine change of variables of a polynomial), never in hot loops.
using System.Runtime.CompilerServices;

namespace SuperSpace.Simd.Polynomials;

internal readonly struct DoubleDouble
{
    public readonly double Hi;
    public readonly double Lo;

    public DoubleDouble(double hi, double lo = 0)
    {
        Hi = hi;
        Lo = lo;
    }

    public static DoubleDouble One => new(1.0);

    /// <summary>The nearest double to Hi + Lo.</summary>
    public double Value => Hi + Lo;

    /// <summary>s + e = a + b exactly (Knuth's TwoSum, no branch on magnitudes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble TwoSum(double a, double b)
    {
        double s = a + b;
        double bb = s - a;
        double e = (a - (s - bb)) + (b - bb);
        return new DoubleDouble(s, e);
    }

    /// <summary>s + e = a + b exactly, given |a| ≥ |b| or a = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DoubleDouble QuickTwoSum(double a, double b)
    {
        double s = a + b;
        return new DoubleDouble(s, b - (s - a));
    }

    /// <summary>p + e = a·b exactly (barring underflow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleDouble TwoProduct(double a, double b)
    {
        double p = a * b;
        return new DoubleDouble(p, Math.FusedMultiplyAdd(a, b, -p));
    }

    public static DoubleDouble operator +(DoubleDouble a, DoubleDouble b)
    {
        // Accurate addition (Shewchuk/QD "ieee add"): both parts summed error-free.
        DoubleDouble s = TwoSum(a.Hi, b.Hi);
        DoubleDouble t = TwoSum(a.Lo, b.Lo);
        DoubleDouble u = QuickTwoSum(s.Hi, s.Lo + t.Hi);
        return QuickTwoSum(u.Hi, u.Lo + t.Lo);
    }

    public static DoubleDouble operator -(DoubleDouble a) => new(-a.Hi, -a.Lo);

    public static DoubleDouble operator -(DoubleDouble a, DoubleDouble b) => a + (-b);

    public static DoubleDouble operator *(DoubleDouble a, DoubleDouble b)
    {
        DoubleDouble p = TwoProduct(a.Hi, b.Hi);
        double lo = p.Lo + ((a.Hi * b.Lo) + (a.Lo * b.Hi));
        return QuickTwoSum(p.Hi, lo);
    }

    public static DoubleDouble operator *(DoubleDouble a, double b)
    {
        DoubleDouble p = TwoProduct(a.Hi, b);
        return QuickTwoSum(p.Hi, Math.FusedMultiplyAdd(a.Lo, b, p.Lo));
    }

    public static DoubleDouble operator /(DoubleDouble a, DoubleDouble b)
    {
        // Two Newton-style correction steps of the quotient (QD's accurate division).
        double q1 = a.Hi / b.Hi;
        DoubleDouble r = a - (b * q1);
        double q2 = r.Hi / b.Hi;
        r -= b * q2;
        double q3 = r.Hi / b.Hi;
        DoubleDouble q = QuickTwoSum(q1, q2);
        return q + new DoubleDouble(q3);
    }

    /// <summary>xᵏ by binary powering, k ≥ 0 (relative error a few units of 2⁻¹⁰⁶·log₂k).</summary>
    public static DoubleDouble Pow(DoubleDouble x, int k)
    {
        DoubleDouble result = One;
        DoubleDouble power = x;
        while (k > 0)
        {
            if ((k & 1) != 0)
            {
                result *= power;
            }

            k >>= 1;
            if (k > 0)
            {
                power *= power;
            }
        }

        return result;
    }
}
