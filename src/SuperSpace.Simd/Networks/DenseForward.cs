// One dense layer on a tile of samples: Z[s, j] = b_j + Σ_i W[j, i]·X[s, i]   (W units × inputs, row-major).
// Cost S·units·inputs multiply-adds; the tile (≤ 64 samples) keeps X and Z in L1.
// The product is the library's GEMM (LinearAlgebra/Gemm, Z = X·Wᵀ with W in the network's own row-major
// layout, so transB = true and no copy); the bias is added in one pass over the tile.
using System.Numerics;
using System.Runtime.InteropServices;
using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Networks;

internal static class DenseForward
{
    public static void Apply(ReadOnlySpan<double> x, int sampleCount, int inputCount, ReadOnlySpan<double> weights, ReadOnlySpan<double> bias, Span<double> z, int units)
    {
        Gemm.Multiply(false, true, sampleCount, units, inputCount, 1.0, x, inputCount, weights, inputCount, 0.0, z, units);
        for (int s = 0; s < sampleCount; s++)
        {
            Blas1.Axpy(1.0, bias, z.Slice(s * units, units));
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
