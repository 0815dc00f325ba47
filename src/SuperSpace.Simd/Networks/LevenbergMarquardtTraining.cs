// Levenberg–Marquardt training (MATLAB trainlm; Hagan & Menhaj 1994) on the objective
//   Φ(θ) = β·Σ r² + Σ_j κ_j·θ_j²   (β = 1 and κ = λ·N on the weights for L2 decay; trainbr's β, α for Bayesian)
// Each epoch: JᵀJ (upper triangle) and Jᵀr accumulated block by block with the Gram kernel — a block is a fixed
// number of tiles whose Jacobian rows are computed in parallel (≈ 4 MB of rows, never the whole Jacobian) —
// then the inner loop solves (βJᵀJ + diag κ + μ·D)·δ = −(βJᵀr + κ⊙θ) by Cholesky, accepts θ + δ when Φ drops
// (μ ← μ·μ_dec, floored at 1e-20) and otherwise retries with μ ← μ·μ_inc until μ > μ_max.
// Cost per epoch: n·O·P² (Gram) + P³/3 per trial (Cholesky) + n·P per trial (forward pass).
// Memory: two P×P matrices (three with Bayesian regularisation) + one block of Jacobian rows.
using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Networks;

internal sealed class LevenbergMarquardtTraining
{
    private const double MinimumMu = 1e-20;
    private const long BlockDoubles = 1 << 19;

    private readonly TrainingContext _context;
    private readonly ILinearAlgebraBackend _la;
    private readonly int _p;
    private readonly int _dop;
    private readonly int _tilesPerBlock;
    private readonly double[] _jtj;
    private readonly double[] _factor;
    private readonly double[] _inverse;
    private readonly double[] _jtr;
    private readonly double[] _gradient;
    private readonly double[] _step;
    private readonly double[] _kappa;
    private readonly double[] _damping;
    private readonly double[] _blockJacobian;
    private readonly double[] _blockResiduals;
    private readonly JacobianJob _jacobianJob;
    private readonly GramJob _gramJob;
    private double[] _trial;

    public LevenbergMarquardtTraining(TrainingContext context, ILinearAlgebraBackend la)
    {
        _context = context;
        _la = la;
        _p = context.Shape.ParameterCount;
        _dop = context.Options.MaxDegreeOfParallelism;
        _tilesPerBlock = TilesPerBlock(_p, context.Shape.OutputCount, context.Train.TileCount);
        int blockRows = _tilesPerBlock * TrainingContext.TileSamples * context.Shape.OutputCount;
        _jtj = new double[(long)_p * _p];
        _factor = new double[(long)_p * _p];
        _inverse = context.Options.Regularization == MlpRegularization.Bayesian ? new double[(long)_p * _p] : [];
        _jtr = new double[_p];
        _gradient = new double[_p];
        _step = new double[_p];
        _kappa = new double[_p];
        _damping = new double[_p];
        _trial = new double[_p];
        _blockJacobian = new double[(long)blockRows * _p];
        _blockResiduals = new double[blockRows];
        _jacobianJob = new JacobianJob(this);
        _gramJob = new GramJob(this);
    }

    /// <summary>Columns of JᵀJ per panel in the managed parallel Gram (a fixed partition, so results do not depend on the thread count).</summary>
    private const int PanelWidth = 48;

    /// <summary>Bytes of the Levenberg–Marquardt matrices for a network (what the memory guard checks).</summary>
    public static long WorkspaceBytes(int parameterCount, int outputCount, int trainingSamples, bool bayesian)
    {
        int tiles = (trainingSamples + TrainingContext.TileSamples - 1) / TrainingContext.TileSamples;
        long rows = (long)TilesPerBlock(parameterCount, outputCount, Math.Max(1, tiles)) * TrainingContext.TileSamples * outputCount;
        long square = (long)parameterCount * parameterCount;
        return 8 * (((bayesian ? 3 : 2) * square) + (rows * parameterCount) + rows + (6L * parameterCount));
    }

