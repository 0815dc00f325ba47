using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Spectre.Console;
using Spectre.Console.Cli;
using SuperSpace.Cli.Data;
using SuperSpace.Cli.Output;
using SuperSpace.Cli.Plots;
using SuperSpace.Simd;

namespace SuperSpace.Cli.Commands;

internal sealed class DemoSettings : CommandSettings
{
    [CommandOption("-o|--out <DIR>")]
    [Description("Folder for the plots, the data set and the trained model.")]
    [DefaultValue("superspace-demo")]
    public string Out { get; init; } = "superspace-demo";

    [CommandOption("-d|--degree <DEGREE>")]
    [Description("Degree of the Super Planes.")]
    [DefaultValue(3)]
    public int Degree { get; init; } = 3;

    [CommandOption("--seed <SEED>")]
    [Description("Seed of the data set, the initial weights and the validation split.")]
    [DefaultValue(1)]
    public int Seed { get; init; } = 1;

    public override ValidationResult Validate() =>
        Degree is < 1 or > 6 ? ValidationResult.Error($"--degree must be between 1 and 6; it is {Degree}.") : ValidationResult.Success();
}

/// <summary>
/// <c>superspace demo</c>: Friedman's benchmark #1 (Friedman 1991, "Multivariate adaptive regression splines";
/// scikit-learn's make_friedman1) with two inactive inputs. Trains an MLP by Levenberg–Marquardt, fits a Super Plane
/// directly, expands the network into Super Planes (Taylor and Chebyshev) and compares them on held-out data.
/// </summary>
internal sealed class DemoCommand : Command<DemoSettings>
{
    internal const int SampleCount = 2000;
    internal const int TestCount = 500;
    internal const int VariableCount = 7;

    private readonly CliEnvironment _environment;

    public DemoCommand(CliEnvironment environment)
    {
        _environment = environment;
    }

    /// <summary>y = 10·sin(π·x1·x2) + 20·(x3 − ½)² + 10·x4 + 5·x5 + ε, ε ~ N(0, 1), x1 … x7 ~ U[0, 1] (x6 and x7 unused).</summary>
    internal static (double[] Points, double[] Targets) Friedman1(int samples, int seed)
    {
        var random = new Random(seed);
        var points = new double[samples * VariableCount];
        var targets = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            Span<double> x = points.AsSpan(s * VariableCount, VariableCount);
            for (int i = 0; i < VariableCount; i++)
            {
                x[i] = random.NextDouble();
            }

            // Box–Muller: one standard normal from two uniforms in (0, 1].
            double noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            targets[s] = (10 * Math.Sin(Math.PI * x[0] * x[1])) + (20 * (x[2] - 0.5) * (x[2] - 0.5)) + (10 * x[3]) + (5 * x[4]) + noise;
        }

