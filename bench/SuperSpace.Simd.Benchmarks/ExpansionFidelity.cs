using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SuperSpace.Simd.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release -- expansion-fidelity [output.md]</c>: for the five nn2poly shapes and every
/// method, the median expansion time of 5 runs (single thread, Stopwatch — the BenchmarkDotNet suite
/// <see cref="SuperPlaneExpansionBenchmarks"/> is the authoritative timing) and the max and RMS
/// |network − plane| on 10,000 points uniform in [−1, 1]^d (independent of the 2,000 data points
/// the Chebyshev intervals and the Taylor centre come from). Writes a markdown table.
/// </summary>
internal static class ExpansionFidelity
{
    /// <summary>Projection is run up to this many terms (its normal matrix is terms² doubles).</summary>
    public const long MaxProjectionTerms = 5000;

    public static void Run(string[] args)
    {
        string output = args.Length > 1 ? args[1] : Path.Combine("artifacts", "bench", "expansion-fidelity.md");
        var text = new StringBuilder();
        text.AppendLine("| network | degree | terms | method | time (ms) | max \\|NN − poly\\| | RMS | nn2poly time (ms) | nn2poly max |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var shape in ExpansionShapes.All)
        {
            (Mlp network, int degree) = ExpansionShapes.Build(shape.Name);
            double[] data = ExpansionShapes.UniformPoints(2000, network.InputCount, 2);
            double[] test = ExpansionShapes.UniformPoints(10_000, network.InputCount, 3);
            var expected = new double[10_000];
            network.Predict(test, expected);
            long terms = MonomialBasis.CountTerms(network.InputCount, degree);
            foreach (ExpansionMethod method in new[] { ExpansionMethod.Taylor, ExpansionMethod.TaylorFixedCentre, ExpansionMethod.Chebyshev, ExpansionMethod.Projection })
            {
                double[] fitData = data;
                if (method == ExpansionMethod.Projection)
                {
                    if (terms > MaxProjectionTerms)
                    {
                        string skipped = string.Create(CultureInfo.InvariantCulture,
                            $"| {shape.Name} | {degree} | {terms:N0} | Projection | not run ({terms:N0} terms: a {terms:N0}² normal matrix) | | | {shape.Nn2polyMs} | {shape.Nn2polyMaxError} |");
                        text.AppendLine(skipped);
                        Console.WriteLine(skipped);
                        continue;
                    }

                    fitData = ExpansionShapes.UniformPoints((int)Math.Max(2000, 3 * terms), network.InputCount, 2);
                }

                var options = new SuperPlaneExpansionOptions { Method = method, TaylorOrder = 8, Data = fitData };
                var times = new List<double>();
                SuperPlane plane = null!;
                for (int run = 0; run < 5; run++)
                {
                    var watch = Stopwatch.StartNew();
                    plane = SuperPlaneExpansion.Expand(network, degree, options)[0];
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }

                times.Sort();
                var values = new double[10_000];
                plane.Evaluate(test, values);
                double max = 0, sum = 0;
                for (int s = 0; s < values.Length; s++)
                {
                    double e = Math.Abs(values[s] - expected[s]);
                    max = Math.Max(max, e);
                    sum += e * e;
                }

                string name = method switch
                {
                    ExpansionMethod.Taylor => "Taylor at data mean",
                    ExpansionMethod.TaylorFixedCentre => "TaylorFixedCentre (nn2poly's definition, order 8, centre 0)",
                    ExpansionMethod.Chebyshev => "Chebyshev",
                    _ => "Projection (least squares on 3 × terms points)",
                };
                string line = string.Create(CultureInfo.InvariantCulture,
                    $"| {shape.Name} | {degree} | {plane.Basis.TermCount:N0} | {name} | {times[2]:G3} | {max:G2} | {Math.Sqrt(sum / values.Length):G2} | {shape.Nn2polyMs} | {shape.Nn2polyMaxError} |");
                text.AppendLine(line);
                Console.WriteLine(line);
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, text.ToString());
        Console.WriteLine($"written {output}");
    }
}
