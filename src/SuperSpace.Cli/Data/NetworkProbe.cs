using SuperSpace.Simd;

namespace SuperSpace.Cli.Data;

/// <summary>Looks inside a network through its public API: pre-activations of a layer, structure text, sampling box.</summary>
internal static class NetworkProbe
{
    /// <summary>
    /// The pre-activations z = W·a + b of layer <paramref name="layer"/> at every point (sampleCount × units): the
    /// network truncated after that layer, with the identity in place of its activation, predicts exactly them.
    /// </summary>
    public static double[] PreActivations(Mlp network, int layer, ReadOnlySpan<double> points)
    {
        var layers = new DenseLayer[layer + 1];
        int parameterCount = 0;
        int inputs = network.InputCount;
        for (int l = 0; l <= layer; l++)
        {
            DenseLayer source = network.Layers[l];
            layers[l] = l == layer ? new DenseLayer(source.Units, Activation.Identity) : source;
            parameterCount += source.Units * (inputs + 1);
            inputs = source.Units;
        }

        var truncated = new Mlp(network.InputCount, layers) { InputScaling = network.InputScaling };
        network.Parameters[..parameterCount].CopyTo(truncated.Parameters);
        int samples = points.Length / network.InputCount;
        var z = new double[samples * network.Layers[layer].Units];
        truncated.Predict(points, z);
        return z;
    }

    /// <summary>"3 → 16 tanh → 16 tanh → 1 identity".</summary>
    public static string Describe(Mlp network) =>
        $"{network.InputCount} → " + string.Join(" → ", network.Layers.Select(l => $"{l.Units} {l.Activation.Name}"));

    /// <summary>
    /// The box points are sampled from when there is no data: the raw image of [−1, 1] under the network's input
    /// scaling (the range a min–max-scaled network was trained on), else [−1, 1].
    /// </summary>
    public static (double[] Lower, double[] Upper) DefaultBox(Mlp network)
    {
        int n = network.InputCount;
        double[] lower = [.. Enumerable.Repeat(-1.0, n)];
        double[] upper = [.. Enumerable.Repeat(1.0, n)];
        if (network.InputScaling is { } scaling)
        {
            var a = new double[n];
            var b = new double[n];
            scaling.Invert(lower, a);
            scaling.Invert(upper, b);
            for (int i = 0; i < n; i++)
            {
                lower[i] = Math.Min(a[i], b[i]);
                upper[i] = Math.Max(a[i], b[i]);
            }
        }

        return (lower, upper);
    }

    /// <summary>Uniform points in the box, deterministic in <paramref name="seed"/>.</summary>
    public static double[] SampleBox(double[] lower, double[] upper, int count, int seed)
    {
        var random = new Random(seed);
        var points = new double[count * lower.Length];
        for (int k = 0; k < points.Length; k++)
        {
            int i = k % lower.Length;
            points[k] = lower[i] + ((upper[i] - lower[i]) * random.NextDouble());
        }

        return points;
    }
}
