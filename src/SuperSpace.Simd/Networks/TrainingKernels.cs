// Training kernels on a tile of S samples of an MLP with layers a_l = f_l(W_l·a_{l−1} + b_l), a_{−1} = x:
//   forward:   Z_l = A_{l−1}·W_lᵀ + b_l (GEMM S×units×inputs), A_l = f_l(Z_l), D_l = f_l′(Z_l)
//   residuals: r(s,o) = c(s,o)·(A_L[s,o] − T[s,o]),  c(s,o) = √weight_s / outputScale_o (raw target units)
//   Jacobian:  per-sample reverse mode, one backward sweep per output o, vectorised over the tile:
//              δ_L = e_o·c(s,o)·D_L[s,o];  ∂r/∂W_l[j,i] = δ_l[s,j]·A_{l−1}[s,i], ∂r/∂b_l[j] = δ_l[s,j];
//              δ_{l−1} = (δ_l·W_l) ⊙ D_{l−1}  (GEMM S×inputs×units)
//   gradient:  Σ_s Σ_o r·∂r/∂θ = Jᵀr without forming J: δ_L = c·r ⊙ D_L, g_W += δ_lᵀ·A_{l−1}, g_b += Σ_s δ_l
// Costs per tile: forward S·P multiply-adds; Jacobian rows S·O·P writes + O backward sweeps (S·P each);
// gradient ≈ 2·S·P. Everything is deterministic: fixed tile shapes, fixed loop orders.
using System.Numerics;
using System.Runtime.InteropServices;
using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Networks;

/// <summary>Layer sizes and parameter offsets of an <see cref="Mlp"/>, as the training kernels use them.</summary>
internal sealed class NetworkShape
{
    public NetworkShape(Mlp network)
    {
        LayerCount = network.Layers.Count;
        InputCount = network.InputCount;
        OutputCount = network.OutputCount;
        ParameterCount = network.ParameterCount;
        Inputs = new int[LayerCount];
        Units = new int[LayerCount];
        Offsets = new int[LayerCount];
        UnitOffsets = new int[LayerCount + 1];
        Activations = new Activation[LayerCount];
        MaxWidth = InputCount;
        for (int l = 0; l < LayerCount; l++)
        {
            Inputs[l] = network.LayerInputCount(l);
            Units[l] = network.Layers[l].Units;
            Offsets[l] = network.LayerOffset(l);
            UnitOffsets[l + 1] = UnitOffsets[l] + Units[l];
            Activations[l] = network.Layers[l].Activation;
            MaxWidth = Math.Max(MaxWidth, Units[l]);
        }

        IsWeight = new bool[ParameterCount];
        for (int l = 0; l < LayerCount; l++)
        {
            IsWeight.AsSpan(Offsets[l], Units[l] * Inputs[l]).Fill(true);
        }
    }

    public int LayerCount { get; }

    public int InputCount { get; }

    public int OutputCount { get; }

    public int ParameterCount { get; }

    public int MaxWidth { get; }

    public int TotalUnits => UnitOffsets[LayerCount];

    public int[] Inputs { get; }

    public int[] Units { get; }

    /// <summary>Offset of layer l's weights in the parameter vector; its biases follow Units·Inputs later.</summary>
    public int[] Offsets { get; }

    /// <summary>Offset of layer l's units among all units (for the per-tile activation buffers).</summary>
    public int[] UnitOffsets { get; }

    public Activation[] Activations { get; }

    /// <summary>True for weights, false for biases (weight decay applies to weights only).</summary>
    public bool[] IsWeight { get; }
}

/// <summary>Per-worker scratch for one tile.</summary>
internal sealed class TileWorkspace
{
    public TileWorkspace(NetworkShape shape, int tileSamples)
    {
        A = new double[tileSamples * shape.TotalUnits];
        D = new double[tileSamples * shape.TotalUnits];
        Z = new double[tileSamples * shape.MaxWidth];
        Delta = new double[tileSamples * shape.MaxWidth];
        Delta2 = new double[tileSamples * shape.MaxWidth];
        OutputDelta = new double[tileSamples];
    }

    public double[] A { get; }

    public double[] D { get; }

    public double[] Z { get; }

    public double[] Delta { get; }

    public double[] Delta2 { get; }

    public double[] OutputDelta { get; }
}

