namespace SuperSpace.Simd;

/// <summary>How <see cref="MlpTrainer"/> updates the weights.</summary>
public enum TrainingMethod
{
    /// <summary>
    /// Levenberg–Marquardt on the sum of squared errors, like MATLAB's trainlm (Hagan &amp; Menhaj 1994): each epoch
    /// solves (JᵀJ + μ·D)·δ = −Jᵀr by Cholesky; memory and time grow as parameterCount², parameterCount³.
    /// </summary>
    LevenbergMarquardt,

    /// <summary>Adam (Kingma &amp; Ba 2015), first order: for networks too large for Levenberg–Marquardt, and as the baseline.</summary>
    Adam,
}

/// <summary>The damping matrix D in Levenberg–Marquardt's (JᵀJ + μ·D)·δ = −Jᵀr.</summary>
public enum DampingMatrix
{
    /// <summary>D = I (Levenberg 1944; MATLAB trainlm).</summary>
    Identity,

    /// <summary>D = diag(JᵀJ) (Marquardt 1963; scale invariant), each entry floored at 1e-12 × its largest.</summary>
    JacobianDiagonal,
}

/// <summary>How Levenberg–Marquardt training adapts μ between trial steps.</summary>
public enum MuUpdate
{
    /// <summary>MATLAB trainlm: ×<see cref="MlpTrainingOptions.MuIncrease"/> after a rejected step, ×<see cref="MlpTrainingOptions.MuDecrease"/> after an accepted one.</summary>
    Trainlm,

    /// <summary>
    /// Nielsen (1999): after an accepted step with gain ratio ρ (actual / predicted reduction) μ ← μ·max(⅓, 1 − (2ρ − 1)³);
    /// after a rejected one μ ← μ·ν, ν ← 2ν (ν reset to 2 on success).
    /// </summary>
    Nielsen,
}

/// <summary>How <see cref="MlpTrainer"/> scales inputs or targets when the network has no scaling yet.</summary>
public enum ScalingMethod
{
    /// <summary>No scaling.</summary>
    None,

    /// <summary>Each column mapped onto [−1, 1] from its training range (MATLAB's mapminmax; the trainlm default).</summary>
    MinMax,

    /// <summary>Each column centred on its training mean and divided by its standard deviation.</summary>
    Standardize,
}

/// <summary>Penalty on the weights added to the training objective.</summary>
public enum MlpRegularization
{
    /// <summary>None, or plain L2 weight decay when <see cref="MlpTrainingOptions.WeightDecay"/> &gt; 0.</summary>
    None,

    /// <summary>
    /// Bayesian regularisation (MacKay 1992; Foresee &amp; Hagan 1997; MATLAB's trainbr): minimise β·SSE + α·‖w‖² with α
    /// and β re-estimated every epoch from the effective number of parameters γ = P − 2α·tr(H⁻¹).
    /// Levenberg–Marquardt only.
    /// </summary>
    Bayesian,
}

/// <summary>One epoch's numbers, passed to <see cref="MlpTrainingOptions.EpochCallback"/>.</summary>
/// <param name="Epoch">Epochs completed (0 = before the first update).</param>
/// <param name="TrainingMse">Mean squared error on the training samples (raw target units, observation-weighted).</param>
/// <param name="ValidationMse">Mean squared error on the validation samples, NaN without validation.</param>
/// <param name="Mu">Levenberg–Marquardt's μ (the step size for Adam).</param>
/// <param name="GradientNorm">‖∇ of the training objective‖₂ with respect to the parameters (the objective being the MSE plus any penalty).</param>
/// <param name="Elapsed">Time since training started.</param>
public readonly record struct MlpTrainingProgress(int Epoch, double TrainingMse, double ValidationMse, double Mu, double GradientNorm, TimeSpan Elapsed);

/// <summary>
/// Options of <see cref="MlpTrainer"/>. Defaults follow MATLAB's trainlm: 1,000 epochs, goal 0, minimum gradient
/// 1e-7, μ = 1e-3 (×10 on failure, ×0.1 on success, stop above 1e10), 6 validation failures, min–max scaling.
/// </summary>
public sealed record MlpTrainingOptions
{
    /// <summary>Levenberg–Marquardt (default) or Adam.</summary>
    public TrainingMethod Method { get; init; } = TrainingMethod.LevenbergMarquardt;

    /// <summary>Maximum number of epochs (weight updates for Levenberg–Marquardt, passes over the data for Adam); default 1,000.</summary>
    public int MaxEpochs { get; init; } = 1000;

    /// <summary>Stop when the training MSE is at or below this; default 0.</summary>
    public double GoalMse { get; init; }

    /// <summary>Stop when the gradient norm (<see cref="MlpTrainingProgress.GradientNorm"/>) falls below this; default 1e-7.</summary>
    public double MinGradient { get; init; } = 1e-7;