    public (MlpTrainingStatus Status, int Epochs, double Mse, double GradientNorm, double Mu, double Gamma) Run()
    {
        TrainingContext ctx = _context;
        MlpTrainingOptions options = ctx.Options;
        TrainingData train = ctx.Train;
        NetworkShape shape = ctx.Shape;
        double n = train.ErrorCount;
        bool bayesian = options.Regularization == MlpRegularization.Bayesian;

        // Penalty: κ_j = λ·N on weights (so Φ/N = MSE + λ·Σw²); trainbr starts from α = 0, β = 1.
        double beta = 1;
        double alpha = 0;
        double gamma = double.NaN;
        for (int j = 0; j < _p; j++)
        {
            _kappa[j] = shape.IsWeight[j] ? options.WeightDecay * n : 0;
        }

        double sse = ctx.SumOfSquares(train, ctx.Theta);
        if (!double.IsFinite(sse))
        {
            return (MlpTrainingStatus.NotFinite, 0, sse / n, double.NaN, options.InitialMu, gamma);
        }

        double phi = (beta * sse) + Penalty(ctx.Theta);
        double mu = options.InitialMu;
        bool nielsen = options.MuUpdate == MuUpdate.Nielsen;
        double nu = 2;
        int epoch = 0;
        double gradientNorm;
        MlpTrainingStatus status;
        while (true)
        {
            ctx.Validate(epoch);
            Accumulate(ctx.Theta);
            double[] theta = ctx.Theta;
            for (int j = 0; j < _p; j++)
            {
                _gradient[j] = (beta * _jtr[j]) + (_kappa[j] * theta[j]);
            }

            gradientNorm = 2 * Blas1.Norm2(_gradient) / n;
            double mse = sse / n;
            ctx.Report(epoch, mse, mu, gradientNorm);
            if (ctx.CheckStop(epoch, mse, gradientNorm) is { } stop)
            {
                status = stop;
                break;
            }

            bool accepted = false;
            bool cancelled = false;
            while (mu <= options.MaxMu)
            {
                if (options.CancellationToken.IsCancellationRequested)
                {
                    cancelled = true;
                    break;
                }

                if (Solve(beta, mu, options.Damping))
                {
                    for (int j = 0; j < _p; j++)
                    {
                        _trial[j] = theta[j] + _step[j];
                    }

                    double sse2 = ctx.SumOfSquares(train, _trial);
                    double phi2 = (beta * sse2) + Penalty(_trial);
                    if (phi2 < phi)
                    {
                        double factor = options.MuDecrease;
                        if (nielsen)
                        {
                            // Gain ratio ρ = actual / predicted reduction of ½Φ, predicted = ½·δᵀ(μ·D·δ − g).
                            double predicted = 0;
                            for (int j = 0; j < _p; j++)
                            {
                                predicted += _step[j] * ((mu * _damping[j] * _step[j]) - _gradient[j]);
                            }

                            double rho = (phi - phi2) / predicted;
                            double cube = (2 * rho) - 1;
                            factor = Math.Max(1.0 / 3, 1 - (cube * cube * cube));
                            nu = 2;
                        }

                        (ctx.Theta, _trial) = (_trial, theta);
                        theta = ctx.Theta;
                        sse = sse2;
                        phi = phi2;
                        mu = Math.Max(mu * factor, MinimumMu);
                        accepted = true;
                        break;
                    }
                }

                if (nielsen)
                {
                    mu *= nu;
                    nu *= 2;
                }
                else
                {
                    mu *= options.MuIncrease;
                }
            }

            if (cancelled)
            {
                status = MlpTrainingStatus.Cancelled;
                break;
            }

            if (!accepted)
            {
                // μ passed μ_max: no step reduces Φ. Report once more (trainlm stops at its next check).
                ctx.Report(epoch, sse / n, mu, gradientNorm);
                status = MlpTrainingStatus.MaxMu;
                break;
            }

            epoch++;
            if (bayesian)
            {
                // trainbr: γ = P − α·tr((βJᵀJ + αI)⁻¹) with JᵀJ of the previous point, α = γ/(2·E_W), β = (N − γ)/(2·E_D).
                gamma = _p - (alpha * TraceOfInverse(beta, alpha));
                double ew = SumOfSquaresOf(theta);
                alpha = ew == 0 ? 1 : gamma / (2 * ew);
                beta = sse == 0 ? beta : Math.Max(n - gamma, 0) / (2 * sse);
                if (!(beta > 0))
                {
                    beta = 1;
                }

                Array.Fill(_kappa, alpha);
                phi = (beta * sse) + (alpha * ew);
            }
        }

        return (status, epoch, sse / n, gradientNorm, mu, gamma);
    }

