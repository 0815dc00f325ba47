using System.Reflection;
using System.Text;
using PublicApiGenerator;
using SuperSpace.Simd.Tests.Packaging;

namespace SuperSpace.Simd.Tests.PublicApi;

/// <summary>
/// The public surface of each shipped assembly, as PublicApiGenerator prints it, must equal the approved file in
/// this folder, so every change to the API is a deliberate, reviewed diff. After an intended change, re-approve with
/// <c>SUPERSPACE_APPROVE_API=1 dotnet test tests/SuperSpace.Simd.Tests -c Release --filter FullyQualifiedName~PublicApiTests</c>
/// and commit the rewritten *.approved.txt.
/// </summary>
public class PublicApiTests
{
    private const string ApproveVariable = "SUPERSPACE_APPROVE_API";

    private static IEnumerable<TestCaseData> Assemblies()
    {
        yield return new TestCaseData(typeof(MonomialBasis).Assembly).SetArgDisplayNames("SuperSpace.Simd");
        yield return new TestCaseData(typeof(OnnxImport).Assembly).SetArgDisplayNames("SuperSpace.Simd.Onnx");
    }

    [TestCaseSource(nameof(Assemblies))]
    public void PublicApiIsApproved(Assembly assembly)
    {
        string name = assembly.GetName().Name!;
        string actual = Normalize(assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }));
        string path = Path.Combine(DotnetProcess.RepositoryRoot(), "tests", "SuperSpace.Simd.Tests", "PublicApi", $"{name}.approved.txt");
        if (Environment.GetEnvironmentVariable(ApproveVariable) == "1")
        {
            File.WriteAllText(path, actual);
            Assert.Pass($"approved {path}");
        }

        string approved = File.Exists(path) ? Normalize(File.ReadAllText(path)) : string.Empty;
        if (approved != actual)
        {
            Assert.Fail($"The public API of {name} differs from {path} (- approved, + now):\n{Diff(approved, actual)}\n" +
                $"If the change is intended, run the tests with {ApproveVariable}=1 and commit the approved file.");
        }
    }

    [Test]
    public void DiffShowsChangedLinesOnly()
    {
        Assert.That(Diff("a\nb\nc\nd", "a\nc\nx\nd").Split('\n'), Is.EqualTo(new[] { "- b", "+ x" }));
        Assert.That(Diff("a\nold\nc", "a\nnew\nc").Split('\n'), Is.EqualTo(new[] { "- old", "+ new" }));
        Assert.That(Diff("same", "same"), Is.Empty);
    }

    private static string Normalize(string text) => text.ReplaceLineEndings("\n").TrimEnd() + "\n";

    /// <summary>Lines removed and added, by the longest common subsequence of lines.</summary>
    internal static string Diff(string before, string after)
    {
        string[] a = before.TrimEnd('\n').Split('\n');
        string[] b = after.TrimEnd('\n').Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
        {
            for (int j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var diff = new StringBuilder();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                x++;
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                diff.Append("- ").Append(a[x++]).Append('\n');
            }
            else
            {
                diff.Append("+ ").Append(b[y++]).Append('\n');
            }
        }

        return diff.ToString().TrimEnd('\n');
    }
}
