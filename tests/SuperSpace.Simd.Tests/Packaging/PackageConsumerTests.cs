using System.IO.Compression;
using System.Text.RegularExpressions;

namespace SuperSpace.Simd.Tests.Packaging;

/// <summary>
/// Packs SuperSpace.Simd, creates a fresh console project in a temporary folder that takes the package from a
/// local feed, compiles the README's examples into it and checks what they print. The examples are the
/// blocks between <c>&lt;!-- README-EXAMPLE:BEGIN name --&gt;</c> and <c>&lt;!-- README-EXAMPLE:END --&gt;</c> in
/// README.md: each holds one <c>```csharp</c> fence (top-level statements; its <c>using</c> lines are hoisted) and one
/// <c>```text</c> fence with the exact output. So the README stays the source of truth and cannot drift.
/// </summary>
[Category("Package")]
[NonParallelizable]
public partial class PackageConsumerTests
{
    private string _work = string.Empty;
    private string _feed = string.Empty;
    private string _version = string.Empty;

    /// <summary>Packs the library, the ONNX importer and the tool once, under a version nobody else uses, into a local feed.</summary>
    [OneTimeSetUp]
    public void PackIntoALocalFeed()
    {
        string root = DotnetProcess.RepositoryRoot();
        _work = Path.Combine(Path.GetTempPath(), $"superspace-consumer-{Guid.NewGuid():N}");
        _feed = Path.Combine(_work, "feed");
        _version = $"0.0.1-consumer.{DateTime.UtcNow:yyyyMMddHHmmss}";
        Directory.CreateDirectory(_feed);
        foreach (string project in new[] { "SuperSpace.Simd", "SuperSpace.Simd.Onnx", "SuperSpace.Cli" })
        {
            DotnetProcess.Run(root, null, "pack", Path.Combine(root, "src", project, project + ".csproj"),
                "-c", DotnetProcess.Configuration, "--no-build", "-o", _feed, $"-p:PackageVersion={_version}");
        }
    }

    [OneTimeTearDown]
    public void RemoveTheFeedAndCachedCopies()
    {
        TryDelete(_work);

        // The tool install restores through the user's package cache; drop this run's versions from it.
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (string id in new[] { "superspace.simd", "superspace.simd.onnx", "superspace.cli" })
        {
            TryDelete(Path.Combine(cache, id, _version));
        }
    }

    [Test]
    public void PackagesCarryDocsReadmeAndSymbols()
    {
        foreach (string id in new[] { "SuperSpace.Simd", "SuperSpace.Simd.Onnx" })
        {
            Assert.That(File.Exists(Path.Combine(_feed, $"{id}.{_version}.snupkg")), Is.True, $"{id} symbols package");
            using ZipArchive zip = ZipFile.OpenRead(Path.Combine(_feed, $"{id}.{_version}.nupkg"));
            string[] entries = [.. zip.Entries.Select(e => e.FullName)];
            Assert.That(entries, Does.Contain($"lib/net10.0/{id}.dll"));
            Assert.That(entries, Does.Contain($"lib/net10.0/{id}.xml"), "XML documentation");
            Assert.That(entries, Does.Contain("README.md"));
        }

        using ZipArchive tool = ZipFile.OpenRead(Path.Combine(_feed, $"SuperSpace.Cli.{_version}.nupkg"));
        Assert.That(tool.Entries.Select(e => e.FullName), Does.Contain("tools/net10.0/any/superspace.dll").And.Contain("tools/net10.0/any/DotnetToolSettings.xml"));
    }

