using System.Diagnostics;
using System.Globalization;
using SuperSpace.Simd.Internals;
using SuperSpace.Simd.LinearAlgebra;
using SuperSpace.Simd.Networks;

namespace SuperSpace.Simd;

/// <summary>
/// Trains an <see cref="Mlp"/> for regression — solving the nonlinear system network(x_i; θ) = y_i for the
/// parameters θ in the least-squares sense — by Levenberg–Marquardt (MATLAB's trainlm) or Adam.
/// </summary>
/// <remarks>
/// <para>
/// <b>Levenberg–Marquardt</b>: residuals r = network(x_i) − y_i over all samples and outputs (raw target units,
/// times √weight); each epoch accumulates JᵀJ and Jᵀr tile by tile (per-sample reverse mode, never the whole
/// Jacobian) and solves (JᵀJ + μ·D)·δ = −Jᵀr by Cholesky with trainlm's μ schedule. Memory grows as
/// parameterCount² (guarded by <see cref="MlpTrainingOptions.MemoryBudgetBytes"/>), time per epoch as
/// sampleCount·outputCount·parameterCount² + parameterCount³.
/// </para>
/// <para>
/// <b>Scaling</b>: unless the network already has one, an input and an output scaling are fitted on the training
/// samples and stored in the network, so <see cref="Mlp.Predict"/> takes and returns raw data.
/// </para>
/// <para>
/// <b>Reproducibility</b>: the same network, data and options give bit-identical weights for every
/// <see cref="MlpTrainingOptions.MaxDegreeOfParallelism"/> with the managed backend, the default (fixed tiles, sums merged
/// in a fixed order); the native backend repeats its results for a fixed thread count.
/// </para>
/// <para>An instance holds only its options; <see cref="Train(Mlp, ReadOnlySpan{double}, ReadOnlySpan{double})"/> may run concurrently on different networks.</para>
/// </remarks>
public sealed class MlpTrainer
{
    /// <summary>Creates a trainer; <paramref name="options"/> null means the defaults.</summary>
    /// <exception cref="ArgumentException">An option out of range (the message names it).</exception>
    public MlpTrainer(MlpTrainingOptions? options = null)
    {
        Options = options ?? new MlpTrainingOptions();
        CheckOptions(Options);
    }

    /// <summary>The options.</summary>
    public MlpTrainingOptions Options { get; }

    /// <summary>
    /// Trains <paramref name="network"/> in place, starting from its current parameters, on
    /// <paramref name="points"/> (sampleCount × InputCount, raw) and <paramref name="targets"/> (sampleCount × OutputCount, raw).
    /// </summary>
    /// <returns>Why training stopped, the epochs and errors. The network holds the trained weights.</returns>
    /// <exception cref="ArgumentException">
    /// Shapes that do not match, non-finite data (the message names the sample), non-finite parameters, or a network
    /// too large for Levenberg–Marquardt within <see cref="MlpTrainingOptions.MemoryBudgetBytes"/> (the message gives the bytes).
    /// </exception>
    /// <exception cref="NotSupportedException">The native backend was requested and is not available.</exception>
    public MlpTrainingResult Train(Mlp network, ReadOnlySpan<double> points, ReadOnlySpan<double> targets) =>
        Train(network, points, targets, default);

