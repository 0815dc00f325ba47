// Polynomial least squares in a monomial basis (SuperPlane.Fit), end to end:
//   1. standardise: z = (x − c)/s per variable (Standardization);
//   2. solve in z: moments + Cholesky (MomentKernel, MomentPlan, LeastSquaresCore.SolveNormal), or the
//      accuracy path, tall-skinny QR + column-pivoted QR of R (TallSkinnyQr, LeastSquaresCore.SolveTriangle);
//   3. map the coefficients to x exactly (AffineSubstitution.FromStandardized, double-double);
//   3'. at full rank, one pass of iterative refinement with residuals from the data (GradientPass), which
//      also gives the residual sum of squares;
//   4. standard errors σ̂·√diag(T·L·Lᵀ·Tᵀ) with T the substitution matrix and L the factor of the
//      (pseudo-)inverse Gram matrix from step 2.
using System.Globalization;
using SuperSpace.Simd.Internals;
using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Polynomials;

internal static class PlaneFitter
{
    /// <summary>Auto uses QR at or below this many samples × terms² (≈ 0.1 s of QR).</summary>
    internal const double AutoQrWork = 5e7;

    /// <summary>Most distinct moments (terms of degree ≤ 2D) the normal-equations path accumulates; beyond, QR.</summary>
    internal const long MaxMoments = 1L << 24;

    /// <summary>Largest p × p factor a fit allocates (bytes).</summary>
    internal const long MaxFactorBytes = 4L << 30;

    public static LeastSquaresMethod Choose(LeastSquaresMethod requested, long sampleCount, MonomialBasis basis)
    {
        if (requested != LeastSquaresMethod.Auto)
        {
            return requested;
        }

        int p = basis.TermCount;
        return sampleCount < 2L * p || (double)sampleCount * p * p <= AutoQrWork
               || MonomialBasis.CountTermsOrMax(basis.VariableCount, 2 * basis.Degree) > MaxMoments
            ? LeastSquaresMethod.Qr
            : LeastSquaresMethod.NormalEquations;
    }

    /// <summary>Validated inputs (see SuperPlane.Fit) → one fit per target column.</summary>
    public static SuperPlaneFit[] Fit(ReadOnlySpan<double> points, ReadOnlySpan<double> targets, int k, MonomialBasis basis, SuperPlaneFitOptions options)
    {
        ILinearAlgebraBackend la = LinearAlgebraBackends.Resolve(options.Backend);
        int threads = options.MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : options.MaxDegreeOfParallelism;
        int v = basis.VariableCount;
        int n = points.Length / v;
        int p = basis.TermCount;
        ReadOnlySpan<double> weights = options.Weights.Span;
        bool wantErrors = options.ComputeStandardErrors;

        var center = new double[v];
        var spread = new double[v];
        Standardization.Compute(points, v, basis.IncludesConstant, center, spread);
        long positive = weights.IsEmpty ? n : CountPositive(weights);
        double rankTolerance = options.RankTolerance > 0 ? options.RankTolerance : PivotedQr.DefaultRankTolerance(n, p);
        int firstPenalised = basis.IncludesConstant ? 1 : 0;

        LeastSquaresMethod method = Choose(options.Method, n, basis);
        string message = options.Method == LeastSquaresMethod.Auto
            ? string.Create(CultureInfo.InvariantCulture, $"Auto chose {Describe(method)} for {n:N0} samples × {p:N0} terms.")
            : string.Create(CultureInfo.InvariantCulture, $"{Describe(method)} as requested.");
        CoreSolution? core = null;
        bool fellBack = false;
        long momentCount = MonomialBasis.CountTermsOrMax(v, 2 * basis.Degree);
        if (method == LeastSquaresMethod.NormalEquations && momentCount > MaxMoments)
        {
            fellBack = true;
            method = LeastSquaresMethod.Qr;
            message += string.Create(CultureInfo.InvariantCulture,
                $" Normal equations rejected: {(momentCount == long.MaxValue ? "too many" : momentCount.ToString("N0", CultureInfo.InvariantCulture))} moments of degree ≤ {2 * basis.Degree} exceed the limit {MaxMoments:N0}; solved by QR instead.");
        }

        if (method == LeastSquaresMethod.NormalEquations)
        {
            MomentPlan plan = MomentPlan.For(basis);
            MomentKernel kernel = plan.Kernel(k);
            double[] moments = MomentPass.Run(kernel, points, targets, weights, center, spread, threads);
            var gram = new double[p * p];
            var rhs = new double[p * k];
            plan.Assemble(kernel, moments, gram, rhs);
            core = LeastSquaresCore.SolveNormal(la, gram, rhs, p, k, options.Ridge, firstPenalised, options.MaxNormalEquationsCondition,
                                                wantErrors, out string reason);
            if (core is null)
            {
                fellBack = true;
                method = LeastSquaresMethod.Qr;
                message += $" Normal equations rejected: {reason}; solved by QR instead.";
            }
        }

        if (core is null)
        {
            var qr = new TallSkinnyQr(basis, k);
            TallSkinnyQr.State state = qr.Run(points, targets, weights, center, spread, threads);
            qr.AppendRidge(state, options.Ridge);
            core = LeastSquaresCore.SolveTriangle(la, state, p, k, rankTolerance, wantErrors);
        }

        // Refinement (full rank) and the residual sum of squares over the data, in the standardised variables.
        var rss = new double[k];
        if (core.Triangle is not null)
        {
            Refine(basis, core, points, targets, weights, center, spread, k, options.Ridge, firstPenalised, threads, rss);
        }
        else
        {
            GradientPass.Run(basis, core.Coefficients, points, targets, weights, center, spread, k, threads, rss, []);
        }

        double[] raw = ToRaw(basis, core, center, spread);
        double[] tss = TotalSumsOfSquares(targets, weights, k, basis.IncludesConstant);
        return Finish(basis, core, raw, center, spread, rss, tss, positive, method, fellBack, la.Kind, options.Ridge, wantErrors, message);
    }

