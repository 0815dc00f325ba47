// A training or validation set prepared once per Train call: inputs and targets in the network's scaled
// units, and per residual the factor c(s, o) = √weight_s / outputScale_o that turns scaled output errors into
// raw-unit, observation-weighted residuals, so Σ r² / Σ_s weight_s·O is the weighted MSE in raw units.
namespace SuperSpace.Simd.Networks;

internal sealed class TrainingData
{
    private TrainingData(int sampleCount, double[] points, double[] targets, double[] scale, double[] weights, double errorCount, int tileSamples)
    {
        Weights = weights;
        SampleCount = sampleCount;
        Points = points;
        Targets = targets;
        Scale = scale;
        ErrorCount = errorCount;
        TileCount = (sampleCount + tileSamples - 1) / tileSamples;
    }

    public int SampleCount { get; }

    /// <summary>sampleCount × InputCount, scaled.</summary>
    public double[] Points { get; }

    /// <summary>sampleCount × OutputCount, scaled.</summary>
    public double[] Targets { get; }

    /// <summary>sampleCount × OutputCount residual factors c(s, o).</summary>
    public double[] Scale { get; }

    /// <summary>Observation weight of each sample.</summary>
    public double[] Weights { get; }

    /// <summary>Σ_s weight_s · OutputCount: the MSE denominator.</summary>
    public double ErrorCount { get; }

    public int TileCount { get; }

    /// <summary>Gathers the rows <paramref name="rows"/> (all rows when null), raw; <see cref="ApplyScaling"/> scales them.</summary>
    public static TrainingData Create(
        ReadOnlySpan<double> points, ReadOnlySpan<double> targets, ReadOnlySpan<double> weights, int[]? rows, int sampleCount,
        int inputCount, int outputCount, int tileSamples)
    {
        int n = rows?.Length ?? sampleCount;
        var x = new double[(long)n * inputCount];
        var t = new double[(long)n * outputCount];
        var c = new double[(long)n * outputCount];
        var weightOf = new double[n];
        double weightSum = 0;
        for (int k = 0; k < n; k++)
        {
            int s = rows is null ? k : rows[k];
            points.Slice(s * inputCount, inputCount).CopyTo(x.AsSpan(k * inputCount, inputCount));
            targets.Slice(s * outputCount, outputCount).CopyTo(t.AsSpan(k * outputCount, outputCount));
            double w = weights.IsEmpty ? 1 : weights[s];
            weightSum += w;
            weightOf[k] = w;
            double root = Math.Sqrt(w);
            for (int o = 0; o < outputCount; o++)
            {
                c[(k * outputCount) + o] = root;
            }
        }

        return new TrainingData(n, x, t, c, weightOf, weightSum * outputCount, tileSamples);
    }

    /// <summary>Puts inputs and targets in the network's scaled units and divides the residual factors by the output scales.</summary>
    public void ApplyScaling(FeatureScaling? inputScaling, FeatureScaling? outputScaling)
    {
        inputScaling?.Apply(Points, Points);
        if (outputScaling is null)
        {
            return;
        }

        outputScaling.Apply(Targets, Targets);
        int outputs = outputScaling.Count;
        for (int k = 0; k < Scale.Length; k++)
        {
            Scale[k] /= outputScaling.Scale[k % outputs];
        }
    }

    /// <summary>Samples in tile <paramref name="tile"/>.</summary>
    public int TileLength(int tile, int tileSamples) => Math.Min(tileSamples, SampleCount - (tile * tileSamples));
}