    /// <summary>
    /// Fraction of the samples held out (at random, from <see cref="Seed"/>) for validation early stopping; default 0
    /// (no validation). Ignored when <see cref="ValidationPoints"/> is given.
    /// </summary>
    public double ValidationFraction { get; init; }

    /// <summary>An explicit validation set (sampleCount × InputCount, raw); empty for none. Requires <see cref="ValidationTargets"/>.</summary>
    public ReadOnlyMemory<double> ValidationPoints { get; init; }

    /// <summary>Targets of <see cref="ValidationPoints"/> (sampleCount × OutputCount, raw).</summary>
    public ReadOnlyMemory<double> ValidationTargets { get; init; }

    /// <summary>
    /// Stop after this many consecutive epochs whose validation MSE is not below the best so far; default 6. With
    /// validation, the network is left with the weights of the best validation epoch whatever the reason for stopping.
    /// </summary>
    public int MaxValidationFailures { get; init; } = 6;

    /// <summary>Seed of the validation split and of Adam's mini-batch order; default 0. Training does not re-initialise the network (see <see cref="Mlp.Initialize"/>).</summary>
    public int Seed { get; init; }

    /// <summary>Stop after this much wall-clock time; default none.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Stops training when cancelled; the result then has <see cref="MlpTrainingStatus.Cancelled"/> and the best weights so far.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Called once before the first update and after every epoch, on the training thread.</summary>
    public Action<MlpTrainingProgress>? EpochCallback { get; init; }

    /// <summary>Input scaling fitted on the training points when the network has none; default <see cref="ScalingMethod.MinMax"/>. A network that already has an input scaling keeps it.</summary>
    public ScalingMethod InputScaling { get; init; } = ScalingMethod.MinMax;

    /// <summary>Target scaling fitted on the training targets when the network has none; default <see cref="ScalingMethod.MinMax"/>. A network that already has an output scaling keeps it.</summary>
    public ScalingMethod OutputScaling { get; init; } = ScalingMethod.MinMax;

    /// <summary>L2 weight decay λ: the objective becomes MSE + λ·Σ w² over the weights (not the biases); default 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Regularisation mode; default <see cref="MlpRegularization.None"/>.</summary>
    public MlpRegularization Regularization { get; init; } = MlpRegularization.None;

    /// <summary>Levenberg–Marquardt: initial μ; default 1e-3.</summary>
    public double InitialMu { get; init; } = 1e-3;

    /// <summary>Levenberg–Marquardt: factor applied to μ after a rejected step; default 10.</summary>
    public double MuIncrease { get; init; } = 10;

    /// <summary>Levenberg–Marquardt: factor applied to μ after an accepted step; default 0.1 (μ never drops below 1e-20).</summary>
    public double MuDecrease { get; init; } = 0.1;

    /// <summary>Levenberg–Marquardt: stop when μ exceeds this; default 1e10.</summary>
    public double MaxMu { get; init; } = 1e10;

    /// <summary>Levenberg–Marquardt: how μ changes between trials; default <see cref="MuUpdate.Trainlm"/>.</summary>
    public MuUpdate MuUpdate { get; init; } = MuUpdate.Trainlm;

    /// <summary>Levenberg–Marquardt: the damping matrix D; default <see cref="DampingMatrix.Identity"/> (trainlm).</summary>
    public DampingMatrix Damping { get; init; } = DampingMatrix.Identity;

    /// <summary>
    /// Levenberg–Marquardt: the most memory its matrices may take (two parameterCount² matrices and a block of Jacobian
    /// rows); default 1 GiB. Larger networks are refused before any work, with the bytes needed.
    /// </summary>
    public long MemoryBudgetBytes { get; init; } = 1L << 30;

    /// <summary>Adam: the step size; default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Adam: the first-moment decay β₁; default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam: the second-moment decay β₂; default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Adam: ε in the denominator; default 1e-8.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Adam: samples per mini-batch; default 0 = the whole training set (full batch).</summary>
    public int BatchSize { get; init; }

    /// <summary>
    /// Dense linear algebra backend for JᵀJ and the Cholesky solves; default <see cref="ComputeBackend.Managed"/>, whose
    /// results are bit-identical for every thread count. <see cref="ComputeBackend.Native"/> (or Auto when the shim is
    /// present) is faster for large networks; it agrees with the managed results to rounding, not bit for bit (OpenBLAS sums in an order
    /// that can depend on memory alignment and thread count).
    /// </summary>
    public ComputeBackend Backend { get; init; } = ComputeBackend.Managed;

    /// <summary>Threads used: 1 = the calling thread only, −1 (default) = all cores. With the managed backend the weights are bit-identical for every value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
