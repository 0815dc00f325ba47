using System.Buffers.Binary;
using System.Text.Json.Nodes;
using SuperSpace.Cli;
using SuperSpace.Simd.Tests.Onnx;

namespace SuperSpace.Simd.Tests.Cli;

/// <summary>The superspace commands end to end, in-process: results against independent answers, errors and exit codes.</summary>
[NonParallelizable]
public class CliCommandTests
{
    [Test]
    public void FitRecoversAnExactPolynomialAsJson()
    {
        using var dir = new CliRunner();
        var random = new Random(7);
        var rows = new List<double[]>();
        for (int i = 0; i < 60; i++)
        {
            double a = (4 * random.NextDouble()) - 2, b = (4 * random.NextDouble()) - 2;
            rows.Add([a, b, 1 + (2 * a) - (3 * b * b) + (0.5 * a * b)]);
        }

        string csv = dir.WriteCsv("poly.csv", "a,b,y", rows);
        CliRunner.Result result = CliRunner.Run("fit", csv, "--target", "y", "--degree", "2", "--json");
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Ok), result.ToString());
        JsonNode output = result.Json["outputs"]![0]!;
        Assert.That((double)output["rSquared"]!, Is.EqualTo(1).Within(1e-12));
        JsonArray terms = output["terms"]!.AsArray();
        Assert.That(terms.Select(t => (string)t!["name"]!), Is.EqualTo(new[] { "1", "a", "b", "a^2", "a*b", "b^2" }));
        double[] expected = [1, 2, 0, 0, 0.5, -3];
        for (int t = 0; t < expected.Length; t++)
        {
            Assert.That((double)terms[t]!["coefficient"]!, Is.EqualTo(expected[t]).Within(1e-10), (string)terms[t]!["name"]!);
        }
    }

    [Test]
    public void FitPrintsATableOfTermsWithStandardErrors()
    {
        using var dir = new CliRunner();
        var random = new Random(8);
        string csv = dir.WriteCsv("lin.csv", "x,noise_free,y", Enumerable.Range(0, 40).Select(i =>
        {
            double x = i / 10.0;
            return new[] { x, 2 * x, 3 - x + (0.1 * (random.NextDouble() - 0.5)) };
        }));
        CliRunner.Result result = CliRunner.Run("fit", csv, "--target", "y", "--features", "x", "--degree", "1");
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Ok), result.ToString());
        Assert.That(result.Output, Does.Contain("R² = ").And.Contain("std. error").And.Contain("│ x "));
        Assert.That(result.Error, Is.Empty);
    }

    [Test]
    public void TrainSavesTheModelItReports()
    {
        using var dir = new CliRunner();
        var random = new Random(9);
        string csv = dir.WriteCsv("train.csv", "a,b,y", Enumerable.Range(0, 120).Select(_ =>
        {
            double a = (2 * random.NextDouble()) - 1, b = (2 * random.NextDouble()) - 1;
            return new[] { a, b, Math.Sin(2 * a) + (0.5 * b) };
        }));
        string model = dir.PathOf("model.json");
        CliRunner.Result result = CliRunner.Run("train", csv, "--target", "y", "--hidden", "5", "--validation", "0", "--epochs", "40", "--seed", "3", "--out", model, "--json");
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Ok), result.ToString());
        JsonNode json = result.Json;
        Assert.That((string)json["network"]!, Is.EqualTo("2 → 5 tanh → 1 identity"));
        Assert.That(json["history"]!.AsArray().Count, Is.EqualTo((int)json["epochs"]! + 1), "epoch 0 and every epoch after it");

        // The reported training MSE is the saved network's MSE on the data, recomputed here independently.
        Mlp network;
        using (FileStream stream = File.OpenRead(model))
        {
            network = Mlp.Load(stream);
        }

        double[] points = [.. File.ReadAllLines(csv).Skip(1).SelectMany(l => l.Split(',').Take(2).Select(double.Parse))];
        double[] targets = [.. File.ReadAllLines(csv).Skip(1).Select(l => double.Parse(l.Split(',')[2]))];
        var predictions = new double[targets.Length];
        network.Predict(points, predictions);
        double mse = predictions.Zip(targets, (p, y) => (p - y) * (p - y)).Average();
        Assert.That((double)json["trainingMse"]!, Is.EqualTo(mse).Within(1e-9).Percent);
        Assert.That(mse, Is.LessThan(0.01), "40 LM epochs fit sin(2a) + b/2 with 5 tanh units");
    }

    [Test]
    public void ExpandGivesTheExactPolynomialOfAPolynomialNetwork()
    {
        // y = 2·(z + z²) − 1 with z = 0.5a − b + 0.25, i.e. −0.375 + 1.5a − 3b + 0.5a² − 2ab + 2b² (expanded by hand).
        using var dir = new CliRunner();
        var network = new Mlp(2, new DenseLayer(1, Activation.Polynomial([0, 1, 1])), new DenseLayer(1, Activation.Identity));
        double[] parameters = [0.5, -1, 0.25, 2, -1];
        parameters.CopyTo(network.Parameters);
        string model = dir.Write("poly.json", network.ToJson());

        CliRunner.Result result = CliRunner.Run("expand", model, "--degree", "2", "--names", "a,b", "--json");
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Ok), result.ToString());
        JsonArray terms = result.Json["planes"]![0]!["terms"]!.AsArray();
        Assert.That(terms.Select(t => (string)t!["name"]!), Is.EqualTo(new[] { "1", "a", "b", "a^2", "a*b", "b^2" }));
        double[] expected = [-0.375, 1.5, -3, 0.5, -2, 2];
        for (int t = 0; t < expected.Length; t++)
        {
            Assert.That((double)terms[t]!["coefficient"]!, Is.EqualTo(expected[t]).Within(1e-12), (string)terms[t]!["name"]!);
        }

        Assert.That((double)result.Json["fidelity"]![0]!["maxAbsoluteError"]!, Is.LessThan(1e-12));
    }

    [Test]
    public void ExpandReadsOnnxModelsAndReportsAgainstTheData()
    {
        using var dir = new CliRunner();
        var g = new OnnxGraphBuilder(seed: 21);
        string x = g.Input("input", 2);
        string h = g.Node("Tanh", [g.TorchLinear(x, 2, 3, out _, out _)]);
        string y = g.TorchLinear(h, 3, 1, out _, out _);
        string model = dir.PathOf("net.onnx");
        File.WriteAllBytes(model, g.Build(y, 1));
        var random = new Random(4);
        string csv = dir.WriteCsv("d.csv", "p,q,target", Enumerable.Range(0, 50).Select(_ => new[] { random.NextDouble() - 0.5, random.NextDouble() - 0.5, random.NextDouble() }));

        CliRunner.Result result = CliRunner.Run("expand", model, "--degree", "3", "--method", "chebyshev", "--data", csv, "--target", "target");
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Ok), result.ToString());
        Assert.That(result.Output, Does.Contain("2 → 3 tanh → 1 identity").And.Contain("50 points of").And.Contain("p*q").And.Contain("MSE(plane, target)"));
    }

    [Test]
    public void PlotsArePngFilesOfTheDocumentedSize()
    {
        using var dir = new CliRunner();
        var network = new Mlp(2, new DenseLayer(4, Activation.Tanh), new DenseLayer(3, Activation.Sigmoid), new DenseLayer(1, Activation.Identity));
        string model = dir.Write("m.json", network.ToJson());
        string plots = dir.PathOf("plots");
        CliRunner.Result result = CliRunner.Run("expand", model, "--plots", plots);
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Ok), result.ToString());
        string[] files = [.. Directory.GetFiles(plots).Select(Path.GetFileName).Order()!];
        Assert.That(files, Is.EqualTo(new[] { "activation-layer1.png", "activation-layer2.png", "network-vs-superplane.png", "term-importance.png" }));
        foreach (string file in Directory.GetFiles(plots))
        {
            byte[] png = File.ReadAllBytes(file);
            Assert.That(png.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), file);
            Assert.That(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), Is.EqualTo(1000), file);
            Assert.That(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)), Is.EqualTo(640), file);
            Assert.That(png.Length, Is.GreaterThan(10_000), $"{file} has content");
        }
    }

    [Test]
    public void DemoPrintsTheComparisonAndWritesItsFiles()
    {
        using var dir = new CliRunner();
        string output = dir.PathOf("demo");
        CliRunner.Result result = CliRunner.Run("demo", "--out", output);
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Ok), result.ToString());
        Assert.That(result.Output, Does.Contain("Held-out test set").And.Contain("Network (Levenberg–Marquardt)")
            .And.Contain("Super Plane fitted directly").And.Contain("Network expanded: Chebyshev").And.Contain("Network projected").And.Contain("x1*x2"));
        string[] files = [.. Directory.GetFiles(output).Select(Path.GetFileName).Order()!];
        Assert.That(files, Is.EqualTo(new[]
        {
            "activation-layer1.png", "activation-layer2.png", "friedman1.csv", "model.json", "network-vs-superplane.png", "term-importance.png", "training-curve.png",
        }));

        // The files it writes are inputs for the other commands.
        CliRunner.Result expand = CliRunner.Run("expand", Path.Combine(output, "model.json"), "--data", Path.Combine(output, "friedman1.csv"), "--target", "y", "--json");
        Assert.That(expand.ExitCode, Is.EqualTo(ExitCodes.Ok), expand.ToString());
        Assert.That((int)expand.Json["sampleCount"]!, Is.EqualTo(2000));
    }

    [Test]
    public void FriedmanDataFollowsItsFormula()
    {
        (double[] points, double[] targets) = SuperSpace.Cli.Commands.DemoCommand.Friedman1(4000, 5);
        double sum = 0, sumSquares = 0;
        for (int s = 0; s < targets.Length; s++)
        {
            ReadOnlySpan<double> x = points.AsSpan(s * 7, 7);
            double f = (10 * Math.Sin(Math.PI * x[0] * x[1])) + (20 * (x[2] - 0.5) * (x[2] - 0.5)) + (10 * x[3]) + (5 * x[4]);
            double noise = targets[s] - f;
            sum += noise;
            sumSquares += noise * noise;
            Assert.That(x.ToArray(), Has.All.InRange(0.0, 1.0));
        }

        // The residual is the N(0, 1) noise: mean within 4 standard errors of 0, variance within 4 standard errors of 1.
        double mean = sum / targets.Length;
        double variance = (sumSquares / targets.Length) - (mean * mean);
        Assert.That(mean, Is.EqualTo(0).Within(4 / Math.Sqrt(targets.Length)));
        Assert.That(variance, Is.EqualTo(1).Within(4 * Math.Sqrt(2.0 / targets.Length)));
    }

    [TestCase("fit|{dir}/missing.csv|--target|y", ExitCodes.FileError, "file not found")]
    [TestCase("fit|{bad}|--target|y", ExitCodes.BadData, "line 3, column 2 ('y'): 'oops' is not a number")]
    [TestCase("fit|{good}|--target|z", ExitCodes.BadData, "unknown target column 'z'")]
    [TestCase("train|{nan}|--target|y", ExitCodes.BadData, "NaN is not a finite number")]
    [TestCase("expand|{model}|--data|{wide}", ExitCodes.IncompatibleModel, "takes 2 input(s), but")]
    [TestCase("expand|{garbage}", ExitCodes.IncompatibleModel, "Not a valid JSON document")]
    [TestCase("expand|{onnx}", ExitCodes.IncompatibleModel, "Unsupported node LeakyRelu 'leaky'")]
    [TestCase("expand|{dir}/none.onnx", ExitCodes.FileError, "file not found")]
    [TestCase("expand|{model}|--degree|-1", ExitCodes.Usage, "--degree must be between 0 and 30")]
    [TestCase("fit|{good}|--target|y|--method|lu", ExitCodes.Usage, "--method must be auto, qr or normal")]
    [TestCase("fit|{good}", ExitCodes.Usage, "--target")]
    [TestCase("fit|{good}|--target|y|--colour", ExitCodes.Usage, "colour")]
    [TestCase("train|{good}|--target|y|--hidden|4,x", ExitCodes.Usage, "--hidden must list positive unit counts")]
    [TestCase("solve", ExitCodes.Usage, "solve")]
    public void ErrorsAreOneLineWithTheirExitCode(string arguments, int exitCode, string message)
    {
        using var dir = new CliRunner();
        var files = new Dictionary<string, string>
        {
            ["{dir}"] = dir.Directory,
            ["{bad}"] = dir.Write("bad.csv", "a,y\n1,2\n3,oops\n"),
            ["{good}"] = dir.Write("good.csv", "a,b,y\n1,2,3\n4,5,6\n7,8,10\n"),
            ["{nan}"] = dir.Write("nan.csv", "a,y\n1,2\nNaN,3\n"),
            ["{wide}"] = dir.Write("wide.csv", "a,b,c\n1,2,3\n"),
            ["{model}"] = dir.Write("m.json", new Mlp(2, new DenseLayer(2, Activation.Tanh), new DenseLayer(1, Activation.Identity)).ToJson()),
            ["{garbage}"] = dir.Write("g.json", "{ not json"),
            ["{onnx}"] = WriteUnsupportedOnnx(dir),
        };
        string[] args = [.. arguments.Split('|').Select(a => files.Aggregate(a, (s, f) => s.Replace(f.Key, f.Value, StringComparison.Ordinal)))];

        CliRunner.Result result = CliRunner.Run(args);
        Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.ToString());
        Assert.That(result.Error, Does.StartWith("error: ").And.Contain(message), result.ToString());
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line");
        Assert.That(result.Error + result.Output, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public void HelpListsTheCommands()
    {
        CliRunner.Result result = CliRunner.Run("--help");
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Ok));
        Assert.That(result.Output, Does.Contain("fit").And.Contain("train").And.Contain("expand").And.Contain("demo"));
    }

    private static string WriteUnsupportedOnnx(CliRunner dir)
    {
        var g = new OnnxGraphBuilder(seed: 1);
        string x = g.Input("x", 2);
        string y = g.Node("LeakyRelu", [g.TorchLinear(x, 2, 1, out _, out _)], "leaky");
        string path = dir.PathOf("bad.onnx");
        File.WriteAllBytes(path, g.Build(y, 1));
        return path;
    }
}
