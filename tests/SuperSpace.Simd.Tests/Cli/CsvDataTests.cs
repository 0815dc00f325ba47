using SuperSpace.Cli;
using SuperSpace.Cli.Data;

namespace SuperSpace.Simd.Tests.Cli;

public class CsvDataTests
{
    [Test]
    public void ReadsSelectedColumnsRowMajorAndIgnoresOthers()
    {
        using var dir = new CliRunner();
        string path = dir.Write("d.csv", "id,a,b,y,note\n1,0.5,-2,3.25,first\n2,1e-3,4,-1,second\n");
        CsvData data = CsvData.Read(path, ["y"], ["a", "b"]);
        Assert.That(data.FeatureNames, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(data.Points, Is.EqualTo(new[] { 0.5, -2, 1e-3, 4 }));
        Assert.That(data.Targets, Is.EqualTo(new[] { 3.25, -1 }));
        Assert.That(data.RowCount, Is.EqualTo(2));
    }

    [Test]
    public void DefaultFeaturesAreEveryNonTargetColumnAndTheSeparatorIsDetected()
    {
        using var dir = new CliRunner();
        string path = dir.Write("d.csv", "x0;y;x1\n1;2;3\n4;5;6\n");
        CsvData data = CsvData.Read(path, ["y"], null);
        Assert.That(data.FeatureNames, Is.EqualTo(new[] { "x0", "x1" }));
        Assert.That(data.Points, Is.EqualTo(new double[] { 1, 3, 4, 6 }));
        Assert.That(data.Targets, Is.EqualTo(new double[] { 2, 5 }));
    }

    [TestCase("a,y\n1,2\n3,x\n", "line 3, column 2 ('y'): 'x' is not a number")]
    [TestCase("a,y\n1,2\nNaN,1\n", "line 3, column 1 ('a'): NaN is not a finite number")]
    [TestCase("a,y\n1,2\n-Infinity,1\n", "line 3, column 1 ('a'): -Infinity is not a finite number")]
    [TestCase("a,y\n1,\n", "line 2, column 2 ('y'): empty cell")]
    [TestCase("a,y\n1,2\n3,4,5\n", "line 3: 3 column(s), but the header has 2")]
    [TestCase("a,a\n1,2\n", "line 1: the header names a column more than once (Col name 'a' found 2 times")]
    [TestCase("a,,y\n1,2,3\n", "line 1, column 2: the header has an empty column name")]
    [TestCase("a,y\n", "has a header but no data rows")]
    [TestCase("", "is empty")]
    [TestCase("a,y\n1,2\n", "unknown target column 'Y' (did you mean 'y'?)", "Y")]
    public void BadDataIsReportedWithLineAndColumn(string content, string message, string target = "y")
    {
        using var dir = new CliRunner();
        string path = dir.Write("bad.csv", content);
        var e = Assert.Throws<CliException>(() => CsvData.Read(path, [target], null));
        Assert.That(e!.ExitCode, Is.EqualTo(ExitCodes.BadData));
        Assert.That(e.Message, Does.Contain(message));
    }

    [Test]
    public void QuotedFieldsAndBlankLinesAreRead()
    {
        using var dir = new CliRunner();
        string path = dir.Write("q.csv", "\"a\",\"y\"\n\"1.5\",2\n\n3,4\n");
        CsvData data = CsvData.Read(path, ["y"], null);
        Assert.That(data.Points, Is.EqualTo(new[] { 1.5, 3 }));
    }

    [Test]
    public void MissingFileIsAFileError()
    {
        var e = Assert.Throws<CliException>(() => CsvData.Read("/nonexistent/data.csv", ["y"], null));
        Assert.That(e!.ExitCode, Is.EqualTo(ExitCodes.FileError));
        Assert.That(e.Message, Does.Contain("file not found: /nonexistent/data.csv"));
    }
}
