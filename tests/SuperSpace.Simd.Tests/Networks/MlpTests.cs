namespace SuperSpace.Simd.Tests.Networks;

[TestFixture]
public sealed class MlpTests
{
    [Test]
    public void ParametersFollowTheDocumentedLayout()
    {
        // 2 inputs – 3 tanh – 1 identity: W1 (3×2 row-major), b1 (3), W2 (1×3), b2 (1).
        var network = new Mlp(2, new DenseLayer(3, Activation.Tanh), new DenseLayer(1, Activation.Identity));
        Assert.That(network.ParameterCount, Is.EqualTo(13));
        double[] p = [0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.01, 0.02, 0.03, 1.0, -2.0, 0.5, 0.25];
        p.CopyTo(network.Parameters);
        double[] x = [0.7, -1.1];
        double h0 = Math.Tanh((0.1 * 0.7) + (-0.2 * -1.1) + 0.01);
        double h1 = Math.Tanh((0.3 * 0.7) + (0.4 * -1.1) + 0.02);
        double h2 = Math.Tanh((-0.5 * 0.7) + (0.6 * -1.1) + 0.03);
        double expected = (1.0 * h0) + (-2.0 * h1) + (0.5 * h2) + 0.25;
        var y = new double[1];
        network.Predict(x, y);
        Assert.That(y[0], Is.EqualTo(expected).Within(1e-15));
    }

    [Test]
    public void NguyenWidrowInitialisationIsDeterministicAndScaled()
    {
        var a = new Mlp(4, new DenseLayer(10, Activation.Tanh), new DenseLayer(2, Activation.Identity));
        var b = new Mlp(4, new DenseLayer(10, Activation.Tanh), new DenseLayer(2, Activation.Identity));
        Assert.That(a.Parameters.ToArray(), Is.EqualTo(b.Parameters.ToArray()), "seed 0 in the constructor");
        b.Initialize(1);
        Assert.That(a.Parameters.ToArray(), Is.Not.EqualTo(b.Parameters.ToArray()));
        b.Initialize(0);
        Assert.That(a.Parameters.ToArray(), Is.EqualTo(b.Parameters.ToArray()));

        double beta = 0.7 * Math.Pow(10, 1.0 / 4);
        for (int j = 0; j < 10; j++)
        {
            double norm = Math.Sqrt(Enumerable.Range(0, 4).Sum(i => Math.Pow(a.Parameters[(j * 4) + i], 2)));
            Assert.That(norm, Is.EqualTo(beta).Within(1e-12));
            Assert.That(Math.Abs(a.Parameters[40 + j]), Is.LessThanOrEqualTo(beta));
        }
    }

    [Test]
    public void BatchedPredictEqualsOneSampleAtATimeAcrossTiles()
    {
        var network = new Mlp(3, new DenseLayer(7, Activation.Sigmoid), new DenseLayer(5, Activation.Gelu), new DenseLayer(2, Activation.Identity));
        network.Initialize(3);
        var random = new Random(1);
        const int samples = 150; // crosses the 64-sample tiles
        double[] x = Enumerable.Range(0, samples * 3).Select(_ => (random.NextDouble() * 4) - 2).ToArray();
        var batch = new double[samples * 2];
        network.Predict(x, batch);
        var one = new double[2];
        for (int s = 0; s < samples; s++)
        {
            network.Predict(x.AsSpan(s * 3, 3), one);
            Assert.That(batch.AsSpan(s * 2, 2).ToArray(), Is.EqualTo(one).Within(1e-15));
            Assert.That(one[0], Is.EqualTo(Reference(network, x.AsSpan(s * 3, 3))[0]).Within(1e-13));
        }
    }

    [Test]
    public void ScalingIsAppliedInsidePredict()
    {
        var network = new Mlp(2, new DenseLayer(4, Activation.Tanh), new DenseLayer(1, Activation.Identity));
        double[] x = [10, 200, -5, 150];
        var scaled = new double[4];
        var y = new double[2];
        var yScaled = new double[2];
        network.Predict([0.5, -0.25, -1, 0.0], yScaled);
        network.InputScaling = new FeatureScaling([2.5, 175], [0.2, 0.01]);
        network.OutputScaling = new FeatureScaling([100], [0.5]);
        network.InputScaling.Apply(x, scaled);
        Assert.That(scaled, Is.EqualTo(new[] { 1.5, 0.25, -1.5, -0.25 }).Within(1e-15));
        network.Predict([5, 150, -2.5, 175], y);
        // raw output = scaled output / 0.5 + 100.
        Assert.That(y, Is.EqualTo(yScaled.Select(v => (v / 0.5) + 100).ToArray()).Within(1e-12));
        Assert.That(() => network.InputScaling = new FeatureScaling([1], [1]), Throws.ArgumentException);
    }