    /// <summary>As <see cref="Train(Mlp, ReadOnlySpan{double}, ReadOnlySpan{double})"/>, with one non-negative weight per sample (empty = all 1).</summary>
    /// <param name="network">The network, trained in place.</param>
    /// <param name="points">sampleCount × InputCount, raw.</param>
    /// <param name="targets">sampleCount × OutputCount, raw.</param>
    /// <param name="observationWeights">sampleCount weights ≥ 0 multiplying each sample's squared errors; empty for all 1.</param>
    /// <inheritdoc cref="Train(Mlp, ReadOnlySpan{double}, ReadOnlySpan{double})" path="/returns"/>
    /// <inheritdoc cref="Train(Mlp, ReadOnlySpan{double}, ReadOnlySpan{double})" path="/exception"/>
    public MlpTrainingResult Train(Mlp network, ReadOnlySpan<double> points, ReadOnlySpan<double> targets, ReadOnlySpan<double> observationWeights)
    {
        var stopwatch = Stopwatch.StartNew();
        MlpTrainingOptions options = Options;
        if (network is null)
        {
            ThrowHelper.ArgumentNull(nameof(network));
        }

        int inputs = network.InputCount;
        int outputs = network.OutputCount;
        int sampleCount = CheckData(network, points, targets, nameof(points), nameof(targets));
        if (!observationWeights.IsEmpty)
        {
            CheckWeights(observationWeights, sampleCount);
        }

        long badParameter = Validate.IndexOfNonFinite(network.Parameters);
        if (badParameter >= 0)
        {
            ThrowHelper.Argument(nameof(network), string.Create(CultureInfo.InvariantCulture, $"The network's parameter {badParameter} is not finite ({network.Parameters[(int)badParameter]})."));
        }

        // Validation set: explicit, or a seeded random fraction of the samples.
        ReadOnlySpan<double> validationPoints = options.ValidationPoints.Span;
        ReadOnlySpan<double> validationTargets = options.ValidationTargets.Span;
        int[]? trainRows = null;
        int[]? validationRows = null;
        int validationCount = 0;
        if (!validationPoints.IsEmpty)
        {
            validationCount = CheckData(network, validationPoints, validationTargets, "options.ValidationPoints", "options.ValidationTargets");
        }
        else if (options.ValidationFraction > 0)
        {
            if (sampleCount < 2)
            {
                ThrowHelper.Argument(nameof(points), "A validation split needs at least 2 samples.");
            }

            validationCount = Math.Clamp((int)Math.Round(options.ValidationFraction * sampleCount), 1, sampleCount - 1);
            (trainRows, validationRows) = Split(sampleCount, validationCount, options.Seed);
        }

        int trainCount = sampleCount - (validationRows?.Length ?? 0);
        if (!observationWeights.IsEmpty && !HasPositiveWeight(observationWeights, trainRows))
        {
            ThrowHelper.Argument(nameof(observationWeights), "The training samples' observation weights are all zero.");
        }

        int parameterCount = network.ParameterCount;
        ILinearAlgebraBackend? la = null;
        if (options.Method == TrainingMethod.LevenbergMarquardt)
        {
            long bytes = LevenbergMarquardtTraining.WorkspaceBytes(parameterCount, outputs, trainCount, options.Regularization == MlpRegularization.Bayesian);
            if (bytes > options.MemoryBudgetBytes)
            {
                ThrowHelper.Argument(nameof(network), string.Create(CultureInfo.InvariantCulture,
                    $"Levenberg–Marquardt training of this network ({parameterCount:N0} parameters) needs {bytes:N0} bytes for JᵀJ, its Cholesky factor and a block of Jacobian rows, more than MemoryBudgetBytes = {options.MemoryBudgetBytes:N0}. Use Method = TrainingMethod.Adam (memory proportional to the parameter count) or raise MemoryBudgetBytes."));
            }

            la = LinearAlgebraBackends.Resolve(options.Backend);
        }

        // From here on nothing throws for the caller's inputs.
        TrainingData train = TrainingData.Create(points, targets, observationWeights, trainRows, sampleCount, inputs, outputs, TrainingContext.TileSamples);
        TrainingData? validation = null;
        if (validationRows is not null)
        {
            validation = TrainingData.Create(points, targets, observationWeights, validationRows, sampleCount, inputs, outputs, TrainingContext.TileSamples);
        }
        else if (validationCount > 0)
        {
            validation = TrainingData.Create(validationPoints, validationTargets, default, null, validationCount, inputs, outputs, TrainingContext.TileSamples);
        }

        FeatureScaling? oldInputScaling = network.InputScaling;
        FeatureScaling? oldOutputScaling = network.OutputScaling;
        network.InputScaling ??= Fit(options.InputScaling, train.Points, inputs);
        network.OutputScaling ??= Fit(options.OutputScaling, train.Targets, outputs);
        train.ApplyScaling(network.InputScaling, network.OutputScaling);
        validation?.ApplyScaling(network.InputScaling, network.OutputScaling);

        using var context = new TrainingContext(network, train, validation, options, stopwatch);
        MlpTrainingStatus status;
        int epochs;
        double mse, gradientNorm, mu = double.NaN, gamma = double.NaN;
        if (la is not null)
        {
            (status, epochs, mse, gradientNorm, mu, gamma) = new LevenbergMarquardtTraining(context, la).Run();
        }
        else
        {
            (status, epochs, mse, gradientNorm) = new AdamTraining(context).Run();
        }

        if (status == MlpTrainingStatus.NotFinite && epochs == 0)
        {
            network.InputScaling = oldInputScaling;
            network.OutputScaling = oldOutputScaling;
            return new MlpTrainingResult(options.Method, status, 0, 0, mse, double.NaN, double.NaN, mu, gamma, train.SampleCount,
                validation?.SampleCount ?? 0, parameterCount, la?.Kind ?? ComputeBackend.Managed, stopwatch.Elapsed);
        }

        double[] final = context.FinalTheta;
        double validationMse = double.NaN;
        if (validation is not null)
        {
            if (final != context.Theta || status == MlpTrainingStatus.NotFinite)
            {
                mse = context.SumOfSquares(train, final) / train.ErrorCount;
            }

            validationMse = context.BestValidationMse;
        }

        final.CopyTo(network.Parameters);
        stopwatch.Stop();
        return new MlpTrainingResult(options.Method, status, epochs, validation is null ? epochs : context.BestEpoch, mse, validationMse,
            gradientNorm, mu, gamma, train.SampleCount, validation?.SampleCount ?? 0, parameterCount, la?.Kind ?? ComputeBackend.Managed, stopwatch.Elapsed);
    }

