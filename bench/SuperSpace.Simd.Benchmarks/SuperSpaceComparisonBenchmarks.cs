using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace SuperSpace.Simd.Benchmarks;

/// <summary>
/// The Super Space comparison's costs (issue 7, section 3; held-out errors and fidelity are asserted and printed by
/// tests/…/SuperSpaceComparisonTests): on the same training data, (a) training the MLP with Levenberg–Marquardt
/// (Bayesian regularisation), (b) fitting a Super Plane directly, (c) expanding the trained MLP into a Super Plane.
/// Friedman #1: 1,000 samples, 10-10-1 tanh; diabetes: the 342-sample training split, 10-3-1 tanh.
/// </summary>
[MemoryDiagnoser]
public class SuperSpaceComparisonBenchmarks
{
    private double[] _x = [];
    private double[] _y = [];
    private Mlp _trained = null!;
    private Func<Mlp> _network = null!;
    private MonomialBasis _basis = null!;

    [Params("friedman1", "diabetes")]
    public string Data { get; set; } = "";

    [Params(2, 3, 4)]
    public int Degree { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (Data == "friedman1")
        {
            (_x, _y) = TrainingProblems.Friedman1(1000, 1, 1);
            _network = () => new Mlp(10, new DenseLayer(10, Activation.Tanh), new DenseLayer(1, Activation.Identity));
        }
        else
        {
            (_x, _y) = DiabetesTrainingSplit();
            _network = () => new Mlp(10, new DenseLayer(3, Activation.Tanh), new DenseLayer(1, Activation.Identity));
        }

        _basis = new MonomialBasis(10, Degree);
        _trained = TrainMlp();
    }

    [Benchmark(Description = "(a) train MLP (LM + trainbr)")]
    public Mlp TrainMlp()
    {
        Mlp network = _network();
        new MlpTrainer(new MlpTrainingOptions { Regularization = MlpRegularization.Bayesian, MaxEpochs = 300 }).Train(network, _x, _y);
        return network;
    }

    [Benchmark(Description = "(b) SuperPlane.Fit")]
    public SuperPlane FitDirectly() => SuperPlane.Fit(_x, _y, _basis, new SuperPlaneFitOptions { ComputeStandardErrors = false }).Plane;

    [Benchmark(Description = "(c) expand the MLP (Chebyshev)")]
    public SuperPlane Expand() =>
        SuperPlaneExpansion.Expand(_trained, Degree, new SuperPlaneExpansionOptions { Method = ExpansionMethod.Chebyshev, Data = _x })[0];

    /// <summary>data/diabetes/diabetes.csv, the same seeded 342/100 split as the test (System.Random(1).Shuffle).</summary>
    private static (double[] X, double[] Y) DiabetesTrainingSplit()
    {
        string root = AppContext.BaseDirectory;
        for (var dir = new DirectoryInfo(root); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SuperSpace.Simd.sln")))
            {
                root = dir.FullName;
                break;
            }
        }

        string[] lines = File.ReadAllLines(Path.Combine(root, "data", "diabetes", "diabetes.csv"));
        int n = lines.Length - 1;
        int[] order = Enumerable.Range(0, n).ToArray();
        new Random(1).Shuffle(order);
        var x = new List<double>();
        var y = new List<double>();
        foreach (int r in order[100..])
        {
            string[] fields = lines[r + 1].Split(',');
            for (int j = 0; j < 10; j++)
            {
                x.Add(double.Parse(fields[j], CultureInfo.InvariantCulture));
            }

            y.Add(double.Parse(fields[10], CultureInfo.InvariantCulture));
        }

        return (x.ToArray(), y.ToArray());
    }
}
