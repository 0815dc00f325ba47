using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SuperSpace.Simd.Benchmarks;

/// <summary>
/// Output throughput in GB/s from the median time: bytes written per operation divided by the
/// median. The bytes come from the benchmark's <see cref="IOutputBytes"/> for its parameters.
/// </summary>
internal sealed class ThroughputColumn : IColumn
{
    public string Id => "GBps";
    public string ColumnName => "GB/s (median)";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Output bytes written per operation / median time (1 GB = 1e9 bytes)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } stats)
        {
            return "-";
        }

        if (Activator.CreateInstance(benchmarkCase.Descriptor.Type) is not IOutputBytes source)
        {
            return "-";
        }

        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            benchmarkCase.Descriptor.Type.GetProperty(parameter.Name)?.SetValue(source, parameter.Value);
            benchmarkCase.Descriptor.Type.GetField(parameter.Name)?.SetValue(source, parameter.Value);
        }

        double bytes = source.OutputBytes(benchmarkCase.Descriptor.WorkloadMethod.Name);
        double seconds = stats.Median * 1e-9;
        return (bytes / seconds / 1e9).ToString("F2", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

/// <summary>Implemented by benchmarks whose figure of merit is output bandwidth.</summary>
internal interface IOutputBytes
{
    double OutputBytes(string methodName);
}
