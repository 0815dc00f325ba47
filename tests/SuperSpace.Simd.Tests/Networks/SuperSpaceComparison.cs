using System.Globalization;

namespace SuperSpace.Simd.Tests.Networks;

/// <summary>One model's line in the comparison: held-out MSE and, for expansions, fidelity to the network.</summary>
internal sealed record ComparisonRow(string Model, int Degree, int Coefficients, double TestMse, double FidelityMse, double FidelityRSquared)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"| {Model} | {(Degree > 0 ? Degree.ToString(CultureInfo.InvariantCulture) : "–")} | {Coefficients:N0} | {TestMse:G4} | {(double.IsNaN(FidelityMse) ? "–" : FidelityMse.ToString("G3", CultureInfo.InvariantCulture))} | {(double.IsNaN(FidelityRSquared) ? "–" : FidelityRSquared.ToString("F5", CultureInfo.InvariantCulture))} |");
}

/// <summary>
/// The Super Space comparison (issue 7, section 3): on the same split, (a) an LM-trained MLP, (b) a Super Plane
/// fitted directly to the data at degree 2–4, (c) the Super Plane expansion of the trained MLP at the same degrees —
/// held-out MSE of each and the fidelity of (c) to (a) on the held-out points.
/// </summary>
internal static class SuperSpaceComparison
{
    public const int InputsFriedman = 10;

    public static IReadOnlyList<ComparisonRow> Run(
        double[] trainX, double[] trainY, double[] testX, double[] testY, int inputs, Mlp network, MlpTrainingOptions options, int[] degrees,
        out MlpTrainingResult training)
    {
        var rows = new List<ComparisonRow>();
        training = new MlpTrainer(options).Train(network, trainX, trainY);
        var networkTest = new double[testY.Length];
        network.Predict(testX, networkTest);
        rows.Add(new ComparisonRow($"(a) MLP {Describe(network)}, {options.Method}", 0, network.ParameterCount, Mse(networkTest, testY), double.NaN, double.NaN));

        foreach (int degree in degrees)
        {
            var basis = new MonomialBasis(inputs, degree);
            double[] direct = DirectFit(trainX, trainY, basis, testX);
            rows.Add(new ComparisonRow("(b) Super Plane fitted directly", degree, basis.TermCount, Mse(direct, testY), double.NaN, double.NaN));
        }

        foreach (int degree in degrees)
        {
            SuperPlane plane = SuperPlaneExpansion.Expand(network, degree, new SuperPlaneExpansionOptions { Method = ExpansionMethod.Chebyshev, Data = trainX })[0];
            var expanded = new double[testY.Length];
            plane.Evaluate(testX, expanded);
            double fidelity = Mse(expanded, networkTest);
            rows.Add(new ComparisonRow("(c) expansion of (a), Chebyshev", degree, plane.Basis.TermCount, Mse(expanded, testY), fidelity, 1 - (fidelity / Variance(networkTest))));
        }

        return rows;
    }

    /// <summary>The diabetes data shipped in data/diabetes (442 × 10, response y).</summary>
    public static (double[] X, double[] Y) LoadDiabetes()
    {
        string path = Path.Combine(RepositoryRoot(), "data", "diabetes", "diabetes.csv");
        string[] lines = File.ReadAllLines(path);
        var x = new List<double>();
        var y = new List<double>();
        foreach (string line in lines.Skip(1))
        {
            string[] fields = line.Split(',');
            for (int j = 0; j < 10; j++)
            {
                x.Add(double.Parse(fields[j], CultureInfo.InvariantCulture));
            }

            y.Add(double.Parse(fields[10], CultureInfo.InvariantCulture));
        }

        return (x.ToArray(), y.ToArray());
    }

    /// <summary>A seeded random split of rows into (train, test).</summary>
    public static (double[] TrainX, double[] TrainY, double[] TestX, double[] TestY) Split(double[] x, double[] y, int inputs, int testCount, int seed)
    {
        int n = y.Length;
        int[] order = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(order);
        double[] Pick(double[] source, int width, IEnumerable<int> rows) => rows.SelectMany(r => source.Skip(r * width).Take(width)).ToArray();
        int[] test = order[..testCount];
        int[] train = order[testCount..];
        return (Pick(x, inputs, train), Pick(y, 1, train), Pick(x, inputs, test), Pick(y, 1, test));
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SuperSpace.Simd.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (with SuperSpace.Simd.sln) is not above " + AppContext.BaseDirectory);
    }

    /// <summary>The Super Plane fitted directly by <see cref="SuperPlane.Fit(ReadOnlySpan{double}, ReadOnlySpan{double}, MonomialBasis, SuperPlaneFitOptions?)"/> (minimum-norm when there are more terms than samples), evaluated at <paramref name="testX"/>.</summary>
    public static double[] DirectFit(double[] trainX, double[] trainY, MonomialBasis basis, double[] testX)
    {
        SuperPlaneFit fit = SuperPlane.Fit(trainX, trainY, basis, new SuperPlaneFitOptions { ComputeStandardErrors = false });
        var predicted = new double[testX.Length / basis.VariableCount];
        fit.Plane.Evaluate(testX, predicted);
        return predicted;
    }

    public static double Mse(double[] predicted, double[] actual)
    {
        double sum = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double d = predicted[i] - actual[i];
            sum += d * d;
        }

        return sum / actual.Length;
    }

    private static double Variance(double[] values)
    {
        double mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / values.Length;
    }

    private static string Describe(Mlp network) =>
        network.InputCount.ToString(CultureInfo.InvariantCulture) + "-" + string.Join("-", network.Layers.Select(l => l.Units.ToString(CultureInfo.InvariantCulture))) + " " + network.Layers[0].Activation.Name;
}
