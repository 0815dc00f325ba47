namespace SuperSpace.Simd;

/// <summary>Why <see cref="MlpTrainer.Train(Mlp, ReadOnlySpan{double}, ReadOnlySpan{double})"/> stopped.</summary>
public enum MlpTrainingStatus
{
    /// <summary><see cref="MlpTrainingOptions.MaxEpochs"/> reached.</summary>
    MaxEpochs,

    /// <summary>The training MSE reached <see cref="MlpTrainingOptions.GoalMse"/>.</summary>
    GoalReached,

    /// <summary>The gradient norm fell below <see cref="MlpTrainingOptions.MinGradient"/>.</summary>
    MinGradient,

    /// <summary>Levenberg–Marquardt: μ exceeded <see cref="MlpTrainingOptions.MaxMu"/> (no step reduces the error any more).</summary>
    MaxMu,

    /// <summary>The validation MSE failed to improve <see cref="MlpTrainingOptions.MaxValidationFailures"/> epochs in a row.</summary>
    ValidationStop,

    /// <summary><see cref="MlpTrainingOptions.TimeLimit"/> reached.</summary>
    TimeLimit,

    /// <summary><see cref="MlpTrainingOptions.CancellationToken"/> was cancelled.</summary>
    Cancelled,

    /// <summary>
    /// The network's outputs are not finite (overflow): at the starting weights (nothing is changed), or, for Adam, after
    /// a step (the network keeps the last finite weights).
    /// </summary>
    NotFinite,
}

/// <summary>The outcome of a training run. The network itself holds the trained weights (and scaling).</summary>
public sealed class MlpTrainingResult
{
    internal MlpTrainingResult(
        TrainingMethod method, MlpTrainingStatus status, int epochs, int bestEpoch, double trainingMse, double validationMse,
        double gradientNorm, double mu, double effectiveParameterCount, int trainingSampleCount, int validationSampleCount,
        int parameterCount, ComputeBackend backend, TimeSpan elapsed)
    {
        Method = method;
        Status = status;
        Epochs = epochs;
        BestEpoch = bestEpoch;
        TrainingMse = trainingMse;
        ValidationMse = validationMse;
        GradientNorm = gradientNorm;
        Mu = mu;
        EffectiveParameterCount = effectiveParameterCount;
        TrainingSampleCount = trainingSampleCount;
        ValidationSampleCount = validationSampleCount;
        ParameterCount = parameterCount;
        Backend = backend;
        Elapsed = elapsed;
    }

    /// <summary>The method used.</summary>
    public TrainingMethod Method { get; }

    /// <summary>Why training stopped.</summary>
    public MlpTrainingStatus Status { get; }

    /// <summary>Epochs completed.</summary>
    public int Epochs { get; }

    /// <summary>The epoch whose weights the network was left with (the best validation epoch with validation, else <see cref="Epochs"/>).</summary>
    public int BestEpoch { get; }

    /// <summary>Mean squared error on the training samples at the returned weights, in raw target units (observation-weighted mean over samples and outputs).</summary>
    public double TrainingMse { get; }

    /// <summary>Mean squared error on the validation samples at the returned weights; NaN without validation.</summary>
    public double ValidationMse { get; }

    /// <summary>Gradient norm of the training objective at the last epoch (see <see cref="MlpTrainingProgress.GradientNorm"/>).</summary>
    public double GradientNorm { get; }

    /// <summary>Levenberg–Marquardt's final μ; NaN for Adam.</summary>
    public double Mu { get; }

    /// <summary>Bayesian regularisation: the effective number of parameters γ at the end; NaN otherwise.</summary>
    public double EffectiveParameterCount { get; }

    /// <summary>Samples used for training.</summary>
    public int TrainingSampleCount { get; }

    /// <summary>Samples used for validation (0 without).</summary>
    public int ValidationSampleCount { get; }

    /// <summary>The network's parameter count.</summary>
    public int ParameterCount { get; }

    /// <summary>The linear algebra backend that ran JᵀJ and the solves (Levenberg–Marquardt), <see cref="ComputeBackend.Managed"/> for Adam.</summary>
    public ComputeBackend Backend { get; }

    /// <summary>Wall-clock time of the whole call.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>A one-line summary.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"{Method}: {Status} after {Epochs} epochs, training MSE {TrainingMse:G6}, validation MSE {ValidationMse:G6}, {Elapsed.TotalMilliseconds:F1} ms");
}