    private static FeatureScaling? Fit(ScalingMethod method, double[] data, int columns) => method switch
    {
        ScalingMethod.MinMax => FeatureScaling.MinMax(data, columns),
        ScalingMethod.Standardize => FeatureScaling.Standardize(data, columns),
        _ => null,
    };

    private static (int[] Train, int[] Validation) Split(int sampleCount, int validationCount, int seed)
    {
        var order = new int[sampleCount];
        for (int i = 0; i < sampleCount; i++)
        {
            order[i] = i;
        }

        var random = new SplitMix64(seed);
        for (int i = sampleCount - 1; i > 0; i--)
        {
            int k = (int)(random.Next() % (ulong)(i + 1));
            (order[i], order[k]) = (order[k], order[i]);
        }

        int[] validation = order[..validationCount];
        int[] train = order[validationCount..];
        Array.Sort(validation);
        Array.Sort(train);
        return (train, validation);
    }

    private static bool HasPositiveWeight(ReadOnlySpan<double> weights, int[]? rows)
    {
        if (rows is null)
        {
            foreach (double w in weights)
            {
                if (w > 0)
                {
                    return true;
                }
            }

            return false;
        }

        foreach (int r in rows)
        {
            if (weights[r] > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static int CheckData(Mlp network, ReadOnlySpan<double> points, ReadOnlySpan<double> targets, string pointsName, string targetsName)
    {
        int sampleCount = network.CheckPoints(points, pointsName);
        if (sampleCount == 0)
        {
            ThrowHelper.Argument(pointsName, $"{pointsName} is empty; training needs at least one sample.");
        }

        long expected = (long)sampleCount * network.OutputCount;
        if (targets.Length != expected)
        {
            ThrowHelper.LengthMismatch(targetsName, expected, targets.Length, $"{sampleCount} samples × {network.OutputCount} outputs");
        }

        Validate.AllFinite(points, network.InputCount, pointsName);
        Validate.AllFinite(targets, network.OutputCount, targetsName, "sample", "output");
        return sampleCount;
    }

    private static void CheckWeights(ReadOnlySpan<double> weights, int sampleCount)
    {
        if (weights.Length != sampleCount)
        {
            ThrowHelper.LengthMismatch("observationWeights", sampleCount, weights.Length, "one weight per sample");
        }

        for (int i = 0; i < weights.Length; i++)
        {
            if (!double.IsFinite(weights[i]) || weights[i] < 0)
            {
                ThrowHelper.Argument("observationWeights", string.Create(CultureInfo.InvariantCulture, $"observationWeights[{i}] = {weights[i]}; weights must be finite and non-negative."));
            }
        }
    }

    private static void CheckOptions(MlpTrainingOptions o)
    {
        const string name = "options";
        Require(Enum.IsDefined(o.Method), $"Unknown Method {o.Method}.");
        Require(o.MaxEpochs >= 0, $"MaxEpochs must be ≥ 0; it is {o.MaxEpochs}.");
        Require(o.GoalMse >= 0 && double.IsFinite(o.GoalMse), $"GoalMse must be finite and ≥ 0; it is {o.GoalMse}.");
        Require(o.MinGradient >= 0 && double.IsFinite(o.MinGradient), $"MinGradient must be finite and ≥ 0; it is {o.MinGradient}.");
        Require(o.ValidationFraction >= 0 && o.ValidationFraction < 1, $"ValidationFraction must be in [0, 1); it is {o.ValidationFraction}.");
        Require(o.ValidationPoints.IsEmpty == o.ValidationTargets.IsEmpty, "ValidationPoints and ValidationTargets go together.");
        Require(o.MaxValidationFailures >= 1, $"MaxValidationFailures must be ≥ 1; it is {o.MaxValidationFailures}.");
        Require(o.TimeLimit is null || o.TimeLimit >= TimeSpan.Zero, "TimeLimit must not be negative.");
        Require(Enum.IsDefined(o.InputScaling) && Enum.IsDefined(o.OutputScaling), "Unknown ScalingMethod.");
        Require(o.WeightDecay >= 0 && double.IsFinite(o.WeightDecay), $"WeightDecay must be finite and ≥ 0; it is {o.WeightDecay}.");
        Require(Enum.IsDefined(o.Regularization), $"Unknown Regularization {o.Regularization}.");
        Require(o.Regularization != MlpRegularization.Bayesian || (o.Method == TrainingMethod.LevenbergMarquardt && o.WeightDecay == 0),
            "Bayesian regularisation needs Method = LevenbergMarquardt and WeightDecay = 0 (it estimates its own penalty).");
        Require(o.InitialMu > 0 && double.IsFinite(o.InitialMu), $"InitialMu must be finite and > 0; it is {o.InitialMu}.");
        Require(o.MuIncrease > 1 && double.IsFinite(o.MuIncrease), $"MuIncrease must be finite and > 1; it is {o.MuIncrease}.");
        Require(o.MuDecrease > 0 && o.MuDecrease < 1, $"MuDecrease must be in (0, 1); it is {o.MuDecrease}.");
        Require(o.MaxMu >= o.InitialMu, $"MaxMu ({o.MaxMu}) must be ≥ InitialMu ({o.InitialMu}).");
        Require(Enum.IsDefined(o.Damping), $"Unknown Damping {o.Damping}.");
        Require(Enum.IsDefined(o.MuUpdate), $"Unknown MuUpdate {o.MuUpdate}.");
        Require(o.MemoryBudgetBytes > 0, $"MemoryBudgetBytes must be > 0; it is {o.MemoryBudgetBytes}.");
        Require(o.LearningRate > 0 && double.IsFinite(o.LearningRate), $"LearningRate must be finite and > 0; it is {o.LearningRate}.");
        Require(o.Beta1 >= 0 && o.Beta1 < 1 && o.Beta2 >= 0 && o.Beta2 < 1, "Beta1 and Beta2 must be in [0, 1).");
        Require(o.Epsilon > 0 && double.IsFinite(o.Epsilon), $"Epsilon must be finite and > 0; it is {o.Epsilon}.");
        Require(o.BatchSize >= 0, $"BatchSize must be ≥ 0 (0 = full batch); it is {o.BatchSize}.");
        Require(Enum.IsDefined(o.Backend), $"Unknown Backend {o.Backend}.");
        Require(o.MaxDegreeOfParallelism == -1 || o.MaxDegreeOfParallelism >= 1, $"MaxDegreeOfParallelism must be -1 (all cores) or ≥ 1; it is {o.MaxDegreeOfParallelism}.");

        static void Require(bool condition, string message)
        {
            if (!condition)
            {
                ThrowHelper.Argument(name, message);
            }
        }
    }
}
