// Monomial features: out[i, t] = out[i, parent(t)] · x[i, var(t)], one multiply per term.
// Row-major kernel: for each sample, the children of parent p are p·x_l … p·x_(v−1) (l = largest
// variable of p) and are contiguous, so each parent costs one broadcast and ⌈(v − l)/W⌉ vector
// multiplies of W lanes against the sample's own variables. Cost: C(v + D − 1, D − 1) vector
// operations and C(v + D, D) stored values per sample — the output write dominates.
//
// Each vector store may write up to W − 1 lanes past the children it owns. Those lanes land on terms
// that are written later in the same row (stores go in increasing address order), or past the row's
// end onto the next row, written later by the same thread. Only the last row of a thread's range has
// nothing after it, so it is computed in pooled scratch and copied.
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SuperSpace.Simd.Basis;

internal sealed class MonomialEvaluator
{
    /// <summary>Sentinel for "choose the thread count from the problem size".</summary>
    public const int AutoParallelism = int.MinValue;

    /// <summary>Output values below which one thread is used when the caller did not choose (about 8 MB of doubles).</summary>
    public const long ParallelThreshold = 1L << 20;

    private readonly int[] _parentVariables; // for full index p < parentEnd: largest variable of p (0 for the constant)
    private readonly int _variableCount;
    private readonly int _termCount;
    private readonly int _offset;
    private readonly int _parentEnd;          // full index: terms of degree < D are the parents
    private readonly MonomialBasis _basis;

    public MonomialEvaluator(MonomialBasis basis)
    {
        _basis = basis;
        _variableCount = basis.VariableCount;
        _termCount = basis.TermCount;
        _offset = basis.Offset;
        _parentEnd = basis.Degree == 0 ? 0 : basis.DegreeStarts[basis.Degree];
        _parentVariables = basis.FullVariables[.._parentEnd].ToArray();
    }

    /// <summary>Vector width in lanes the row kernel uses for doubles: the narrowest accelerated width that covers v, up to the widest available.</summary>
    internal int DoubleWidth => ChooseWidth(_variableCount, Vector128<double>.Count);

    internal int FloatWidth => ChooseWidth(_variableCount, Vector128<float>.Count);

    private static int ChooseWidth(int variableCount, int lanes128)
    {
        if (Vector512.IsHardwareAccelerated && variableCount > lanes128)
        {
            return 4 * lanes128;
        }

        if (Vector256.IsHardwareAccelerated && (variableCount > lanes128 || !Vector128.IsHardwareAccelerated))
        {
            return 2 * lanes128;
        }

        if (Vector128.IsHardwareAccelerated)
        {
            return lanes128;
        }

        return 1;
    }

    public unsafe void Evaluate(ReadOnlySpan<double> points, Span<double> destination, int sampleCount, int maxDegreeOfParallelism)
    {
        if (sampleCount == 0)
        {
            return;
        }

        int threads = ResolveThreads(sampleCount, maxDegreeOfParallelism);
        fixed (double* x = points)
        fixed (double* y = destination)
        {
            if (threads == 1)
            {
                EvaluateRows(x, y, 0, sampleCount);
                return;
            }

            EvaluateParallelDouble((nint)x, (nint)y, sampleCount, threads);
        }
    }

