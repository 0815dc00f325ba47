using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Cli;
using SuperSpace.Cli.Data;
using SuperSpace.Cli.Output;
using SuperSpace.Cli.Plots;
using SuperSpace.Simd;

namespace SuperSpace.Cli.Commands;

internal sealed class TrainSettings : DataSettings
{
    [CommandArgument(0, "<DATA>")]
    [Description("CSV file with a header row.")]
    public string Data { get; init; } = string.Empty;

    [CommandOption("--hidden <UNITS>")]
    [Description("Units of each hidden layer, comma-separated (e.g. 16,16).")]
    [DefaultValue("16")]
    public string Hidden { get; init; } = "16";

    [CommandOption("-a|--activation <NAME>")]
    [Description("Hidden-layer activation: tanh, sigmoid, softplus, relu, silu, gelu, sin, exp or identity; a comma list gives one per hidden layer.")]
    [DefaultValue("tanh")]
    public string Activation { get; init; } = "tanh";

    [CommandOption("--validation <FRACTION>")]
    [Description("Fraction of the rows held out at random for validation (early stopping; the network keeps the best validation epoch).")]
    [DefaultValue(0.2)]
    public double Validation { get; init; } = 0.2;

    [CommandOption("--seed <SEED>")]
    [Description("Seed of the initial weights (Nguyen–Widrow) and of the validation split.")]
    [DefaultValue(1)]
    public int Seed { get; init; } = 1;

    [CommandOption("--epochs <COUNT>")]
    [Description("Maximum number of epochs.")]
    [DefaultValue(1000)]
    public int Epochs { get; init; } = 1000;

    [CommandOption("--goal <MSE>")]
    [Description("Stop when the training MSE reaches this.")]
    [DefaultValue(0.0)]
    public double Goal { get; init; }

    [CommandOption("--method <METHOD>")]
    [Description("lm (Levenberg–Marquardt, like MATLAB's trainlm) or adam.")]
    [DefaultValue("lm")]
    public string Method { get; init; } = "lm";

    [CommandOption("--time-limit <SECONDS>")]
    [Description("Stop after this many seconds (the best weights so far are kept).")]
    public double? TimeLimit { get; init; }

    [CommandOption("-o|--out <FILE>")]
    [Description("Where to save the trained network (SuperSpace JSON, for superspace expand).")]
    public string? Out { get; init; }

    [CommandOption("--plots <DIR>")]
    [Description("Write PNG plots into DIR: the training curve, network vs observed targets.")]
    public string? Plots { get; init; }

    public override ValidationResult Validate()
    {
        if (TrainCommand.ParseHidden(Hidden) is null)
        {
            return ValidationResult.Error($"--hidden must list positive unit counts, e.g. 16,16; it is '{Hidden}'.");
        }

        if (TrainCommand.ParseActivations(Activation, TrainCommand.ParseHidden(Hidden)!.Length) is null)
        {
            return ValidationResult.Error($"--activation must be one of tanh, sigmoid, softplus, relu, silu, gelu, sin, exp, identity (one, or one per hidden layer); it is '{Activation}'.");
        }

        if (!(Validation >= 0 && Validation < 1))
        {
            return ValidationResult.Error("--validation must be in [0, 1).");
        }

        if (Epochs < 1)
        {
            return ValidationResult.Error("--epochs must be at least 1.");
        }

        if (!double.IsFinite(Goal) || Goal < 0)
        {
            return ValidationResult.Error("--goal must be a finite number ≥ 0.");
        }

        if (TimeLimit is { } limit && !(limit > 0 && double.IsFinite(limit)))
        {
            return ValidationResult.Error("--time-limit must be a positive number of seconds.");
        }

        return Method.ToLowerInvariant() is "lm" or "levenberg-marquardt" or "adam"
            ? ValidationResult.Success()
            : ValidationResult.Error($"--method must be lm or adam; it is '{Method}'.");
    }
}

