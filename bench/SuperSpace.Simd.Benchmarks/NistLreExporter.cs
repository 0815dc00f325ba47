using System.Globalization;
using System.Text;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;

namespace SuperSpace.Simd.Benchmarks;

/// <summary>
/// Writes the NIST accuracy table (LRE of every solver on every start, from a non-timed solve) together
/// with the measured median time per solve, next to the BenchmarkDotNet report, as
/// "…LevenbergMarquardtNistLre-report-github.md" (build.ps1 copies it to bench/results/LevenbergMarquardtNistLre.md).
/// </summary>
internal sealed class NistLreExporter : IExporter
{
    public string Name => "NistLre";

    public void ExportToLog(Summary summary, ILogger logger) => logger.WriteLine(Build(summary));

    public IEnumerable<string> ExportToFiles(Summary summary, ILogger consoleLogger)
    {
        string path = Path.Combine(summary.ResultsDirectoryPath, "SuperSpace.Simd.Benchmarks.LevenbergMarquardtNistLre-report-github.md");
        File.WriteAllText(path, Build(summary));
        return [path];
    }

    private static readonly (NistSolver Solver, string Method, string Label)[] Analytic =
    [
        (NistSolver.Ours, nameof(LevenbergMarquardtNistBenchmarks.Ours), "ours"),
        (NistSolver.MinpackLmder, nameof(LevenbergMarquardtNistBenchmarks.MinpackLmder), "MINPACK lmder"),
        (NistSolver.MathNet, nameof(LevenbergMarquardtNistBenchmarks.MathNet), "MathNet"),
    ];

    private static readonly (NistSolver Solver, string Method, string Label)[] FiniteDifferences =
    [
        (NistSolver.OursFiniteDifferences, nameof(LevenbergMarquardtNistBenchmarks.OursFiniteDifferences), "ours"),
        (NistSolver.MinpackLmdif, nameof(LevenbergMarquardtNistBenchmarks.MinpackLmdif), "MINPACK lmdif"),
        (NistSolver.MathNetFiniteDifferences, nameof(LevenbergMarquardtNistBenchmarks.MathNetFiniteDifferences), "MathNet"),
    ];

    private static string Build(Summary summary)
    {
        // Median time per solve (ns) and bytes per solve from the report, when the case was run.
        var times = new Dictionary<(string Case, string Method), double>();
        var bytes = new Dictionary<(string Case, string Method), long>();
        foreach (var report in summary.Reports)
        {
            if (report.ResultStatistics is not { } stats || report.BenchmarkCase.Descriptor.Type != typeof(LevenbergMarquardtNistBenchmarks))
            {
                continue;
            }

            string testCase = (string)report.BenchmarkCase.Parameters[nameof(LevenbergMarquardtNistBenchmarks.Case)]!;
            string method = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            times[(testCase, method)] = stats.Median;
            bytes[(testCase, method)] = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1;
        }

        var text = new StringBuilder();
        text.AppendLine("# NIST StRD nonlinear regression: accuracy and time per solve");
        text.AppendLine();
        text.AppendLine($"{NistSolvers.Cases.Length / 2} problems (the lower- and average-difficulty files in the shared folder; NIST's 8 higher-difficulty ones are not there), " +
                        $"both starts = {NistSolvers.Cases.Length} solves per solver. LRE = −log10(relative error) of the worst parameter against NIST's certified " +
                        "values, capped at 11 (fits that land on a relabelled copy of the certified minimum are mapped back first). Time = BenchmarkDotNet median per solve " +
                        "(\"-\" where the case was not run). MINPACK = cminpack lmder/lmdif, ftol = xtol = 1e-15; ours and MathNet at their defaults.");
        text.AppendLine();
        text.AppendLine("Environment: " + string.Join(", ", summary.HostEnvironmentInfo.ToFormattedString()));
        text.AppendLine();
        Section(text, "Analytic Jacobians", Analytic, times, bytes);
        Section(text, "Finite-difference Jacobians", FiniteDifferences, times, bytes);
        return text.ToString();
    }

    private static void Section(StringBuilder text, string title, (NistSolver Solver, string Method, string Label)[] solvers,
                                Dictionary<(string, string), double> times, Dictionary<(string, string), long> bytes)
    {
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine($"## {title}");
        text.AppendLine();
        text.Append("| problem | start |");
        foreach (var s in solvers)
        {
            text.Append(inv, $" LRE {s.Label} |");
        }

        foreach (var s in solvers)
        {
            text.Append(inv, $" µs {s.Label} |");
        }

        foreach (var s in solvers)
        {
            text.Append(inv, $" evals {s.Label} |");
        }

        text.AppendLine();
        text.AppendLine("|---|---|" + string.Concat(Enumerable.Repeat("---:|", solvers.Length * 3)));
        foreach (string testCase in NistSolvers.Cases)
        {
            string[] parts = testCase.Split('/');
            text.Append(inv, $"| {parts[0]} | {parts[1]} |");
            foreach (var s in solvers)
            {
                text.Append(inv, $" {NistSolvers.Outcome(testCase, s.Solver).ParameterLre:F2} |");
            }

            foreach (var s in solvers)
            {
                text.Append(times.TryGetValue((testCase, s.Method), out double ns) ? string.Format(inv, " {0:F1} |", ns / 1000) : " - |");
            }

            foreach (var s in solvers)
            {
                var o = NistSolvers.Outcome(testCase, s.Solver);
                text.Append(inv, $" {o.Evaluations}+{o.JacobianEvaluations}J |");
            }

            text.AppendLine();
        }

        text.AppendLine();
        text.AppendLine("| solver | starts with LRE ≥ 6 | mean LRE | min LRE | median µs per solve | median time ratio to MINPACK | bytes per solve (median) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var s in solvers)
        {
            var lres = NistSolvers.Cases.Select(c => NistSolvers.Outcome(c, s.Solver).ParameterLre).ToArray();
            var ownTimes = NistSolvers.Cases.Where(c => times.ContainsKey((c, s.Method))).Select(c => times[(c, s.Method)]).ToArray();
            var ratios = NistSolvers.Cases.Where(c => times.ContainsKey((c, s.Method)) && times.ContainsKey((c, solvers[1].Method)))
                .Select(c => times[(c, s.Method)] / times[(c, solvers[1].Method)]).ToArray();
            var ownBytes = NistSolvers.Cases.Where(c => bytes.ContainsKey((c, s.Method))).Select(c => (double)bytes[(c, s.Method)]).ToArray();
            text.AppendLine(string.Format(inv, "| {0} | {1}/{2} | {3:F2} | {4:F2} | {5} | {6} | {7} |", s.Label, lres.Count(l => l >= 6), lres.Length,
                lres.Average(), lres.Min(), ownTimes.Length > 0 ? (Median(ownTimes) / 1000).ToString("F1", inv) : "-",
                ratios.Length > 0 ? Median(ratios).ToString("F2", inv) : "-", ownBytes.Length > 0 ? Median(ownBytes).ToString("F0", inv) : "-"));
        }

        text.AppendLine();
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }
}
