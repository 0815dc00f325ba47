using Microsoft.ML.OnnxRuntime;
using DataType = SuperSpace.Simd.Onnx.Schema.TensorProto.Types.DataType;

namespace SuperSpace.Simd.Tests.Onnx;

/// <summary>
/// ONNX models built in memory the way PyTorch and Keras export them; the imported <see cref="Mlp"/> must
/// predict what Microsoft's ONNX Runtime computes from the same bytes.
/// </summary>
public class OnnxImportTests
{
    private const int Samples = 256;

    [Test]
    public void TorchStyleGemmWithTransposedWeightsMatchesOnnxRuntime()
    {
        var g = new OnnxGraphBuilder(seed: 1);
        string x = g.Input("input", 3);
        string h = g.Node("Tanh", [g.TorchLinear(x, 3, 8, out _, out _)]);
        h = g.Node("Sigmoid", [g.TorchLinear(h, 8, 6, out _, out _)]);
        string y = g.TorchLinear(h, 6, 2, out _, out _);
        byte[] model = g.Build(y, 2);

        Mlp network = Import(model);
        Assert.That(network.InputCount, Is.EqualTo(3));
        Assert.That(network.OutputCount, Is.EqualTo(2));
        Assert.That(network.Layers.Select(l => l.Activation), Is.EqualTo(new[] { Activation.Tanh, Activation.Sigmoid, Activation.Identity }));
        Assert.That(network.Layers.Select(l => l.Units), Is.EqualTo(new[] { 8, 6, 2 }));
        Assert.That(network.InputScaling, Is.Null);
        AssertMatchesOnnxRuntime(model, network, g, scale: 2);
    }

    [Test]
    public void TorchLinearWeightsLandInTheDocumentedLayout()
    {
        var g = new OnnxGraphBuilder(seed: 2);
        string x = g.Input("input", 3);
        string y = g.TorchLinear(x, 3, 2, out double[] weights, out double[] bias);
        Mlp network = Import(g.Build(y, 2));

        // PyTorch's weight is [out, in], the same as Mlp's units × inputs, then the biases.
        Assert.That(network.Parameters.ToArray(), Is.EqualTo(weights.Concat(bias).ToArray()));
    }

    [Test]
    public void KerasStyleMatMulAddMatchesOnnxRuntime()
    {
        var g = new OnnxGraphBuilder(seed: 3);
        string x = g.Input("dense_input", 4);
        string h = g.Node("Relu", [g.KerasDense(x, 4, 10)]);
        h = g.Node("Softplus", [g.KerasDense(h, 10, 5)]);
        string y = g.Node("Identity", [g.KerasDense(h, 5, 1)]);
        byte[] model = g.Build(y, 1);

        Mlp network = Import(model);
        Assert.That(network.Layers.Select(l => l.Activation), Is.EqualTo(new[] { Activation.Relu, Activation.Softplus, Activation.Identity }));
        AssertMatchesOnnxRuntime(model, network, g, scale: 2);
    }

    [Test]
    public void GemmWithoutTransposeAlphaBetaAndRowBiasMatchesOnnxRuntime()
    {
        var g = new OnnxGraphBuilder(seed: 4, rawData: false);
        string x = g.Input("x", 2);
        string w = g.Initializer([2, 5], g.RandomValues(10));
        string b = g.Initializer([1, 5], g.RandomValues(5));
        string h = g.Node("Gemm", [x, w, b], "dense0", OnnxGraphBuilder.Float("alpha", 0.75f), OnnxGraphBuilder.Float("beta", -1.5f));
        h = g.Node("Tanh", [h]);
        string w1 = g.Initializer([3, 5], g.RandomValues(15));
        string y = g.Node("Gemm", [h, w1], "dense1", OnnxGraphBuilder.Int("transB", 1));
        byte[] model = g.Build(y, 3);

        Mlp network = Import(model);
        Assert.That(network.Layers.Select(l => l.Units), Is.EqualTo(new[] { 5, 3 }));
        AssertMatchesOnnxRuntime(model, network, g, scale: 3);
    }

