using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using SuperSpace.Simd;

namespace SuperSpace.Cli.Commands;

internal sealed class DemoSettings : CommandSettings
{
    [CommandOption("-o|--out <DIR>")]
    [Description("Folder for the plots.")]
    [DefaultValue("superspace-demo")]
    public string Out { get; init; } = "superspace-demo";
}

/// <summary><c>superspace demo</c>.</summary>
internal sealed class DemoCommand : Command<DemoSettings>
{
    private readonly CliEnvironment _environment;

    public DemoCommand(CliEnvironment environment)
    {
        _environment = environment;
    }

    public override int Execute(CommandContext context, DemoSettings settings, CancellationToken cancellationToken)
    {
        var basis = new MonomialBasis(variableCount: 3, degree: 3);
        double[] point = [0.5, -2.0, 3.0];
        var values = new double[basis.TermCount];
        basis.Evaluate(point, values);
        _environment.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"The Super Space of 3 variables truncated at degree 3: {basis.TermCount} monomials, evaluated at x = ({point[0]}, {point[1]}, {point[2]})."));
        var table = new Table().AddColumn("term").AddColumn("degree").AddColumn("monomial").AddColumn("value");
        for (int t = 0; t < basis.TermCount; t++)
        {
            table.AddRow(t.ToString(CultureInfo.InvariantCulture), basis.GetDegree(t).ToString(CultureInfo.InvariantCulture), basis.FormatTerm(t), values[t].ToString("G6", CultureInfo.InvariantCulture));
        }

        _environment.Console.Write(table);
        return ExitCodes.Ok;
    }
}
