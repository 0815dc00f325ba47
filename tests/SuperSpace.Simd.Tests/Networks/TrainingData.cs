namespace SuperSpace.Simd.Tests.Networks;

/// <summary>Data sets for the training tests and benchmarks (seeded, reproducible).</summary>
internal static class TrainingSets
{
    /// <summary>n equally spaced points on [−π, π] and sin at them.</summary>
    public static (double[] Points, double[] Targets) Sine(int n)
    {
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = -Math.PI + (2 * Math.PI * i / (n - 1));
            y[i] = Math.Sin(x[i]);
        }

        return (x, y);
    }

    /// <summary>
    /// Friedman #1 (Friedman 1991; sklearn make_friedman1): 10 inputs uniform on [0, 1], 5 informative,
    /// y = 10·sin(π·x0·x1) + 20·(x2 − ½)² + 10·x3 + 5·x4 + noise·N(0, 1).
    /// </summary>
    public static (double[] Points, double[] Targets) Friedman1(int n, double noise, int seed)
    {
        var random = new Random(seed);
        var x = new double[n * 10];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 10; j++)
            {
                x[(i * 10) + j] = random.NextDouble();
            }

            y[i] = Friedman1Mean(x.AsSpan(i * 10, 10)) + (noise * Normal(random));
        }

        return (x, y);
    }

    /// <summary>The noise-free Friedman #1 function.</summary>
    public static double Friedman1Mean(ReadOnlySpan<double> x) =>
        (10 * Math.Sin(Math.PI * x[0] * x[1])) + (20 * (x[2] - 0.5) * (x[2] - 0.5)) + (10 * x[3]) + (5 * x[4]);

    /// <summary>A standard normal deviate (Box–Muller).</summary>
    public static double Normal(Random random)
    {
        double u1 = 1 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static double Mse(Mlp network, double[] points, double[] targets)
    {
        var predicted = new double[targets.Length];
        network.Predict(points, predicted);
        double sum = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            double d = predicted[i] - targets[i];
            sum += d * d;
        }

        return sum / targets.Length;
    }
}
