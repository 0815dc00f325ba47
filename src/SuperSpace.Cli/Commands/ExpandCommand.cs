using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Cli;
using SuperSpace.Cli.Data;
using SuperSpace.Cli.Output;
using SuperSpace.Cli.Plots;
using SuperSpace.Simd;

namespace SuperSpace.Cli.Commands;

internal sealed class ExpandSettings : DataSettings
{
    [CommandArgument(0, "<MODEL>")]
    [Description("The network: a SuperSpace JSON model (superspace train --out) or an ONNX file (*.onnx).")]
    public string Model { get; init; } = string.Empty;

    [CommandOption("-d|--degree <DEGREE>")]
    [Description("Degree of the Super Planes.")]
    [DefaultValue(3)]
    public int Degree { get; init; } = 3;

    [CommandOption("-m|--method <METHOD>")]
    [Description("taylor (exact Taylor polynomial at the data mean), taylor-fixed (nn2poly: every activation's series at 0), chebyshev (interpolants over the observed pre-activation ranges) or projection (least-squares plane of the network's outputs on the data).")]
    [DefaultValue("taylor")]
    public string Method { get; init; } = "taylor";

    [CommandOption("--data <CSV>")]
    [Description("Points for the centre, the intervals and the fidelity report (feature columns = the model's inputs). Without it, points are sampled from the input box.")]
    public string? Data { get; init; }

    [CommandOption("--names <NAMES>")]
    [Description("Variable names for the terms, comma-separated (default: the data's feature columns, else x0, x1, …).")]
    public string? Names { get; init; }

    [CommandOption("--top <COUNT>")]
    [Description("How many of the most important terms to list per output.")]
    [DefaultValue(10)]
    public int Top { get; init; } = 10;

    [CommandOption("--plots <DIR>")]
    [Description("Write PNG plots into DIR: network vs Super Plane, each layer's activation with its approximations, term importance.")]
    public string? Plots { get; init; }

    public override ValidationResult Validate()
    {
        if (Degree < 0 || Degree > 30)
        {
            return ValidationResult.Error($"--degree must be between 0 and 30; it is {Degree}.");
        }

        if (Top < 1)
        {
            return ValidationResult.Error("--top must be at least 1.");
        }

        return ExpandCommand.ParseMethod(Method) is null
            ? ValidationResult.Error($"--method must be taylor, taylor-fixed, chebyshev or projection; it is '{Method}'.")
            : ValidationResult.Success();
    }
}

/// <summary><c>superspace expand</c>: a network's Super Planes and how faithful they are.</summary>
internal sealed class ExpandCommand : Command<ExpandSettings>
{
    private readonly CliEnvironment _environment;

    public ExpandCommand(CliEnvironment environment)
    {
        _environment = environment;
    }

    internal static ExpansionMethod? ParseMethod(string text) => text.ToLowerInvariant() switch
    {
        "taylor" => ExpansionMethod.Taylor,
        "taylor-fixed" or "taylorfixed" or "nn2poly" => ExpansionMethod.TaylorFixedCentre,
        "chebyshev" => ExpansionMethod.Chebyshev,
        "projection" => ExpansionMethod.Projection,
        _ => null,
    };

    public override int Execute(CommandContext context, ExpandSettings settings, CancellationToken cancellationToken)
    {
        Mlp network = ModelFile.Load(settings.Model);
        CsvData? data = null;
        if (settings.Data is not null)
        {
            data = CsvData.Read(settings.Data, CsvData.SplitList(settings.Target), CsvData.SplitList(settings.Features) is { Length: > 0 } f ? f : null, targetsRequired: false);
            if (data.FeatureCount != network.InputCount)
            {
                throw new CliException(ExitCodes.IncompatibleModel,
                    $"{settings.Model} takes {network.InputCount} input(s), but {settings.Data} has {data.FeatureCount} feature column(s) ({string.Join(", ", data.FeatureNames)}); choose them with --features and --target.");
            }

            if (data.TargetCount != 0 && data.TargetCount != network.OutputCount)
            {
                throw new CliException(ExitCodes.IncompatibleModel,
                    $"{settings.Model} has {network.OutputCount} output(s), but --target names {data.TargetCount} column(s).");
            }
        }

        string[] names = VariableNames(settings, network, data);
        string[] outputs = data is { TargetCount: > 0 } ? data.TargetNames : [.. Enumerable.Range(0, network.OutputCount).Select(o => network.OutputCount == 1 ? "y" : $"y{o}")];
        ExpansionMethod method = ParseMethod(settings.Method)!.Value;
        var options = new SuperPlaneExpansionOptions
        {
            Method = method,
            Data = data?.Points ?? ReadOnlyMemory<double>.Empty,
            TopTermCount = settings.Top,
        };

        SuperPlaneExpansionResult result = Expansion.Run(network, settings.Degree, options);
        double[] points = data?.Points ?? SampledPoints(network, options);
        List<string> plots = settings.Plots is null ? [] : Expansion.WritePlots(settings.Plots, network, result, points, names, outputs, settings.Degree, settings.Top);

        if (settings.Json)
        {
            JsonObject document = Expansion.ToJson(settings.Model, network, result, names, outputs, data, points);
            document["plots"] = Json.Strings(plots);
            Json.Write(_environment, document);
        }
        else
        {
            Expansion.Print(_environment.Console, settings.Model, network, result, names, outputs, data, points, settings.Top);
            foreach (string plot in plots)
            {
                _environment.Console.MarkupLine($"[grey]wrote[/] {Markup.Escape(plot)}");
            }
        }

        return ExitCodes.Ok;
    }

    private static double[] SampledPoints(Mlp network, SuperPlaneExpansionOptions options)
    {
        (double[] lower, double[] upper) = NetworkProbe.DefaultBox(network);
        return NetworkProbe.SampleBox(lower, upper, Math.Min(options.SampleCount, 2000), options.Seed);
    }

    private static string[] VariableNames(ExpandSettings settings, Mlp network, CsvData? data)
    {
        string[] names = CsvData.SplitList(settings.Names);
        if (names.Length > 0)
        {
            if (names.Length != network.InputCount)
            {
                throw new CliException(ExitCodes.Usage, $"--names gives {names.Length} name(s); the model has {network.InputCount} input(s).");
            }

            return names;
        }

        return data?.FeatureNames ?? [.. Enumerable.Range(0, network.InputCount).Select(i => $"x{i}")];
    }
}
