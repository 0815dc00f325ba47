// One dense layer on a tile of samples: Z[s, j] = b_j + Σ_i W[j, i]·X[s, i]   (W units × inputs, row-major).
// Cost S·units·inputs multiply-adds. Straightforward cache-friendly loop: the tile of samples (≤ 64
// rows) and one weight row stay in L1; the dot product is vectorised over the inputs.
// SEAM: when LinearAlgebra/Gemm lands this becomes
//   Gemm.Multiply(transA: false, transB: true, S, units, inputs, 1, X, inputs, W, inputs, 0, Z, units) + bias
// (the only caller is Mlp.ForwardTile).
using System.Numerics;
using System.Runtime.InteropServices;

namespace SuperSpace.Simd.Networks;

internal static class DenseForward
{
    public static void Apply(ReadOnlySpan<double> x, int sampleCount, int inputCount, ReadOnlySpan<double> weights, ReadOnlySpan<double> bias, Span<double> z, int units)
    {
        for (int j = 0; j < units; j++)
        {
            ReadOnlySpan<double> w = weights.Slice(j * inputCount, inputCount);
            double b = bias[j];
            for (int s = 0; s < sampleCount; s++)
            {
                z[(s * units) + j] = b + Dot(w, x.Slice(s * inputCount, inputCount));
            }
        }
    }

    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length;
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            ref double ar = ref MemoryMarshal.GetReference(a);
            ref double br = ref MemoryMarshal.GetReference(b);
            Vector<double> acc = Vector<double>.Zero;
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                acc += Vector.LoadUnsafe(ref ar, (nuint)i) * Vector.LoadUnsafe(ref br, (nuint)i);
            }

            sum = Vector.Sum(acc);
        }

        for (; i < n; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