    [Test]
    public void InputAndOutputScalingNodesBecomeFeatureScalings()
    {
        // A scikit-learn-like pipeline: (x − mean)/std, the network, then y·σ_y + μ_y.
        var g = new OnnxGraphBuilder(seed: 5);
        string x = g.Input("x", 3);
        double[] mean = [g.Round(10.5), g.Round(-3.25), g.Round(1000)];
        double[] std = [g.Round(2.5), g.Round(0.125), g.Round(300)];
        string centred = g.Node("Sub", [x, g.Initializer([3], mean)]);
        string scaled = g.Node("Div", [centred, g.ConstantNode([1, 3], std)]);
        string h = g.Node("Tanh", [g.TorchLinear(scaled, 3, 7, out _, out _)]);
        string z = g.TorchLinear(h, 7, 1, out _, out _);
        string stretched = g.Node("Mul", [z, g.Initializer([], [g.Round(40)])]);
        string y = g.Node("Add", [g.Initializer([1], [g.Round(-7.5)]), stretched]);
        byte[] model = g.Build(y, 1);

        Mlp network = Import(model);
        Assert.That(network.InputScaling, Is.Not.Null);
        Assert.That(network.InputScaling!.Offset.ToArray(), Is.EqualTo(mean), "Sub(mean) is the offset, exactly");
        Assert.That(network.InputScaling.Scale.ToArray(), Is.EqualTo(std.Select(s => 1 / s).ToArray()));
        Assert.That(network.Layers.Count, Is.EqualTo(2), "the output affine is not a layer");
        Assert.That(network.OutputScaling, Is.Not.Null);
        Assert.That(network.OutputScaling!.Offset[0], Is.EqualTo(-7.5));
        Assert.That(network.OutputScaling.Scale[0], Is.EqualTo(1 / 40.0));
        // Raw inputs where the data would be: mean ± 2 std per column (the scaled inputs are then O(1), as in training).
        double[] points = g.RandomValues(Samples * 3, 2).Select((u, k) => (double)(float)(mean[k % 3] + (std[k % 3] * u))).ToArray();
        AssertMatchesOnnxRuntime(model, network, points);
    }

    [Test]
    public void ScalarInputScalingBeforeAnUnknownWidthIsBroadcast()
    {
        var g = new OnnxGraphBuilder(seed: 6);
        string x = g.Input("x", 0); // the feature dimension is symbolic
        string s = g.Node("Mul", [g.Initializer([], [g.Round(0.5)]), x]);
        s = g.Node("Sub", [g.Initializer([], [g.Round(2)]), s]); // 2 − x/2: the constant first
        string y = g.Node("Sigmoid", [g.TorchLinear(s, 4, 3, out _, out _)]);
        byte[] model = g.Build(y, 3);

        Mlp network = Import(model);
        Assert.That(network.InputCount, Is.EqualTo(4));
        Assert.That(network.InputScaling!.Scale.ToArray(), Is.EqualTo(new[] { -0.5, -0.5, -0.5, -0.5 }));
        AssertMatchesOnnxRuntime(model, network, g, scale: 3);
    }

    [Test]
    public void AffineNodesInsideAndBetweenLayersAreFoldedIntoTheWeights()
    {
        var g = new OnnxGraphBuilder(seed: 7);
        string x = g.Input("x", 3);
        string z = g.Node("MatMul", [x, g.Initializer([3, 6], g.RandomValues(18))]);
        z = g.Node("Mul", [z, g.Initializer([6], g.RandomValues(6, 2))]);     // per-unit gain inside the layer
        z = g.Node("Sub", [z, g.Initializer([1, 6], g.RandomValues(6))]);     // bias as Sub
        string h = g.Node("Tanh", [z]);
        h = g.Node("Div", [h, g.Initializer([], [g.Round(0.25)])]);           // between layers
        h = g.Node("Add", [h, g.Initializer([6], g.RandomValues(6))]);
        h = g.Node("Dropout", [h]);
        string y = g.Node("Relu", [g.TorchLinear(h, 6, 2, out _, out _)]);
        byte[] model = g.Build(y, 2);

        Mlp network = Import(model);
        Assert.That(network.Layers.Select(l => l.Activation), Is.EqualTo(new[] { Activation.Tanh, Activation.Relu }));
        Assert.That(network.InputScaling, Is.Null);
        Assert.That(network.OutputScaling, Is.Null);
        AssertMatchesOnnxRuntime(model, network, g, scale: 2);
    }

