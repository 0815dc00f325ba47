// Per-variable standardisation for fitting: z_j = (x_j − c_j) / s_j with c the mean and s the
// population standard deviation (one pass, shifted by the first sample: Σ(x − x₀) and Σ(x − x₀)²,
// which is accurate while the spread is not tiny against |mean − x₀|). Without the constant term the
// centre must stay 0 (centring would create a constant), and s is the root mean square instead. A
// variable with zero spread keeps s = 1, so its column becomes exactly 0 (centred) and the fit reports
// the rank deficiency instead of dividing by zero. Cost: 3 flops per entry.
namespace SuperSpace.Simd.Polynomials;

internal static class Standardization
{
    public static void Compute(ReadOnlySpan<double> points, int variableCount, bool centre, Span<double> center, Span<double> spread)
    {
        int v = variableCount;
        int n = points.Length / v;
        Span<double> shift = v <= 256 ? stackalloc double[v] : new double[v];
        Span<double> s1 = v <= 256 ? stackalloc double[v] : new double[v];
        Span<double> s2 = v <= 256 ? stackalloc double[v] : new double[v];
        s1.Clear();
        s2.Clear();
        if (centre && n > 0)
        {
            points[..v].CopyTo(shift);
        }
        else
        {
            shift.Clear();
        }

        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> row = points.Slice(i * v, v);
            for (int j = 0; j < v; j++)
            {
                double d = row[j] - shift[j];
                s1[j] += d;
                s2[j] += d * d;
            }
        }

        for (int j = 0; j < v; j++)
        {
            if (!centre)
            {
                center[j] = 0;
                double rms = n > 0 ? Math.Sqrt(s2[j] / n) : 0;
                spread[j] = rms > 0 && double.IsFinite(rms) ? rms : 1.0;
                continue;
            }

            double meanShift = s1[j] / n;
            double variance = Math.Max(0, (s2[j] / n) - (meanShift * meanShift));
            center[j] = shift[j] + meanShift;
            double sd = Math.Sqrt(variance);
            spread[j] = sd > 0 && double.IsFinite(sd) ? sd : 1.0;
        }
    }
}
