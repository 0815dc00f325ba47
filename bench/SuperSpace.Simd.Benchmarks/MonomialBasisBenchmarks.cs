using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace SuperSpace.Simd.Benchmarks;

/// <summary>
/// Materialising monomial features (the Super Space) against the memory-write floor: a
/// <see cref="Span{T}.Fill"/> of the same output size. Also a naive scalar implementation (each term
/// as the product of its variables), the way a hand-written loop or PolynomialFeatures computes it.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
[Config(typeof(Config))]
public class MonomialBasisBenchmarks : IOutputBytes
{
    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new ThroughputColumn());
    }

    private MonomialBasis _basis = null!;
    private double[] _points = [];
    private float[] _pointsFloat = [];
    private double[] _destination = [];
    private float[] _destinationFloat = [];
    private int[][] _termVariables = [];

    /// <summary>samples × variables × degree.</summary>
    [Params("200000x8x4", "50000x10x6")]
    public string Shape { get; set; } = "200000x8x4";

    private (int Samples, int Variables, int Degree) Parse()
    {
        var parts = Shape.Split('x').Select(int.Parse).ToArray();
        return (parts[0], parts[1], parts[2]);
    }

    public double OutputBytes(string methodName)
    {
        var (samples, variables, degree) = Parse();
        long terms = MonomialBasis.CountTerms(variables, degree);
        int size = methodName.Contains("Float", StringComparison.Ordinal) ? sizeof(float) : sizeof(double);
        return (double)samples * terms * size;
    }

    [GlobalSetup]
    public void Setup()
    {
        var (samples, variables, degree) = Parse();
        _basis = new MonomialBasis(variables, degree);
        var random = new Random(42);
        _points = new double[samples * variables];
        for (int i = 0; i < _points.Length; i++)
        {
            _points[i] = (random.NextDouble() * 2) - 1;
        }

        _pointsFloat = _points.Select(p => (float)p).ToArray();
        _destination = new double[(long)samples * _basis.TermCount];
        _destinationFloat = new float[(long)samples * _basis.TermCount];
        _destination.AsSpan().Fill(1);
        _destinationFloat.AsSpan().Fill(1);

        var exponents = new int[variables];
        _termVariables = new int[_basis.TermCount][];
        for (int t = 0; t < _basis.TermCount; t++)
        {
            _basis.GetExponents(t, exponents);
            _termVariables[t] = exponents.SelectMany((e, j) => Enumerable.Repeat(j, e)).ToArray();
        }
    }

    [Benchmark(Baseline = true, Description = "Span.Fill (write floor)")]
    [BenchmarkCategory("double")]
    public void FillDouble() => _destination.AsSpan().Fill(0.5);

    [Benchmark(Description = "Evaluate, 1 thread")]
    [BenchmarkCategory("double")]
    public void EvaluateDouble() => _basis.Evaluate(_points, _destination, 1);

    [Benchmark(Description = "Evaluate, all cores")]
    [BenchmarkCategory("double")]
    public void EvaluateDoubleParallel() => _basis.Evaluate(_points, _destination, -1);

    [Benchmark(Description = "naive scalar (product per term)")]
    [BenchmarkCategory("double")]
    public void NaiveDouble()
    {
        int v = _basis.VariableCount;
        int terms = _basis.TermCount;
        int samples = _points.Length / v;
        for (int s = 0; s < samples; s++)
        {
            for (int t = 0; t < terms; t++)
            {
                double product = 1;
                foreach (int j in _termVariables[t])
                {
                    product *= _points[(s * v) + j];
                }

                _destination[((long)s * terms) + t] = product;
            }
        }
    }

    [Benchmark(Baseline = true, Description = "Span.Fill (write floor)")]
    [BenchmarkCategory("float")]
    public void FillFloat() => _destinationFloat.AsSpan().Fill(0.5f);

    [Benchmark(Description = "Evaluate, 1 thread")]
    [BenchmarkCategory("float")]
    public void EvaluateFloat() => _basis.Evaluate(_pointsFloat, _destinationFloat, 1);

    [Benchmark(Description = "Evaluate, all cores")]
    [BenchmarkCategory("float")]
    public void EvaluateFloatParallel() => _basis.Evaluate(_pointsFloat, _destinationFloat, -1);
}
