using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SuperSpace.Simd.Benchmarks;

/// <summary>
/// Floating-point rate in GFLOP/s from the median time: the operation's nominal flop count (the same
/// for every implementation of it, e.g. 2mnk for GEMM) divided by the median.
/// </summary>
internal sealed class GflopsColumn : IColumn
{
    public string Id => "GFLOPs";
    public string ColumnName => "GFLOP/s (median)";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Nominal flops of the operation / median time (1 GFLOP = 1e9 floating-point operations)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } stats)
        {
            return "-";
        }

        if (Activator.CreateInstance(benchmarkCase.Descriptor.Type) is not IFlopCount source)
        {
            return "-";
        }

        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            benchmarkCase.Descriptor.Type.GetProperty(parameter.Name)?.SetValue(source, parameter.Value);
            benchmarkCase.Descriptor.Type.GetField(parameter.Name)?.SetValue(source, parameter.Value);
        }

        double flops = source.FlopCount(benchmarkCase.Descriptor.WorkloadMethod.Name);
        if (flops <= 0)
        {
            return "-";
        }

        double seconds = stats.Median * 1e-9;
        return (flops / seconds / 1e9).ToString("F2", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

/// <summary>Implemented by benchmarks whose figure of merit is the floating-point rate.</summary>
internal interface IFlopCount
{
    /// <summary>Nominal flops of one invocation of the benchmark method (0 = not a flop benchmark, e.g. a copy floor).</summary>
    double FlopCount(string methodName);
}