    // Kept out of Evaluate so the closure is allocated only on the parallel path.
    private unsafe void EvaluateParallelDouble(nint x, nint y, int sampleCount, int threads)
    {
        int chunks = Math.Min(sampleCount, threads * 4);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
        {
            int start = (int)((long)sampleCount * c / chunks);
            int end = (int)((long)sampleCount * (c + 1) / chunks);
            EvaluateRows((double*)x, (double*)y, start, end);
        });
    }

    public unsafe void Evaluate(ReadOnlySpan<float> points, Span<float> destination, int sampleCount, int maxDegreeOfParallelism)
    {
        if (sampleCount == 0)
        {
            return;
        }

        int threads = ResolveThreads(sampleCount, maxDegreeOfParallelism);
        fixed (float* x = points)
        fixed (float* y = destination)
        {
            if (threads == 1)
            {
                EvaluateRows(x, y, 0, sampleCount);
                return;
            }

            EvaluateParallelFloat((nint)x, (nint)y, sampleCount, threads);
        }
    }

    // Kept out of Evaluate so the closure is allocated only on the parallel path.
    private unsafe void EvaluateParallelFloat(nint x, nint y, int sampleCount, int threads)
    {
        int chunks = Math.Min(sampleCount, threads * 4);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
        {
            int start = (int)((long)sampleCount * c / chunks);
            int end = (int)((long)sampleCount * (c + 1) / chunks);
            EvaluateRows((float*)x, (float*)y, start, end);
        });
    }

    private int ResolveThreads(int sampleCount, int maxDegreeOfParallelism)
    {
        if (maxDegreeOfParallelism == AutoParallelism)
        {
            return (long)sampleCount * _termCount >= ParallelThreshold ? Environment.ProcessorCount : 1;
        }

        return Math.Max(1, Math.Min(maxDegreeOfParallelism, sampleCount));
    }

    /// <summary>Rows [start, end) of the row-major output.</summary>
    private unsafe void EvaluateRows(double* points, double* destination, int start, int end)
    {
        int v = _variableCount;
        int w = DoubleWidth;

        // The sample's variables, zero-padded so a full vector may be read from any l < v.
        double* xrow = stackalloc double[v + 8];
        new Span<double>(xrow + v, 8).Clear();

        double[] lastRow = ArrayPool<double>.Shared.Rent(_termCount + 8);
        try
        {
            fixed (double* last = lastRow)
            {
                for (int i = start; i < end; i++)
                {
                    new ReadOnlySpan<double>(points + ((long)i * v), v).CopyTo(new Span<double>(xrow, v));
                    double* row = i == end - 1 ? last : destination + ((long)i * _termCount);
                    EvaluateRow(xrow, row - _offset, w);
                }

                new ReadOnlySpan<double>(last, _termCount).CopyTo(new Span<double>(destination + ((long)(end - 1) * _termCount), _termCount));
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(lastRow);
        }
    }

    private unsafe void EvaluateRows(float* points, float* destination, int start, int end)
    {
        int v = _variableCount;
        int w = FloatWidth;
        float* xrow = stackalloc float[v + 16];
        new Span<float>(xrow + v, 16).Clear();

        float[] lastRow = ArrayPool<float>.Shared.Rent(_termCount + 16);
        try
        {
            fixed (float* last = lastRow)
            {
                for (int i = start; i < end; i++)
                {
                    new ReadOnlySpan<float>(points + ((long)i * v), v).CopyTo(new Span<float>(xrow, v));
                    float* row = i == end - 1 ? last : destination + ((long)i * _termCount);
                    EvaluateRow(xrow, row - _offset, w);
                }

                new ReadOnlySpan<float>(last, _termCount).CopyTo(new Span<float>(destination + ((long)(end - 1) * _termCount), _termCount));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(lastRow);
        }
    }

    /// <summary>
    /// One sample. <paramref name="row"/> is addressed by full index (the constant at 0 even when the
    /// basis omits it: then row[0] is never read or written). <paramref name="x"/> has 8 (16) zeros after v.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe void EvaluateRow(double* x, double* row, int w)
    {
        int v = _variableCount;
        if (_offset == 0)
        {
            row[0] = 1.0;
        }

        if (_parentEnd == 0)
        {
            return;
        }

        // Children of the constant: the variables themselves.
        new ReadOnlySpan<double>(x, v).CopyTo(new Span<double>(row + 1, v));
        int cursor = 1 + v;
        int parentEnd = _parentEnd;
        ref int lastVariable = ref MemoryMarshal.GetArrayDataReference(_parentVariables);

        if (w == 8)
        {
            // Most parents have few children (for v = 8, degree 4: 3 on average), so the store width
            // follows the child count: fewer bytes stored, fewer split cache lines.
            for (int p = 1; p < parentEnd; p++)
            {
                int l = Unsafe.Add(ref lastVariable, p);
                double a = row[p];
                int len = v - l;
                if (len <= 2)
                {
                    (Vector128.Create(a) * Vector128.Load(x + l)).Store(row + cursor);
                }
                else if (len <= 4)
                {
                    (Vector256.Create(a) * Vector256.Load(x + l)).Store(row + cursor);
                }
                else
                {
                    Vector512<double> s = Vector512.Create(a);
                    for (int c = 0; c < len; c += 8)
                    {
                        (s * Vector512.Load(x + l + c)).Store(row + cursor + c);
                    }
                }

                cursor += len;
            }
        }
        else if (w == 4)
        {
            for (int p = 1; p < parentEnd; p++)
            {
                int l = Unsafe.Add(ref lastVariable, p);
                Vector256<double> s = Vector256.Create(row[p]);
                int len = v - l;
                for (int c = 0; c < len; c += 4)
                {
                    (s * Vector256.Load(x + l + c)).Store(row + cursor + c);
                }

                cursor += len;
            }
        }
        else if (w == 2)
        {
            for (int p = 1; p < parentEnd; p++)
            {
                int l = Unsafe.Add(ref lastVariable, p);
                Vector128<double> s = Vector128.Create(row[p]);
                int len = v - l;
                for (int c = 0; c < len; c += 2)
                {
                    (s * Vector128.Load(x + l + c)).Store(row + cursor + c);
                }

                cursor += len;
            }
        }
        else
        {
            for (int p = 1; p < parentEnd; p++)
            {
                int l = Unsafe.Add(ref lastVariable, p);
                double s = row[p];
                for (int j = l; j < v; j++)
                {
                    row[cursor++] = s * x[j];
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe void EvaluateRow(float* x, float* row, int w)
    {
        int v = _variableCount;
        if (_offset == 0)
        {
            row[0] = 1.0f;
        }

        if (_parentEnd == 0)
        {
            return;
        }

        new ReadOnlySpan<float>(x, v).CopyTo(new Span<float>(row + 1, v));
        int cursor = 1 + v;
        int parentEnd = _parentEnd;
        ref int lastVariable = ref MemoryMarshal.GetArrayDataReference(_parentVariables);

        if (w == 16)
        {
            for (int p = 1; p < parentEnd; p++)
            {
                int l = Unsafe.Add(ref lastVariable, p);
                float a = row[p];
                int len = v - l;
                if (len <= 4)
                {
                    (Vector128.Create(a) * Vector128.Load(x + l)).Store(row + cursor);
                }
                else if (len <= 8)
                {
                    (Vector256.Create(a) * Vector256.Load(x + l)).Store(row + cursor);
                }
                else
                {
                    Vector512<float> s = Vector512.Create(a);
                    for (int c = 0; c < len; c += 16)
                    {
                        (s * Vector512.Load(x + l + c)).Store(row + cursor + c);
                    }
                }

                cursor += len;
            }
        }
        else if (w == 8)
        {
            for (int p = 1; p < parentEnd; p++)
            {
                int l = Unsafe.Add(ref lastVariable, p);
                float a = row[p];
                int len = v - l;
                if (len <= 4 && Vector128.IsHardwareAccelerated)
                {
                    (Vector128.Create(a) * Vector128.Load(x + l)).Store(row + cursor);
                }
                else
                {
                    Vector256<float> s = Vector256.Create(a);
                    for (int c = 0; c < len; c += 8)
                    {
                        (s * Vector256.Load(x + l + c)).Store(row + cursor + c);
                    }
                }

                cursor += len;
            }
        }
        else if (w == 4)
        {
            for (int p = 1; p < parentEnd; p++)
            {
                int l = Unsafe.Add(ref lastVariable, p);
                Vector128<float> s = Vector128.Create(row[p]);
                int len = v - l;
                for (int c = 0; c < len; c += 4)
                {
                    (s * Vector128.Load(x + l + c)).Store(row + cursor + c);
                }

                cursor += len;
            }
        }
        else
        {
            for (int p = 1; p < parentEnd; p++)
            {
                int l = Unsafe.Add(ref lastVariable, p);
                float s = row[p];
                for (int j = l; j < v; j++)
                {
                    row[cursor++] = s * x[j];
                }
            }
        }
    }

    /// <summary>
    /// Feature-major tile for fused consumers (moment accumulation, Jacobians): for the samples in
    /// <paramref name="points"/> (tileSamples × v row-major, tileSamples ≤ <paramref name="stride"/>),
    /// writes tile[t·stride + s] = term t (public index) at sample s, for every term. Columns from
    /// tileSamples up to <paramref name="stride"/> are evaluated at the zero point (the constant 1, every
    /// other term 0), so sums over a whole tile row need no mask. <paramref name="stride"/> must be a
    /// multiple of 8. Allocates nothing.
    /// </summary>
    public void EvaluateTile(ReadOnlySpan<double> points, Span<double> tile, int stride)
    {
        int v = _variableCount;
        int samples = points.Length / v;
        if (stride % 8 != 0 || samples > stride || tile.Length < (long)_termCount * stride || points.Length % v != 0)
        {
            ThrowHelper_TileShape();
        }

        ReadOnlySpan<int> parents = _basis.FullParents;
        ReadOnlySpan<int> variables = _basis.FullVariables;
        int off = _offset;

        // Rows of the degree-1 terms (full index 1 … v) hold the transposed variables (none at degree 0).
        for (int j = 0; j < v && _basis.Degree > 0; j++)
        {
            Span<double> dst = tile.Slice((1 + j - off) * stride, stride);
            for (int s = 0; s < samples; s++)
            {
                dst[s] = points[(s * v) + j];
            }

            dst[samples..].Clear();
        }

        if (off == 0)
        {
            tile[..stride].Fill(1.0);
        }

        int full = _termCount + off;
        ref double t0 = ref MemoryMarshal.GetReference(tile);
        for (int t = v + 1; t < full; t++)
        {
            ref double a = ref Unsafe.Add(ref t0, (parents[t] - off) * stride);
            ref double b = ref Unsafe.Add(ref t0, (1 + variables[t] - off) * stride);
            ref double c = ref Unsafe.Add(ref t0, (t - off) * stride);
            MultiplyRows(ref a, ref b, ref c, stride);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyRows(ref double a, ref double b, ref double c, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i < n; i += 8)
            {
                (Vector512.LoadUnsafe(ref a, (nuint)i) * Vector512.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref c, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i < n; i += 4)
            {
                (Vector256.LoadUnsafe(ref a, (nuint)i) * Vector256.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref c, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i < n; i += 2)
            {
                (Vector128.LoadUnsafe(ref a, (nuint)i) * Vector128.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref c, (nuint)i);
            }
        }
        else
        {
            for (; i < n; i++)
            {
                Unsafe.Add(ref c, i) = Unsafe.Add(ref a, i) * Unsafe.Add(ref b, i);
            }
        }
    }

    private static void ThrowHelper_TileShape() =>
        Internals.ThrowHelper.Argument("tile", "Tile shape: stride must be a multiple of 8 and hold every sample, and the tile must hold TermCount rows.");
}
