using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using SuperSpace.Cli.Data;
using SuperSpace.Cli.Output;
using SuperSpace.Cli.Plots;
using SuperSpace.Simd;

namespace SuperSpace.Cli.Commands;

/// <summary>Runs an expansion and presents it: tables, JSON, plots (shared by <c>expand</c> and <c>demo</c>).</summary>
internal static class Expansion
{
    /// <summary>Terms printed in full (in term order) up to this many; beyond, only the most important.</summary>
    private const int FullTableLimit = 40;

    public static SuperPlaneExpansionResult Run(Mlp network, int degree, SuperPlaneExpansionOptions options)
    {
        try
        {
            return SuperPlaneExpansion.ExpandWithReport(network, degree, options);
        }
        catch (ArgumentException e)
        {
            // Too many terms for the memory limit, a degree the activation cannot give, …: the user's choice to change.
            throw new CliException(ExitCodes.Usage, ModelFile.StripParameter(e.Message), e);
        }
    }

    public static string MethodText(ExpansionMethod method) => method switch
    {
        ExpansionMethod.Taylor => "Taylor polynomial at the data mean",
        ExpansionMethod.TaylorFixedCentre => "Taylor series of every activation at 0 (nn2poly)",
        ExpansionMethod.Chebyshev => "Chebyshev interpolants over the observed pre-activation ranges",
        ExpansionMethod.Projection => "least-squares projection of the network onto the polynomials (on the data)",
        _ => method.ToString(),
    };

    /// <summary>Per term (in basis order): |coefficient| × RMS of the monomial over the points (<see cref="SuperPlane.RankTerms"/>).</summary>
    public static double[] Importance(SuperPlane plane, double[] points)
    {
        var importance = new double[plane.Basis.TermCount];
        foreach (SuperPlaneTermImportance ranked in plane.RankTerms(points))
        {
            importance[ranked.Term.Index] = ranked.Importance;
        }

        return importance;
    }

