using System.Globalization;
using System.Text.RegularExpressions;

namespace SuperSpace.Simd.Tests.Solvers.Problems;

/// <summary>
/// One NIST StRD nonlinear regression file, parsed from NIST's own text format. Line ranges
/// come from the header's "File Format" block, never from fixed offsets.
/// </summary>
internal sealed partial class NistDataset
{
    public required string Name { get; init; }
    public required int ParameterCount { get; init; }
    public required int ObservationCount { get; init; }
    public required int PredictorCount { get; init; }

    /// <summary>Responses y, length ObservationCount.</summary>
    public required double[] Y { get; init; }

    /// <summary>Predictors, row-major ObservationCount × PredictorCount.</summary>
    public required double[] X { get; init; }

    /// <summary>The responses exactly as printed (decimal → double-double), for compensated residuals.</summary>
    public required DoubleDouble[] YExact { get; init; }

    /// <summary>The predictors exactly as printed (decimal → double-double).</summary>
    public required DoubleDouble[] XExact { get; init; }

    public required double[] Start1 { get; init; }
    public required double[] Start2 { get; init; }
    public required double[] CertifiedParameters { get; init; }
    public required double[] CertifiedStandardDeviations { get; init; }
    public required double CertifiedResidualSumOfSquares { get; init; }
    public required double CertifiedResidualStandardDeviation { get; init; }
    public required int DegreesOfFreedom { get; init; }

    /// <summary>The difficulty line of the header ("Lower", "Average" or "Higher").</summary>
    public required string Difficulty { get; init; }

    public double[] Start(int which) => which switch
    {
        1 => Start1,
        2 => Start2,
        _ => throw new ArgumentOutOfRangeException(nameof(which), "NIST files have start points 1 and 2."),
    };

    public override string ToString() => Name;

    private static readonly Dictionary<string, NistDataset> Cache = new(StringComparer.Ordinal);

    /// <summary>Loads (and caches) a file by dataset name, e.g. "Misra1a". Null when the shared folder is absent.</summary>
    public static NistDataset? Load(string name)
    {
        string? folder = SharedData.NistNonlinearFolder;
        if (folder is null)
        {
            return null;
        }

        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var dataset))
            {
                dataset = Parse(File.ReadAllLines(Path.Combine(folder, name + ".dat")));
                Cache[name] = dataset;
            }

            return dataset;
        }
    }

    public static NistDataset Parse(string[] lines)
    {
        string Line(int oneBased) => lines[oneBased - 1];

        var name = DatasetName().Match(Line(2));
        if (!lines[0].StartsWith("NIST/ITL StRD", StringComparison.Ordinal) || !name.Success)
        {
            throw new FormatException("Not a NIST StRD file: the first lines must be 'NIST/ITL StRD' and 'Dataset Name:'.");
        }

        (int first, int last) Range(string label)
        {
            foreach (string line in lines.Take(12))
            {
                var match = LineRange().Match(line);
                if (match.Success && match.Groups["label"].Value.Trim() == label)
                {
                    return (int.Parse(match.Groups["first"].Value, CultureInfo.InvariantCulture),
                            int.Parse(match.Groups["last"].Value, CultureInfo.InvariantCulture));
                }
            }

            throw new FormatException($"The File Format block has no '{label}' line range.");
        }

        var (startFirst, startLast) = Range("Starting Values");
        var (certifiedFirst, certifiedLast) = Range("Certified Values");
        var (dataFirst, dataLast) = Range("Data");
        int parameterCount = startLast - startFirst + 1;

        var start1 = new double[parameterCount];
        var start2 = new double[parameterCount];
        var certified = new double[parameterCount];
        var deviations = new double[parameterCount];
        for (int k = 0; k < parameterCount; k++)
        {
            var match = ParameterLine().Match(Line(startFirst + k));
            if (!match.Success || match.Groups["index"].Value != (k + 1).ToString(CultureInfo.InvariantCulture))
            {
                throw new FormatException($"Line {startFirst + k} is not the row of parameter b{k + 1}.");
            }

            string[] numbers = match.Groups["values"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (numbers.Length != 4)
            {
                throw new FormatException($"Line {startFirst + k}: expected start 1, start 2, certified value and standard deviation.");
            }

            start1[k] = Number(numbers[0]);
            start2[k] = Number(numbers[1]);
            certified[k] = Number(numbers[2]);
            deviations[k] = Number(numbers[3]);
        }

        double Labelled(string label)
        {
            for (int i = certifiedFirst; i <= certifiedLast; i++)
            {
                string line = Line(i);
                if (line.TrimStart().StartsWith(label, StringComparison.Ordinal))
                {
                    return Number(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
                }
            }

            throw new FormatException($"The certified block has no '{label}' line.");
        }

        double rss = Labelled("Residual Sum of Squares:");
        double residualSd = Labelled("Residual Standard Deviation:");
        int dof = (int)Labelled("Degrees of Freedom:");
        int observations = (int)Labelled("Number of Observations:");
        if (dataLast - dataFirst + 1 != observations)
        {
            throw new FormatException($"The data range holds {dataLast - dataFirst + 1} lines but the header says {observations} observations.");
        }

        int columns = Line(dataFirst).Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        int predictors = columns - 1;
        var y = new double[observations];
        var x = new double[observations * predictors];
        var yExact = new DoubleDouble[observations];
        var xExact = new DoubleDouble[observations * predictors];
        for (int i = 0; i < observations; i++)
        {
            string[] fields = Line(dataFirst + i).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != columns)
            {
                throw new FormatException($"Data line {dataFirst + i} has {fields.Length} fields; expected {columns}.");
            }

            y[i] = Number(fields[0]);
            yExact[i] = DoubleDouble.ParseDecimal(fields[0]);
            for (int j = 0; j < predictors; j++)
            {
                x[(i * predictors) + j] = Number(fields[j + 1]);
                xExact[(i * predictors) + j] = DoubleDouble.ParseDecimal(fields[j + 1]);
            }
        }

        string difficulty = lines.Select(l => DifficultyLine().Match(l)).First(m => m.Success).Groups["level"].Value;

        return new NistDataset
        {
            Name = name.Groups["name"].Value,
            ParameterCount = parameterCount,
            ObservationCount = observations,
            PredictorCount = predictors,
            Y = y,
            X = x,
            YExact = yExact,
            XExact = xExact,
            Start1 = start1,
            Start2 = start2,
            CertifiedParameters = certified,
            CertifiedStandardDeviations = deviations,
            CertifiedResidualSumOfSquares = rss,
            CertifiedResidualStandardDeviation = residualSd,
            DegreesOfFreedom = dof,
            Difficulty = difficulty,
        };
    }

    /// <summary>Fortran-style numbers: "10.07E0", ".591E0", "760.", "0.100000000000000E-01".</summary>
    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^Dataset Name:\s+(?<name>\S+)")]
    private static partial Regex DatasetName();

    [GeneratedRegex(@"^\s*(?<label>[A-Za-z ]+?)\s*\(lines\s+(?<first>\d+)\s+to\s+(?<last>\d+)\)")]
    private static partial Regex LineRange();

    [GeneratedRegex(@"^\s*b(?<index>\d+)\s*=\s*(?<values>.*)$")]
    private static partial Regex ParameterLine();

    [GeneratedRegex(@"(?<level>Lower|Average|Higher) Level of Difficulty")]
    private static partial Regex DifficultyLine();
}
