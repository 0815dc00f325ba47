using BenchmarkDotNet.Attributes;

namespace SuperSpace.Simd.Benchmarks;

/// <summary>
/// Network → Super Plane expansion on the five nn2poly shapes (weights uniform in [−0.3, 0.3]),
/// single-threaded, every method. nn2poly's own times (R + C++, measured on this kind of machine) are in
/// docs/expansion.md; fidelity figures come from <c>dotnet run -- expansion-fidelity</c> (ExpansionFidelity.cs).
/// </summary>
[MemoryDiagnoser]
public class SuperPlaneExpansionBenchmarks
{
    private Mlp _network = null!;
    private int _degree;
    private SuperPlaneExpansionOptions _options = null!;

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "3-4t-1";

    [Params(ExpansionMethod.Taylor, ExpansionMethod.TaylorFixedCentre, ExpansionMethod.Chebyshev)]
    public ExpansionMethod Algorithm { get; set; }

    public static IEnumerable<string> Shapes() => ExpansionShapes.All.Select(s => s.Name);

    [GlobalSetup]
    public void Setup()
    {
        (_network, _degree) = ExpansionShapes.Build(Shape);
        _options = new SuperPlaneExpansionOptions
        {
            Method = Algorithm,
            TaylorOrder = 8,
            Data = ExpansionShapes.UniformPoints(2000, _network.InputCount, 2),
        };
    }

    [Benchmark]
    public SuperPlane[] Expand() => SuperPlaneExpansion.Expand(_network, _degree, _options);
}
