using System.Buffers;
using System.Globalization;
using SuperSpace.Simd.Internals;
using SuperSpace.Simd.Networks;

namespace SuperSpace.Simd;

/// <summary>
/// A multilayer perceptron: dense layers, each a = f(W·x + b), evaluated in batches. Optional input and
/// output <see cref="FeatureScaling"/> are applied inside <see cref="Predict"/>, so the network takes and
/// returns raw data.
/// </summary>
/// <remarks>
/// <para>
/// <b>Parameters</b> are one flat vector, layer by layer: the layer's weights units × inputs row-major
/// (row j = the weights of unit j), then its units biases. <see cref="ParameterCount"/> = Σ units·(inputs + 1).
/// </para>
/// <para>
/// <b>Initialisation</b> (constructor: seed 0; <see cref="Initialize"/>): Nguyen–Widrow for every layer —
/// each unit's weights uniform in [−½, ½], rescaled to norm β = 0.7·units^(1/inputs), biases uniform in
/// [−β, β] — from a SplitMix64 stream, so a seed always gives the same network.
/// </para>
/// <para>Not thread-safe while parameters change; <see cref="Predict"/> alone may run concurrently.</para>
/// </remarks>
public sealed partial class Mlp
{
    private const int TileSamples = 64;

    private readonly DenseLayer[] _layers;
    private readonly int[] _layerInputs;   // inputs of layer l
    private readonly int[] _layerOffsets;  // parameter offset of layer l's weights
    private readonly double[] _parameters;
    private readonly int _maxWidth;
    private FeatureScaling? _inputScaling;
    private FeatureScaling? _outputScaling;