    [Test]
    public void DoubleModelsMatchOnnxRuntimeToDoubleRounding()
    {
        var g = new OnnxGraphBuilder(seed: 8, DataType.Double);
        string x = g.Input("x", 3);
        string h = g.Node("Tanh", [g.TorchLinear(x, 3, 9, out _, out _)]);
        h = g.Node("Sigmoid", [g.KerasDense(h, 9, 4)]);
        string y = g.TorchLinear(h, 4, 2, out _, out _);
        byte[] model = g.Build(y, 2);

        Mlp network = Import(model);
        double[] points = g.RandomValues(Samples * 3, 2);
        double[] expected = RunDouble(model, points, 3);
        var actual = new double[expected.Length];
        network.Predict(points, actual);
        AssertClose(actual, expected, network.OutputCount, 1e-13);
    }

    [Test]
    public void UnsupportedOperatorIsNamedWithItsNode()
    {
        var g = new OnnxGraphBuilder(seed: 9);
        string x = g.Input("x", 3);
        string h = g.TorchLinear(x, 3, 4, out _, out _);
        h = g.Node("LeakyRelu", [h], "act_leaky");
        byte[] model = g.Build(h, 4);

        var e = Assert.Throws<NotSupportedException>(() => Import(model));
        Assert.That(e!.Message, Does.Contain("LeakyRelu 'act_leaky'"));
    }

    [Test]
    public void BranchingGraphIsRejectedNamingTheNodes()
    {
        var g = new OnnxGraphBuilder(seed: 10);
        string x = g.Input("x", 2);
        string h = g.TorchLinear(x, 2, 2, out _, out _);
        string a = g.Node("Tanh", [h], "left");
        string b = g.Node("Sigmoid", [h], "right");
        string y = g.Node("Add", [a, b], "merge");
        byte[] model = g.Build(y, 2);

        var e = Assert.Throws<NotSupportedException>(() => Import(model));
        Assert.That(e!.Message, Does.Contain("Tanh 'left'").And.Contain("Sigmoid 'right'"));
    }

    [Test]
    public void ResidualAddOfTwoComputedTensorsIsRejected()
    {
        var g = new OnnxGraphBuilder(seed: 11);
        string x = g.Input("x", 2);
        string h = g.Node("Tanh", [g.TorchLinear(x, 2, 2, out _, out _)], "t");
        string y = g.Node("Mul", [h, x], "gate");
        byte[] model = g.Build(y, 2);

        var e = Assert.Throws<NotSupportedException>(() => Import(model));
        Assert.That(e!.Message, Does.Contain("'t'").Or.Contain("Mul 'gate'"));
    }

    [Test]
    public void ActivationWithoutALinearLayerIsRejected()
    {
        var g = new OnnxGraphBuilder(seed: 12);
        string x = g.Input("x", 2);
        string h = g.Node("Tanh", [x], "squash_inputs");
        string y = g.TorchLinear(h, 2, 1, out _, out _);
        var e = Assert.Throws<NotSupportedException>(() => Import(g.Build(y, 1)));
        Assert.That(e!.Message, Does.Contain("Tanh 'squash_inputs'").And.Contain("must follow a linear layer"));
    }

    [Test]
    public void WeightsFromAComputedTensorAreRejected()
    {
        var g = new OnnxGraphBuilder(seed: 13);
        string x = g.Input("x", 2);
        string w = g.Input("w", 2);
        string y = g.Node("MatMul", [x, w], "mm");
        var e = Assert.Throws<NotSupportedException>(() => Import(g.Build(y, 2)));
        Assert.That(e!.Message, Does.Contain("2 data inputs"));
    }

