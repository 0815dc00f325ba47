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

internal sealed class FitSettings : DataSettings
{
    [CommandArgument(0, "<DATA>")]
    [Description("CSV file with a header row.")]
    public string Data { get; init; } = string.Empty;

    [CommandOption("-d|--degree <DEGREE>")]
    [Description("Total degree of the polynomial.")]
    [DefaultValue(3)]
    public int Degree { get; init; } = 3;

    [CommandOption("--ridge <LAMBDA>")]
    [Description("Ridge penalty λ·‖β‖² on the standardised coefficients (not the constant).")]
    [DefaultValue(0.0)]
    public double Ridge { get; init; }

    [CommandOption("-m|--method <METHOD>")]
    [Description("auto, qr (Householder QR with column pivoting: the accuracy path) or normal (moments + Cholesky: the speed path, falls back to QR when ill-conditioned).")]
    [DefaultValue("auto")]
    public string Method { get; init; } = "auto";

    [CommandOption("--no-constant")]
    [Description("Leave out the constant term (regression through the origin).")]
    public bool NoConstant { get; init; }

    [CommandOption("--top <COUNT>")]
    [Description("When the polynomial has more than 40 terms, how many of the most important to print.")]
    [DefaultValue(20)]
    public int Top { get; init; } = 20;

    [CommandOption("--plots <DIR>")]
    [Description("Write PNG plots into DIR: fitted vs observed, term importance.")]
    public string? Plots { get; init; }

    public override ValidationResult Validate()
    {
        if (Degree < 0 || Degree > 30)
        {
            return ValidationResult.Error($"--degree must be between 0 and 30; it is {Degree}.");
        }

        if (!double.IsFinite(Ridge) || Ridge < 0)
        {
            return ValidationResult.Error("--ridge must be a finite number ≥ 0.");
        }

        if (Top < 1)
        {
            return ValidationResult.Error("--top must be at least 1.");
        }

        return FitCommand.ParseMethod(Method) is null
            ? ValidationResult.Error($"--method must be auto, qr or normal; it is '{Method}'.")
            : ValidationResult.Success();
    }
}

/// <summary><c>superspace fit</c>: polynomial least squares on a CSV file.</summary>
internal sealed class FitCommand : Command<FitSettings>
{
    private const int FullTableLimit = 40;
    private readonly CliEnvironment _environment;

    public FitCommand(CliEnvironment environment)
    {
        _environment = environment;
    }

    internal static LeastSquaresMethod? ParseMethod(string text) => text.ToLowerInvariant() switch
    {
        "auto" => LeastSquaresMethod.Auto,
        "qr" => LeastSquaresMethod.Qr,
        "normal" or "normal-equations" or "cholesky" => LeastSquaresMethod.NormalEquations,
        _ => null,
    };

    public override int Execute(CommandContext context, FitSettings settings, CancellationToken cancellationToken)
    {
        CsvData data = CsvData.Read(settings.Data, CsvData.SplitList(settings.Target), CsvData.SplitList(settings.Features) is { Length: > 0 } f ? f : null);
        MonomialBasis basis;
        try
        {
            basis = new MonomialBasis(data.FeatureCount, settings.Degree, includeConstant: !settings.NoConstant);
        }
        catch (ArgumentException e)
        {
            throw new CliException(ExitCodes.Usage, ModelFile.StripParameter(e.Message), e);
        }

        var options = new SuperPlaneFitOptions { Ridge = settings.Ridge, Method = ParseMethod(settings.Method)!.Value };
        SuperPlaneFit[] fits;
        try
        {
            fits = SuperPlane.Fit(data.Points, data.Targets, data.TargetCount, basis, options);
        }
        catch (ArgumentException e)
        {
            throw new CliException(ExitCodes.Usage, ModelFile.StripParameter(e.Message), e);
        }

        List<string> plots = settings.Plots is null ? [] : WritePlots(settings.Plots, data, fits, settings.Top);
        if (settings.Json)
        {
            Json.Write(_environment, ToJson(data, basis, fits, plots));
            return ExitCodes.Ok;
        }

        IAnsiConsole console = _environment.Console;
        console.MarkupLine($"[bold]Data[/]    {Markup.Escape(data.Path)}: {Format.Int(data.RowCount)} rows; features {Markup.Escape(string.Join(", ", data.FeatureNames))}");
        console.MarkupLine($"[bold]Model[/]   Super Plane of degree {settings.Degree}{(settings.NoConstant ? " without constant" : string.Empty)}: {Format.Int(basis.TermCount)} terms" +
            (settings.Ridge > 0 ? $", ridge λ = {Format.G(settings.Ridge)}" : string.Empty));
        for (int o = 0; o < fits.Length; o++)
        {
            SuperPlaneFit fit = fits[o];
            console.WriteLine();
            console.MarkupLine($"[bold]{Markup.Escape(data.TargetNames[o])}[/]: R² = {Format.G(fit.RSquared, 8)}, residual SD = {Format.G(fit.ResidualStandardDeviation, 6)}, " +
                $"RSS = {Format.G(fit.ResidualSumOfSquares, 6)}, rank {fit.Rank}/{basis.TermCount}, {MethodText(fit)}, condition ≈ {Format.G(fit.ConditionEstimate, 3)}");
            if (fit.Status != SuperPlaneFitStatus.Success)
            {
                console.MarkupLine($"[yellow]{Markup.Escape(fit.Message)}[/]");
            }

            console.Write(TermTable(fit, data, settings.Top));
        }

        foreach (string plot in plots)
        {
            console.MarkupLine($"[grey]wrote[/] {Markup.Escape(plot)}");
        }

        return ExitCodes.Ok;
    }

