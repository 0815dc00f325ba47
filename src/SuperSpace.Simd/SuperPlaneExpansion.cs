using System.Diagnostics;
using System.Globalization;
using SuperSpace.Simd.Internals;
using SuperSpace.Simd.Networks;
using SuperSpace.Simd.Polynomials;

namespace SuperSpace.Simd;

/// <summary>
/// Turns a trained <see cref="Mlp"/> into one <see cref="SuperPlane"/> per output: every neuron after its
/// activation is a polynomial in the inputs (the activation's series, or an interval approximation,
/// composed with the neuron's linear pre-activation), propagated layer by layer in truncated
/// multivariate power-series arithmetic. Results are always in the raw input variables.
/// </summary>
/// <remarks>
/// Cost: for each layer, one product of truncated polynomials per degree (Horner/Clenshaw), all the
/// layer's neurons at once; a product costs at most C(2v + D, D) multiply-adds per neuron, with the
/// index tables computed once per (v, D) and shared. Single-threaded.
/// </remarks>
public static class SuperPlaneExpansion
{
    /// <summary>The Super Planes of <paramref name="network"/> at <paramref name="degree"/>, one per output.</summary>
    /// <param name="network">The network (read, not changed).</param>
    /// <param name="degree">Total degree of the planes, 0 … <see cref="MonomialBasis.MaxDegree"/>.</param>
    /// <param name="options">Method and its settings; default Taylor at the data mean or the origin.</param>
    /// <exception cref="ArgumentException">
    /// Bad options (centre of the wrong length, non-finite values, data not a multiple of InputCount), non-finite
    /// network parameters, or a degree whose polynomials would not fit in memory (the message gives the term count and bytes).
    /// </exception>
    public static SuperPlane[] Expand(Mlp network, int degree, SuperPlaneExpansionOptions? options = null) =>
        Run(network, degree, options ?? new SuperPlaneExpansionOptions(), withReport: false).Planes;

    /// <summary>As <see cref="Expand"/>, with an <see cref="ExpansionReport"/> measured on the options' data (or points sampled from its box).</summary>
    /// <inheritdoc cref="Expand" path="/param"/>
    /// <inheritdoc cref="Expand" path="/exception"/>
    public static SuperPlaneExpansionResult ExpandWithReport(Mlp network, int degree, SuperPlaneExpansionOptions? options = null) =>
        Run(network, degree, options ?? new SuperPlaneExpansionOptions(), withReport: true);

    private static SuperPlaneExpansionResult Run(Mlp network, int degree, SuperPlaneExpansionOptions options, bool withReport)
    {
        if (network is null)
        {
            ThrowHelper.ArgumentNull(nameof(network));
        }

        Check(network, degree, options);
        int v = network.InputCount;
        ReadOnlySpan<double> data = options.Data.Span;
        bool sampled = data.IsEmpty;
        bool needPoints = withReport || options.Method is ExpansionMethod.Chebyshev or ExpansionMethod.Projection;
        int sampleCount0 = options.Method == ExpansionMethod.Projection
            ? (int)Math.Min(int.MaxValue / v, Math.Max(options.SampleCount, 3 * MonomialBasis.CountTerms(v, degree)))
            : options.SampleCount;
        double[] points = needPoints ? (sampled ? SampleBox(network, options, sampleCount0) : data.ToArray()) : [];
        int sampleCount = points.Length / v;
        double[][]? preActivations = needPoints && options.Method != ExpansionMethod.Projection ? network.PreActivations(points) : null;

        // Working variables u = (x − c)/s.
        double[] center = new double[v];
        double[] scale = [];
        double[][]? intervals = null;
        switch (options.Method)
        {
            case ExpansionMethod.Taylor:
                if (options.Center is not null)
                {
                    options.Center.CopyTo(center, 0);
                }
                else if (!data.IsEmpty)
                {
                    ColumnMeans(data, v, center);
                }

                break;
            case ExpansionMethod.Chebyshev:
                scale = new double[v];
                BoundingBox(points, v, center, scale);
                intervals = Intervals(network, preActivations!, options.IntervalMargin);
                break;
        }

        if (options.Method == ExpansionMethod.Projection)
        {
            return Project(network, degree, options, points, sampled, withReport);
        }

        var stopwatch = Stopwatch.StartNew();
        var engine = new ExpansionEngine(network, degree);
        var centres = new double[network.Layers.Count][];
        int approximationDegree = options.ApproximationDegree ?? degree;
        double[][] coefficients = engine.Run(options.Method, center, scale, options.TaylorOrder, options.FixedCentre, approximationDegree, intervals, centres);
        var planes = new SuperPlane[coefficients.Length];
        for (int o = 0; o < planes.Length; o++)
        {
            planes[o] = new SuperPlane(engine.Basis, coefficients[o]);
        }

        stopwatch.Stop();
        ExpansionReport report = withReport
            ? BuildReport(network, options, planes, points, sampleCount, sampled, preActivations!, centres, intervals, stopwatch.Elapsed)
            : new ExpansionReport(options.Method, degree, engine.Basis.TermCount, 0, sampled, [], [], [], [], [], stopwatch.Elapsed);
        return new SuperPlaneExpansionResult(planes, report);
    }

