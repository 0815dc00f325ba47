using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SuperSpace.Cli;

namespace SuperSpace.Simd.Tests.Cli;

/// <summary>Runs the superspace command line in-process with plain-text writers (the non-terminal path CI takes).</summary>
internal sealed class CliRunner : IDisposable
{
    public CliRunner()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"superspace-cli-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public string Write(string name, string content)
    {
        string path = PathOf(name);
        File.WriteAllText(path, content.ReplaceLineEndings("\n"));
        return path;
    }

    /// <summary>Writes a CSV with the given header and rows of numbers.</summary>
    public string WriteCsv(string name, string header, IEnumerable<double[]> rows)
    {
        var text = new StringBuilder(header).Append('\n');
        foreach (double[] row in rows)
        {
            text.AppendJoin(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        }

        return Write(name, text.ToString());
    }

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, CliEnvironment.ForWriters(output, error));
        return new Result(code, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal sealed record Result(int ExitCode, string Output, string Error)
    {
        public JsonNode Json => JsonNode.Parse(Output) ?? throw new InvalidOperationException("empty output");

        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
    }
}
