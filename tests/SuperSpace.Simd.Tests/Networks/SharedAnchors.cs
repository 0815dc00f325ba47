using System.Globalization;
using System.Text.Json;

namespace SuperSpace.Simd.Tests.Networks;

/// <summary>Locates ../shared (or $SUPERSPACE_SHARED) and reads the nn2poly reference networks.</summary>
internal static class SharedAnchors
{
    public static string? Directory()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("SUPERSPACE_SHARED");
        if (!string.IsNullOrEmpty(fromEnvironment) && System.IO.Directory.Exists(fromEnvironment))
        {
            return fromEnvironment;
        }

        // Walk up from the test binaries to the repository root (the folder with SuperSpace.Simd.sln), then ../shared.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SuperSpace.Simd.sln")))
            {
                string shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
                return System.IO.Directory.Exists(shared) ? shared : null;
            }
        }

        return null;
    }

    public static string RequireNn2poly()
    {
        string? shared = Directory();
        string? path = shared is null ? null : Path.Combine(shared, "anchors", "nn2poly");
        if (path is null || !System.IO.Directory.Exists(path))
        {
            Assert.Ignore("The shared reference data (../shared/anchors/nn2poly next to the repository, or $SUPERSPACE_SHARED) is not present; nn2poly comparison skipped.");
        }

        return path!;
    }

    /// <summary>Builds our Mlp from nn2poly's layout (row 0 biases, row i weights from input i, column j unit j).</summary>
    public static Mlp ReadNetwork(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        int inputs = root.GetProperty("inputs").GetInt32();
        var layers = new List<DenseLayer>();
        var blocks = new List<double[][]>();
        foreach (JsonElement layer in root.GetProperty("layers").EnumerateArray())
        {
            string activation = layer.GetProperty("activation").GetString()!;
            double[][] weights = layer.GetProperty("weights").EnumerateArray()
                .Select(row => row.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToArray();
            int units = layer.GetProperty("cols").GetInt32();
            layers.Add(new DenseLayer(units, activation switch
            {
                "tanh" => Activation.Tanh,
                "sigmoid" => Activation.Sigmoid,
                "linear" => Activation.Identity,
                _ => throw new InvalidDataException(activation),
            }));
            blocks.Add(weights);
        }

        var network = new Mlp(inputs, [.. layers]);
        Span<double> parameters = network.Parameters;
        int offset = 0;
        foreach (double[][] weights in blocks)
        {
            int rows = weights.Length, units = weights[0].Length;
            for (int j = 0; j < units; j++)
            {
                for (int i = 1; i < rows; i++)
                {
                    parameters[offset++] = weights[i][j];
                }
            }

            for (int j = 0; j < units; j++)
            {
                parameters[offset++] = weights[0][j];
            }
        }

        Assert.That(offset, Is.EqualTo(network.ParameterCount));
        return network;
    }

    /// <summary>(label, value) rows of a coefficients file; label "1 1 2" = x1²·x2 (1-based), "0" = constant.</summary>
    public static (int[] Exponents, double Value)[] ReadCoefficients(string path, int variableCount)
    {
        var rows = new List<(int[], double)>();
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            string[] parts = line.Split(',');
            string label = parts[0].Trim('"');
            double value = double.Parse(parts[1].Trim('"'), CultureInfo.InvariantCulture);
            var exponents = new int[variableCount];
            foreach (string index in label.Split(' '))
            {
                int k = int.Parse(index, CultureInfo.InvariantCulture);
                if (k > 0)
                {
                    exponents[k - 1]++;
                }
            }

            rows.Add((exponents, value));
        }

        return [.. rows];
    }
}
