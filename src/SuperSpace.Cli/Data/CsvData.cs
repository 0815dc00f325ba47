using System.Globalization;
using nietras.SeparatedValues;

namespace SuperSpace.Cli.Data;

/// <summary>
/// A numeric data set read from a CSV file with a header row: the feature columns as points
/// (rows × features, row-major) and the target columns as targets (rows × targets).
/// </summary>
internal sealed class CsvData
{
    private CsvData(string path, string[] featureNames, string[] targetNames, double[] points, double[] targets, int rowCount)
    {
        Path = path;
        FeatureNames = featureNames;
        TargetNames = targetNames;
        Points = points;
        Targets = targets;
        RowCount = rowCount;
    }

    public string Path { get; }

    public string[] FeatureNames { get; }

    public string[] TargetNames { get; }

    public double[] Points { get; }

    public double[] Targets { get; }

    public int RowCount { get; }

    public int FeatureCount => FeatureNames.Length;

    public int TargetCount => TargetNames.Length;

    /// <summary>
    /// Reads <paramref name="path"/>. The separator (comma, semicolon, tab, pipe) is detected from the header.
    /// Targets are the named columns (none allowed when <paramref name="targetsRequired"/> is false); features are
    /// <paramref name="features"/> when given, otherwise every other column. Only the selected columns are parsed, so
    /// text columns elsewhere are ignored.
    /// </summary>
    /// <exception cref="CliException">Missing file (exit 3); a header or cell problem, an unknown column, or no rows (exit 4), naming the line and column.</exception>
    public static CsvData Read(string path, IReadOnlyList<string> targets, IReadOnlyList<string>? features, bool targetsRequired = true)
    {
        if (targetsRequired && targets.Count == 0)
        {
            throw new CliException(ExitCodes.Usage, "name the target column with --target.");
        }

        string display = path;
        if (!File.Exists(path))
        {
            throw new CliException(ExitCodes.FileError, Directory.Exists(path) ? $"{display} is a directory, not a CSV file." : $"file not found: {display}");
        }

        try
        {
            using SepReader reader = Open(path, display);
            if (reader.Header.IsEmpty)
            {
                throw new CliException(ExitCodes.BadData, $"{display} is empty: it needs a header row with the column names.");
            }

            IReadOnlyList<string> names = reader.Header.ColNames;
            CheckHeader(display, names);
            int[] targetColumns = [.. targets.Select(t => ColumnIndex(display, names, t, "target"))];
            int[] featureColumns = features is { Count: > 0 }
                ? [.. features.Select(f => ColumnIndex(display, names, f, "feature"))]
                : [.. Enumerable.Range(0, names.Count).Where(c => !targetColumns.Contains(c))];
            foreach (int c in featureColumns.Where(targetColumns.Contains))
            {
                throw new CliException(ExitCodes.Usage, $"column '{names[c]}' is both a feature and a target.");
            }

            if (featureColumns.Length == 0)
            {
                throw new CliException(ExitCodes.BadData, $"{display} has no feature columns besides the target{(targetColumns.Length > 1 ? "s" : string.Empty)}.");
            }

            var points = new List<double>();
            var values = new List<double>();
            int rows = 0;
            foreach (SepReader.Row row in reader)
            {
                if (row.ColCount == 1 && row.Span.Trim().IsEmpty)
                {
                    continue; // blank line
                }

                if (row.ColCount != names.Count)
                {
                    throw new CliException(ExitCodes.BadData, string.Create(CultureInfo.InvariantCulture,
                        $"{display}, line {row.LineNumberFrom}: {row.ColCount} column(s), but the header has {names.Count}."));
                }

                foreach (int c in featureColumns)
                {
                    points.Add(Cell(display, row, c, names[c]));
                }

                foreach (int c in targetColumns)
                {
                    values.Add(Cell(display, row, c, names[c]));
                }

                rows++;
            }

            if (rows == 0)
            {
                throw new CliException(ExitCodes.BadData, $"{display} has a header but no data rows.");
            }

            return new CsvData(path, [.. featureColumns.Select(c => names[c])], [.. targetColumns.Select(c => names[c])], [.. points], [.. values], rows);
        }
        catch (InvalidDataException e)
        {
            throw new CliException(ExitCodes.BadData, $"{display}: {e.Message}", e);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new CliException(ExitCodes.FileError, $"cannot read {display}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CliException(ExitCodes.FileError, $"cannot read {display}: {e.Message}", e);
        }
    }

    private static SepReader Open(string path, string display)
    {
        try
        {
            return Sep.Reader(o => o with { DisableColCountCheck = true, Unescape = true, Trim = SepTrim.All }).FromFile(path);
        }
        catch (ArgumentException e)
        {
            // Sep rejects a header that names a column twice.
            throw new CliException(ExitCodes.BadData, $"{display}, line 1: the header names a column more than once ({e.Message}).", e);
        }
    }

    /// <summary>Parses a comma-separated list option ("a,b, c") into trimmed, non-empty names.</summary>
    public static string[] SplitList(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : [.. value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static void CheckHeader(string display, IReadOnlyList<string> names)
    {
        for (int c = 0; c < names.Count; c++)
        {
            if (names[c].Length == 0)
            {
                throw new CliException(ExitCodes.BadData, string.Create(CultureInfo.InvariantCulture, $"{display}, line 1, column {c + 1}: the header has an empty column name."));
            }
        }
    }

    private static int ColumnIndex(string display, IReadOnlyList<string> names, string name, string role)
    {
        for (int c = 0; c < names.Count; c++)
        {
            if (names[c] == name)
            {
                return c;
            }
        }

        string? near = names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        string hint = near is null ? string.Empty : $" (did you mean '{near}'?)";
        throw new CliException(ExitCodes.BadData, $"unknown {role} column '{name}'{hint}; {display} has columns: {string.Join(", ", names)}.");
    }

    private static double Cell(string display, SepReader.Row row, int column, string name)
    {
        ReadOnlySpan<char> text = row[column].Span;
        string where = string.Create(CultureInfo.InvariantCulture, $"{display}, line {row.LineNumberFrom}, column {column + 1} ('{name}')");
        if (text.IsEmpty)
        {
            throw new CliException(ExitCodes.BadData, $"{where}: empty cell (missing values are not supported; remove or fill the row).");
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new CliException(ExitCodes.BadData, $"{where}: '{text}' is not a number (use '.' as the decimal point; select numeric columns with --features).");
        }

        if (!double.IsFinite(value))
        {
            throw new CliException(ExitCodes.BadData, $"{where}: {text} is not a finite number (NaN and infinities are not allowed).");
        }

        return value;
    }
}
