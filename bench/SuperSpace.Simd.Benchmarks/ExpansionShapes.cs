namespace SuperSpace.Simd.Benchmarks;

/// <summary>The five networks of the nn2poly comparison (issue 6), with weights uniform in [−0.3, 0.3].</summary>
public static class ExpansionShapes
{
    /// <summary>Name → (inputs, hidden layers as (units, activation), degree, nn2poly time in ms, nn2poly max error).</summary>
    public static readonly (string Name, int Inputs, (int Units, Activation Activation)[] Hidden, int Degree, double Nn2polyMs, double Nn2polyMaxError)[] All =
    [
        ("3-4t-1", 3, [(4, Activation.Tanh)], 3, 0.093, 4.1e-4),
        ("4-8t-6s-1", 4, [(8, Activation.Tanh), (6, Activation.Sigmoid)], 3, 0.39, 1.4e-3),
        ("10-64t-64t-1", 10, [(64, Activation.Tanh), (64, Activation.Tanh)], 3, 19.6, 0.33),
        ("20-128t-1", 20, [(128, Activation.Tanh)], 4, 326, 0.43),
        ("6-32tx3-1", 6, [(32, Activation.Tanh), (32, Activation.Tanh), (32, Activation.Tanh)], 8, 11300, 0.097),
    ];

    public static (Mlp Network, int Degree) Build(string name, int seed = 1)
    {
        var shape = All.Single(s => s.Name == name);
        var layers = shape.Hidden.Select(h => new DenseLayer(h.Units, h.Activation)).Append(new DenseLayer(1, Activation.Identity)).ToArray();
        var network = new Mlp(shape.Inputs, layers);
        var random = new Random(seed);
        for (int i = 0; i < network.ParameterCount; i++)
        {
            network.Parameters[i] = (random.NextDouble() * 0.6) - 0.3;
        }

        return (network, shape.Degree);
    }

    public static double[] UniformPoints(int count, int variables, int seed)
    {
        var random = new Random(seed);
        var points = new double[count * variables];
        for (int i = 0; i < points.Length; i++)
        {
            points[i] = (random.NextDouble() * 2) - 1;
        }

        return points;
    }
}