    [Test]
    public void MinMaxAndStandardisationScalings()
    {
        double[] data = [1, 10, 3, 10, 2, 10];
        FeatureScaling minMax = FeatureScaling.MinMax(data, 2);
        var scaled = new double[6];
        minMax.Apply(data, scaled);
        Assert.That(scaled, Is.EqualTo(new double[] { -1, 0, 1, 0, 0, 0 }).Within(1e-15));
        var back = new double[6];
        minMax.Invert(scaled, back);
        Assert.That(back, Is.EqualTo(data).Within(1e-14));
        FeatureScaling standard = FeatureScaling.Standardize(data, 2);
        Assert.That(standard.Offset.ToArray(), Is.EqualTo(new double[] { 2, 10 }));
        Assert.That(standard.Scale[0], Is.EqualTo(1 / Math.Sqrt(2.0 / 3)).Within(1e-15));
    }

    [Test]
    public void JsonRoundTripsExactly()
    {
        var network = new Mlp(3, new DenseLayer(4, Activation.Softplus), new DenseLayer(3, Activation.Polynomial([0.1, 1, -0.3333333333333333])), new DenseLayer(2, Activation.Identity));
        network.Initialize(42);
        network.Parameters[5] = 1.0 / 3;
        network.InputScaling = new FeatureScaling([0.1, 0.2, 0.3], [1.0 / 7, 2, 3]);
        network.OutputScaling = new FeatureScaling([-1, 1e-300], [5, 1e300]);
        string json = network.ToJson();
        Mlp back = Mlp.FromJson(json);
        Assert.Multiple(() =>
        {
            Assert.That(back.InputCount, Is.EqualTo(3));
            Assert.That(back.Layers.Select(l => l.Units), Is.EqualTo(new[] { 4, 3, 2 }));
            Assert.That(back.Layers.Select(l => l.Activation), Is.EqualTo(network.Layers.Select(l => l.Activation)));
            Assert.That(back.Parameters.ToArray(), Is.EqualTo(network.Parameters.ToArray()), "bit-exact");
            Assert.That(back.InputScaling, Is.EqualTo(network.InputScaling));
            Assert.That(back.OutputScaling, Is.EqualTo(network.OutputScaling));
            Assert.That(back.ToJson(), Is.EqualTo(json));
        });

        using var stream = new MemoryStream();
        network.Save(stream);
        stream.Position = 0;
        Assert.That(Mlp.Load(stream).Parameters.ToArray(), Is.EqualTo(network.Parameters.ToArray()));
    }

    [Test]
    public void JsonErrorsNameTheProblem()
    {
        string good = new Mlp(2, new DenseLayer(1, Activation.Tanh)).ToJson();
        Assert.Multiple(() =>
        {
            Assert.That(() => Mlp.FromJson("{"), Throws.ArgumentException.With.Message.Contains("JSON"));
            Assert.That(() => Mlp.FromJson(good.Replace("\"tanh\"", "\"swoosh\"", StringComparison.Ordinal)), Throws.ArgumentException.With.Message.Contains("swoosh"));
            Assert.That(() => Mlp.FromJson(good.Replace("\"version\": 1", "\"version\": 9", StringComparison.Ordinal)), Throws.ArgumentException.With.Message.Contains("version"));
            Assert.That(() => Mlp.FromJson(good.Replace("\"inputCount\": 2", "\"inputCount\": 3", StringComparison.Ordinal)), Throws.ArgumentException.With.Message.Contains("parameters"));
        });
    }

    [Test]
    public void PredictValidatesItsArguments()
    {
        var network = new Mlp(2, new DenseLayer(3, Activation.Relu), new DenseLayer(1, Activation.Identity));
        var destination = new double[2];
        Assert.Multiple(() =>
        {
            Assert.That(() => network.Predict(new double[3], destination), Throws.ArgumentException);
            Assert.That(() => network.Predict(new double[4], new double[3]), Throws.ArgumentException);
            Assert.That(() => network.Predict([0, 1, double.NaN, 2], destination), Throws.ArgumentException.With.Message.Contains("sample 1"));
            Assert.That(destination, Is.EqualTo(new double[2]), "nothing written on failure");
            Assert.That(() => new Mlp(0, new DenseLayer(1, Activation.Tanh)), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new Mlp(2), Throws.ArgumentException);
            Assert.That(() => new DenseLayer(0, Activation.Tanh), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void PredictAllocatesNothing()
    {
        var network = new Mlp(5, new DenseLayer(16, Activation.Tanh), new DenseLayer(8, Activation.Sigmoid), new DenseLayer(1, Activation.Identity));
        var x = new double[500 * 5];
        var y = new double[500];
        network.Predict(x, y);
        long before = GC.GetAllocatedBytesForCurrentThread();
        network.Predict(x, y);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    /// <summary>Plain forward pass from the documented layout.</summary>
    internal static double[] Reference(Mlp network, ReadOnlySpan<double> x)
    {
        double[] a = x.ToArray();
        int offset = 0;
        foreach (DenseLayer layer in network.Layers)
        {
            var next = new double[layer.Units];
            int inputs = a.Length;
            for (int j = 0; j < layer.Units; j++)
            {
                double z = network.Parameters[offset + (layer.Units * inputs) + j];
                for (int i = 0; i < inputs; i++)
                {
                    z += network.Parameters[offset + (j * inputs) + i] * a[i];
                }

                next[j] = layer.Activation.Evaluate(z);
            }

            offset += layer.Units * (inputs + 1);
            a = next;
        }

        return a;
    }
}