    [Test]
    public void ShapeMismatchIsInvalidData()
    {
        var g = new OnnxGraphBuilder(seed: 14);
        string x = g.Input("x", 3);
        string y = g.TorchLinear(x, 4, 1, out _, out _);
        var e = Assert.Throws<InvalidDataException>(() => Import(g.Build(y, 1)));
        Assert.That(e!.Message, Does.Contain("expects 4 inputs").And.Contain("3 columns"));
    }

    [Test]
    public void GarbageIsInvalidData()
    {
        byte[] bytes = [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3];
        Assert.Throws<InvalidDataException>(() => Import(bytes));
        Assert.Throws<InvalidDataException>(() => Import([]));
    }

    [Test]
    public void FileOverloadReadsTheFile()
    {
        var g = new OnnxGraphBuilder(seed: 15);
        string x = g.Input("x", 2);
        string y = g.Node("Tanh", [g.TorchLinear(x, 2, 3, out _, out _)]);
        byte[] model = g.Build(y, 3);
        string path = Path.Combine(Path.GetTempPath(), $"superspace-onnx-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, model);
        try
        {
            Mlp network = OnnxImport.Load(path);
            Assert.That(network.Parameters.ToArray(), Is.EqualTo(Import(model).Parameters.ToArray()));
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Throws<FileNotFoundException>(() => OnnxImport.Load(path));
    }

    private static Mlp Import(byte[] model)
    {
        using var stream = new MemoryStream(model);
        return OnnxImport.Load(stream);
    }

    /// <summary>
    /// Float model: inputs exactly representable in float go to both; ONNX Runtime computes in float, we in double,
    /// so the difference is the runtime's float rounding: within 1e-6 of the output's magnitude.
    /// </summary>
    private static void AssertMatchesOnnxRuntime(byte[] model, Mlp network, OnnxGraphBuilder g, double scale) =>
        AssertMatchesOnnxRuntime(model, network, g.RandomValues(Samples * network.InputCount, scale));

    private static void AssertMatchesOnnxRuntime(byte[] model, Mlp network, double[] points)
    {
        double[] expected = RunFloat(model, points, network.InputCount);
        var actual = new double[expected.Length];
        network.Predict(points, actual);
        AssertClose(actual, expected, network.OutputCount, 1e-6);
    }

    /// <summary>
    /// Norm-wise relative agreement per output column: max over samples of |actual − expected| within
    /// <paramref name="relative"/> × max over samples of |expected| (an element-wise relative test cannot hold where an
    /// output crosses zero: there the float runtime's absolute rounding error dominates any relative measure).
    /// </summary>
    private static void AssertClose(double[] actual, double[] expected, int outputCount, double relative)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        int samples = expected.Length / outputCount;
        for (int j = 0; j < outputCount; j++)
        {
            double scale = 0, worst = 0;
            for (int k = 0; k < samples; k++)
            {
                scale = Math.Max(scale, Math.Abs(expected[(k * outputCount) + j]));
                worst = Math.Max(worst, Math.Abs(actual[(k * outputCount) + j] - expected[(k * outputCount) + j]));
            }

            TestContext.Out.WriteLine($"output {j}: max |difference| {worst:E2}, max |output| {scale:E2}, ratio {worst / scale:E2}");
            Assert.That(scale, Is.GreaterThan(0), "a constant-zero output tests nothing");
            Assert.That(worst, Is.LessThanOrEqualTo(relative * scale), $"output {j}");
        }
    }

    private static double[] RunFloat(byte[] model, double[] points, int inputCount)
    {
        using var session = new InferenceSession(model);
        float[] data = points.Select(p => (float)p).ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(data, [data.Length / inputCount, inputCount]);
        using var options = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(options, [session.InputNames[0]], [input], session.OutputNames);
        return results[0].GetTensorDataAsSpan<float>().ToArray().Select(v => (double)v).ToArray();
    }

    private static double[] RunDouble(byte[] model, double[] points, int inputCount)
    {
        using var session = new InferenceSession(model);
        double[] data = (double[])points.Clone();
        using var input = OrtValue.CreateTensorValueFromMemory(data, [data.Length / inputCount, inputCount]);
        using var options = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(options, [session.InputNames[0]], [input], session.OutputNames);
        return results[0].GetTensorDataAsSpan<double>().ToArray();
    }
}