    /// <summary>At most this many refinement passes; a second only when the first correction was large.</summary>
    private const int MaxRefinements = 2;

    /// <summary>
    /// Corrected semi-normal equations: b ← b + δ, δ = (G + λD)⁻¹(Zᵀ W (y − Z b) − λ D b), with residuals from
    /// the data (GradientPass) and G + λD = (UP)ᵀ(UP) from either path. After Cholesky one pass recovers the
    /// QR accuracy unless κ(G)·ε is close to 1; after QR it removes the rounding of Qᵀy (Björck's CSNE).
    /// The pass also gives RSS(b); RSS(b + δ) = RSS(b) − 2δᵀh + δᵀGδ exactly (h = ZᵀW(y − Zb), G = ZᵀWZ).
    /// </summary>
    private static void Refine(MonomialBasis basis, CoreSolution core, ReadOnlySpan<double> points, ReadOnlySpan<double> targets,
                               ReadOnlySpan<double> weights, double[] center, double[] spread, int k, double ridge, int firstPenalised,
                               int threads, double[] rss)
    {
        int p = basis.TermCount;
        var h = new double[p * k];
        var delta = new double[p * k];
        var column = new double[p];
        double[] b = core.Coefficients;
        for (int pass = 0; pass < MaxRefinements; pass++)
        {
            GradientPass.Run(basis, b, points, targets, weights, center, spread, k, threads, rss, h);
            h.CopyTo(delta, 0);
            for (int r = 0; r < k && ridge > 0; r++)
            {
                for (int t = firstPenalised; t < p; t++)
                {
                    delta[(t * k) + r] -= ridge * b[(r * p) + t];
                }
            }

            core.SolveGram(delta, p, k);
            double change = 0, size = 0;
            for (int r = 0; r < k; r++)
            {
                double dh = 0, penalty = 0;
                for (int t = 0; t < p; t++)
                {
                    double d = delta[(t * k) + r];
                    column[t] = d;
                    dh += d * h[(t * k) + r];
                    penalty += t >= firstPenalised ? d * d : 0;
                    b[(r * p) + t] += d;
                    change = Math.Max(change, Math.Abs(d));
                    size = Math.Max(size, Math.Abs(b[(r * p) + t]));
                }

                double dGd = core.GramNorm(column, p) - (ridge * penalty);
                rss[r] = Math.Max(0, rss[r] - (2 * dh) + dGd);
            }

            if (!(change > 1e-12 * size))
            {
                break;
            }
        }
    }

    /// <summary>Σ w (y − ȳ)² per target (ȳ the weighted mean) with the constant term; Σ w y² without it.</summary>
    private static double[] TotalSumsOfSquares(ReadOnlySpan<double> targets, ReadOnlySpan<double> weights, int k, bool centred)
    {
        var means = new double[k];
        if (centred)
        {
            WeightedMeans(targets, weights, k, means);
        }

        int n = targets.Length / k;
        var tss = new double[k];
        for (int i = 0; i < n; i++)
        {
            double w = weights.IsEmpty ? 1.0 : weights[i];
            for (int r = 0; r < k; r++)
            {
                double d = targets[(i * k) + r] - means[r];
                tss[r] += w * d * d;
            }
        }

        return tss;
    }

    internal static string Describe(LeastSquaresMethod method) =>
        method == LeastSquaresMethod.Qr ? "QR" : "normal equations (moments + Cholesky)";

