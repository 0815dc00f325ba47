using System.Globalization;
using SuperSpace.Simd.Internals;
using SuperSpace.Simd.LinearAlgebra;
using SuperSpace.Simd.Polynomials;

namespace SuperSpace.Simd;

/// <summary>
/// Fits a Super Plane from data that arrives in chunks or lives on several workers: <see cref="Add"/>
/// accumulates the sufficient statistics of each chunk — the C(v + 2D, 2D) moments Σ w·z^a of the
/// standardised variables, Σ w·y·z^a and Σ w·y² — <see cref="Merge"/> adds another accumulator's, and
/// <see cref="Solve"/> solves the normal equations from them. Memory is independent of the sample count.
/// </summary>
/// <remarks>
/// <para>
/// <b>Map-reduce.</b> This is how a map-reduce engine (Spark, Dask, a Parallel.For over files) runs a fit:
/// <i>map</i> — each worker creates an accumulator for the same basis, with the same centre and scale when
/// known (from a cheap first pass, or domain knowledge), and <see cref="Add"/>s its partition; <i>reduce</i> —
/// accumulators are combined pairwise with <see cref="Merge"/> (the sums are associative, so any tree works);
/// <i>finish</i> — <see cref="Solve"/> on the last one. Accumulators built with different centres and scales
/// still merge: the other's moments are carried to this one's variables exactly (binomial expansion of the
/// affine map, in double-double).
/// </para>
/// <para>
/// The result equals a one-shot <see cref="SuperPlane.Fit(ReadOnlySpan{double}, ReadOnlySpan{double}, MonomialBasis, SuperPlaneFitOptions?)"/>
/// with <see cref="LeastSquaresMethod.NormalEquations"/> up to rounding. Without the data there is no QR
/// fallback: when Cholesky rejects the normal equations, a pivoted Cholesky gives the minimum-norm
/// solution and <see cref="SuperPlaneFit.Status"/> says whether the rank was full. Residual statistics come
/// from the moments (RSS = Σwy² − 2bᵀg + bᵀGb), so they lose accuracy when the fit is nearly exact.
/// </para>
/// <para>Not thread-safe: give each thread its own accumulator and merge them.</para>
/// </remarks>
public sealed class SuperPlaneAccumulator
{
    private readonly MomentPlan _plan;
    private readonly MomentKernel _kernel;
    private readonly double[] _sums;
    private double[]? _center;
    private double[]? _scale;
    private long _samples;
    private long _positive;