    /// <summary>Projection: the least-squares plane of the network's outputs on the points (SuperPlane.Fit, one factorisation for all outputs).</summary>
    private static SuperPlaneExpansionResult Project(Mlp network, int degree, SuperPlaneExpansionOptions options, double[] points, bool sampled, bool withReport)
    {
        int v = network.InputCount;
        int sampleCount = points.Length / v;
        var basis = new MonomialBasis(v, degree);
        if (sampleCount < basis.TermCount)
        {
            ThrowHelper.Argument(nameof(options), string.Create(CultureInfo.InvariantCulture,
                $"Projection onto {basis.TermCount:N0} terms needs at least as many points; Data has {sampleCount:N0}."));
        }

        var stopwatch = Stopwatch.StartNew();
        var targets = new double[sampleCount * network.OutputCount];
        network.Predict(points, targets);
        SuperPlaneFit[] fits = SuperPlane.Fit(points, targets, network.OutputCount, basis, new SuperPlaneFitOptions
        {
            MaxDegreeOfParallelism = 1,
            ComputeStandardErrors = false,
        });
        SuperPlane[] planes = [.. fits.Select(f => f.Plane)];
        stopwatch.Stop();
        ExpansionReport report = withReport
            ? BuildReport(network, options, planes, points, sampleCount, sampled, [], [], null, stopwatch.Elapsed)
            : new ExpansionReport(options.Method, degree, basis.TermCount, 0, sampled, [], [], [], [], [], stopwatch.Elapsed);
        return new SuperPlaneExpansionResult(planes, report);
    }

