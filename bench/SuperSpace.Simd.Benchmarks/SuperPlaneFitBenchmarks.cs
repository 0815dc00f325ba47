using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace SuperSpace.Simd.Benchmarks;

/// <summary>
/// Polynomial least squares (SuperPlane.Fit) on the anchor's problem: x uniform in [−1, 1]^v,
/// y = sin(Σx) + 0.01·noise, the full basis of degree D. The normal-equations path (moments + Cholesky +
/// one refinement pass) is the baseline; QR is the accuracy path. The peers (scikit-learn pipeline and
/// numpy normal equations, single thread) run outside .NET: bench/polyfit_compare.py measures them side
/// by side with this library on identical data and writes bench/results/polyfit-comparison.md.
/// The moment pass alone shows how much of the fit is the single streaming pass over the data.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
public class SuperPlaneFitBenchmarks
{
    private double[] _points = [];
    private double[] _targets = [];
    private MonomialBasis _basis = null!;

    /// <summary>samples × variables × degree.</summary>
    [Params("1000000x8x3", "200000x8x4")]
    public string Shape { get; set; } = "1000000x8x3";

    [GlobalSetup]
    public void Setup()
    {
        int[] parts = Shape.Split('x').Select(int.Parse).ToArray();
        (int n, int v, int d) = (parts[0], parts[1], parts[2]);
        _basis = new MonomialBasis(v, d);
        var random = new Random(7);
        _points = new double[n * v];
        _targets = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int j = 0; j < v; j++)
            {
                double x = (2 * random.NextDouble()) - 1;
                _points[(i * v) + j] = x;
                sum += x;
            }

            _targets[i] = Math.Sin(sum) + (0.01 * Gaussian(random));
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private SuperPlaneFit Fit(LeastSquaresMethod method, int threads) =>
        SuperPlane.Fit(_points, _targets, _basis, new SuperPlaneFitOptions { Method = method, MaxDegreeOfParallelism = threads });

    [Benchmark(Baseline = true, Description = "normal equations, 1 thread")]
    public SuperPlaneFit NormalEquations() => Fit(LeastSquaresMethod.NormalEquations, 1);

    [Benchmark(Description = "normal equations, all cores")]
    public SuperPlaneFit NormalEquationsParallel() => Fit(LeastSquaresMethod.NormalEquations, -1);

    [Benchmark(Description = "Auto, 1 thread")]
    public SuperPlaneFit Auto() => Fit(LeastSquaresMethod.Auto, 1);

    [Benchmark(Description = "QR, 1 thread")]
    public SuperPlaneFit Qr() => Fit(LeastSquaresMethod.Qr, 1);

    [Benchmark(Description = "QR, all cores")]
    public SuperPlaneFit QrParallel() => Fit(LeastSquaresMethod.Qr, -1);

    /// <summary>
    /// The unfused alternative the fused kernel replaces: evaluate the degree-2D basis feature-major with the
    /// tile evaluator (every row stored), then sum each row. Moments only (no Σ y·z^a).
    /// </summary>
    [Benchmark(Description = "moments via EvaluateTile + row sums (unfused), 1 thread")]
    public double[] MomentsUnfused()
    {
        const int stride = 64;
        var momentBasis = new MonomialBasis(_basis.VariableCount, 2 * _basis.Degree);
        int m = momentBasis.TermCount;
        int v = _basis.VariableCount;
        int n = _targets.Length;
        var tile = new double[m * stride];
        var sums = new double[m];
        for (int s0 = 0; s0 < n; s0 += stride)
        {
            int count = Math.Min(stride, n - s0);
            momentBasis.Evaluator.EvaluateTile(_points.AsSpan(s0 * v, count * v), tile, stride);
            for (int t = 0; t < m; t++)
            {
                sums[t] += System.Numerics.Vector.Sum(new System.Numerics.Vector<double>(tile, t * stride)) + RowTail(tile, (t * stride) + System.Numerics.Vector<double>.Count, stride - System.Numerics.Vector<double>.Count);
            }
        }

        return sums;
    }

    private static double RowTail(double[] tile, int start, int length)
    {
        var acc = System.Numerics.Vector<double>.Zero;
        int w = System.Numerics.Vector<double>.Count;
        for (int i = 0; i < length; i += w)
        {
            acc += new System.Numerics.Vector<double>(tile, start + i);
        }

        return System.Numerics.Vector.Sum(acc);
    }

    [Benchmark(Description = "moment pass only, 1 thread")]
    public double[] MomentPass()
    {
        var kernel = Polynomials.MomentPlan.For(_basis).Kernel(1);
        double[] center = new double[_basis.VariableCount];
        double[] spread = Enumerable.Repeat(1.0, _basis.VariableCount).ToArray();
        return Polynomials.MomentPass.Run(kernel, _points, _targets, [], center, spread, 1);
    }
}
