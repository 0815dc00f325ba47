namespace SuperSpace.Simd;

/// <summary>How <see cref="SuperPlaneExpansion"/> turns each neuron into a polynomial.</summary>
public enum ExpansionMethod
{
    /// <summary>
    /// The exact multivariate Taylor polynomial of the network at an input point x0
    /// (<see cref="SuperPlaneExpansionOptions.Center"/>): each neuron's series is centred at its own
    /// pre-activation at x0, so the result is exact to the degree and the radius condition applies only to |x − x0|.
    /// </summary>
    Taylor,

    /// <summary>
    /// nn2poly's definition, for comparability: every activation replaced by its Taylor polynomial of order
    /// <see cref="SuperPlaneExpansionOptions.TaylorOrder"/> about one scalar
    /// <see cref="SuperPlaneExpansionOptions.FixedCentre"/> (the bias inside the argument), composed exactly
    /// and truncated at the degree.
    /// </summary>
    TaylorFixedCentre,

    /// <summary>
    /// Each neuron's activation replaced by its Chebyshev interpolant over the range of its
    /// pre-activations on the data (widened by <see cref="SuperPlaneExpansionOptions.IntervalMargin"/>), then
    /// composed exactly (Clenshaw's recurrence in truncated arithmetic, in variables centred and scaled to
    /// the data's bounding box).
    /// </summary>
    Chebyshev,

    /// <summary>
    /// The least-squares Super Plane of the degree fitted to the network's outputs on
    /// <see cref="SuperPlaneExpansionOptions.Data"/> (or on points sampled uniformly from the box) with
    /// <see cref="SuperPlane.Fit(ReadOnlySpan{double}, ReadOnlySpan{double}, int, MonomialBasis, SuperPlaneFitOptions?)"/>:
    /// the L2-optimal polynomial under that distribution. Needs at least as many points as terms
    /// (sampled: max(SampleCount, 3 × terms)).
    /// </summary>
    Projection,
}

/// <summary>Options of <see cref="SuperPlaneExpansion.Expand"/>. Defaults: Taylor at the data mean (or the origin).</summary>
public sealed record SuperPlaneExpansionOptions
{
    /// <summary>The expansion method; default <see cref="ExpansionMethod.Taylor"/>.</summary>
    public ExpansionMethod Method { get; init; } = ExpansionMethod.Taylor;

    /// <summary>The input point x0 for <see cref="ExpansionMethod.Taylor"/> (raw inputs, length InputCount); default the mean of <see cref="Data"/>, else the origin.</summary>
    public double[]? Center { get; init; }

    /// <summary>Order of each activation's Taylor polynomial for <see cref="ExpansionMethod.TaylorFixedCentre"/>; default 8 (nn2poly's default).</summary>
    public int TaylorOrder { get; init; } = 8;

    /// <summary>The one centre of every activation's series for <see cref="ExpansionMethod.TaylorFixedCentre"/>; default 0.</summary>
    public double FixedCentre { get; init; }

    /// <summary>
    /// Points (sampleCount × InputCount row-major, raw inputs) for the Chebyshev intervals and the
    /// report. When empty, <see cref="SampleCount"/> points are drawn uniformly from the box
    /// [<see cref="BoxLower"/>, <see cref="BoxUpper"/>].
    /// </summary>
    public ReadOnlyMemory<double> Data { get; init; }

    /// <summary>Lower corner of the sampling box (raw inputs); default −1, or the raw image of −1 under the network's input scaling.</summary>
    public double[]? BoxLower { get; init; }

    /// <summary>Upper corner of the sampling box; default +1, or the raw image of +1 under the network's input scaling.</summary>
    public double[]? BoxUpper { get; init; }

    /// <summary>Number of points sampled from the box when <see cref="Data"/> is empty; default 2,000 (Projection: at least 3 × the term count).</summary>
    public int SampleCount { get; init; } = 2000;

    /// <summary>Seed of the box sampling; default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Degree of each neuron's Chebyshev interpolant for <see cref="ExpansionMethod.Chebyshev"/>; default (null) the expansion degree.</summary>
    public int? ApproximationDegree { get; init; }

    /// <summary>Relative widening of each neuron's observed pre-activation range for <see cref="ExpansionMethod.Chebyshev"/>; default 0.05 (5% of the width on each side).</summary>
    public double IntervalMargin { get; init; } = 0.05;

    /// <summary>How many of the most important terms the report lists (per output); default 10.</summary>
    public int TopTermCount { get; init; } = 10;

    /// <summary>The most memory the expansion may use for its polynomials and index tables; default 4 GiB. Larger requests throw before any work.</summary>
    public long MemoryLimitBytes { get; init; } = 4L << 30;
}