    private static void Check(Mlp network, int degree, SuperPlaneExpansionOptions options)
    {
        int v = network.InputCount;
        if ((uint)degree > MonomialBasis.MaxDegree)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(degree), $"degree must be between 0 and {MonomialBasis.MaxDegree}; it is {degree}.");
        }

        if (options.Method is not (ExpansionMethod.Taylor or ExpansionMethod.TaylorFixedCentre or ExpansionMethod.Chebyshev or ExpansionMethod.Projection))
        {
            ThrowHelper.Argument(nameof(options), $"Unknown expansion method {options.Method}.");
        }

        long bad = Validate.IndexOfNonFinite(network.Parameters);
        if (bad >= 0)
        {
            ThrowHelper.Argument(nameof(network), string.Create(CultureInfo.InvariantCulture, $"The network's parameter {bad} is not finite ({network.Parameters[(int)bad]})."));
        }

        long terms = MonomialBasis.CountTermsOrMax(v, degree);
        long pairs = MonomialBasis.CountTermsOrMax(2 * v, degree);
        long bytes = terms == long.MaxValue || pairs == long.MaxValue || terms > int.MaxValue ? long.MaxValue : ExpansionEngine.EstimateBytes(network, degree);
        if (bytes > options.MemoryLimitBytes || pairs > Array.MaxLength)
        {
            string count = terms == long.MaxValue ? "more than 9.2e18" : terms.ToString("N0", CultureInfo.InvariantCulture);
            string size = bytes == long.MaxValue ? "more than 9.2e18" : bytes.ToString("N0", CultureInfo.InvariantCulture);
            ThrowHelper.ArgumentOutOfRange(nameof(degree),
                $"Expanding to degree {degree} in {v} variables needs {count} terms per polynomial and about {size} bytes " +
                $"(limit {options.MemoryLimitBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes, SuperPlaneExpansionOptions.MemoryLimitBytes). Lower the degree.");
        }

        if (options.Center is not null)
        {
            if (options.Center.Length != v)
            {
                ThrowHelper.LengthMismatch(nameof(options), v, options.Center.Length, "Center needs one value per network input");
            }

            if (Validate.IndexOfNonFinite(options.Center) >= 0)
            {
                ThrowHelper.Argument(nameof(options), "Center contains a non-finite value.");
            }
        }

        if (options.TaylorOrder < 0 || options.TaylorOrder > 4 * MonomialBasis.MaxDegree)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(options), $"TaylorOrder must be between 0 and {4 * MonomialBasis.MaxDegree}; it is {options.TaylorOrder}.");
        }

        if (!double.IsFinite(options.FixedCentre))
        {
            ThrowHelper.Argument(nameof(options), "FixedCentre must be finite.");
        }

        if (options.ApproximationDegree is int a && (a < 0 || a > IntervalApproximation.MaxDegree))
        {
            ThrowHelper.ArgumentOutOfRange(nameof(options), $"ApproximationDegree must be between 0 and {IntervalApproximation.MaxDegree}; it is {a}.");
        }

        if (!(options.IntervalMargin >= 0) || !double.IsFinite(options.IntervalMargin))
        {
            ThrowHelper.ArgumentOutOfRange(nameof(options), "IntervalMargin must be finite and non-negative.");
        }

        if (options.SampleCount < 1 || options.TopTermCount < 0)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(options), "SampleCount must be at least 1 and TopTermCount non-negative.");
        }

        ReadOnlySpan<double> data = options.Data.Span;
        if (data.Length % v != 0)
        {
            ThrowHelper.Argument(nameof(options), $"Data has length {data.Length}, not a multiple of InputCount = {v}.");
        }

        Validate.AllFinite(data, v, nameof(options));
        CheckBox(options.BoxLower, v, "BoxLower");
        CheckBox(options.BoxUpper, v, "BoxUpper");
    }

    private static void CheckBox(double[]? corner, int v, string name)
    {
        if (corner is null)
        {
            return;
        }

        if (corner.Length != v)
        {
            ThrowHelper.LengthMismatch("options", v, corner.Length, $"{name} needs one value per network input");
        }

        if (Validate.IndexOfNonFinite(corner) >= 0)
        {
            ThrowHelper.Argument("options", $"{name} contains a non-finite value.");
        }
    }

    /// <summary>Uniform points in the box (default [−1, 1]^d, or the raw image of it under the input scaling).</summary>
    internal static double[] SampleBox(Mlp network, SuperPlaneExpansionOptions options, int sampleCount)
    {
        int v = network.InputCount;
        var lower = new double[v];
        var upper = new double[v];
        for (int i = 0; i < v; i++)
        {
            double lo = -1, hi = 1;
            if (network.InputScaling is FeatureScaling s)
            {
                double a = s.Offset[i] - (1 / s.Scale[i]), b = s.Offset[i] + (1 / s.Scale[i]);
                (lo, hi) = (Math.Min(a, b), Math.Max(a, b));
            }

            lower[i] = options.BoxLower?[i] ?? lo;
            upper[i] = options.BoxUpper?[i] ?? hi;
        }

        var random = new SplitMix64(options.Seed);
        var points = new double[(long)sampleCount * v];
        for (int k = 0; k < points.Length; k++)
        {
            int i = k % v;
            points[k] = random.NextDouble(lower[i], upper[i]);
        }

        return points;
    }

    private static void ColumnMeans(ReadOnlySpan<double> data, int v, Span<double> mean)
    {
        // Four independent sums per column: the additions do not wait on one another (a single running
        // sum per column is bound by the add latency, about 4× slower).
        int rows = data.Length / v;
        for (int i = 0; i < v; i++)
        {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int r = 0;
            for (; r <= rows - 4; r += 4)
            {
                int k = (r * v) + i;
                s0 += data[k];
                s1 += data[k + v];
                s2 += data[k + (2 * v)];
                s3 += data[k + (3 * v)];
            }

            for (; r < rows; r++)
            {
                s0 += data[(r * v) + i];
            }

            mean[i] = (s0 + s1 + (s2 + s3)) / rows;
        }
    }

    private static void BoundingBox(ReadOnlySpan<double> points, int v, Span<double> mid, Span<double> half)
    {
        int rows = points.Length / v;
        for (int i = 0; i < v; i++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int r = 0; r < rows; r++)
            {
                double x = points[(r * v) + i];
                lo = Math.Min(lo, x);
                hi = Math.Max(hi, x);
            }

            mid[i] = 0.5 * (lo + hi);
            half[i] = hi > lo ? 0.5 * (hi - lo) : 1;
        }
    }

    private static double[][] Intervals(Mlp network, double[][] preActivations, double margin)
    {
        var intervals = new double[network.Layers.Count][];
        for (int l = 0; l < intervals.Length; l++)
        {
            int units = network.Layers[l].Units;
            double[] z = preActivations[l];
            int rows = z.Length / units;
            var interval = new double[2 * units];
            for (int j = 0; j < units; j++)
            {
                double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
                for (int r = 0; r < rows; r++)
                {
                    double x = z[(r * units) + j];
                    lo = Math.Min(lo, x);
                    hi = Math.Max(hi, x);
                }

                double width = hi - lo;
                double pad = width > 0 ? margin * width : Math.Max(1e-6, 1e-3 * Math.Abs(lo));
                interval[2 * j] = lo - pad;
                interval[(2 * j) + 1] = hi + pad;
            }

            intervals[l] = interval;
        }

        return intervals;
    }

    private static ExpansionReport BuildReport(
        Mlp network, SuperPlaneExpansionOptions options, SuperPlane[] planes, double[] points, int sampleCount, bool sampled,
        double[][] preActivations, double[][] centres, double[][]? intervals, TimeSpan elapsed)
    {
        int v = network.InputCount;
        int outputs = network.OutputCount;
        MonomialBasis basis = planes[0].Basis;
        int n = basis.TermCount;

        // Network outputs, plane values and Σ m_t² in chunks of samples (the feature block stays bounded).
        var expected = new double[sampleCount * outputs];
        network.Predict(points, expected);
        var squares = new double[n];
        var sse = new double[outputs];
        var maxError = new double[outputs];
        int chunk = (int)Math.Clamp((1 << 21) / Math.Max(n, 1), 1, 1024);
        var features = new double[chunk * n];
        for (int start = 0; start < sampleCount; start += chunk)
        {
            int count = Math.Min(chunk, sampleCount - start);
            Span<double> f = features.AsSpan(0, count * n);
            basis.Evaluate(points.AsSpan(start * v, count * v), f, 1);
            for (int s = 0; s < count; s++)
            {
                ReadOnlySpan<double> row = f.Slice(s * n, n);
                for (int t = 0; t < n; t++)
                {
                    squares[t] += row[t] * row[t];
                }

                for (int o = 0; o < outputs; o++)
                {
                    double value = DenseForward.Dot(planes[o].Coefficients, row);
                    double error = expected[((start + s) * outputs) + o] - value;
                    sse[o] += error * error;
                    maxError[o] = Math.Max(maxError[o], Math.Abs(error));
                }
            }
        }

        var mse = new double[outputs];
        var rSquared = new double[outputs];
        for (int o = 0; o < outputs; o++)
        {
            double mean = 0;
            for (int s = 0; s < sampleCount; s++)
            {
                mean += expected[(s * outputs) + o];
            }

            mean /= sampleCount;
            double sst = 0;
            for (int s = 0; s < sampleCount; s++)
            {
                double d = expected[(s * outputs) + o] - mean;
                sst += d * d;
            }

            mse[o] = sse[o] / sampleCount;
            rSquared[o] = sst > 0 ? 1 - (sse[o] / sst) : double.NaN;
        }

        // Coverage of every non-linear neuron (none for Projection: it has no per-neuron domain).
        var neurons = new List<NeuronCoverage>();
        for (int l = 0; l < (options.Method == ExpansionMethod.Projection ? 0 : network.Layers.Count); l++)
        {
            DenseLayer layer = network.Layers[l];
            if (layer.Activation == Activation.Identity)
            {
                continue;
            }

            int units = layer.Units;
            double[] z = preActivations[l];
            for (int j = 0; j < units; j++)
            {
                double centre, radius, lower, upper;
                if (options.Method == ExpansionMethod.Chebyshev)
                {
                    lower = intervals![l][2 * j];
                    upper = intervals[l][(2 * j) + 1];
                    centre = double.NaN;
                    radius = 0.5 * (upper - lower);
                }
                else
                {
                    centre = options.Method == ExpansionMethod.Taylor ? centres[l][j] : options.FixedCentre;
                    radius = layer.Activation.RadiusOfConvergence(centre);
                    lower = centre - radius;
                    upper = centre + radius;
                }

                int outside = 0;
                for (int s = 0; s < sampleCount; s++)
                {
                    double x = z[(s * units) + j];
                    bool isOutside = options.Method == ExpansionMethod.Chebyshev ? x < lower || x > upper : Math.Abs(x - centre) >= radius;
                    if (isOutside)
                    {
                        outside++;
                    }
                }

                neurons.Add(new NeuronCoverage(l, j, centre, radius, lower, upper, sampleCount == 0 ? 0 : (double)outside / sampleCount));
            }
        }

        // Top terms per output.
        var top = new List<TermImportance>();
        for (int o = 0; o < outputs; o++)
        {
            ReadOnlySpan<double> c = planes[o].Coefficients;
            var ranked = new (double Importance, int Term)[n];
            for (int t = 0; t < n; t++)
            {
                ranked[t] = (Math.Abs(c[t]) * Math.Sqrt(squares[t] / Math.Max(sampleCount, 1)), t);
            }

            Array.Sort(ranked, (a, b) => b.Importance.CompareTo(a.Importance));
            foreach (var (importance, term) in ranked.Take(options.TopTermCount))
            {
                top.Add(new TermImportance(o, term, basis.FormatTerm(term), c[term], importance));
            }
        }

        return new ExpansionReport(options.Method, basis.Degree, n, sampleCount, sampled, mse, rSquared, maxError, [.. neurons], [.. top], elapsed);
    }
}
