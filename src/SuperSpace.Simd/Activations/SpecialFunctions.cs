// erf and erfc to a few ulps, from two classical expansions (Abramowitz & Stegun 7.1.6 and 7.1.14):
//   |x| < 0.8:  erf x = (2/√π) e^{−x²} Σ_{n≥0} 2ⁿ x^{2n+1} / (1·3·5⋯(2n+1))
//               (every term positive, so no cancellation; at most 30 terms)
//   x ≥ 0.8:    erfc x = (e^{−x²}/√π) · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
//               (modified Lentz; fewer than 300 steps)
// e^{−x²} is computed as e^{−xh²}·e^{−(x−xh)(x+xh)} with xh = x rounded to 26 bits, so xh² is
// exact and the large exponent carries no rounding error.
namespace SuperSpace.Simd.Activations;

internal static class SpecialFunctions
{
    private const double TwoOverSqrtPi = 1.1283791670955125738961589031215452;
    private const double OneOverSqrtPi = 0.56418958354775628694807945156077259;
    private const double Sqrt2 = 1.4142135623730950488016887242096981;
    private const double SeriesLimit = 0.8;

    /// <summary>Error function.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        double ax = Math.Abs(x);
        double result = ax < SeriesLimit ? ErfSeries(ax) : 1 - ErfcFraction(ax);
        return x < 0 ? -result : result;
    }

    /// <summary>Complementary error function 1 − erf(x), accurate in relative terms for large x.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        if (x >= SeriesLimit)
        {
            return ErfcFraction(x);
        }

        if (x <= -SeriesLimit)
        {
            return 2 - ErfcFraction(-x);
        }

        return 1 - (x < 0 ? -ErfSeries(-x) : ErfSeries(x));
    }

    /// <summary>Standard normal cumulative distribution Φ(x) = erfc(−x/√2)/2.</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x / Sqrt2);

    /// <summary>e^{−x²} without the rounding error of forming x² (x ≥ 0).</summary>
    public static double ExpMinusSquare(double x)
    {
        if (x > 40)
        {
            return 0;
        }

        double high = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) & unchecked((long)0xFFFFFFFFF8000000UL));
        return Math.Exp(-high * high) * Math.Exp(-(x - high) * (x + high));
    }

    private static double ErfSeries(double x)
    {
        // x ≥ 0, x < 0.8.
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++)
        {
            term *= 2 * x2 / ((2 * n) + 1);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return TwoOverSqrtPi * ExpMinusSquare(x) * sum;
    }

    private static double ErfcFraction(double x)
    {
        // x ≥ 0.8. erfc x = (e^{−x²}/√π) / (x + a1/(x + a2/(x + …))), a_k = k/2.
        if (x > 27.3)
        {
            return 0; // below the smallest subnormal
        }

        const double Tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int k = 1; k < 1000; k++)
        {
            double a = 0.5 * k;
            d = x + (a * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = x + (a / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return OneOverSqrtPi * ExpMinusSquare(x) / f;
    }
}
