using System.ComponentModel;
using Spectre.Console.Cli;

namespace SuperSpace.Cli.Commands;

/// <summary>Options every data-reading command shares.</summary>
internal abstract class DataSettings : CommandSettings
{
    [CommandOption("-t|--target <COLUMNS>")]
    [Description("Target column(s) of the CSV file, comma-separated.")]
    public string? Target { get; init; }

    [CommandOption("--features <COLUMNS>")]
    [Description("Feature columns, comma-separated (default: every column that is not a target).")]
    public string? Features { get; init; }

    [CommandOption("--json")]
    [Description("Write one JSON document to stdout instead of tables and progress (errors still go to stderr).")]
    public bool Json { get; init; }
}