/// <summary><c>superspace train</c>: an MLP trained by Levenberg–Marquardt on a CSV file, saved as JSON.</summary>
internal sealed class TrainCommand : Command<TrainSettings>
{
    private readonly CliEnvironment _environment;

    public TrainCommand(CliEnvironment environment)
    {
        _environment = environment;
    }

    internal static int[]? ParseHidden(string text)
    {
        string[] parts = CsvData.SplitList(text);
        var units = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out units[i]) || units[i] < 1 || units[i] > 100_000)
            {
                return null;
            }
        }

        return parts.Length == 0 ? null : units;
    }

    internal static Activation? ParseActivation(string name) => name.ToLowerInvariant() switch
    {
        "tanh" => Simd.Activation.Tanh,
        "sigmoid" or "logistic" => Simd.Activation.Sigmoid,
        "softplus" => Simd.Activation.Softplus,
        "relu" => Simd.Activation.Relu,
        "silu" or "swish" => Simd.Activation.Silu,
        "gelu" => Simd.Activation.Gelu,
        "sin" => Simd.Activation.Sin,
        "exp" => Simd.Activation.Exp,
        "identity" or "linear" => Simd.Activation.Identity,
        _ => null,
    };

    internal static Activation[]? ParseActivations(string text, int layers)
    {
        string[] names = CsvData.SplitList(text);
        if (names.Length != 1 && names.Length != layers)
        {
            return null;
        }

        var result = new Activation[layers];
        for (int l = 0; l < layers; l++)
        {
            Activation? activation = ParseActivation(names[names.Length == 1 ? 0 : l]);
            if (activation is null)
            {
                return null;
            }

            result[l] = activation;
        }

        return result;
    }

    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        CsvData data = CsvData.Read(settings.Data, CsvData.SplitList(settings.Target), CsvData.SplitList(settings.Features) is { Length: > 0 } f ? f : null);
        int[] hidden = ParseHidden(settings.Hidden)!;
        Activation[] activations = ParseActivations(settings.Activation, hidden.Length)!;
        Mlp network = Training.CreateNetwork(data.FeatureCount, hidden, activations, data.TargetCount, settings.Seed);
        var options = new MlpTrainingOptions
        {
            Method = settings.Method.Equals("adam", StringComparison.OrdinalIgnoreCase) ? TrainingMethod.Adam : TrainingMethod.LevenbergMarquardt,
            MaxEpochs = settings.Epochs,
            GoalMse = settings.Goal,
            ValidationFraction = settings.Validation,
            Seed = settings.Seed,
            TimeLimit = settings.TimeLimit is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            CancellationToken = cancellationToken,
        };

        IAnsiConsole console = _environment.Console;
        if (!settings.Json)
        {
            console.MarkupLine($"[bold]Data[/]     {Markup.Escape(data.Path)}: {Format.Int(data.RowCount)} rows; features {Markup.Escape(string.Join(", ", data.FeatureNames))}; target {Markup.Escape(string.Join(", ", data.TargetNames))}");
            console.MarkupLine($"[bold]Network[/]  {Markup.Escape(NetworkProbe.Describe(network))} ({Format.Int(network.ParameterCount)} parameters), {(options.Method == TrainingMethod.Adam ? "Adam" : "Levenberg–Marquardt")}");
        }

        (MlpTrainingResult result, List<MlpTrainingProgress> history) = Training.Run(_environment, network, data.Points, data.Targets, options, showProgress: !settings.Json);
        if (result.Status == MlpTrainingStatus.NotFinite || !double.IsFinite(result.TrainingMse))
        {
            throw new CliException(ExitCodes.NumericalFailure, $"training failed: the network's outputs are not finite ({result.Status}). Scale the data or try another --seed.");
        }

        if (settings.Out is not null)
        {
            ModelFile.Save(network, settings.Out);
        }

        var plots = new List<string>();
        if (settings.Plots is not null)
        {
            plots.Add(PlotWriter.TrainingCurve(settings.Plots, $"Training {NetworkProbe.Describe(network)} by {(options.Method == TrainingMethod.Adam ? "Adam" : "Levenberg–Marquardt")}",
                [.. history.Select(h => (h.Epoch, h.TrainingMse, h.ValidationMse))]));
            plots.Add(Training.NetworkVsObserved(settings.Plots, network, data));
        }

        if (settings.Json)
        {
            JsonObject document = Training.ToJson(data, network, result, history);
            document["model"] = settings.Out;
            document["plots"] = Json.Strings(plots);
            Json.Write(_environment, document);
        }
        else
        {
            Training.PrintResult(console, result);
            if (settings.Out is not null)
            {
                console.MarkupLine($"[grey]saved[/] {Markup.Escape(settings.Out)} (expand it with: superspace expand {Markup.Escape(settings.Out)} --data {Markup.Escape(settings.Data)} --target {Markup.Escape(string.Join(",", data.TargetNames))})");
            }

            else
            {
                console.MarkupLine("[grey]the network was not saved (--out FILE saves it)[/]");
            }

            foreach (string plot in plots)
            {
                console.MarkupLine($"[grey]wrote[/] {Markup.Escape(plot)}");
            }
        }

        return result.Status == MlpTrainingStatus.Cancelled ? ExitCodes.Cancelled : ExitCodes.Ok;
    }
}

