using System.Globalization;

namespace SuperSpace.Simd.Tests.Solvers.Problems;

/// <summary>
/// Double-double arithmetic (an unevaluated sum hi + lo, ~32 significant digits) for evaluating residuals
/// whose size is far below the rounding error of double arithmetic on the data (Lanczos1: residuals ~1e-13
/// on data ~1). Error-free transformations: TwoSum (Knuth), TwoProd via fused multiply-add.
/// </summary>
internal readonly record struct DoubleDouble(double Hi, double Lo)
{
    public static implicit operator DoubleDouble(double value) => new(value, 0);

    public double ToDouble() => Hi + Lo;

    private static DoubleDouble TwoSum(double a, double b)
    {
        double s = a + b;
        double bb = s - a;
        return new(s, (a - (s - bb)) + (b - bb));
    }

    private static DoubleDouble QuickTwoSum(double a, double b)
    {
        double s = a + b;
        return new(s, b - (s - a));
    }

    private static DoubleDouble TwoProd(double a, double b)
    {
        double p = a * b;
        return new(p, Math.FusedMultiplyAdd(a, b, -p));
    }

    public static DoubleDouble operator +(DoubleDouble a, DoubleDouble b)
    {
        var s = TwoSum(a.Hi, b.Hi);
        var t = TwoSum(a.Lo, b.Lo);
        var u = QuickTwoSum(s.Hi, s.Lo + t.Hi);
        return QuickTwoSum(u.Hi, u.Lo + t.Lo);
    }

    public static DoubleDouble operator -(DoubleDouble a) => new(-a.Hi, -a.Lo);

    public static DoubleDouble operator -(DoubleDouble a, DoubleDouble b) => a + (-b);

    public static DoubleDouble operator *(DoubleDouble a, DoubleDouble b)
    {
        var p = TwoProd(a.Hi, b.Hi);
        double lo = p.Lo + ((a.Hi * b.Lo) + (a.Lo * b.Hi));
        return QuickTwoSum(p.Hi, lo);
    }

    public static DoubleDouble operator /(DoubleDouble a, double b)
    {
        double q1 = a.Hi / b;
        var p = TwoProd(q1, b);
        double r = ((a.Hi - p.Hi) - p.Lo) + a.Lo;
        return QuickTwoSum(q1, r / b);
    }

    private static readonly DoubleDouble Ln2 = new(0.6931471805599453, 2.3190468138462996e-17);

    /// <summary>e^a to ~30 digits: a = k·ln2 + r, e^r by Taylor on r/1024, squared 10 times, scaled by 2^k.</summary>
    public static DoubleDouble Exp(DoubleDouble a)
    {
        double k = Math.Round(a.Hi / Ln2.Hi);
        DoubleDouble r = a - (Ln2 * k);
        DoubleDouble s = new(Math.ScaleB(r.Hi, -10), Math.ScaleB(r.Lo, -10));

        // e^s − 1 by Horner (|s| ≤ 3.4e-4, 10 terms reach 1e-40), kept as an offset from 1 while squaring.
        DoubleDouble term = 1;
        for (int i = 12; i >= 1; i--)
        {
            term = (term * s / i) + 1;
        }

        DoubleDouble em1 = term - 1;
        for (int i = 0; i < 10; i++)
        {
            // (1 + x)² − 1 = 2x + x²
            em1 = em1 + em1 + (em1 * em1);
        }

        DoubleDouble e = em1 + 1;
        int power = (int)k;
        return new(Math.ScaleB(e.Hi, power), Math.ScaleB(e.Lo, power));
    }

    /// <summary>
    /// A decimal literal (NIST's data) as a double-double: mantissa M (≤ 2^53, exact) over 10^scale (≤ 10^22, exact),
    /// divided in double-double. Falls back to the nearest double when the literal does not fit.
    /// </summary>
    public static DoubleDouble ParseDecimal(string text)
    {
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal value))
        {
            return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        int[] bits = decimal.GetBits(value);
        int scale = (bits[3] >> 16) & 0xFF;
        bool negative = bits[3] < 0;
        ulong low = (uint)bits[0] | ((ulong)(uint)bits[1] << 32);
        if (bits[2] != 0 || low > (1UL << 53) || scale > 22)
        {
            return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        double mantissa = negative ? -(double)low : low;
        return new DoubleDouble(mantissa, 0) / Math.Pow(10, scale);
    }
}