    /// <summary>An empty accumulator; the standardisation is taken from the first chunk added (its mean and standard deviation).</summary>
    /// <param name="basis">The monomials to fit.</param>
    /// <param name="outputCount">Target columns per sample (each gets its own plane; one factorisation).</param>
    public SuperPlaneAccumulator(MonomialBasis basis, int outputCount = 1)
    {
        if (basis is null)
        {
            ThrowHelper.ArgumentNull(nameof(basis));
        }

        if (outputCount < 1)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(outputCount), string.Create(CultureInfo.InvariantCulture, $"outputCount must be at least 1; it is {outputCount}."));
        }

        long moments = MonomialBasis.CountTermsOrMax(basis.VariableCount, 2 * basis.Degree);
        if (moments > PlaneFitter.MaxMoments)
        {
            ThrowHelper.Argument(nameof(basis), string.Create(CultureInfo.InvariantCulture,
                $"The accumulator keeps the moments of degree ≤ {2 * basis.Degree} of {basis.VariableCount} variables: more than the limit of {PlaneFitter.MaxMoments:N0}. Lower the degree, or fit with SuperPlane.Fit and QR."));
        }

        Basis = basis;
        OutputCount = outputCount;
        _plan = MomentPlan.For(basis);
        _kernel = _plan.Kernel(outputCount);
        _sums = new double[_kernel.ResultLength];
    }

    /// <summary>An empty accumulator with a fixed standardisation z = (x − center)/scale (give every worker the same).</summary>
    /// <exception cref="ArgumentException">Wrong lengths, non-finite values, a zero scale, or a non-zero centre for a basis without the constant term.</exception>
    public SuperPlaneAccumulator(MonomialBasis basis, ReadOnlySpan<double> center, ReadOnlySpan<double> scale, int outputCount = 1)
        : this(basis, outputCount)
    {
        int v = basis.VariableCount;
        if (center.Length != v)
        {
            ThrowHelper.LengthMismatch(nameof(center), v, center.Length, "one value per variable");
        }

        if (scale.Length != v)
        {
            ThrowHelper.LengthMismatch(nameof(scale), v, scale.Length, "one value per variable");
        }

        for (int j = 0; j < v; j++)
        {
            if (!double.IsFinite(center[j]) || (!basis.IncludesConstant && center[j] != 0))
            {
                ThrowHelper.Argument(nameof(center), string.Create(CultureInfo.InvariantCulture,
                    $"center[{j}] = {center[j]} must be finite (and 0 for a basis without the constant term)."));
            }

            if (!double.IsFinite(scale[j]) || scale[j] <= 0)
            {
                ThrowHelper.Argument(nameof(scale), string.Create(CultureInfo.InvariantCulture, $"scale[{j}] = {scale[j]} must be finite and positive."));
            }
        }

        _center = center.ToArray();
        _scale = scale.ToArray();
    }

    /// <summary>The monomials being fitted.</summary>
    public MonomialBasis Basis { get; }

    /// <summary>Target columns per sample.</summary>
    public int OutputCount { get; }

    /// <summary>Samples added so far (including those of weight 0).</summary>
    public long SampleCount => _samples;

    /// <summary>The centre of the standardisation (empty until fixed by the constructor or the first chunk).</summary>
    public IReadOnlyList<double> Center => _center ?? [];

    /// <summary>The scale of the standardisation (empty until fixed by the constructor or the first chunk).</summary>
    public IReadOnlyList<double> Scale => _scale ?? [];

    /// <summary>
    /// Adds a chunk: <paramref name="points"/> sampleCount × VariableCount row-major, <paramref name="targets"/>
    /// sampleCount × OutputCount, optional <paramref name="weights"/> (one per sample, finite, ≥ 0). An empty
    /// chunk is a no-op. On an exception nothing is added.
    /// </summary>
    /// <param name="points">The chunk's points.</param>
    /// <param name="targets">The chunk's targets.</param>
    /// <param name="weights">Empty = all 1.</param>
    /// <param name="maxDegreeOfParallelism">1 (default) = this thread; −1 = all cores. The sums do not depend on it.</param>
    public void Add(ReadOnlySpan<double> points, ReadOnlySpan<double> targets, ReadOnlySpan<double> weights = default, int maxDegreeOfParallelism = 1)
    {
        int v = Basis.VariableCount;
        int k = OutputCount;
        if (points.Length % v != 0)
        {
            ThrowHelper.Argument(nameof(points), string.Create(CultureInfo.InvariantCulture, $"points has length {points.Length}, not a multiple of VariableCount = {v}."));
        }

        int n = points.Length / v;
        if (targets.Length != (long)n * k)
        {
            ThrowHelper.LengthMismatch(nameof(targets), (long)n * k, targets.Length, string.Create(CultureInfo.InvariantCulture, $"{n} samples × {k} outputs"));
        }

        if (!weights.IsEmpty && weights.Length != n)
        {
            ThrowHelper.LengthMismatch(nameof(weights), n, weights.Length, "one weight per sample");
        }

        int threads = Validate.DegreeOfParallelism(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        Validate.AllFinite(points, v, nameof(points));
        Validate.AllFinite(targets, k, nameof(targets), "sample", "output");
        for (int i = 0; i < weights.Length; i++)
        {
            if (!double.IsFinite(weights[i]) || weights[i] < 0)
            {
                ThrowHelper.Argument(nameof(weights), string.Create(CultureInfo.InvariantCulture, $"weights must be finite and ≥ 0; sample {i} has weight {weights[i]}."));
            }
        }

        if (n == 0)
        {
            return;
        }

        if (_center is null)
        {
            var center = new double[v];
            var scale = new double[v];
            Standardization.Compute(points, v, Basis.IncludesConstant, center, scale);
            _center = center;
            _scale = scale;
        }

        double[] chunk = MomentPass.Run(_kernel, points, targets, weights, _center, _scale!, threads);
        for (int i = 0; i < chunk.Length; i++)
        {
            _sums[i] += chunk[i];
        }

        _samples += n;
        if (weights.IsEmpty)
        {
            _positive += n;
        }
        else
        {
            foreach (double w in weights)
            {
                _positive += w > 0 ? 1 : 0;
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="other"/>'s sums to this one (<paramref name="other"/> is unchanged). Both must
    /// fit the same basis (variables, degree, constant) and output count; their standardisations may differ.
    /// </summary>
    /// <exception cref="ArgumentException">A different basis or output count.</exception>
    public void Merge(SuperPlaneAccumulator other)
    {
        if (other is null)
        {
            ThrowHelper.ArgumentNull(nameof(other));
        }

        if (other.Basis.VariableCount != Basis.VariableCount || other.Basis.Degree != Basis.Degree
            || other.Basis.IncludesConstant != Basis.IncludesConstant || other.OutputCount != OutputCount)
        {
            ThrowHelper.Argument(nameof(other), string.Create(CultureInfo.InvariantCulture,
                $"Cannot merge an accumulator of {other.Basis} with {other.OutputCount} outputs into one of {Basis} with {OutputCount} outputs."));
        }

        if (ReferenceEquals(other, this))
        {
            ThrowHelper.Argument(nameof(other), "An accumulator cannot be merged into itself.");
        }

        if (other._samples == 0)
        {
            return;
        }

        double[] incoming = other._sums;
        if (_center is null)
        {
            _center = (double[])other._center!.Clone();
            _scale = (double[])other._scale!.Clone();
        }
        else if (!other._center!.AsSpan().SequenceEqual(_center) || !other._scale!.AsSpan().SequenceEqual(_scale))
        {
            incoming = Reexpress(other);
        }

        for (int i = 0; i < _sums.Length; i++)
        {
            _sums[i] += incoming[i];
        }

        _samples += other._samples;
        _positive += other._positive;
    }

    /// <summary>Other's sums in this accumulator's standardised variables: z = α·z' + γ, α = s'/s, γ = (c' − c)/s.</summary>
    private double[] Reexpress(SuperPlaneAccumulator other)
    {
        int v = Basis.VariableCount;
        var alpha = new double[v];
        var gamma = new double[v];
        for (int j = 0; j < v; j++)
        {
            alpha[j] = other._scale![j] / _scale![j];
            gamma[j] = (other._center![j] - _center![j]) / _scale[j];
        }

        var result = (double[])other._sums.Clone();
        int m = _kernel.MomentCount;
        int low = _kernel.LowCount;
        AffineSubstitution.ApplyTransposed(_kernel.MomentBasis, other._sums.AsSpan(0, m), alpha, gamma, result.AsSpan(0, m));
        var lowBasis = new MonomialBasis(v, Basis.Degree);
        for (int r = 0; r < OutputCount; r++)
        {
            int at = m + (r * low);
            AffineSubstitution.ApplyTransposed(lowBasis, other._sums.AsSpan(at, low), alpha, gamma, result.AsSpan(at, low));
        }

        return result;
    }

    /// <summary>Solves for the first output (see <see cref="SolveAll"/>).</summary>
    public SuperPlaneFit Solve(SuperPlaneFitOptions? options = null) => SolveAll(options)[0];

    /// <summary>
    /// Solves the normal equations from the accumulated sums: one fit per output. Options: Ridge,
    /// MaxNormalEquationsCondition, RankTolerance, Backend and ComputeStandardErrors apply; Method must be
    /// Auto or NormalEquations and Weights must be empty (weights go with each chunk).
    /// </summary>
    /// <exception cref="ArgumentException">An invalid option, Method = Qr, or Weights given.</exception>
    /// <exception cref="InvalidOperationException">No sample with positive weight has been added.</exception>
    public SuperPlaneFit[] SolveAll(SuperPlaneFitOptions? options = null)
    {
        options ??= SuperPlaneFitOptions.Default;
        PlaneFitter.ValidateOptions(options);
        if (options.Method == LeastSquaresMethod.Qr)
        {
            ThrowHelper.Argument(nameof(options), "The accumulator holds moments, not the data: QR needs the data. Use Auto or NormalEquations, or SuperPlane.Fit.");
        }

        if (!options.Weights.IsEmpty)
        {
            ThrowHelper.Argument(nameof(options), "options.Weights is not used by the accumulator: pass weights with each chunk to Add.");
        }

        if (_positive == 0 || !(_sums[0] > 0))
        {
            ThrowHelper.InvalidOperation("No sample with positive weight has been added to the accumulator.");
        }

        ILinearAlgebraBackend la = LinearAlgebraBackends.Resolve(options.Backend);
        int p = Basis.TermCount;
        int k = OutputCount;
        int firstPenalised = Basis.IncludesConstant ? 1 : 0;
        var gram = new double[p * p];
        var rhs = new double[p * k];
        _plan.Assemble(_kernel, _sums, gram, rhs);
        bool wantErrors = options.ComputeStandardErrors;
        string message = string.Create(CultureInfo.InvariantCulture, $"Normal equations from accumulated moments of {_samples:N0} samples.");
        CoreSolution? core = LeastSquaresCore.SolveNormal(la, gram, rhs, p, k, options.Ridge, firstPenalised,
                                                          options.MaxNormalEquationsCondition, wantErrors, out string reason);
        if (core is null)
        {
            double tolerance = options.RankTolerance > 0 ? options.RankTolerance : PivotedQr.DefaultRankTolerance((int)Math.Min(_samples, int.MaxValue), p);
            tolerance = Math.Max(tolerance, Math.Sqrt(p * 1.1102230246251565e-16));
            core = LeastSquaresCore.SolveNormalPivoted(la, gram, rhs, p, k, options.Ridge, firstPenalised, tolerance, wantErrors);
            message += $" Plain Cholesky rejected ({reason}); pivoted Cholesky used.";
        }

        double[] raw = PlaneFitter.ToRaw(Basis, core, _center!, _scale!);

        // RSS = Σwy² − 2bᵀg + bᵀGb and TSS from the sums, in the standardised variables.
        int m = _kernel.MomentCount;
        int low = _kernel.LowCount;
        double sumW = _sums[0];
        var rss = new double[k];
        var tss = new double[k];
        for (int r = 0; r < k; r++)
        {
            ReadOnlySpan<double> b = core.Coefficients.AsSpan(r * p, p);
            double yy = _sums[m + (k * low) + r];
            double bg = 0, bgb = 0;
            for (int a = 0; a < p; a++)
            {
                bg += b[a] * rhs[(a * k) + r];
                double row = gram[(a * p) + a] * b[a];
                for (int c = a + 1; c < p; c++)
                {
                    row += 2 * gram[(a * p) + c] * b[c];
                }

                bgb += b[a] * row;
            }

            rss[r] = yy - (2 * bg) + bgb;
            double sumY = _sums[m + (r * low)];
            tss[r] = Basis.IncludesConstant ? yy - (sumY * sumY / sumW) : yy;
        }

        return PlaneFitter.Finish(Basis, core, raw, _center!, _scale!, rss, tss, _positive, LeastSquaresMethod.NormalEquations, false,
                                  la.Kind, options.Ridge, wantErrors, message);
    }
}
