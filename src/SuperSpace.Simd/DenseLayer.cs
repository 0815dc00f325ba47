using SuperSpace.Simd.Internals;

namespace SuperSpace.Simd;

/// <summary>A fully connected layer of an <see cref="Mlp"/>: <see cref="Units"/> neurons, each a = f(w·x + b).</summary>
/// <remarks>Immutable; the weights live in the owning network's <see cref="Mlp.Parameters"/>.</remarks>
public sealed class DenseLayer
{
    /// <summary>Creates a layer of <paramref name="units"/> neurons with activation <paramref name="activation"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> &lt; 1.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="activation"/> is null.</exception>
    public DenseLayer(int units, Activation activation)
    {
        if (units < 1)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(units), $"units must be at least 1; it is {units}.");
        }

        if (activation is null)
        {
            ThrowHelper.ArgumentNull(nameof(activation));
        }

        Units = units;
        Activation = activation;
    }

    /// <summary>Number of neurons.</summary>
    public int Units { get; }

    /// <summary>The activation applied to every neuron's pre-activation.</summary>
    public Activation Activation { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Units} {Activation}";
}