        return (points, targets);
    }

    public override int Execute(CommandContext context, DemoSettings settings, CancellationToken cancellationToken)
    {
        IAnsiConsole console = _environment.Console;
        var total = Stopwatch.StartNew();
        string[] names = [.. Enumerable.Range(1, VariableCount).Select(i => $"x{i}")];
        (double[] allPoints, double[] allTargets) = Friedman1(SampleCount, settings.Seed);
        int trainCount = SampleCount - TestCount;
        double[] trainPoints = allPoints[..(trainCount * VariableCount)];
        double[] trainTargets = allTargets[..trainCount];
        double[] testPoints = allPoints[(trainCount * VariableCount)..];
        double[] testTargets = allTargets[trainCount..];

        console.Write(new Rule("[bold]SuperSpace demo[/]").LeftJustified());
        console.MarkupLine("Friedman's benchmark #1:  [bold]y = 10·sin(π·x1·x2) + 20·(x3 − ½)² + 10·x4 + 5·x5 + ε[/],  ε ~ N(0, 1),  x1 … x7 ~ U[[0, 1]]");
        console.MarkupLine($"(x6 and x7 do not enter y).  {Format.Int(SampleCount)} samples (seed {settings.Seed}): {Format.Int(trainCount)} to train on, {Format.Int(TestCount)} held out for testing.");
        console.WriteLine();

        // 1. The network, trained by Levenberg–Marquardt (20% of the training rows for early stopping).
        Mlp network = Training.CreateNetwork(VariableCount, [12, 8], [Activation.Tanh, Activation.Tanh], 1, settings.Seed);
        console.MarkupLine($"[bold]1. Network[/] {Markup.Escape(NetworkProbe.Describe(network))} ({network.ParameterCount} parameters), trained by Levenberg–Marquardt");
        var options = new MlpTrainingOptions { MaxEpochs = 300, ValidationFraction = 0.2, MaxValidationFailures = 10, Seed = settings.Seed, CancellationToken = cancellationToken };
        (MlpTrainingResult training, List<MlpTrainingProgress> history) = Training.Run(_environment, network, trainPoints, trainTargets, options, showProgress: true);
        if (!double.IsFinite(training.TrainingMse))
        {
            throw new CliException(ExitCodes.NumericalFailure, $"training failed ({training.Status}).");
        }

        console.MarkupLine($"   {Training.StatusText(training.Status)} after {training.Epochs} epochs ({Format.Seconds(training.Elapsed)})");
        console.MarkupLine($"   training MSE {Format.G(training.TrainingMse, 4)}, validation MSE {Format.G(training.ValidationMse, 4)} (best epoch {training.BestEpoch})");

        // 2. A Super Plane fitted directly to the training data.
        var basis = new MonomialBasis(VariableCount, settings.Degree);
        var clock = Stopwatch.StartNew();
        SuperPlaneFit direct = SuperPlane.Fit(trainPoints, trainTargets, basis);
        TimeSpan fitTime = clock.Elapsed;
        console.MarkupLine($"[bold]2. Super Plane[/] of degree {settings.Degree} ({basis.TermCount} terms) fitted directly by least squares ({Format.Seconds(fitTime)}): R² = {Format.G(direct.RSquared, 5)}");

        // 3. The network expanded into Super Planes: exact Taylor polynomial at the data mean, and Chebyshev interpolants over the observed ranges.
        SuperPlaneExpansionResult taylor = Expansion.Run(network, settings.Degree, new SuperPlaneExpansionOptions { Method = ExpansionMethod.Taylor, Data = trainPoints });
        SuperPlaneExpansionResult chebyshev = Expansion.Run(network, settings.Degree, new SuperPlaneExpansionOptions { Method = ExpansionMethod.Chebyshev, Data = trainPoints });
        SuperPlaneExpansionResult projection = Expansion.Run(network, settings.Degree, new SuperPlaneExpansionOptions { Method = ExpansionMethod.Projection, Data = trainPoints });
        console.MarkupLine($"[bold]3. The network expanded[/] into Super Planes of degree {settings.Degree}: Taylor at the data mean ({Format.Seconds(taylor.Report.Elapsed)}),");
        console.MarkupLine($"   Chebyshev over each neuron's observed pre-activations ({Format.Seconds(chebyshev.Report.Elapsed)}),");
        console.MarkupLine($"   and the least-squares projection of the network's outputs on the training points ({Format.Seconds(projection.Report.Elapsed)})");
        console.WriteLine();

        // Held-out comparison.
        var networkTest = new double[TestCount];
        network.Predict(testPoints, networkTest);
        double[] Evaluate(SuperPlane plane)
        {
            var values = new double[TestCount];
            plane.Evaluate(testPoints, values);
            return values;
        }

        double[] directTest = Evaluate(direct.Plane);
        double[] taylorTest = Evaluate(taylor.Planes[0]);
        double[] chebyshevTest = Evaluate(chebyshev.Planes[0]);
        double[] projectionTest = Evaluate(projection.Planes[0]);
        double variance = Variance(testTargets);
        var comparison = new Table().Border(TableBorder.Rounded).Title($"Held-out test set ({TestCount} samples; the noise alone gives MSE ≈ 1)")
            .AddColumn("model").AddColumn(new TableColumn("size").RightAligned())
            .AddColumn(new TableColumn("test MSE").RightAligned()).AddColumn(new TableColumn("test R²").RightAligned())
            .AddColumn(new TableColumn("fidelity to the network\n(R² of plane vs network, test)").RightAligned());
        void Row(string model, string size, double[] predictions, string fidelity) =>
            comparison.AddRow(model, size, Format.G(Mse(predictions, testTargets), 4), Format.G(1 - (Mse(predictions, testTargets) / variance), 4), fidelity);
        Row("Network (Levenberg–Marquardt)", $"{network.ParameterCount} parameters", networkTest, "—");
        Row($"Super Plane fitted directly, degree {settings.Degree}", $"{basis.TermCount} terms", directTest, Format.G(Fidelity(directTest, networkTest), 4));
        Row($"Network expanded: Taylor, degree {settings.Degree}", $"{basis.TermCount} terms", taylorTest, Format.G(Fidelity(taylorTest, networkTest), 4));
        Row($"Network expanded: Chebyshev, degree {settings.Degree}", $"{basis.TermCount} terms", chebyshevTest, Format.G(Fidelity(chebyshevTest, networkTest), 4));
        Row($"Network projected: least squares, degree {settings.Degree}", $"{basis.TermCount} terms", projectionTest, Format.G(Fidelity(projectionTest, networkTest), 4));
        console.Write(comparison);
        Expansion.PrintCoverage(console, taylor.Report);
        console.WriteLine();

        // Top terms, named: which monomials carry y in each Super Plane.
        double[] directImportance = Expansion.Importance(direct.Plane, trainPoints);
        double[] chebyshevImportance = Expansion.Importance(chebyshev.Planes[0], trainPoints);
        int[] top = [.. Enumerable.Range(0, basis.TermCount).OrderByDescending(t => chebyshevImportance[t]).Take(10)];
        double directTotal = directImportance.Sum();
        double chebyshevTotal = chebyshevImportance.Sum();
        var terms = new Table().Border(TableBorder.Rounded).Title("The 10 most important terms of the expanded network (Chebyshev)")
            .Caption("importance = |coefficient| × RMS of the monomial")
            .AddColumn("term").AddColumn(new TableColumn("expanded network\ncoefficient").RightAligned()).AddColumn(new TableColumn("share").RightAligned())
            .AddColumn(new TableColumn("direct fit\ncoefficient").RightAligned()).AddColumn(new TableColumn("share").RightAligned());
        foreach (int t in top)
        {
            terms.AddRow(basis.FormatTerm(t, names), Format.G(chebyshev.Planes[0].Coefficients[t], 5), Format.Percent(chebyshevImportance[t] / chebyshevTotal),
                Format.G(direct.Plane.Coefficients[t], 5), Format.Percent(directImportance[t] / directTotal));
        }

        console.Write(terms);
        double InactiveShare(double[] importance, double sum) => Enumerable.Range(0, basis.TermCount).Where(t => UsesInactive(basis, t)).Sum(t => importance[t]) / sum;
        console.MarkupLine($"Terms involving the inactive inputs x6 or x7: {Format.Percent(InactiveShare(chebyshevImportance, chebyshevTotal))} of the importance in the expanded network, " +
            $"{Format.Percent(InactiveShare(directImportance, directTotal))} in the direct fit.");
        console.WriteLine();

        // Files: the data set and the model (to try the other commands on), and the pictures.
        string directory = settings.Out;
        var written = new List<string>
        {
            WriteCsv(Path.Combine(directory, "friedman1.csv"), names, allPoints, allTargets),
        };
        string modelPath = Path.Combine(directory, "model.json");
        ModelFile.Save(network, modelPath);
        written.Add(modelPath);
        written.Add(PlotWriter.TrainingCurve(directory, $"Training {NetworkProbe.Describe(network)} by Levenberg–Marquardt", [.. history.Select(h => (h.Epoch, h.TrainingMse, h.ValidationMse))]));
        written.AddRange(Expansion.WritePlots(directory, network, chebyshev, testPoints, names, ["y"], settings.Degree, 12,
            [($"{Expansion.MethodText(ExpansionMethod.Taylor)}, degree {settings.Degree}", taylor.Planes),
             ($"least-squares projection on the training points, degree {settings.Degree}", projection.Planes)]));
        console.MarkupLine($"[bold]Wrote[/] into {Markup.Escape(Path.GetFullPath(directory))}:");
        foreach (string file in written)
        {
            console.MarkupLine($"  {Markup.Escape(Path.GetFileName(file))}");
        }

        if (PlotWriter.FontWarning is { } warning)
        {
            _environment.Error.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        }

        console.MarkupLine($"Try: [bold]superspace expand {Markup.Escape(modelPath)} --data {Markup.Escape(written[0])} --target y --method chebyshev[/]");
        console.MarkupLine($"[grey]done in {Format.Seconds(total.Elapsed)}[/]");
        return training.Status == MlpTrainingStatus.Cancelled ? ExitCodes.Cancelled : ExitCodes.Ok;
    }

    private static bool UsesInactive(MonomialBasis basis, int term)
    {
        Span<int> exponents = stackalloc int[basis.VariableCount];
        basis.GetExponents(term, exponents);
        return exponents[5] > 0 || exponents[6] > 0;
    }

    private static double Mse(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }

        return sum / a.Length;
    }

    private static double Variance(double[] values)
    {
        double mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / values.Length;
    }

    /// <summary>R² of <paramref name="plane"/> against the network's predictions.</summary>
    private static double Fidelity(double[] plane, double[] network) => 1 - (Mse(plane, network) / Variance(network));

    private static string WriteCsv(string path, string[] names, double[] points, double[] targets)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var text = new StringBuilder();
            text.AppendLine(string.Join(',', names) + ",y");
            for (int s = 0; s < targets.Length; s++)
            {
                for (int i = 0; i < names.Length; i++)
                {
                    text.Append(points[(s * names.Length) + i].ToString("R", CultureInfo.InvariantCulture)).Append(',');
                }

                text.AppendLine(targets[s].ToString("R", CultureInfo.InvariantCulture));
            }

            File.WriteAllText(path, text.ToString());
            return path;
        }
        catch (IOException e)
        {
            throw new CliException(ExitCodes.FileError, $"cannot write {path}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CliException(ExitCodes.FileError, $"cannot write {path}: {e.Message}", e);
        }
    }
}