internal static class TrainingKernels
{
    /// <summary>Activations (and, when <paramref name="derivatives"/>, their derivatives) of every layer for a tile of <paramref name="s"/> samples.</summary>
    public static void Forward(NetworkShape shape, ReadOnlySpan<double> theta, ReadOnlySpan<double> x, int s, TileWorkspace ws, bool derivatives)
    {
        ReadOnlySpan<double> input = x;
        int width = shape.InputCount;
        for (int l = 0; l < shape.LayerCount; l++)
        {
            int units = shape.Units[l];
            int offset = shape.Offsets[l];
            ReadOnlySpan<double> w = theta.Slice(offset, units * width);
            ReadOnlySpan<double> b = theta.Slice(offset + (units * width), units);
            Span<double> z = ws.Z.AsSpan(0, s * units);
            Gemm.Multiply(false, true, s, units, width, 1, input, width, w, width, 0, z, units);
            for (int r = 0; r < s; r++)
            {
                Add(b, z.Slice(r * units, units));
            }

            Span<double> a = ws.A.AsSpan(s * shape.UnitOffsets[l], s * units);
            if (derivatives)
            {
                Span<double> d = ws.D.AsSpan(s * shape.UnitOffsets[l], s * units);
                shape.Activations[l].EvaluateDerivatives(z, a, d, default);
                FlushTiny(d);
            }
            else
            {
                shape.Activations[l].EvaluateCore(z, a);
            }

            input = a;
            width = units;
        }
    }

    /// <summary>The tile's output activations (s × OutputCount) after <see cref="Forward"/>.</summary>
    public static ReadOnlySpan<double> Outputs(NetworkShape shape, int s, TileWorkspace ws) =>
        ws.A.AsSpan(s * shape.UnitOffsets[shape.LayerCount - 1], s * shape.OutputCount);

    /// <summary>r = c ⊙ (outputs − targets) for the tile; returns Σ r².</summary>
    public static double Residuals(ReadOnlySpan<double> outputs, ReadOnlySpan<double> targets, ReadOnlySpan<double> scale, Span<double> residuals)
    {
        double sum = 0;
        for (int k = 0; k < outputs.Length; k++)
        {
            double r = scale[k] * (outputs[k] - targets[k]);
            residuals[k] = r;
            sum += r * r;
        }

        return sum;
    }

    /// <summary>Σ (c ⊙ (outputs − targets))² for the tile.</summary>
    public static double SumOfSquares(ReadOnlySpan<double> outputs, ReadOnlySpan<double> targets, ReadOnlySpan<double> scale)
    {
        double sum = 0;
        for (int k = 0; k < outputs.Length; k++)
        {
            double r = scale[k] * (outputs[k] - targets[k]);
            sum += r * r;
        }

        return sum;
    }

    /// <summary>
    /// The tile's Jacobian rows: row s·O + o of <paramref name="jacobian"/> (leading dimension ParameterCount) is
    /// ∂r(s,o)/∂θ. Needs <see cref="Forward"/> with derivatives.
    /// </summary>
    public static void JacobianRows(NetworkShape shape, ReadOnlySpan<double> theta, ReadOnlySpan<double> x, int s,
                                    ReadOnlySpan<double> scale, TileWorkspace ws, Span<double> jacobian)
    {
        int outputs = shape.OutputCount;
        int p = shape.ParameterCount;
        int last = shape.LayerCount - 1;
        int lastWidth = shape.Inputs[last];
        int lastOffset = shape.Offsets[last];
        int lastBias = lastOffset + (outputs * lastWidth);
        ReadOnlySpan<double> lastInput = last == 0 ? x : Layer(ws.A, shape, last - 1, s);
        ReadOnlySpan<double> dOut = Layer(ws.D, shape, last, s);
        Span<double> dl = ws.OutputDelta.AsSpan(0, s);
        for (int o = 0; o < outputs; o++)
        {
            // Output layer: only unit o depends on its own weights.
            for (int r = 0; r < s; r++)
            {
                int k = (r * outputs) + o;
                double d = scale[k] * dOut[k];
                dl[r] = d;
                Span<double> row = jacobian.Slice(k * p, p);
                row.Slice(lastOffset, outputs * (lastWidth + 1)).Clear();
                ScaledCopy(d, lastInput.Slice(r * lastWidth, lastWidth), row.Slice(lastOffset + (o * lastWidth), lastWidth));
                row[lastBias + o] = d;
            }

            if (last == 0)
            {
                continue;
            }

            // δ_{L−1}[s, i] = δ_s·W_L[o, i]·D_{L−1}[s, i].
            ReadOnlySpan<double> wo = theta.Slice(lastOffset + (o * lastWidth), lastWidth);
            ReadOnlySpan<double> dPrev = Layer(ws.D, shape, last - 1, s);
            Span<double> delta = ws.Delta.AsSpan(0, s * lastWidth);
            for (int r = 0; r < s; r++)
            {
                double d = dl[r];
                Span<double> dr = delta.Slice(r * lastWidth, lastWidth);
                ReadOnlySpan<double> dp = dPrev.Slice(r * lastWidth, lastWidth);
                for (int i = 0; i < lastWidth; i++)
                {
                    dr[i] = d * wo[i] * dp[i];
                }
            }

            double[] spare = ws.Delta2;
            for (int l = last - 1; l >= 0; l--)
            {
                int units = shape.Units[l];
                int width = shape.Inputs[l];
                int offset = shape.Offsets[l];
                int bias = offset + (units * width);
                ReadOnlySpan<double> input = l == 0 ? x : Layer(ws.A, shape, l - 1, s);
                for (int r = 0; r < s; r++)
                {
                    Span<double> row = jacobian.Slice(((r * outputs) + o) * p, p);
                    ReadOnlySpan<double> ar = input.Slice(r * width, width);
                    ReadOnlySpan<double> dr = delta.Slice(r * units, units);
                    for (int j = 0; j < units; j++)
                    {
                        ScaledCopy(dr[j], ar, row.Slice(offset + (j * width), width));
                    }

                    dr.CopyTo(row.Slice(bias, units));
                }

                if (l > 0)
                {
                    Span<double> next = spare.AsSpan(0, s * width);
                    Gemm.Multiply(false, false, s, width, units, 1, delta, units, theta.Slice(offset, units * width), width, 0, next, width);
                    Multiply(Layer(ws.D, shape, l - 1, s), next);
                    spare = spare == ws.Delta ? ws.Delta2 : ws.Delta;
                    delta = next;
                }
            }
        }
    }