    private static string MethodText(SuperPlaneFit fit) => fit.Method switch
    {
        LeastSquaresMethod.Qr when fit.FellBackToQr => "QR (the normal equations were too ill-conditioned)",
        LeastSquaresMethod.Qr => "QR",
        LeastSquaresMethod.NormalEquations => "normal equations",
        _ => fit.Method.ToString(),
    };

    private static Table TermTable(SuperPlaneFit fit, CsvData data, int top)
    {
        SuperPlane plane = fit.Plane;
        string[] names = data.FeatureNames;
        SuperPlaneTermImportance[] ranked = plane.RankTerms(data.Points);
        var importance = new double[plane.Basis.TermCount];
        foreach (SuperPlaneTermImportance r in ranked)
        {
            importance[r.Term.Index] = r.Share;
        }

        IEnumerable<int> terms = plane.Basis.TermCount <= FullTableLimit
            ? Enumerable.Range(0, plane.Basis.TermCount)
            : ranked.Take(top).Select(r => r.Term.Index);
        var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("#").RightAligned()).AddColumn("term")
            .AddColumn(new TableColumn("coefficient").RightAligned()).AddColumn(new TableColumn("std. error").RightAligned())
            .AddColumn(new TableColumn("|t|").RightAligned()).AddColumn(new TableColumn("importance").RightAligned());
        if (plane.Basis.TermCount > FullTableLimit)
        {
            table.Caption($"the {Math.Min(top, plane.Basis.TermCount)} most important of {Format.Int(plane.Basis.TermCount)} terms; --json lists all");
        }

        foreach (int t in terms)
        {
            double coefficient = plane.Coefficients[t];
            double error = fit.StandardErrors.Length > t ? fit.StandardErrors[t] : double.NaN;
            table.AddRow(t.ToString(CultureInfo.InvariantCulture), Markup.Escape(plane.Basis.FormatTerm(t, names)), Format.G(coefficient, 10), Format.G(error, 4),
                error > 0 ? Format.G(Math.Abs(coefficient) / error, 4) : "-", Format.Percent(importance[t]));
        }

        return table;
    }

    private static JsonObject ToJson(CsvData data, MonomialBasis basis, SuperPlaneFit[] fits, List<string> plots)
    {
        var outputs = new JsonArray();
        var exponents = new int[basis.VariableCount];
        for (int o = 0; o < fits.Length; o++)
        {
            SuperPlaneFit fit = fits[o];
            var terms = new JsonArray();
            for (int t = 0; t < basis.TermCount; t++)
            {
                basis.GetExponents(t, exponents);
                terms.Add(new JsonObject
                {
                    ["name"] = basis.FormatTerm(t, data.FeatureNames),
                    ["exponents"] = new JsonArray([.. exponents.Select(e => (JsonNode?)JsonValue.Create(e))]),
                    ["coefficient"] = Json.Number(fit.Plane.Coefficients[t]),
                    ["standardError"] = fit.StandardErrors.Length > t ? Json.Number(fit.StandardErrors[t]) : null,
                });
            }

            outputs.Add(new JsonObject
            {
                ["target"] = data.TargetNames[o],
                ["rSquared"] = Json.Number(fit.RSquared),
                ["residualSumOfSquares"] = Json.Number(fit.ResidualSumOfSquares),
                ["residualStandardDeviation"] = Json.Number(fit.ResidualStandardDeviation),
                ["degreesOfFreedom"] = fit.DegreesOfFreedom,
                ["rank"] = fit.Rank,
                ["status"] = fit.Status.ToString(),
                ["method"] = fit.Method.ToString(),
                ["fellBackToQr"] = fit.FellBackToQr,
                ["conditionEstimate"] = Json.Number(fit.ConditionEstimate),
                ["message"] = fit.Message,
                ["terms"] = terms,
            });
        }

        return new JsonObject
        {
            ["command"] = "fit",
            ["data"] = data.Path,
            ["rows"] = data.RowCount,
            ["features"] = Json.Strings(data.FeatureNames),
            ["degree"] = basis.Degree,
            ["termCount"] = basis.TermCount,
            ["outputs"] = outputs,
            ["plots"] = Json.Strings(plots),
        };
    }

    private static List<string> WritePlots(string directory, CsvData data, SuperPlaneFit[] fits, int top)
    {
        var written = new List<string>();
        SuperPlane plane = fits[0].Plane;
        int samples = Math.Min(data.RowCount, 3000);
        var fitted = new double[samples];
        plane.Evaluate(data.Points.AsSpan(0, samples * data.FeatureCount), fitted);
        double[] observed = [.. Enumerable.Range(0, samples).Select(s => data.Targets[s * data.TargetCount])];
        string target = data.TargetNames[0];
        written.Add(PlotWriter.Diagonal(directory, "fit-vs-observed.png", $"Super Plane fit of {target}: R² = {Format.G(fits[0].RSquared, 6)}",
            $"observed {target}", $"fitted {target}", [($"degree {plane.Basis.Degree}, {plane.Basis.TermCount} terms", observed, fitted)]));
        var ranked = plane.RankTerms(data.Points).Where(r => r.Importance > 0).Take(Math.Max(top, 5))
            .Select(r => (plane.Basis.FormatTerm(r.Term.Index, data.FeatureNames), r.Importance, r.Term.Coefficient)).ToList();
        if (ranked.Count > 0)
        {
            written.Add(PlotWriter.Importance(directory, "term-importance.png", $"Most important terms of the fit of {target} (degree {plane.Basis.Degree})", ranked));
        }

        return written;
    }
}
