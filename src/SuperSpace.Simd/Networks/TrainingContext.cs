// What both training methods share for one Train call: the network shape, the prepared training and
// validation sets, the worker pool with one tile workspace per worker, deterministic sums over tiles
// (per-tile partials added in tile order, so the result is the same for every thread count), the
// best-validation bookkeeping and the stopping rules. Everything is allocated here, once.
using System.Diagnostics;

namespace SuperSpace.Simd.Networks;

internal sealed class TrainingContext : IDisposable
{
    public const int TileSamples = 64;

    /// <summary>sampleCount·parameterCount per worker below which a pass runs on fewer threads.</summary>
    internal const long MinimumWorkPerWorker = 1 << 16;

    private readonly double[] _partials;
    private readonly SumOfSquaresJob _sumOfSquares;
    private readonly Stopwatch _stopwatch;

    public TrainingContext(Mlp network, TrainingData train, TrainingData? validation, MlpTrainingOptions options, Stopwatch stopwatch)
    {
        Shape = new NetworkShape(network);
        Train = train;
        Validation = validation;
        Options = options;
        _stopwatch = stopwatch;
        // Helpers only when a pass over the data is worth waking them: ≈ 64k multiply-adds (sampleCount·P) per worker.
        // The worker count never changes a result (per-tile partials, merged in tile order).
        int workers = options.MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : options.MaxDegreeOfParallelism;
        long work = (long)train.SampleCount * network.ParameterCount;
        workers = (int)Math.Min(workers, Math.Max(1, work / MinimumWorkPerWorker));
        Pool = new WorkerPool(Math.Min(workers, Math.Max(1, train.TileCount)));
        Workspaces = new TileWorkspace[Pool.WorkerCount];
        for (int w = 0; w < Workspaces.Length; w++)
        {
            Workspaces[w] = new TileWorkspace(Shape, TileSamples);
        }

        _partials = new double[Math.Max(train.TileCount, validation?.TileCount ?? 0)];
        _sumOfSquares = new SumOfSquaresJob(this);
        Theta = network.Parameters.ToArray();
        BestTheta = validation is null ? [] : new double[Theta.Length];
        BestValidationMse = double.PositiveInfinity;
        ValidationMse = double.NaN;
    }

    public NetworkShape Shape { get; }

    public TrainingData Train { get; }

    public TrainingData? Validation { get; }

    public MlpTrainingOptions Options { get; }

    public WorkerPool Pool { get; }

    public TileWorkspace[] Workspaces { get; }

    /// <summary>The current parameters.</summary>
    public double[] Theta { get; set; }

    /// <summary>Parameters of the best validation epoch (empty without validation).</summary>
    public double[] BestTheta { get; }

    public double BestValidationMse { get; private set; }

    public int BestEpoch { get; private set; }

    public double ValidationMse { get; private set; }

    public int ValidationFailures { get; private set; }

    public TimeSpan Elapsed => _stopwatch.Elapsed;

    /// <summary>Σ r² over <paramref name="data"/> at <paramref name="theta"/> (forward passes only).</summary>
    public double SumOfSquares(TrainingData data, double[] theta)
    {
        _sumOfSquares.Data = data;
        _sumOfSquares.Theta = theta;
        Pool.Run(data.TileCount, _sumOfSquares);
        return SumPartials(data.TileCount);
    }

    /// <summary>Σ of the first <paramref name="count"/> per-tile partials, in tile order.</summary>
    public double SumPartials(int count)
    {
        double sum = 0;
        for (int t = 0; t < count; t++)
        {
            sum += _partials[t];
        }

        return sum;
    }

    public Span<double> Partials => _partials;

    /// <summary>Validation MSE at the current parameters; tracks the best epoch and the consecutive failures.</summary>
    public void Validate(int epoch)
    {
        if (Validation is null)
        {
            BestEpoch = epoch;
            return;
        }

        ValidationMse = SumOfSquares(Validation, Theta) / Validation.ErrorCount;
        if (ValidationMse < BestValidationMse)
        {
            BestValidationMse = ValidationMse;
            BestEpoch = epoch;
            ValidationFailures = 0;
            Theta.CopyTo(BestTheta, 0);
        }
        else
        {
            ValidationFailures++;
        }
    }

    /// <summary>The stopping rules checked before each epoch, in trainlm's order; null to go on.</summary>
    public MlpTrainingStatus? CheckStop(int epoch, double mse, double gradientNorm)
    {
        MlpTrainingOptions o = Options;
        if (mse <= o.GoalMse)
        {
            return MlpTrainingStatus.GoalReached;
        }

        if (epoch >= o.MaxEpochs)
        {
            return MlpTrainingStatus.MaxEpochs;
        }

        if (o.TimeLimit is { } limit && _stopwatch.Elapsed >= limit)
        {
            return MlpTrainingStatus.TimeLimit;
        }

        if (gradientNorm < o.MinGradient)
        {
            return MlpTrainingStatus.MinGradient;
        }

        if (Validation is not null && ValidationFailures >= o.MaxValidationFailures)
        {
            return MlpTrainingStatus.ValidationStop;
        }

        if (o.CancellationToken.IsCancellationRequested)
        {
            return MlpTrainingStatus.Cancelled;
        }

        return null;
    }

    public void Report(int epoch, double mse, double mu, double gradientNorm) =>
        Options.EpochCallback?.Invoke(new MlpTrainingProgress(epoch, mse, ValidationMse, mu, gradientNorm, _stopwatch.Elapsed));

    /// <summary>The parameters to leave in the network: the best validation epoch's, or the current ones.</summary>
    public double[] FinalTheta => Validation is null ? Theta : BestTheta;

    public void Dispose() => Pool.Dispose();

    private sealed class SumOfSquaresJob(TrainingContext context) : IParallelJob
    {
        public TrainingData Data { get; set; } = null!;

        public double[] Theta { get; set; } = null!;

        public void Execute(int item, int worker)
        {
            TrainingData data = Data;
            NetworkShape shape = context.Shape;
            int s = data.TileLength(item, TileSamples);
            int start = item * TileSamples;
            TileWorkspace ws = context.Workspaces[worker];
            TrainingKernels.Forward(shape, Theta, data.Points.AsSpan(start * shape.InputCount, s * shape.InputCount), s, ws, derivatives: false);
            int o = shape.OutputCount;
            context._partials[item] = TrainingKernels.SumOfSquares(
                TrainingKernels.Outputs(shape, s, ws), data.Targets.AsSpan(start * o, s * o), data.Scale.AsSpan(start * o, s * o));
        }
    }
}
