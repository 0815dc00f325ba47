using BenchmarkDotNet.Attributes;

namespace SuperSpace.Simd.Benchmarks;

/// <summary>
/// Evaluating a Super Plane at many points: the batch path (basis tile + register-blocked reduction)
/// against a loop of single-point evaluations (the previous batch implementation) and the write floor of
/// the basis features it avoids materialising (MonomialBasis.Evaluate of the same points).
/// </summary>
[MemoryDiagnoser]
public class SuperPlaneEvaluateBenchmarks
{
    private SuperPlane _plane = null!;
    private double[] _points = [];
    private double[] _values = [];
    private double[] _features = [];

    /// <summary>samples × variables × degree.</summary>
    [Params("200000x8x3", "50000x6x6")]
    public string Shape { get; set; } = "200000x8x3";

    [GlobalSetup]
    public void Setup()
    {
        int[] parts = Shape.Split('x').Select(int.Parse).ToArray();
        (int n, int v, int d) = (parts[0], parts[1], parts[2]);
        var basis = new MonomialBasis(v, d);
        var random = new Random(3);
        _plane = new SuperPlane(basis, Enumerable.Range(0, basis.TermCount).Select(_ => random.NextDouble() - 0.5).ToArray());
        _points = Enumerable.Range(0, n * v).Select(_ => (2 * random.NextDouble()) - 1).ToArray();
        _values = new double[n];
        _features = new double[(long)n * basis.TermCount];
    }

    [Benchmark(Baseline = true, Description = "point by point")]
    public void PointByPoint()
    {
        int v = _plane.Basis.VariableCount;
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i] = _plane.Evaluate(_points.AsSpan(i * v, v));
        }
    }

    [Benchmark(Description = "batch, 1 thread")]
    public void Batch() => _plane.Evaluate(_points, _values, 1);

    [Benchmark(Description = "batch, all cores")]
    public void BatchParallel() => _plane.Evaluate(_points, _values, -1);

    [Benchmark(Description = "features only (MonomialBasis.Evaluate, 1 thread)")]
    public void FeaturesOnly() => _plane.Basis.Evaluate(_points, _features, 1);
}
