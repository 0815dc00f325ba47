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
    [Test]
    public void ReadmeExamplesCompileAndRunAgainstThePackedLibrary()
    {
        string root = DotnetProcess.RepositoryRoot();
        List<ReadmeExample> examples = ReadmeExamples(File.ReadAllText(Path.Combine(root, "README.md")));
        Assert.That(examples, Is.Not.Empty, "README.md has no README-EXAMPLE block");

        string work = Path.Combine(Path.GetTempPath(), $"superspace-consumer-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            // A version nobody else uses and a private package cache: the consumer cannot pick up a stale copy.
            string version = $"0.0.1-consumer.{DateTime.UtcNow:yyyyMMddHHmmss}";
            string feed = Path.Combine(work, "feed");
            var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(work, "packages") };
            DotnetProcess.Run(root, environment, "pack", Path.Combine(root, "src", "SuperSpace.Simd", "SuperSpace.Simd.csproj"),
                "-c", DotnetProcess.Configuration, "--no-build", "-o", feed, $"-p:PackageVersion={version}");

            string package = Path.Combine(feed, $"SuperSpace.Simd.{version}.nupkg");
            Assert.That(File.Exists(Path.Combine(feed, $"SuperSpace.Simd.{version}.snupkg")), Is.True, "symbols package");
            using (ZipArchive zip = ZipFile.OpenRead(package))
            {
                string[] entries = [.. zip.Entries.Select(e => e.FullName)];
                Assert.That(entries, Does.Contain("lib/net10.0/SuperSpace.Simd.dll"));
                Assert.That(entries, Does.Contain("lib/net10.0/SuperSpace.Simd.xml"), "XML documentation");
                Assert.That(entries, Does.Contain("README.md"));
            }

            string app = Path.Combine(work, "app");
            DotnetProcess.Run(work, environment, "new", "console", "-o", app, "--framework", "net10.0", "--no-restore");
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            DotnetProcess.Run(app, environment, "add", "package", "SuperSpace.Simd", "--version", version);
            File.WriteAllText(Path.Combine(app, "Program.cs"), ProgramSource(examples));
            DotnetProcess.Run(app, environment, "build", "-c", "Release", "--nologo", "-v", "q");
            string output = DotnetProcess.Run(app, environment, "run", "-c", "Release", "--no-build");

            string expected = string.Concat(examples.Select(e => e.Output));
            Assert.That(Normalize(output), Is.EqualTo(Normalize(expected)), $"README examples {string.Join(", ", examples.Select(e => e.Name))}");
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A lingering build server may still hold a file; the temporary folder is left to the OS.
            }
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
