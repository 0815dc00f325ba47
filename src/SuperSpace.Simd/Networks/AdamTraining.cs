// Adam (Kingma & Ba 2015) on the objective MSE + λ·Σ w² (weights only), behind the same options as
// Levenberg–Marquardt:
//   g = 2·Jᵀr/N_batch + 2λ·w,  m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,
//   θ ← θ − η·m̂/(√v̂ + ε),  m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)
// Jᵀr by one backward sweep per tile (no Jacobian), tiles in parallel, per-tile gradients summed in tile order.
// An epoch is one pass over the training samples (one step for full batch, shuffled mini-batches otherwise).
// Cost per epoch ≈ 3·n·P multiply-adds; memory O(P + batch).
namespace SuperSpace.Simd.Networks;

internal sealed class AdamTraining
{
    private readonly TrainingContext _context;
    private readonly int _p;
    private readonly int _batchSize;
    private readonly double[] _m;
    private readonly double[] _v;
    private readonly double[] _gradient;
    private readonly double[] _epochGradient;
    private readonly double[] _tileGradients;
    private readonly double[] _tileSums;
    private readonly int[] _order;
    private readonly double[] _previous;
    private readonly double[] _batchPoints;
    private readonly double[] _batchTargets;
    private readonly double[] _batchScale;
    private readonly GradientJob _job;
    private SplitMix64 _random;

    public AdamTraining(TrainingContext context)
    {
        _context = context;
        _p = context.Shape.ParameterCount;
        int n = context.Train.SampleCount;
        int batch = context.Options.BatchSize;
        _batchSize = batch <= 0 || batch >= n ? n : batch;
        int batchTiles = (_batchSize + TrainingContext.TileSamples - 1) / TrainingContext.TileSamples;
        _m = new double[_p];
        _v = new double[_p];
        _gradient = new double[_p];
        _previous = new double[_p];
        _epochGradient = new double[_p];
        _tileGradients = new double[(long)Math.Max(batchTiles, context.Train.TileCount) * _p];
        _tileSums = new double[Math.Max(batchTiles, context.Train.TileCount)];
        bool full = _batchSize == n;
        _order = full ? [] : new int[n];
        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }

        int inputs = context.Shape.InputCount;
        int outputs = context.Shape.OutputCount;
        _batchPoints = full ? [] : new double[(long)_batchSize * inputs];
        _batchTargets = full ? [] : new double[(long)_batchSize * outputs];
        _batchScale = full ? [] : new double[(long)_batchSize * outputs];
        _job = new GradientJob(this);
        _random = new SplitMix64(((long)context.Options.Seed << 1) | 1); // a stream distinct from the validation split's (seed)
    }

    public (MlpTrainingStatus Status, int Epochs, double Mse, double GradientNorm) Run()
    {
        TrainingContext ctx = _context;
        MlpTrainingOptions options = ctx.Options;
        TrainingData train = ctx.Train;
        bool full = _batchSize == train.SampleCount;
        double n = train.ErrorCount;
        double lambda = options.WeightDecay;
        bool[] isWeight = ctx.Shape.IsWeight;
        double beta1Power = 1, beta2Power = 1;
        int epoch = 0;
        double mse;
        double gradientNorm;
        MlpTrainingStatus status;

        // The gradient at the start (exact, full batch): Jᵀr and Σ r².
        double sse = Gradient(train.Points, train.Targets, train.Scale, train.SampleCount, ctx.Theta);
        if (!double.IsFinite(sse))
        {
            return (MlpTrainingStatus.NotFinite, 0, sse / n, double.NaN);
        }

        ObjectiveGradient(n, lambda, isWeight, _epochGradient);
        while (true)
        {
            ctx.Validate(epoch);
            mse = sse / n;
            gradientNorm = Blas1Norm(_epochGradient);
            ctx.Report(epoch, mse, options.LearningRate, gradientNorm);
            if (ctx.CheckStop(epoch, mse, gradientNorm) is { } stop)
            {
                status = stop;
                break;
            }

            double[] theta = ctx.Theta;
            theta.CopyTo(_previous, 0);
            if (full)
            {
                // One step with the gradient already computed at θ.
                Step(theta, _epochGradient, ref beta1Power, ref beta2Power);
            }
            else
            {
                Shuffle();
                Array.Clear(_epochGradient);
                int batches = 0;
                for (int start = 0; start < train.SampleCount; start += _batchSize)
                {
                    int count = Math.Min(_batchSize, train.SampleCount - start);
                    double weightSum = Gather(start, count);
                    Gradient(_batchPoints, _batchTargets, _batchScale, count, theta);
                    ObjectiveGradient(weightSum, lambda, isWeight, _gradient);
                    for (int j = 0; j < _p; j++)
                    {
                        _epochGradient[j] += _gradient[j];
                    }

                    Step(theta, _gradient, ref beta1Power, ref beta2Power);
                    batches++;
                }

                for (int j = 0; j < _p; j++)
                {
                    _epochGradient[j] /= batches;
                }
            }

            epoch++;
            if (full)
            {
                sse = Gradient(train.Points, train.Targets, train.Scale, train.SampleCount, theta);
                ObjectiveGradient(n, lambda, isWeight, _epochGradient);
            }
            else
            {
                sse = ctx.SumOfSquares(train, theta);
            }

            if (!double.IsFinite(sse))
            {
                // The step overflowed: go back to the last finite weights.
                _previous.CopyTo(theta, 0);
                epoch--;
                mse = ctx.SumOfSquares(train, theta) / n;
                status = MlpTrainingStatus.NotFinite;
                break;
            }
        }

        return (status, epoch, mse, gradientNorm);
    }

    private static double Blas1Norm(double[] x) => LinearAlgebra.Blas1.Norm2(x);

    /// <summary>Turns the summed Jᵀr in _gradient into ∇(MSE + λΣw²) with N = <paramref name="errorCount"/>, written to <paramref name="destination"/>.</summary>
    private void ObjectiveGradient(double errorCount, double lambda, bool[] isWeight, double[] destination)
    {
        double[] theta = _context.Theta;
        double f = 2 / errorCount;
        for (int j = 0; j < _p; j++)
        {
            destination[j] = (f * _gradient[j]) + (isWeight[j] ? 2 * lambda * theta[j] : 0);
        }
    }

    private void Step(double[] theta, double[] g, ref double beta1Power, ref double beta2Power)
    {
        MlpTrainingOptions o = _context.Options;
        double b1 = o.Beta1, b2 = o.Beta2, eta = o.LearningRate, eps = o.Epsilon;
        beta1Power *= b1;
        beta2Power *= b2;
        double c1 = 1 / (1 - beta1Power);
        double c2 = 1 / (1 - beta2Power);
        for (int j = 0; j < _p; j++)
        {
            double gj = g[j];
            _m[j] = (b1 * _m[j]) + ((1 - b1) * gj);
            _v[j] = (b2 * _v[j]) + ((1 - b2) * gj * gj);
            theta[j] -= eta * (_m[j] * c1) / (Math.Sqrt(_v[j] * c2) + eps);
        }
    }

    /// <summary>Fisher–Yates with the seeded SplitMix64 stream.</summary>
    private void Shuffle()
    {
        for (int i = _order.Length - 1; i > 0; i--)
        {
            int k = (int)(_random.Next() % (ulong)(i + 1));
            (_order[i], _order[k]) = (_order[k], _order[i]);
        }
    }

    /// <summary>Copies the batch's rows into contiguous buffers; returns its Σ weight·O (the MSE denominator).</summary>
    private double Gather(int start, int count)
    {
        TrainingData train = _context.Train;
        int inputs = _context.Shape.InputCount;
        int outputs = _context.Shape.OutputCount;
        double weightSum = 0;
        for (int k = 0; k < count; k++)
        {
            int s = _order[start + k];
            train.Points.AsSpan(s * inputs, inputs).CopyTo(_batchPoints.AsSpan(k * inputs, inputs));
            train.Targets.AsSpan(s * outputs, outputs).CopyTo(_batchTargets.AsSpan(k * outputs, outputs));
            train.Scale.AsSpan(s * outputs, outputs).CopyTo(_batchScale.AsSpan(k * outputs, outputs));
            weightSum += train.Weights[s] * outputs;
        }

        return weightSum;
    }

    /// <summary>Σ_tiles Jᵀr into _gradient (in tile order) for <paramref name="count"/> samples; returns Σ r².</summary>
    private double Gradient(double[] points, double[] targets, double[] scale, int count, double[] theta)
    {
        int tiles = (count + TrainingContext.TileSamples - 1) / TrainingContext.TileSamples;
        _job.Points = points;
        _job.Targets = targets;
        _job.Scale = scale;
        _job.Count = count;
        _job.Theta = theta;
        _context.Pool.Run(tiles, _job);
        Array.Clear(_gradient);
        double sum = 0;
        for (int t = 0; t < tiles; t++)
        {
            ReadOnlySpan<double> partial = _tileGradients.AsSpan(t * _p, _p);
            for (int j = 0; j < _p; j++)
            {
                _gradient[j] += partial[j];
            }

            sum += _tileSums[t];
        }

        return sum;
    }

    private sealed class GradientJob(AdamTraining owner) : IParallelJob
    {
        public double[] Points { get; set; } = null!;

        public double[] Targets { get; set; } = null!;

        public double[] Scale { get; set; } = null!;

        public double[] Theta { get; set; } = null!;

        public int Count { get; set; }

        public void Execute(int item, int worker)
        {
            TrainingContext ctx = owner._context;
            NetworkShape shape = ctx.Shape;
            int start = item * TrainingContext.TileSamples;
            int s = Math.Min(TrainingContext.TileSamples, Count - start);
            int o = shape.OutputCount;
            TileWorkspace ws = ctx.Workspaces[worker];
            ReadOnlySpan<double> x = Points.AsSpan(start * shape.InputCount, s * shape.InputCount);
            TrainingKernels.Forward(shape, Theta, x, s, ws, derivatives: true);
            Span<double> partial = owner._tileGradients.AsSpan(item * owner._p, owner._p);
            partial.Clear();
            owner._tileSums[item] = TrainingKernels.AccumulateGradient(
                shape, Theta, x, s, Targets.AsSpan(start * o, s * o), Scale.AsSpan(start * o, s * o), ws, partial);
        }
    }
}
