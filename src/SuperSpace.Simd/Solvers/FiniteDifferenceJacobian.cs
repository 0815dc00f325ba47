// Finite-difference Jacobian of weighted residuals f(p) = √w∘r(p), one column per free parameter:
//   forward  J[:, j] ≈ (f(p + hⱼeⱼ) − f(p)) / hⱼ            error O(hⱼ) + O(ε/hⱼ), 1 evaluation
//   central  J[:, j] ≈ (f(p + hⱼeⱼ) − f(p − hⱼeⱼ)) / (2hⱼ)  error O(hⱼ²) + O(ε/hⱼ), 2 evaluations
// with hⱼ = η·max(|pⱼ|, floor), hⱼ = η when that is 0 (MINPACK fdjac2), η = √ε (forward) or ε^(1/3) (central)
// by default. The step actually taken is (pⱼ + hⱼ) − pⱼ, exactly representable. A step that would leave the
// bounds is taken the other way; a probe with a non-finite residual is retried the other way once. Cost:
// n (forward) or 2n (central) residual evaluations plus O(m·n).
namespace SuperSpace.Simd.Solvers;

internal sealed class FiniteDifferenceSettings
{
    public required FiniteDifferenceScheme Scheme { get; init; }
    public required double RelativeStep { get; init; }
    public required double MinimumMagnitude { get; init; }
    public required int Threads { get; init; }
    public bool[]? Fixed { get; init; }
    public double[]? Lower { get; init; }
    public double[]? Upper { get; init; }

    /// <summary>The same settings with central differences at the default step ε^(1/3) (used by refinement).</summary>
    public FiniteDifferenceSettings Central => Scheme == FiniteDifferenceScheme.Central ? this : _central!;

    private FiniteDifferenceSettings? _central;

    /// <summary>Creates the settings and their central-difference twin once (the solver keeps them).</summary>
    public static FiniteDifferenceSettings Create(FiniteDifferenceScheme scheme, double relativeStep, double minimumMagnitude, int threads,
                                                  bool[]? fixedMask, double[]? lower, double[]? upper)
    {
        var settings = new FiniteDifferenceSettings
        {
            Scheme = scheme,
            RelativeStep = relativeStep,
            MinimumMagnitude = minimumMagnitude,
            Threads = threads,
            Fixed = fixedMask,
            Lower = lower,
            Upper = upper,
        };
        settings._central = new FiniteDifferenceSettings
        {
            Scheme = FiniteDifferenceScheme.Central,
            RelativeStep = Math.Cbrt(2.220446049250313e-16),
            MinimumMagnitude = minimumMagnitude,
            Threads = threads,
            Fixed = fixedMask,
            Lower = lower,
            Upper = upper,
        };
        return settings;
    }
}

internal static class FiniteDifferenceJacobian
{
    /// <summary>
    /// Writes the weighted Jacobian (row-major m×n) at x, given the weighted residuals f at x. Fixed columns
    /// are zero. Returns the number of residual evaluations.
    /// </summary>
    public static int Compute<TProblem>(ref TProblem problem, double[] x, double[] f, double[] jacobian, FiniteDifferenceSettings settings,
                                        double[]? sqrtWeights, LevenbergMarquardtWorkspace workspace)
        where TProblem : ILeastSquaresProblem
    {
        int n = x.Length;
        if (settings.Threads <= 1 || n == 1)
        {
            double[] probe = workspace.ProbeParameters;
            x.CopyTo(probe, 0);
            int evaluations = 0;
            for (int j = 0; j < n; j++)
            {
                evaluations += Column(ref problem, probe, f, jacobian, j, workspace.ProbeResiduals, settings, sqrtWeights);
            }

            return evaluations;
        }

        return ComputeInParallel(problem, x, f, jacobian, settings, sqrtWeights, workspace);
    }