    private static int TilesPerBlock(int parameterCount, int outputCount, int tileCount)
    {
        long perTile = (long)TrainingContext.TileSamples * outputCount * parameterCount;
        return (int)Math.Clamp(BlockDoubles / perTile, 1, tileCount);
    }

    private double Penalty(double[] theta)
    {
        double sum = 0;
        for (int j = 0; j < _p; j++)
        {
            sum += _kappa[j] * theta[j] * theta[j];
        }

        return sum;
    }

    private static double SumOfSquaresOf(double[] x)
    {
        double sum = 0;
        for (int j = 0; j < x.Length; j++)
        {
            sum += x[j] * x[j];
        }

        return sum;
    }

    /// <summary>JᵀJ (upper) and Jᵀr at <paramref name="theta"/>, block by block in a fixed order.</summary>
    private void Accumulate(double[] theta)
    {
        TrainingData train = _context.Train;
        int outputs = _context.Shape.OutputCount;
        _jacobianJob.Theta = theta;
        for (int firstTile = 0; firstTile < train.TileCount; firstTile += _tilesPerBlock)
        {
            int tiles = Math.Min(_tilesPerBlock, train.TileCount - firstTile);
            _jacobianJob.FirstTile = firstTile;
            _context.Pool.Run(tiles, _jacobianJob);
            int samples = Math.Min(tiles * TrainingContext.TileSamples, train.SampleCount - (firstTile * TrainingContext.TileSamples));
            int rows = samples * outputs;
            bool accumulate = firstTile > 0;
            if (_la.Kind == ComputeBackend.Managed)
            {
                // Row panels of JᵀJ on the worker pool, each by single-threaded kernels: deterministic for any thread
                // count and allocation-free. Jᵀr by one GEMV-shaped product.
                _gramJob.Rows = rows;
                _gramJob.Accumulate = accumulate;
                _context.Pool.Run((_p + PanelWidth - 1) / PanelWidth, _gramJob);
                _la.Gemm(true, false, _p, 1, rows, 1, _blockJacobian, _p, _blockResiduals, 1, accumulate ? 1 : 0, _jtr, 1, 1);
            }
            else
            {
                _la.Gram(rows, _p, _blockJacobian, _p, _jtj, _p, accumulate, _blockResiduals, _jtr, _dop);
            }
        }
    }