    internal static double[] ToRaw(MonomialBasis basis, CoreSolution core, double[] center, double[] spread)
    {
        var raw = new double[core.Coefficients.Length];
        AffineSubstitution.FromStandardized(basis, core.Coefficients, center, spread, raw);
        return raw;
    }

    internal static SuperPlaneFit[] Finish(MonomialBasis basis, CoreSolution core, double[] raw, double[] center, double[] spread,
                                           double[] rss, double[] tss, long positive, LeastSquaresMethod method, bool fellBack,
                                           ComputeBackend backend, double ridge, bool wantErrors, string message)
    {
        int p = basis.TermCount;
        int k = rss.Length;
        long dof = Math.Max(0, positive - core.Rank);
        SuperPlaneFitStatus status = core.Rank < p ? SuperPlaneFitStatus.RankDeficient : SuperPlaneFitStatus.Success;
        if (status == SuperPlaneFitStatus.RankDeficient)
        {
            message += string.Create(CultureInfo.InvariantCulture,
                $" Rank {core.Rank} < {p} terms: minimum-norm solution in the standardised variables.");
        }

        double[]? variances = wantErrors && core.Factor is not null
            ? CoefficientVariances(basis, core, center, spread, ridge)
            : null;

        var fits = new SuperPlaneFit[k];
        for (int r = 0; r < k; r++)
        {
            double rssR = Math.Max(0, rss[r]);
            double[] errors;
            if (!wantErrors)
            {
                errors = [];
            }
            else
            {
                errors = new double[p];
                double sigma = dof > 0 ? Math.Sqrt(rssR / dof) : double.PositiveInfinity;
                for (int t = 0; t < p; t++)
                {
                    double variance = variances is null ? 0 : variances[t];
                    errors[t] = dof > 0 ? sigma * Math.Sqrt(variance) : double.PositiveInfinity;
                }
            }

            var plane = new SuperPlane(basis, raw.AsSpan(r * p, p));
            fits[r] = new SuperPlaneFit(plane, rssR, Math.Max(0, tss[r]), positive, dof, errors, core.Rank, method, fellBack,
                                        core.Condition, status, backend, (double[])center.Clone(), (double[])spread.Clone(), message.Trim());
        }

        return fits;
    }

    /// <summary>diag(T·C·Tᵀ) with C = L·Lᵀ, minus λ·Σ_(pen) (T·L·Lᵀ)²_(t,j) with a ridge (C = A − λ·A·D·A, A = L·Lᵀ).</summary>
    private static double[] CoefficientVariances(MonomialBasis basis, CoreSolution core, double[] center, double[] spread, double ridge)
    {
        int p = basis.TermCount;
        int q = core.FactorColumns;
        double[] l = core.Factor!;
        var t = new double[p * p];
        AffineSubstitution.FromStandardizedMatrix(basis, center, spread, t);
        var kmat = new double[p * q];
        Gemm.Multiply(false, false, p, q, p, 1.0, t, p, l, q, 0.0, kmat, q);
        var variances = new double[p];
        for (int i = 0; i < p; i++)
        {
            double sum = 0;
            foreach (double e in kmat.AsSpan(i * q, q))
            {
                sum += e * e;
            }

            variances[i] = sum;
        }

        if (ridge > 0)
        {
            var ta = new double[p * p];
            Gemm.Multiply(false, true, p, p, q, 1.0, kmat, q, l, q, 0.0, ta, p);
            int first = basis.IncludesConstant ? 1 : 0;
            for (int i = 0; i < p; i++)
            {
                double sum = 0;
                for (int j = first; j < p; j++)
                {
                    double e = ta[(i * p) + j];
                    sum += e * e;
                }

                variances[i] = Math.Max(0, variances[i] - (ridge * sum));
            }
        }

        return variances;
    }

    private static long CountPositive(ReadOnlySpan<double> weights)
    {
        long count = 0;
        foreach (double w in weights)
        {
            count += w > 0 ? 1 : 0;
        }

        return count;
    }

    private static void WeightedMeans(ReadOnlySpan<double> targets, ReadOnlySpan<double> weights, int k, Span<double> means)
    {
        int n = targets.Length / k;
        double total = 0;
        Span<double> sums = k <= 64 ? stackalloc double[k] : new double[k];
        sums.Clear();
        for (int i = 0; i < n; i++)
        {
            double w = weights.IsEmpty ? 1.0 : weights[i];
            total += w;
            for (int r = 0; r < k; r++)
            {
                sums[r] += w * targets[(i * k) + r];
            }
        }

        for (int r = 0; r < k; r++)
        {
            means[r] = sums[r] / total;
        }
    }