    // Separate from Compute so the closure below is allocated only when threads are used.
    private static int ComputeInParallel<TProblem>(TProblem problem, double[] x, double[] f, double[] jacobian, FiniteDifferenceSettings settings,
                                                   double[]? sqrtWeights, LevenbergMarquardtWorkspace workspace)
        where TProblem : ILeastSquaresProblem
    {
        int n = x.Length;
        int threads = Math.Min(settings.Threads, n);
        workspace.EnsureThreadBuffers(threads);
        double[][] parameters = workspace.ThreadParameters!;
        double[][] residuals = workspace.ThreadResiduals!;
        int total = 0;
        TProblem shared = problem;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            TProblem local = shared;
            double[] probe = parameters[t];
            x.CopyTo(probe, 0);
            int evaluations = 0;
            for (int j = t; j < n; j += threads)
            {
                evaluations += Column(ref local, probe, f, jacobian, j, residuals[t], settings, sqrtWeights);
            }

            Interlocked.Add(ref total, evaluations);
        });
        return total;
    }

    private static int Column<TProblem>(ref TProblem problem, double[] probe, double[] f, double[] jacobian, int j, double[] shifted,
                                        FiniteDifferenceSettings settings, double[]? sqrtWeights)
        where TProblem : ILeastSquaresProblem
    {
        int n = probe.Length;
        int m = f.Length;
        if (settings.Fixed is { } fixedMask && fixedMask[j])
        {
            for (int i = 0; i < m; i++)
            {
                jacobian[(i * n) + j] = 0;
            }

            return 0;
        }

        double xj = probe[j];
        double h = settings.RelativeStep * Math.Max(Math.Abs(xj), settings.MinimumMagnitude);
        if (h == 0)
        {
            h = settings.RelativeStep;
        }

        double lower = settings.Lower?[j] ?? double.NegativeInfinity;
        double upper = settings.Upper?[j] ?? double.PositiveInfinity;
        bool forwardFits = xj + h <= upper;
        bool backwardFits = xj - h >= lower;
        int evaluations = 0;

        if (settings.Scheme == FiniteDifferenceScheme.Central && forwardFits && backwardFits)
        {
            // f(p + h) into the Jacobian column, f(p − h) into the scratch vector.
            double plus = xj + h;
            double minus = xj - h;
            bool plusFinite = Probe(ref problem, probe, j, plus, shifted, sqrtWeights);
            evaluations++;
            if (plusFinite)
            {
                for (int i = 0; i < m; i++)
                {
                    jacobian[(i * n) + j] = shifted[i];
                }
            }

            bool minusFinite = Probe(ref problem, probe, j, minus, shifted, sqrtWeights);
            evaluations++;
            probe[j] = xj;
            if (plusFinite && minusFinite)
            {
                double width = plus - minus;
                for (int i = 0; i < m; i++)
                {
                    int k = (i * n) + j;
                    jacobian[k] = (jacobian[k] - shifted[i]) / width;
                }

                return evaluations;
            }

            if (minusFinite)
            {
                WriteOneSided(f, shifted, minus - xj, jacobian, j, n);
                return evaluations;
            }

            if (plusFinite)
            {
                // The column holds f(p + h): difference it in place.
                double step = plus - xj;
                for (int i = 0; i < m; i++)
                {
                    int k = (i * n) + j;
                    jacobian[k] = (jacobian[k] - f[i]) / step;
                }

                return evaluations;
            }

            WriteNaN(jacobian, j, n, m);
            return evaluations;
        }

        // One-sided: forward when it fits (or when neither fits and there is more room above), else backward.
        double direction;
        if (forwardFits)
        {
            direction = 1;
        }
        else if (backwardFits)
        {
            direction = -1;
        }
        else
        {
            // The box is narrower than h: step to the farther bound.
            double room = Math.Max(upper - xj, xj - lower);
            if (!(room > 0))
            {
                for (int i = 0; i < m; i++)
                {
                    jacobian[(i * n) + j] = 0;
                }

                return 0;
            }

            direction = upper - xj >= xj - lower ? 1 : -1;
            h = room;
        }

        for (int attempt = 0; attempt < 2; attempt++)
        {
            double target = xj + (direction * h);
            bool finite = Probe(ref problem, probe, j, target, shifted, sqrtWeights);
            evaluations++;
            probe[j] = xj;
            if (finite)
            {
                WriteOneSided(f, shifted, target - xj, jacobian, j, n);
                return evaluations;
            }

            // Retry the other way once, if it stays in the box.
            direction = -direction;
            double other = xj + (direction * h);
            if (other > upper || other < lower)
            {
                break;
            }
        }

        WriteNaN(jacobian, j, n, m);
        return evaluations;
    }

    /// <summary>Weighted residuals at the probe with parameter j set to value; true when all finite.</summary>
    private static bool Probe<TProblem>(ref TProblem problem, double[] probe, int j, double value, double[] shifted, double[]? sqrtWeights)
        where TProblem : ILeastSquaresProblem
    {
        probe[j] = value;
        problem.Residuals(probe, shifted);
        Weighting.Apply(shifted, sqrtWeights);
        return Internals.Validate.IndexOfNonFinite(shifted) < 0;
    }

    private static void WriteOneSided(double[] f, double[] shifted, double step, double[] jacobian, int j, int n)
    {
        for (int i = 0; i < f.Length; i++)
        {
            jacobian[(i * n) + j] = (shifted[i] - f[i]) / step;
        }
    }

    private static void WriteNaN(double[] jacobian, int j, int n, int m)
    {
        for (int i = 0; i < m; i++)
        {
            jacobian[(i * n) + j] = double.NaN;
        }
    }
}

/// <summary>Observation weights applied as √wᵢ to residuals and Jacobian rows.</summary>
internal static class Weighting
{
    /// <summary>fᵢ ← √wᵢ·fᵢ, and exactly 0 where wᵢ = 0 (even for a non-finite fᵢ). No-op without weights.</summary>
    public static void Apply(Span<double> residuals, double[]? sqrtWeights)
    {
        if (sqrtWeights is null)
        {
            return;
        }

        for (int i = 0; i < residuals.Length; i++)
        {
            double w = sqrtWeights[i];
            residuals[i] = w == 0 ? 0 : residuals[i] * w;
        }
    }

    /// <summary>Row i of a row-major m×n matrix ← scaleᵢ·row i (0 where scaleᵢ = 0).</summary>
    public static void ScaleRows(Span<double> matrix, int n, ReadOnlySpan<double> scales)
    {
        for (int i = 0; i < scales.Length; i++)
        {
            double s = scales[i];
            Span<double> row = matrix.Slice(i * n, n);
            if (s == 0)
            {
                row.Clear();
            }
            else if (s != 1)
            {
                for (int j = 0; j < n; j++)
                {
                    row[j] *= s;
                }
            }
        }
    }
}
