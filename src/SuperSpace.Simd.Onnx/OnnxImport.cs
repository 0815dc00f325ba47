using SuperSpace.Simd.Onnx;

namespace SuperSpace.Simd;

/// <summary>
/// Reads a dense multilayer perceptron exported to ONNX (from PyTorch, Keras/tf2onnx, scikit-learn's
/// skl2onnx, …) into an <see cref="Mlp"/>, to evaluate, train further or expand into Super Planes.
/// </summary>
/// <remarks>
/// <para>
/// The graph must be one chain from its single input to its single output, made of
/// <list type="bullet">
/// <item><description>linear layers: <c>Gemm</c> (any <c>alpha</c>, <c>beta</c>, <c>transB</c>; <c>transA</c> = 0) or <c>MatMul</c> by a constant, optionally followed by <c>Add</c>/<c>Sub</c> of a constant bias;</description></item>
/// <item><description>activations <c>Sigmoid</c>, <c>Tanh</c>, <c>Relu</c>, <c>Softplus</c> (a linear layer without one gets <see cref="Activation.Identity"/>);</description></item>
/// <item><description><c>Sub</c>, <c>Div</c>, <c>Mul</c>, <c>Add</c> with a constant (a scalar or one value per column): before the first layer they become the network's <see cref="Mlp.InputScaling"/>, after the last its <see cref="Mlp.OutputScaling"/>, and elsewhere they are folded exactly into the adjacent layer's weights;</description></item>
/// <item><description>pass-through nodes <c>Identity</c>, <c>Dropout</c> (inference) and <c>Flatten</c> of a matrix.</description></item>
/// </list>
/// Constants are initializers or <c>Constant</c> nodes, as <c>float</c> or <c>double</c> tensors (raw or typed data).
/// Weights are converted to double exactly, so <see cref="Mlp.Predict"/> agrees with an ONNX runtime to the
/// runtime's own rounding.
/// </para>
/// <para>
/// A graph outside this set throws <see cref="NotSupportedException"/> whose message names the node (op type and
/// name) and says why; a file that is not a valid ONNX model, or whose shapes do not fit together, throws
/// <see cref="InvalidDataException"/>.
/// </para>
/// </remarks>
public static class OnnxImport
{
    /// <summary>Reads the ONNX model in the file <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a valid ONNX model, or inconsistent shapes or values.</exception>
    /// <exception cref="NotSupportedException">The graph is not a dense MLP this importer reads; the message names the node.</exception>
    public static Mlp Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <summary>Reads an ONNX model from <paramref name="stream"/> (read to its end; not closed).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="InvalidDataException">Not a valid ONNX model, or inconsistent shapes or values.</exception>
    /// <exception cref="NotSupportedException">The graph is not a dense MLP this importer reads; the message names the node.</exception>
    public static Mlp Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return OnnxMlpReader.Read(stream);
    }
}