    /// <summary>Argument checks shared by every Fit overload; throws before any work.</summary>
    public static void Validate(ReadOnlySpan<double> points, ReadOnlySpan<double> targets, int outputCount, MonomialBasis basis,
                                SuperPlaneFitOptions options)
    {
        if (basis is null)
        {
            ThrowHelper.ArgumentNull(nameof(basis));
        }

        if (outputCount < 1)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(outputCount), string.Create(CultureInfo.InvariantCulture, $"outputCount must be at least 1; it is {outputCount}."));
        }

        ValidateOptions(options);
        int v = basis.VariableCount;
        long factorBytes = (long)basis.TermCount * basis.TermCount * sizeof(double);
        if (factorBytes > MaxFactorBytes)
        {
            ThrowHelper.Argument(nameof(basis), string.Create(CultureInfo.InvariantCulture,
                $"The basis has {basis.TermCount:N0} terms: a fit needs a {basis.TermCount:N0} × {basis.TermCount:N0} factor ({factorBytes:N0} bytes, limit {MaxFactorBytes:N0}). Lower the degree or the number of variables."));
        }

        if (points.Length % v != 0)
        {
            ThrowHelper.Argument(nameof(points), string.Create(CultureInfo.InvariantCulture,
                $"points has length {points.Length}, not a multiple of VariableCount = {v}."));
        }

        int n = points.Length / v;
        if (n == 0)
        {
            ThrowHelper.Argument(nameof(points), "A fit needs at least one sample; points is empty.");
        }

        if (targets.Length != (long)n * outputCount)
        {
            ThrowHelper.LengthMismatch(nameof(targets), (long)n * outputCount, targets.Length,
                string.Create(CultureInfo.InvariantCulture, $"{n} samples × {outputCount} outputs"));
        }

        ReadOnlySpan<double> weights = options.Weights.Span;
        if (!weights.IsEmpty && weights.Length != n)
        {
            ThrowHelper.Argument(nameof(options), string.Create(CultureInfo.InvariantCulture,
                $"options.Weights has length {weights.Length}; expected {n} (one weight per sample)."));
        }

        Internals.Validate.AllFinite(points, v, nameof(points));
        Internals.Validate.AllFinite(targets, outputCount, nameof(targets), "sample", "output");
        ValidateWeights(weights, nameof(options), "options.Weights");
    }

    public static void ValidateOptions(SuperPlaneFitOptions options)
    {
        if (!double.IsFinite(options.Ridge) || options.Ridge < 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(options), string.Create(CultureInfo.InvariantCulture,
                $"options.Ridge must be finite and ≥ 0; it is {options.Ridge}."));
        }

        if (!Enum.IsDefined(options.Method))
        {
            ThrowHelper.ArgumentOutOfRange(nameof(options), $"options.Method has the unknown value {(int)options.Method}.");
        }

        if (!Enum.IsDefined(options.Backend))
        {
            ThrowHelper.ArgumentOutOfRange(nameof(options), $"options.Backend has the unknown value {(int)options.Backend}.");
        }

        if (options.MaxDegreeOfParallelism != -1 && options.MaxDegreeOfParallelism < 1)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(options), string.Create(CultureInfo.InvariantCulture,
                $"options.MaxDegreeOfParallelism must be -1 (all cores) or at least 1; it is {options.MaxDegreeOfParallelism}."));
        }

        if (!(options.MaxNormalEquationsCondition >= 1) || double.IsNaN(options.MaxNormalEquationsCondition))
        {
            ThrowHelper.ArgumentOutOfRange(nameof(options), string.Create(CultureInfo.InvariantCulture,
                $"options.MaxNormalEquationsCondition must be at least 1; it is {options.MaxNormalEquationsCondition}."));
        }

        if (!double.IsFinite(options.RankTolerance) || options.RankTolerance < 0 || options.RankTolerance >= 1)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(options), string.Create(CultureInfo.InvariantCulture,
                $"options.RankTolerance must be in [0, 1); it is {options.RankTolerance}."));
        }
    }

    /// <summary>Weights must be finite and ≥ 0 (the message names the sample), with at least one positive.</summary>
    public static void ValidateWeights(ReadOnlySpan<double> weights, string paramName, string what)
    {
        if (weights.IsEmpty)
        {
            return;
        }

        bool anyPositive = false;
        for (int i = 0; i < weights.Length; i++)
        {
            double w = weights[i];
            if (!double.IsFinite(w) || w < 0)
            {
                ThrowHelper.Argument(paramName, string.Create(CultureInfo.InvariantCulture,
                    $"{what} must be finite and ≥ 0; sample {i} has weight {w}."));
            }

            anyPositive |= w > 0;
        }

        if (!anyPositive)
        {
            ThrowHelper.Argument(paramName, $"{what} are all zero: at least one sample must have a positive weight.");
        }
    }
}