    public static void Print(IAnsiConsole console, string source, Mlp network, SuperPlaneExpansionResult result, string[] names, string[] outputs, CsvData? data, double[] points, int top)
    {
        ExpansionReport report = result.Report;
        console.MarkupLine($"[bold]Model[/]      {Markup.Escape(source)}: {Markup.Escape(NetworkProbe.Describe(network))} ({Format.Int(network.ParameterCount)} parameters)");
        console.MarkupLine($"[bold]Expansion[/]  {MethodText(report.Method)}, degree {report.Degree}: {Format.Int(report.TermCount)} terms per output ({Format.Seconds(report.Elapsed)})");
        string where = data is null
            ? $"{Format.Int(report.SampleCount)} points sampled uniformly from the input box"
            : $"{Format.Int(report.SampleCount)} points of {Markup.Escape(data.Path)}";
        console.MarkupLine($"[bold]Fidelity[/]   on {where}");
        console.WriteLine();

        var fidelity = new Table().Border(TableBorder.Rounded).AddColumn("output").AddColumn(new TableColumn("MSE(network, plane)").RightAligned())
            .AddColumn(new TableColumn("R²").RightAligned()).AddColumn(new TableColumn("max |network − plane|").RightAligned());
        double[]? networkMse = null, planeMse = null;
        if (data is { TargetCount: > 0 })
        {
            fidelity.AddColumn(new TableColumn("MSE(network, target)").RightAligned()).AddColumn(new TableColumn("MSE(plane, target)").RightAligned());
            (networkMse, planeMse) = TargetErrors(network, result.Planes, data);
        }

        for (int o = 0; o < outputs.Length; o++)
        {
            var row = new List<string> { Markup.Escape(outputs[o]), Format.G(report.MeanSquaredError[o], 4), Format.G(report.RSquared[o], 6), Format.G(report.MaxAbsoluteError[o], 4) };
            if (networkMse is not null)
            {
                row.Add(Format.G(networkMse[o], 4));
                row.Add(Format.G(planeMse![o], 4));
            }

            fidelity.AddRow([.. row]);
        }

        console.Write(fidelity);
        PrintCoverage(console, report);

        for (int o = 0; o < outputs.Length; o++)
        {
            SuperPlane plane = result.Planes[o];
            double[] importance = Importance(plane, points);
            double total = importance.Sum();
            var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("#").RightAligned()).AddColumn("term")
                .AddColumn(new TableColumn("coefficient").RightAligned()).AddColumn(new TableColumn("importance").RightAligned()).AddColumn(new TableColumn("share").RightAligned());
            IEnumerable<int> terms;
            string heading;
            if (plane.Basis.TermCount <= FullTableLimit)
            {
                terms = Enumerable.Range(0, plane.Basis.TermCount);
                heading = $"Super Plane for {outputs[o]}: all {plane.Basis.TermCount} terms";
            }
            else
            {
                terms = Enumerable.Range(0, plane.Basis.TermCount).OrderByDescending(t => importance[t]).Take(top);
                heading = $"Super Plane for {outputs[o]}: the {Math.Min(top, plane.Basis.TermCount)} most important of {Format.Int(plane.Basis.TermCount)} terms (--json lists all)";
            }

            foreach (int t in terms)
            {
                table.AddRow(t.ToString(CultureInfo.InvariantCulture), Markup.Escape(plane.Basis.FormatTerm(t, names)), Format.G(plane.Coefficients[t], 8),
                    Format.G(importance[t], 4), total > 0 ? Format.Percent(importance[t] / total) : "-");
            }

            console.WriteLine();
            console.MarkupLine($"[bold]{Markup.Escape(heading)}[/]");
            console.Write(table);
        }
    }

    public static void PrintCoverage(IAnsiConsole console, ExpansionReport report)
    {
        if (report.Neurons.Count == 0)
        {
            return;
        }

        int flagged = report.Neurons.Count(n => n.FractionOutside > 0);
        string domain = report.Method == ExpansionMethod.Chebyshev ? "interval" : "radius of convergence";
        console.MarkupLine($"Neurons: {report.Neurons.Count} non-linear; {flagged} with pre-activations outside their {domain} (worst {Format.Percent(report.WorstFractionOutside)}).");
        if (flagged > 0 && report.Method != ExpansionMethod.Chebyshev)
        {
            console.MarkupLine("[yellow]Outside the radius the Taylor series diverges; --method chebyshev approximates over the observed range instead.[/]");
        }
    }

    public static (double[] Network, double[] Plane) TargetErrors(Mlp network, SuperPlane[] planes, CsvData data)
    {
        int samples = data.RowCount;
        int outputs = network.OutputCount;
        var predictions = new double[samples * outputs];
        network.Predict(data.Points, predictions);
        var networkMse = new double[outputs];
        var planeMse = new double[outputs];
        var planeValues = new double[samples];
        for (int o = 0; o < outputs; o++)
        {
            planes[o].Evaluate(data.Points, planeValues);
            double n = 0, p = 0;
            for (int s = 0; s < samples; s++)
            {
                double y = data.Targets[(s * outputs) + o];
                n += Square(predictions[(s * outputs) + o] - y);
                p += Square(planeValues[s] - y);
            }

            networkMse[o] = n / samples;
            planeMse[o] = p / samples;
        }

        return (networkMse, planeMse);
    }

    public static JsonObject ToJson(string source, Mlp network, SuperPlaneExpansionResult result, string[] names, string[] outputs, CsvData? data, double[] points)
    {
        ExpansionReport report = result.Report;
        var planes = new JsonArray();
        for (int o = 0; o < outputs.Length; o++)
        {
            SuperPlane plane = result.Planes[o];
            double[] importance = Importance(plane, points);
            var terms = new JsonArray();
            var exponents = new int[plane.Basis.VariableCount];
            for (int t = 0; t < plane.Basis.TermCount; t++)
            {
                plane.Basis.GetExponents(t, exponents);
                terms.Add(new JsonObject
                {
                    ["name"] = plane.Basis.FormatTerm(t, names),
                    ["exponents"] = new JsonArray([.. exponents.Select(e => (JsonNode?)JsonValue.Create(e))]),
                    ["coefficient"] = Json.Number(plane.Coefficients[t]),
                    ["importance"] = Json.Number(importance[t]),
                });
            }

            planes.Add(new JsonObject { ["output"] = outputs[o], ["terms"] = terms });
        }

        var fidelity = new JsonArray();
        double[]? networkMse = null, planeMse = null;
        if (data is { TargetCount: > 0 })
        {
            (networkMse, planeMse) = TargetErrors(network, result.Planes, data);
        }

        for (int o = 0; o < outputs.Length; o++)
        {
            var entry = new JsonObject
            {
                ["output"] = outputs[o],
                ["mse"] = Json.Number(report.MeanSquaredError[o]),
                ["rSquared"] = Json.Number(report.RSquared[o]),
                ["maxAbsoluteError"] = Json.Number(report.MaxAbsoluteError[o]),
            };
            if (networkMse is not null)
            {
                entry["networkMseVsTarget"] = Json.Number(networkMse[o]);
                entry["planeMseVsTarget"] = Json.Number(planeMse![o]);
            }

            fidelity.Add(entry);
        }

        return new JsonObject
        {
            ["command"] = "expand",
            ["model"] = source,
            ["network"] = NetworkProbe.Describe(network),
            ["parameterCount"] = network.ParameterCount,
            ["variables"] = Json.Strings(names),
            ["method"] = report.Method.ToString(),
            ["degree"] = report.Degree,
            ["termCount"] = report.TermCount,
            ["elapsedSeconds"] = report.Elapsed.TotalSeconds,
            ["sampleCount"] = report.SampleCount,
            ["sampled"] = report.Sampled,
            ["fidelity"] = fidelity,
            ["worstFractionOutside"] = Json.Number(report.WorstFractionOutside),
            ["neurons"] = new JsonArray([.. report.Neurons.Select(n => (JsonNode?)new JsonObject
            {
                ["layer"] = n.Layer,
                ["unit"] = n.Unit,
                ["center"] = Json.Number(n.Center),
                ["radius"] = Json.Number(n.Radius),
                ["lower"] = Json.Number(n.Lower),
                ["upper"] = Json.Number(n.Upper),
                ["fractionOutside"] = Json.Number(n.FractionOutside),
            })]),
            ["planes"] = planes,
        };
    }

    /// <summary>Network vs Super Plane (diagonal), each non-linear layer's activation, term importance of output 0.</summary>
    public static List<string> WritePlots(string directory, Mlp network, SuperPlaneExpansionResult result, double[] points, string[] names, string[] outputs, int degree, int top,
        IReadOnlyList<(string Label, SuperPlane[] Planes)>? extraPlanes = null)
    {
        var written = new List<string>();
        int samples = Math.Min(points.Length / network.InputCount, 3000);
        ReadOnlySpan<double> used = points.AsSpan(0, samples * network.InputCount);
        var predictions = new double[samples * network.OutputCount];
        network.Predict(used, predictions);
        double[] first = [.. Enumerable.Range(0, samples).Select(s => predictions[s * network.OutputCount])];
        var series = new List<(string, double[], double[])>();
        var values = new double[samples];
        result.Planes[0].Evaluate(used, values);
        series.Add(($"{MethodText(result.Report.Method)}, degree {degree}", first, (double[])values.Clone()));
        foreach ((string label, SuperPlane[] planes) in extraPlanes ?? [])
        {
            planes[0].Evaluate(used, values);
            series.Add((label, first, (double[])values.Clone()));
        }

        written.Add(PlotWriter.Diagonal(directory, "network-vs-superplane.png", $"Network vs Super Plane: {outputs[0]} on {samples:N0} points",
            $"network prediction of {outputs[0]}", $"Super Plane prediction of {outputs[0]}", series));

        for (int l = 0; l < network.Layers.Count; l++)
        {
            DenseLayer layer = network.Layers[l];
            if (layer.Activation.Equals(Activation.Identity))
            {
                continue;
            }

            double[] z = NetworkProbe.PreActivations(network, l, used);
            written.Add(PlotWriter.Activation(directory, l, l == network.Layers.Count - 1, layer.Activation, layer.Units, z, degree, z.Average()));
        }

        SuperPlane plane = result.Planes[0];
        double[] importance = Importance(plane, points);
        var ranked = Enumerable.Range(0, plane.Basis.TermCount).Where(t => importance[t] > 0).OrderByDescending(t => importance[t]).Take(Math.Max(top, 5))
            .Select(t => (plane.Basis.FormatTerm(t, names), importance[t], plane.Coefficients[t])).ToList();
        if (ranked.Count > 0)
        {
            string method = result.Report.Method switch
            {
                ExpansionMethod.Chebyshev => "Chebyshev",
                ExpansionMethod.TaylorFixedCentre => "Taylor at 0",
                ExpansionMethod.Projection => "projection",
                _ => "Taylor",
            };
            written.Add(PlotWriter.Importance(directory, "term-importance.png", $"Most important terms of the expanded network for {outputs[0]} ({method}, degree {degree})", ranked));
        }

        return written;
    }

    private static double Square(double x) => x * x;
}
