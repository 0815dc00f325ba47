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

/// <summary>
/// The Projection method (least-squares Super Plane on 3 × terms uniform points, SuperPlane.Fit) on the
/// shapes whose basis fits a dense normal matrix (20-128t-1's 10,626 terms are left out).
/// </summary>
[MemoryDiagnoser]
public class SuperPlaneProjectionBenchmarks
{
    private Mlp _network = null!;
    private int _degree;
    private SuperPlaneExpansionOptions _options = null!;

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "3-4t-1";

    public static IEnumerable<string> Shapes() => ExpansionShapes.All
        .Where(s => MonomialBasis.CountTerms(s.Inputs, s.Degree) <= ExpansionFidelity.MaxProjectionTerms)
        .Select(s => s.Name);

    [GlobalSetup]
    public void Setup()
    {
        (_network, _degree) = ExpansionShapes.Build(Shape);
        long terms = MonomialBasis.CountTerms(_network.InputCount, _degree);
        _options = new SuperPlaneExpansionOptions
        {
            Method = ExpansionMethod.Projection,
            Data = ExpansionShapes.UniformPoints((int)Math.Max(2000, 3 * terms), _network.InputCount, 2),
        };
    }

    [Benchmark]
    public SuperPlane[] Expand() => SuperPlaneExpansion.Expand(_network, _degree, _options);
}