    /// <summary>Creates a network with <paramref name="inputCount"/> inputs and the given layers (the last one is the output), initialised with seed 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputCount"/> &lt; 1.</exception>
    /// <exception cref="ArgumentException">No layers, or a null layer.</exception>
    public Mlp(int inputCount, params DenseLayer[] layers)
    {
        if (inputCount < 1)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(inputCount), $"inputCount must be at least 1; it is {inputCount}.");
        }

        if (layers is null || layers.Length == 0)
        {
            ThrowHelper.Argument(nameof(layers), "A network needs at least one layer.");
        }

        _layers = (DenseLayer[])layers.Clone();
        _layerInputs = new int[layers.Length];
        _layerOffsets = new int[layers.Length + 1];
        long count = 0;
        int width = inputCount;
        _maxWidth = inputCount;
        for (int l = 0; l < layers.Length; l++)
        {
            if (layers[l] is null)
            {
                ThrowHelper.Argument(nameof(layers), $"layers[{l}] is null.");
            }

            _layerInputs[l] = width;
            _layerOffsets[l] = (int)count;
            count += (long)layers[l].Units * (width + 1);
            if (count > Array.MaxLength)
            {
                ThrowHelper.Argument(nameof(layers), $"The network has more than {Array.MaxLength:N0} parameters.");
            }

            width = layers[l].Units;
            _maxWidth = Math.Max(_maxWidth, width);
        }

        _layerOffsets[layers.Length] = (int)count;
        InputCount = inputCount;
        OutputCount = width;
        _parameters = new double[count];
        Initialize(0);
    }

    /// <summary>Number of inputs.</summary>
    public int InputCount { get; }

    /// <summary>Number of outputs (units of the last layer).</summary>
    public int OutputCount { get; }

    /// <summary>Length of <see cref="Parameters"/>.</summary>
    public int ParameterCount => _parameters.Length;

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<DenseLayer> Layers => _layers;

    /// <summary>All weights and biases (layout in the class remarks); writable in place.</summary>
    public Span<double> Parameters => _parameters;

    /// <summary>Scaling applied to raw inputs before the first layer, or null.</summary>
    /// <exception cref="ArgumentException">Set with a column count other than <see cref="InputCount"/>.</exception>
    public FeatureScaling? InputScaling
    {
        get => _inputScaling;
        set
        {
            if (value is not null && value.Count != InputCount)
            {
                ThrowHelper.Argument(nameof(value), $"The input scaling has {value.Count} columns; the network has {InputCount} inputs.");
            }

            _inputScaling = value;
        }
    }

    /// <summary>Scaling of the targets the network was trained on; <see cref="Predict"/> inverts it on the last layer's output. Null for none.</summary>
    /// <exception cref="ArgumentException">Set with a column count other than <see cref="OutputCount"/>.</exception>
    public FeatureScaling? OutputScaling
    {
        get => _outputScaling;
        set
        {
            if (value is not null && value.Count != OutputCount)
            {
                ThrowHelper.Argument(nameof(value), $"The output scaling has {value.Count} columns; the network has {OutputCount} outputs.");
            }

            _outputScaling = value;
        }
    }

    /// <summary>Number of inputs of layer <paramref name="layer"/>.</summary>
    internal int LayerInputCount(int layer) => _layerInputs[layer];

    /// <summary>Offset in <see cref="Parameters"/> of layer <paramref name="layer"/>'s weights; its biases follow units·inputs later.</summary>
    internal int LayerOffset(int layer) => _layerOffsets[layer];

    /// <summary>Layer <paramref name="layer"/>'s weights, units × inputs row-major.</summary>
    internal ReadOnlySpan<double> Weights(int layer) =>
        _parameters.AsSpan(_layerOffsets[layer], _layers[layer].Units * _layerInputs[layer]);

    /// <summary>Layer <paramref name="layer"/>'s biases.</summary>
    internal ReadOnlySpan<double> Biases(int layer) =>
        _parameters.AsSpan(_layerOffsets[layer] + (_layers[layer].Units * _layerInputs[layer]), _layers[layer].Units);

    /// <summary>Re-initialises every weight and bias deterministically from <paramref name="seed"/> (Nguyen–Widrow, see remarks).</summary>
    public void Initialize(int seed)
    {
        var random = new SplitMix64(seed);
        for (int l = 0; l < _layers.Length; l++)
        {
            int inputs = _layerInputs[l];
            int units = _layers[l].Units;
            double beta = 0.7 * Math.Pow(units, 1.0 / inputs);
            Span<double> weights = _parameters.AsSpan(_layerOffsets[l], units * inputs);
            Span<double> biases = _parameters.AsSpan(_layerOffsets[l] + (units * inputs), units);
            for (int j = 0; j < units; j++)
            {
                Span<double> w = weights.Slice(j * inputs, inputs);
                double norm;
                do
                {
                    norm = 0;
                    for (int i = 0; i < inputs; i++)
                    {
                        w[i] = random.NextDouble(-0.5, 0.5);
                        norm += w[i] * w[i];
                    }
                }
                while (norm == 0);

                double factor = beta / Math.Sqrt(norm);
                for (int i = 0; i < inputs; i++)
                {
                    w[i] *= factor;
                }

                biases[j] = random.NextDouble(-beta, beta);
            }
        }
    }

    /// <summary>
    /// Network outputs for many points: <paramref name="points"/> sampleCount × <see cref="InputCount"/> row-major (raw
    /// inputs), <paramref name="destination"/> sampleCount × <see cref="OutputCount"/> (raw outputs).
    /// </summary>
    /// <exception cref="ArgumentException">Lengths that do not match, or a non-finite input (the message names the sample and variable); nothing is written.</exception>
    public void Predict(ReadOnlySpan<double> points, Span<double> destination)
    {
        int sampleCount = CheckPoints(points, nameof(points));
        if (destination.Length != (long)sampleCount * OutputCount)
        {
            ThrowHelper.LengthMismatch(nameof(destination), (long)sampleCount * OutputCount, destination.Length, $"{sampleCount} samples × {OutputCount} outputs");
        }

        Validate.AllFinite(points, InputCount, nameof(points));
        Forward(points, sampleCount, destination, null);
    }

    /// <summary>
    /// The pre-activations of every layer at every point (before the activation; inputs scaled):
    /// result[l] is sampleCount × units of layer l. For expansion intervals and reports.
    /// </summary>
    internal double[][] PreActivations(ReadOnlySpan<double> points)
    {
        int sampleCount = points.Length / InputCount;
        var result = new double[_layers.Length][];
        for (int l = 0; l < _layers.Length; l++)
        {
            result[l] = new double[(long)sampleCount * _layers[l].Units];
        }

        var outputs = new double[(long)sampleCount * OutputCount];
        Forward(points, sampleCount, outputs, result);
        return result;
    }

    internal int CheckPoints(ReadOnlySpan<double> points, string paramName)
    {
        if (points.Length % InputCount != 0)
        {
            ThrowHelper.Argument(paramName, string.Create(CultureInfo.InvariantCulture, $"{paramName} has length {points.Length}, not a multiple of InputCount = {InputCount}."));
        }

        return points.Length / InputCount;
    }

    private void Forward(ReadOnlySpan<double> points, int sampleCount, Span<double> destination, double[][]? preActivations)
    {
        int bufferLength = TileSamples * _maxWidth;
        double[] rented = ArrayPool<double>.Shared.Rent(2 * bufferLength);
        try
        {
            Span<double> a = rented.AsSpan(0, bufferLength);
            Span<double> b = rented.AsSpan(bufferLength, bufferLength);
            for (int start = 0; start < sampleCount; start += TileSamples)
            {
                int count = Math.Min(TileSamples, sampleCount - start);
                Span<double> current = a[..(count * InputCount)];
                ReadOnlySpan<double> tile = points.Slice(start * InputCount, count * InputCount);
                if (_inputScaling is not null)
                {
                    _inputScaling.Apply(tile, current);
                }
                else
                {
                    tile.CopyTo(current);
                }

                Span<double> next = b;
                for (int l = 0; l < _layers.Length; l++)
                {
                    int units = _layers[l].Units;
                    Span<double> z = next[..(count * units)];
                    DenseForward.Apply(current, count, _layerInputs[l], Weights(l), Biases(l), z, units);
                    if (preActivations is not null)
                    {
                        z.CopyTo(preActivations[l].AsSpan(start * units, count * units));
                    }

                    _layers[l].Activation.EvaluateCore(z, z);
                    current = z;
                    next = current.Overlaps(a) ? b : a;
                }

                Span<double> output = destination.Slice(start * OutputCount, count * OutputCount);
                if (_outputScaling is not null)
                {
                    _outputScaling.Invert(current, output);
                }
                else
                {
                    current.CopyTo(output);
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }
}