/// <summary>Training with progress display, shared by <c>train</c> and <c>demo</c>.</summary>
internal static class Training
{
    public static Mlp CreateNetwork(int inputs, int[] hidden, Activation[] activations, int outputs, int seed)
    {
        var layers = new DenseLayer[hidden.Length + 1];
        for (int l = 0; l < hidden.Length; l++)
        {
            layers[l] = new DenseLayer(hidden[l], activations[l]);
        }

        layers[^1] = new DenseLayer(outputs, Activation.Identity);
        var network = new Mlp(inputs, layers);
        network.Initialize(seed);
        return network;
    }

    /// <summary>
    /// Trains, recording every epoch. On a terminal a live progress bar shows epoch, MSE and μ; elsewhere (pipes, CI)
    /// one line is printed every tenth of the epochs, and at least every five seconds.
    /// </summary>
    public static (MlpTrainingResult Result, List<MlpTrainingProgress> History) Run(CliEnvironment environment, Mlp network, double[] points, double[] targets,
        MlpTrainingOptions options, bool showProgress)
    {
        var history = new List<MlpTrainingProgress>();
        MlpTrainingResult result;
        try
        {
            if (showProgress && environment.IsInteractive)
            {
                result = environment.Console.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(context =>
                    {
                        ProgressTask task = context.AddTask("training", maxValue: options.MaxEpochs);
                        MlpTrainingResult r = Train(network, points, targets, options, history, p =>
                        {
                            task.Value = p.Epoch;
                            task.Description = Describe(p);
                        });
                        task.StopTask();
                        return r;
                    });
            }
            else if (showProgress)
            {
                var clock = Stopwatch.StartNew();
                TimeSpan last = TimeSpan.Zero;
                int step = Math.Max(1, options.MaxEpochs / 10);
                result = Train(network, points, targets, options, history, p =>
                {
                    if (p.Epoch % step == 0 || clock.Elapsed - last >= TimeSpan.FromSeconds(5))
                    {
                        last = clock.Elapsed;
                        environment.Console.WriteLine("  " + Describe(p));
                    }
                });
            }
            else
            {
                result = Train(network, points, targets, options, history, null);
            }
        }
        catch (ArgumentException e)
        {
            throw new CliException(ExitCodes.Usage, ModelFile.StripParameter(e.Message), e);
        }

        return (result, history);
    }

    private static MlpTrainingResult Train(Mlp network, double[] points, double[] targets, MlpTrainingOptions options, List<MlpTrainingProgress> history, Action<MlpTrainingProgress>? report)
    {
        var trainer = new MlpTrainer(options with
        {
            EpochCallback = p =>
            {
                history.Add(p);
                report?.Invoke(p);
                options.EpochCallback?.Invoke(p);
            },
        });
        return trainer.Train(network, points, targets);
    }