    [Test]
    public void ReadmeExamplesCompileAndRunAgainstThePackedLibrary()
    {
        string root = DotnetProcess.RepositoryRoot();
        List<ReadmeExample> examples = ReadmeExamples(File.ReadAllText(Path.Combine(root, "README.md")));
        Assert.That(examples, Is.Not.Empty, "README.md has no README-EXAMPLE block");

        // A private package cache: the consumer cannot pick up a stale copy, and needs nothing but the library.
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_work, "packages") };
        string app = Path.Combine(_work, "app");
        DotnetProcess.Run(_work, environment, "new", "console", "-o", app, "--framework", "net10.0", "--no-restore");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{_feed}" />
              </packageSources>
            </configuration>
            """);
        DotnetProcess.Run(app, environment, "add", "package", "SuperSpace.Simd", "--version", _version);
        File.WriteAllText(Path.Combine(app, "Program.cs"), ProgramSource(examples));
        DotnetProcess.Run(app, environment, "build", "-c", "Release", "--nologo", "-v", "q");
        string output = DotnetProcess.Run(app, environment, "run", "-c", "Release", "--no-build");

        string expected = string.Concat(examples.Select(e => e.Output));
        Assert.That(Normalize(output), Is.EqualTo(Normalize(expected)), $"README examples {string.Join(", ", examples.Select(e => e.Name))}");
    }

    [Test]
    public void ToolPackageInstallsAndRuns()
    {
        string tools = Path.Combine(_work, "tools");
        DotnetProcess.Run(_work, null, "tool", "install", "SuperSpace.Cli", "--tool-path", tools, "--add-source", _feed, "--version", _version);
        string superspace = Path.Combine(tools, OperatingSystem.IsWindows() ? "superspace.exe" : "superspace");
        Assert.That(File.Exists(superspace), Is.True);

        // An ONNX model (the importer package) expanded with plots (the tool's native SkiaSharp assets).
        var g = new Onnx.OnnxGraphBuilder(seed: 3);
        string x = g.Input("x", 2);
        string y = g.TorchLinear(g.Node("Tanh", [g.TorchLinear(x, 2, 4, out _, out _)]), 4, 1, out _, out _);
        string model = Path.Combine(_work, "net.onnx");
        File.WriteAllBytes(model, g.Build(y, 1));
        string plots = Path.Combine(_work, "plots");
        string output = ToolProcess.Run(superspace, _work, "expand", model, "--degree", "2", "--plots", plots, "--json");
        Assert.That((string?)System.Text.Json.Nodes.JsonNode.Parse(output)?["network"], Is.EqualTo("2 → 4 tanh → 1 identity"));
        Assert.That(Directory.GetFiles(plots, "*.png"), Has.Length.EqualTo(3));
        Assert.That(ToolProcess.Run(superspace, _work, "--version").Trim(), Is.EqualTo(SuperSpace.Cli.CliApp.Version));
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // A lingering build server may still hold a file; the temporary folder is left to the OS.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [Test]
    public void ExampleBlocksAreParsedWithTheirOutput()
    {
        const string markdown = """
            text
            <!-- README-EXAMPLE:BEGIN one -->
            ```csharp
            using System.Text;
            Console.WriteLine(1);
            ```
            prints
            ```text
            1
            ```
            <!-- README-EXAMPLE:END -->
            <!-- README-EXAMPLE:BEGIN two -->
            ```csharp
            using System.Text;
            using System.Globalization;
            Console.WriteLine(2);
            ```
            ```text
            2
            ```
            <!-- README-EXAMPLE:END -->
            """;
        List<ReadmeExample> examples = ReadmeExamples(markdown);
        Assert.That(examples.Select(e => e.Name), Is.EqualTo(new[] { "one", "two" }));
        string program = ProgramSource(examples);
        Assert.That(Regex.Matches(program, "using System.Text;").Count, Is.EqualTo(1), "usings are hoisted once");
        Assert.That(program.IndexOf("using System.Globalization;", StringComparison.Ordinal), Is.LessThan(program.IndexOf("Console.WriteLine(1)", StringComparison.Ordinal)));
        Assert.That(examples[1].Output, Is.EqualTo("2\n"));
        Assert.Throws<FormatException>(() => ReadmeExamples("<!-- README-EXAMPLE:BEGIN x -->\n```csharp\nConsole.WriteLine(1);\n```\n<!-- README-EXAMPLE:END -->"));
    }

    internal sealed record ReadmeExample(string Name, string Code, string Output);

    internal static List<ReadmeExample> ReadmeExamples(string markdown)
    {
        var examples = new List<ReadmeExample>();
        foreach (Match block in ExampleBlock().Matches(markdown.ReplaceLineEndings("\n")))
        {
            string name = block.Groups["name"].Value;
            Match code = Fence("csharp").Match(block.Groups["body"].Value);
            Match output = Fence("text").Match(block.Groups["body"].Value);
            if (!code.Success || !output.Success)
            {
                throw new FormatException($"README example '{name}' needs a ```csharp fence and a ```text fence with its output.");
            }

            examples.Add(new ReadmeExample(name, code.Groups["content"].Value, output.Groups["content"].Value));
        }

        return examples;
    }

    /// <summary>One Program.cs: the examples' using directives first, then each example in its own scope.</summary>
    internal static string ProgramSource(IEnumerable<ReadmeExample> examples)
    {
        var usings = new List<string>();
        var bodies = new List<string>();
        foreach (ReadmeExample example in examples)
        {
            var body = new List<string>();
            foreach (string line in example.Code.Split('\n'))
            {
                if (line.StartsWith("using ", StringComparison.Ordinal) && line.TrimEnd().EndsWith(';') && !line.Contains('('))
                {
                    if (!usings.Contains(line.Trim()))
                    {
                        usings.Add(line.Trim());
                    }
                }
                else
                {
                    body.Add("    " + line);
                }
            }

            bodies.Add($"// README example '{example.Name}'\n{{\n{string.Join('\n', body)}\n}}\n");
        }

        return string.Join('\n', usings) + "\n\n" + string.Join('\n', bodies);
    }

    private static string Normalize(string text) => string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd())).Trim();

    private static Regex Fence(string language) => new($"```{language}\\n(?<content>.*?)```", RegexOptions.Singleline);

    [GeneratedRegex(@"<!-- README-EXAMPLE:BEGIN (?<name>[\w-]+)[^\n]*-->\n(?<body>.*?)<!-- README-EXAMPLE:END -->", RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();
}
