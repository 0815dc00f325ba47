using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using SuperSpace.Simd.Tests.Solvers.Problems;

namespace SuperSpace.Simd.Benchmarks;

/// <summary>
/// Time per solve on the NIST StRD nonlinear problems (the 19 files of the shared folder, both starts):
/// LevenbergMarquardtSolver against MINPACK itself (cminpack lmder/lmdif through P/Invoke, the baseline)
/// and MathNet.Numerics 5.0's LevenbergMarquardtMinimizer, on the same models, data and starts, with
/// analytic and finite-difference Jacobians. Every solver calls the same managed model code. The columns
/// add iterations, evaluations and the LRE each solver reaches; <see cref="NistLreExporter"/> writes the
/// full accuracy table and the medians next to the report.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
[Config(typeof(Config))]
public class LevenbergMarquardtNistBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new NistOutcomeColumn("Evaluations", "residual evaluations per solve (incl. finite differences)", o => o.Evaluations.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            AddColumn(new NistOutcomeColumn("Jacobians", "Jacobian evaluations per solve", o => o.JacobianEvaluations.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            AddColumn(new NistOutcomeColumn("LRE", "smallest parameter LRE against the certified values (cap 11)", o => o.ParameterLre.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));
            AddExporter(new NistLreExporter());
        }
    }

    private NistProblem _analytic;
    private NistProblem _finite;
    private double[] _start = [];
    private LevenbergMarquardtSolver _solver = null!;
    private Cminpack.Workspace _lmder = null!;
    private Cminpack.Workspace _lmdif = null!;
    private int _maxfev;

    public static IEnumerable<string> Cases => NistSolvers.Cases;

    /// <summary>Dataset/start, e.g. "Misra1a/1".</summary>
    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = "Misra1a/1";

    [GlobalSetup]
    public void Setup()
    {
        var (dataset, start) = NistSolvers.Parse(Case);
        _analytic = new NistProblem(dataset, analyticJacobian: true);
        _finite = new NistProblem(dataset, analyticJacobian: false);
        _start = dataset.Start(start);
        _solver = new LevenbergMarquardtSolver();
        _lmder = Cminpack.Bind(_analytic);
        _lmdif = Cminpack.Bind(_finite);
        _maxfev = 1000 * (dataset.ParameterCount + 1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Cminpack.Unbind(_lmder);
        Cminpack.Unbind(_lmdif);
    }

    [Benchmark(Baseline = true, Description = "MINPACK lmder")]
    [BenchmarkCategory("analytic")]
    public int MinpackLmder() => Cminpack.Run(_lmder, _start, analytic: true, 1e-15, 1e-15, 0, _maxfev, out _, out _);

    [Benchmark(Description = "LevenbergMarquardtSolver")]
    [BenchmarkCategory("analytic")]
    public double Ours() => _solver.Solve(_analytic, _start).Cost;

    [Benchmark(Description = "MathNet LevenbergMarquardtMinimizer")]
    [BenchmarkCategory("analytic")]
    public Vector<double> MathNet() => NistSolvers.MathNetSolve(_analytic, _start, analytic: true).MinimizingPoint;

    [Benchmark(Baseline = true, Description = "MINPACK lmdif")]
    [BenchmarkCategory("finite differences")]
    public int MinpackLmdif() => Cminpack.Run(_lmdif, _start, analytic: false, 1e-15, 1e-15, 0, _maxfev, out _, out _);

    [Benchmark(Description = "LevenbergMarquardtSolver (FD)")]
    [BenchmarkCategory("finite differences")]
    public double OursFiniteDifferences() => _solver.Solve(_finite, _start).Cost;

    [Benchmark(Description = "MathNet LevenbergMarquardtMinimizer (FD)")]
    [BenchmarkCategory("finite differences")]
    public Vector<double> MathNetFiniteDifferences() => NistSolvers.MathNetSolve(_finite, _start, analytic: false).MinimizingPoint;

    internal static NistSolver SolverOf(string methodName) => methodName switch
    {
        nameof(MinpackLmder) => NistSolver.MinpackLmder,
        nameof(Ours) => NistSolver.Ours,
        nameof(MathNet) => NistSolver.MathNet,
        nameof(MinpackLmdif) => NistSolver.MinpackLmdif,
        nameof(OursFiniteDifferences) => NistSolver.OursFiniteDifferences,
        nameof(MathNetFiniteDifferences) => NistSolver.MathNetFiniteDifferences,
        _ => throw new ArgumentException(methodName, nameof(methodName)),
    };
}

/// <summary>A column read from the non-timed solve of the benchmark's (case, solver).</summary>
internal sealed class NistOutcomeColumn(string name, string legend, Func<NistOutcome, string> value) : IColumn
{
    public string Id => "Nist" + name;
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        string testCase = (string)benchmarkCase.Parameters[nameof(LevenbergMarquardtNistBenchmarks.Case)]!;
        var solver = LevenbergMarquardtNistBenchmarks.SolverOf(benchmarkCase.Descriptor.WorkloadMethod.Name);
        return value(NistSolvers.Outcome(testCase, solver));
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