    private static string Describe(MlpTrainingProgress p) =>
        $"epoch {p.Epoch,4}  MSE {Format.G(p.TrainingMse, 4),-10}" +
        (double.IsNaN(p.ValidationMse) ? string.Empty : $"  validation {Format.G(p.ValidationMse, 4),-10}") +
        $"  μ {Format.G(p.Mu, 3)}";

    public static string StatusText(MlpTrainingStatus status) => status switch
    {
        MlpTrainingStatus.MaxEpochs => "reached the epoch limit",
        MlpTrainingStatus.GoalReached => "reached the MSE goal",
        MlpTrainingStatus.MinGradient => "converged (gradient below the minimum)",
        MlpTrainingStatus.MaxMu => "converged (μ at its maximum: no step reduces the error)",
        MlpTrainingStatus.ValidationStop => "stopped early (validation error stopped improving)",
        MlpTrainingStatus.TimeLimit => "reached the time limit",
        MlpTrainingStatus.Cancelled => "cancelled (best weights kept)",
        MlpTrainingStatus.NotFinite => "the outputs are not finite",
        _ => status.ToString(),
    };

    public static void PrintResult(IAnsiConsole console, MlpTrainingResult result)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(new TableColumn("").RightAligned()).HideHeaders();
        table.AddRow("stopped", StatusText(result.Status));
        table.AddRow("epochs", $"{result.Epochs} (best {result.BestEpoch})");
        table.AddRow("training MSE", Format.G(result.TrainingMse, 6));
        if (result.ValidationSampleCount > 0)
        {
            table.AddRow("validation MSE (held out)", Format.G(result.ValidationMse, 6));
        }

        table.AddRow("samples", $"{Format.Int(result.TrainingSampleCount)} training, {Format.Int(result.ValidationSampleCount)} validation");
        table.AddRow("time", Format.Seconds(result.Elapsed));
        console.Write(table);
    }

    public static string NetworkVsObserved(string directory, Mlp network, CsvData data)
    {
        int samples = Math.Min(data.RowCount, 3000);
        var predictions = new double[samples * network.OutputCount];
        network.Predict(data.Points.AsSpan(0, samples * data.FeatureCount), predictions);
        double[] predicted = [.. Enumerable.Range(0, samples).Select(s => predictions[s * network.OutputCount])];
        double[] observed = [.. Enumerable.Range(0, samples).Select(s => data.Targets[s * data.TargetCount])];
        string target = data.TargetNames[0];
        return PlotWriter.Diagonal(directory, "network-vs-observed.png", $"Network predictions of {target} on {samples:N0} rows", $"observed {target}", $"network prediction of {target}",
            [("network", observed, predicted)]);
    }

    public static JsonObject ToJson(CsvData data, Mlp network, MlpTrainingResult result, List<MlpTrainingProgress> history) => new()
    {
        ["command"] = "train",
        ["data"] = data.Path,
        ["rows"] = data.RowCount,
        ["features"] = Json.Strings(data.FeatureNames),
        ["targets"] = Json.Strings(data.TargetNames),
        ["network"] = NetworkProbe.Describe(network),
        ["parameterCount"] = network.ParameterCount,
        ["method"] = result.Method.ToString(),
        ["status"] = result.Status.ToString(),
        ["epochs"] = result.Epochs,
        ["bestEpoch"] = result.BestEpoch,
        ["trainingMse"] = Json.Number(result.TrainingMse),
        ["validationMse"] = Json.Number(result.ValidationMse),
        ["trainingSampleCount"] = result.TrainingSampleCount,
        ["validationSampleCount"] = result.ValidationSampleCount,
        ["elapsedSeconds"] = result.Elapsed.TotalSeconds,
        ["history"] = new JsonArray([.. history.Select(h => (JsonNode?)new JsonObject
        {
            ["epoch"] = h.Epoch,
            ["trainingMse"] = Json.Number(h.TrainingMse),
            ["validationMse"] = Json.Number(h.ValidationMse),
            ["mu"] = Json.Number(h.Mu),
        })]),
    };
}