    /// <summary>
    /// gradient += Σ_{s,o} r(s,o)·∂r(s,o)/∂θ over the tile (= Jᵀr) by one backward sweep; needs <see cref="Forward"/>
    /// with derivatives. Returns Σ r².
    /// </summary>
    public static double AccumulateGradient(NetworkShape shape, ReadOnlySpan<double> theta, ReadOnlySpan<double> x, int s,
                                            ReadOnlySpan<double> targets, ReadOnlySpan<double> scale, TileWorkspace ws, Span<double> gradient)
    {
        int last = shape.LayerCount - 1;
        int outputs = shape.OutputCount;
        Span<double> delta = ws.Delta.AsSpan(0, s * outputs);
        ReadOnlySpan<double> aOut = Layer(ws.A, shape, last, s);
        ReadOnlySpan<double> dOut = Layer(ws.D, shape, last, s);
        double sum = 0;
        for (int k = 0; k < delta.Length; k++)
        {
            double c = scale[k];
            double r = c * (aOut[k] - targets[k]);
            sum += r * r;
            delta[k] = c * r * dOut[k];
        }

        double[] spare = ws.Delta2;
        for (int l = last; l >= 0; l--)
        {
            int units = shape.Units[l];
            int width = shape.Inputs[l];
            int offset = shape.Offsets[l];
            ReadOnlySpan<double> input = l == 0 ? x : Layer(ws.A, shape, l - 1, s);

            // g_W (units × width) += δᵀ·A_{l−1};  g_b += column sums of δ.
            Gemm.Multiply(true, false, units, width, s, 1, delta, units, input, width, 1, gradient.Slice(offset, units * width), width);
            Span<double> gb = gradient.Slice(offset + (units * width), units);
            for (int r = 0; r < s; r++)
            {
                Add(delta.Slice(r * units, units), gb);
            }

            if (l > 0)
            {
                Span<double> next = spare.AsSpan(0, s * width);
                Gemm.Multiply(false, false, s, width, units, 1, delta, units, theta.Slice(offset, units * width), width, 0, next, width);
                Multiply(Layer(ws.D, shape, l - 1, s), next);
                spare = spare == ws.Delta ? ws.Delta2 : ws.Delta;
                delta = next;
            }
        }

        return sum;
    }

    /// <summary>
    /// Derivatives below 2⁻⁵¹² in magnitude (saturated units: tanh′ at |z| &gt; 177) become 0. They contribute nothing to
    /// JᵀJ next to any normal entry, but as subnormal products they slow every later multiply-add by orders of magnitude.
    /// </summary>
    private static void FlushTiny(Span<double> d)
    {
        const double tiny = 7.458340731200207e-155; // 2^-512
        for (int i = 0; i < d.Length; i++)
        {
            if (Math.Abs(d[i]) < tiny)
            {
                d[i] = 0;
            }
        }
    }

    private static Span<double> Layer(double[] buffer, NetworkShape shape, int l, int s) =>
        buffer.AsSpan(s * shape.UnitOffsets[l], s * shape.Units[l]);

    /// <summary>y += x.</summary>
    private static void Add(ReadOnlySpan<double> x, Span<double> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ref double xr = ref MemoryMarshal.GetReference(x);
            ref double yr = ref MemoryMarshal.GetReference(y);
            for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                (Vector.LoadUnsafe(ref yr, (nuint)i) + Vector.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            y[i] += x[i];
        }
    }

    /// <summary>y *= x element-wise.</summary>
    private static void Multiply(ReadOnlySpan<double> x, Span<double> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ref double xr = ref MemoryMarshal.GetReference(x);
            ref double yr = ref MemoryMarshal.GetReference(y);
            for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                (Vector.LoadUnsafe(ref yr, (nuint)i) * Vector.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            y[i] *= x[i];
        }
    }

    /// <summary>y = α·x.</summary>
    private static void ScaledCopy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ref double xr = ref MemoryMarshal.GetReference(x);
            ref double yr = ref MemoryMarshal.GetReference(y);
            var a = new Vector<double>(alpha);
            for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                (a * Vector.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            y[i] = alpha * x[i];
        }
    }
}