    /// <summary>Factor βJᵀJ + diag κ + μ·D and solve for the step; false when the matrix is not positive definite.</summary>
    private bool Solve(double beta, double mu, DampingMatrix damping)
    {
        int p = _p;
        double maxDiagonal = 0;
        if (damping == DampingMatrix.JacobianDiagonal)
        {
            for (int i = 0; i < p; i++)
            {
                maxDiagonal = Math.Max(maxDiagonal, beta * _jtj[(i * p) + i]);
            }

            if (!(maxDiagonal > 0))
            {
                maxDiagonal = 1;
            }
        }

        for (int i = 0; i < p; i++)
        {
            int d = (i * p) + i;
            ReadOnlySpan<double> source = _jtj.AsSpan(d, p - i);
            Span<double> target = _factor.AsSpan(d, p - i);
            for (int j = 0; j < source.Length; j++)
            {
                target[j] = beta * source[j];
            }

            double scale = damping == DampingMatrix.Identity ? 1 : Math.Max(target[0], 1e-12 * maxDiagonal);
            _damping[i] = scale;
            target[0] += _kappa[i] + (mu * scale);
        }

        if (_la.CholeskyFactor(_factor, p, p) != 0)
        {
            return false;
        }

        for (int j = 0; j < p; j++)
        {
            _step[j] = -_gradient[j];
        }

        _la.CholeskySolve(_factor, p, p, _step, 1, 1);
        for (int j = 0; j < p; j++)
        {
            if (!double.IsFinite(_step[j]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>tr((βJᵀJ + αI)⁻¹) = ‖U⁻¹‖²_F from the Cholesky factor U; +∞ when not positive definite.</summary>
    private double TraceOfInverse(double beta, double alpha)
    {
        int p = _p;
        for (int i = 0; i < p; i++)
        {
            int d = (i * p) + i;
            for (int j = 0; j < p - i; j++)
            {
                _factor[d + j] = beta * _jtj[d + j];
            }

            _factor[d] += alpha;
        }

        if (_la.CholeskyFactor(_factor, p, p) != 0)
        {
            return 0;
        }

        // U·X = I  →  X = U⁻¹ (upper triangular); tr(A⁻¹) = Σ X_ij².
        Array.Clear(_inverse);
        for (int i = 0; i < p; i++)
        {
            _inverse[(i * p) + i] = 1;
        }

        Triangular.SolveUpper(_factor, p, p, _inverse, p, p);
        double trace = 0;
        for (int k = 0; k < _inverse.Length; k++)
        {
            trace += _inverse[k] * _inverse[k];
        }

        return trace;
    }

    /// <summary>Panel k of JᵀJ: rows i0 … i0 + w − 1, the diagonal block's upper triangle (Gram) and everything to its right (GEMM).</summary>
    private sealed class GramJob(LevenbergMarquardtTraining owner) : IParallelJob
    {
        public int Rows { get; set; }

        public bool Accumulate { get; set; }

        public void Execute(int item, int worker)
        {
            int p = owner._p;
            int i0 = item * PanelWidth;
            int w = Math.Min(PanelWidth, p - i0);
            ReadOnlySpan<double> a = owner._blockJacobian;
            owner._la.Gram(Rows, w, a[i0..], p, owner._jtj.AsSpan((i0 * p) + i0), p, Accumulate, default, default, 1);
            int right = p - i0 - w;
            if (right > 0)
            {
                owner._la.Gemm(true, false, w, right, Rows, 1, a[i0..], p, a[(i0 + w)..], p, Accumulate ? 1 : 0, owner._jtj.AsSpan((i0 * p) + i0 + w), p, 1);
            }
        }
    }

    private sealed class JacobianJob(LevenbergMarquardtTraining owner) : IParallelJob
    {
        public double[] Theta { get; set; } = null!;

        public int FirstTile { get; set; }

        public void Execute(int item, int worker)
        {
            TrainingContext ctx = owner._context;
            NetworkShape shape = ctx.Shape;
            TrainingData train = ctx.Train;
            int tile = FirstTile + item;
            int s = train.TileLength(tile, TrainingContext.TileSamples);
            int start = tile * TrainingContext.TileSamples;
            int o = shape.OutputCount;
            TileWorkspace ws = ctx.Workspaces[worker];
            ReadOnlySpan<double> x = train.Points.AsSpan(start * shape.InputCount, s * shape.InputCount);
            ReadOnlySpan<double> scale = train.Scale.AsSpan(start * o, s * o);
            TrainingKernels.Forward(shape, Theta, x, s, ws, derivatives: true);
            int row = item * TrainingContext.TileSamples * o;
            TrainingKernels.Residuals(TrainingKernels.Outputs(shape, s, ws), train.Targets.AsSpan(start * o, s * o), scale, owner._blockResiduals.AsSpan(row, s * o));
            TrainingKernels.JacobianRows(shape, Theta, x, s, scale, ws, owner._blockJacobian.AsSpan(row * owner._p, s * o * owner._p));
        }
    }
}
