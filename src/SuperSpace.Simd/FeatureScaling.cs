using System.Globalization;
using SuperSpace.Simd.Internals;

namespace SuperSpace.Simd;

/// <summary>
/// A per-column affine scaling, scaled = (raw − <see cref="Offset"/>)·<see cref="Scale"/>, used by
/// <see cref="Mlp"/> for its inputs (applied before the first layer) and its outputs (inverted after the
/// last), so a network takes and returns raw data.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class FeatureScaling : IEquatable<FeatureScaling>
{
    private readonly double[] _offset;
    private readonly double[] _scale;

    /// <summary>Creates the scaling scaled_i = (raw_i − offset_i)·scale_i.</summary>
    /// <exception cref="ArgumentException">Lengths differ or are zero, a non-finite value, or a zero scale.</exception>
    public FeatureScaling(ReadOnlySpan<double> offset, ReadOnlySpan<double> scale)
    {
        if (offset.IsEmpty)
        {
            ThrowHelper.Argument(nameof(offset), "A scaling needs at least one column.");
        }

        if (scale.Length != offset.Length)
        {
            ThrowHelper.LengthMismatch(nameof(scale), offset.Length, scale.Length, "one scale per offset");
        }

        for (int i = 0; i < offset.Length; i++)
        {
            if (!double.IsFinite(offset[i]))
            {
                ThrowHelper.Argument(nameof(offset), string.Create(CultureInfo.InvariantCulture, $"offset[{i}] is not finite ({offset[i]})."));
            }

            if (!double.IsFinite(scale[i]) || scale[i] == 0)
            {
                ThrowHelper.Argument(nameof(scale), string.Create(CultureInfo.InvariantCulture, $"scale[{i}] must be finite and non-zero; it is {scale[i]}."));
            }
        }

        _offset = offset.ToArray();
        _scale = scale.ToArray();
    }

    /// <summary>Number of columns.</summary>
    public int Count => _offset.Length;

    /// <summary>Per-column offsets.</summary>
    public ReadOnlySpan<double> Offset => _offset;

    /// <summary>Per-column scales.</summary>
    public ReadOnlySpan<double> Scale => _scale;

    /// <summary>
    /// Min–max scaling of each column of <paramref name="data"/> (rowCount × <paramref name="columnCount"/>
    /// row-major) onto [<paramref name="lower"/>, <paramref name="upper"/>] (MATLAB's mapminmax); a constant
    /// column gets scale 1 and is centred on the interval's midpoint.
    /// </summary>
    /// <exception cref="ArgumentException">Empty data, a length not a multiple of the column count, non-finite values, or lower ≥ upper.</exception>
    public static FeatureScaling MinMax(ReadOnlySpan<double> data, int columnCount, double lower = -1, double upper = 1)
    {
        int rows = CheckData(data, columnCount);
        if (!double.IsFinite(lower) || !double.IsFinite(upper) || !(upper > lower))
        {
            ThrowHelper.Argument(nameof(lower), "The target interval must be finite with lower < upper.");
        }

        var offset = new double[columnCount];
        var scale = new double[columnCount];
        for (int j = 0; j < columnCount; j++)
        {
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (int r = 0; r < rows; r++)
            {
                double x = data[(r * columnCount) + j];
                min = Math.Min(min, x);
                max = Math.Max(max, x);
            }

            // scaled = lower + (x − min)·(upper − lower)/(max − min) = (x − offset)·scale.
            double s = max > min ? (upper - lower) / (max - min) : 1;
            scale[j] = s;
            offset[j] = max > min ? min - (lower / s) : min - (0.5 * (lower + upper));
        }

        return new FeatureScaling(offset, scale);
    }

    /// <summary>Standardisation: offset = column mean, scale = 1/standard deviation (population); a constant column gets scale 1.</summary>
    /// <exception cref="ArgumentException">Empty data, a length not a multiple of the column count, or non-finite values.</exception>
    public static FeatureScaling Standardize(ReadOnlySpan<double> data, int columnCount)
    {
        int rows = CheckData(data, columnCount);
        var offset = new double[columnCount];
        var scale = new double[columnCount];
        for (int j = 0; j < columnCount; j++)
        {
            double mean = 0;
            for (int r = 0; r < rows; r++)
            {
                mean += data[(r * columnCount) + j];
            }

            mean /= rows;
            double sum = 0;
            for (int r = 0; r < rows; r++)
            {
                double d = data[(r * columnCount) + j] - mean;
                sum += d * d;
            }

            double std = Math.Sqrt(sum / rows);
            offset[j] = mean;
            scale[j] = std > 0 ? 1 / std : 1;
        }

        return new FeatureScaling(offset, scale);
    }

    /// <summary>scaled = (raw − offset)·scale for every row of <paramref name="raw"/> (rows × <see cref="Count"/>). The spans may be the same memory.</summary>
    public void Apply(ReadOnlySpan<double> raw, Span<double> scaled)
    {
        CheckPair(raw.Length, scaled.Length, nameof(scaled));
        for (int i = 0; i < raw.Length; i++)
        {
            int j = i % Count;
            scaled[i] = (raw[i] - _offset[j]) * _scale[j];
        }
    }

    /// <summary>raw = scaled/scale + offset (the inverse of <see cref="Apply"/>). The spans may be the same memory.</summary>
    public void Invert(ReadOnlySpan<double> scaled, Span<double> raw)
    {
        CheckPair(scaled.Length, raw.Length, nameof(raw));
        for (int i = 0; i < scaled.Length; i++)
        {
            int j = i % Count;
            raw[i] = (scaled[i] / _scale[j]) + _offset[j];
        }
    }

    /// <inheritdoc/>
    public bool Equals(FeatureScaling? other) =>
        other is not null && other._offset.AsSpan().SequenceEqual(_offset) && other._scale.AsSpan().SequenceEqual(_scale);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as FeatureScaling);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Count, _offset[0], _scale[0]);

    private void CheckPair(int inputLength, int outputLength, string paramName)
    {
        if (inputLength % Count != 0)
        {
            ThrowHelper.Argument(paramName, $"Length {inputLength} is not a multiple of the column count {Count}.");
        }

        if (outputLength != inputLength)
        {
            ThrowHelper.LengthMismatch(paramName, inputLength, outputLength, "same shape as the input");
        }
    }

    private static int CheckData(ReadOnlySpan<double> data, int columnCount)
    {
        if (columnCount < 1)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(columnCount), "columnCount must be at least 1.");
        }

        if (data.IsEmpty || data.Length % columnCount != 0)
        {
            ThrowHelper.Argument(nameof(data), $"data has length {data.Length}; it must be a non-empty multiple of columnCount = {columnCount}.");
        }

        Validate.AllFinite(data, columnCount, nameof(data), "row", "column");
        return data.Length / columnCount;
    }
}
