using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SuperSpace.Simd.Internals;

/// <summary>Input checks shared by every public entry point (DESIGN.md, "Errors and outcomes").</summary>
internal static class Validate
{
    /// <summary>
    /// Index of the first NaN or ±∞ in <paramref name="values"/>, or −1. A value v is finite
    /// exactly when v − v == 0 (NaN − NaN and ∞ − ∞ are NaN), which vectorises without branches.
    /// </summary>
    public static long IndexOfNonFinite(ReadOnlySpan<double> values)
    {
        ref double start = ref MemoryMarshal.GetReference(values);
        int n = values.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            for (; i <= n - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                Vector256<double> v = Vector256.LoadUnsafe(ref start, (nuint)i);
                if (!Vector256.EqualsAll(v - v, Vector256<double>.Zero))
                {
                    break;
                }
            }
        }

        for (; i < n; i++)
        {
            double v = Unsafe.Add(ref start, i);
            if (!double.IsFinite(v))
            {
                return i;
            }
        }

        return -1;
    }

    /// <inheritdoc cref="IndexOfNonFinite(ReadOnlySpan{double})"/>
    public static long IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        ref float start = ref MemoryMarshal.GetReference(values);
        int n = values.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref start, (nuint)i);
                if (!Vector256.EqualsAll(v - v, Vector256<float>.Zero))
                {
                    break;
                }
            }
        }

        for (; i < n; i++)
        {
            float v = Unsafe.Add(ref start, i);
            if (!float.IsFinite(v))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Throws naming the sample and variable of the first non-finite entry of a sampleCount × columnCount matrix.</summary>
    public static void AllFinite(ReadOnlySpan<double> matrix, int columnCount, string paramName, string rowName = "sample", string columnName = "variable")
    {
        long k = IndexOfNonFinite(matrix);
        if (k >= 0)
        {
            ThrowHelper.NonFinite(paramName, k / columnCount, k % columnCount, matrix[(int)k], rowName, columnName);
        }
    }

    /// <inheritdoc cref="AllFinite(ReadOnlySpan{double}, int, string, string, string)"/>
    public static void AllFinite(ReadOnlySpan<float> matrix, int columnCount, string paramName, string rowName = "sample", string columnName = "variable")
    {
        long k = IndexOfNonFinite(matrix);
        if (k >= 0)
        {
            ThrowHelper.NonFinite(paramName, k / columnCount, k % columnCount, matrix[(int)k], rowName, columnName);
        }
    }

    /// <summary>Checks a maxDegreeOfParallelism argument (−1 = all cores, else ≥ 1) and resolves it to a thread count.</summary>
    public static int DegreeOfParallelism(int maxDegreeOfParallelism, string paramName)
    {
        if (maxDegreeOfParallelism == -1)
        {
            return Environment.ProcessorCount;
        }

        if (maxDegreeOfParallelism < 1)
        {
            ThrowHelper.ArgumentOutOfRange(paramName, "maxDegreeOfParallelism must be -1 (all cores) or at least 1.");
        }

        return maxDegreeOfParallelism;
    }
}
