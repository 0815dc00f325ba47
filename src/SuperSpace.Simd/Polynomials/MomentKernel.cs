// Moments of a monomial basis: the Gram matrix of the degree-D basis is a moment matrix,
//   G[a, b] = Σ_i w_i z_i^(a+b),   g_r[a] = Σ_i w_i y_ir z_i^a,
// so only the C(v + 2D, 2D) distinct moments of degree ≤ 2D are accumulated (3,003 for 8 variables at
// degree 3, against 13,695 Gram entries), plus Σ w y_r z^a for the C(v + D, D) terms of degree ≤ D
// and Σ w y_r².
//
// Per tile of S samples (feature-major: one row of S lanes per variable), the monomials of degree
// ≤ 2D are visited depth first: a node of depth d is its parent's row times one variable's row, so only
// the rows on the current path (2D + 1 of them) are live — with the variable rows that is
// (v + 2D + k + 1)·S doubles, which stays in L1 — and each node's row is reduced while it is computed.
// Cost per sample and moment: one multiply and one add for inner nodes (which also store their row for
// their children), one fused multiply-add for the leaves of degree 2D (the majority), which are
// processed four at a time sharing their parent's load. Depth 0 holds the weights (1 without), so every
// moment is weighted for free; padded lanes of the last tile have weight 0 and contribute nothing.
//
// Summation: each moment keeps W lane accumulators per chunk of samples, reduced in lane order at the
// chunk's end; chunks are fixed by the sample count alone and merged in chunk order, so the result does
// not depend on the number of threads.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SuperSpace.Simd.Polynomials;

internal sealed class MomentKernel
{
    private const byte Root = 0;
    private const byte Inner = 1;
    private const byte Leaf4 = 2;
    private const byte Leaf1 = 3;
    private const byte Family = 4;     // a node of degree 2D − 1 with (up to 8 of) its leaves, fused
    private const byte LeafChunk = 5;  // more leaves of such a node (v > 8): its row recomputed, not stored

    /// <summary>Leaves per fused family op (the accumulators stay in registers).</summary>
    private const int MaxFamily = 8;

    private readonly byte[] _opKind;
    private readonly int[] _opDepth;
    private readonly int[] _opVariable;
    private readonly int[] _opNode;     // first DFS node of the op
    private readonly int[] _opLow;      // term index (< LowCount) of an inner node of degree ≤ D, else −1
    private readonly int[] _opLeafVariable; // Family/LeafChunk: variable of the first leaf
    private readonly int[] _opLeafNode;     // Family/LeafChunk: DFS node of the first leaf
    private readonly int[] _opCount;        // Family/LeafChunk: leaves in the op (1 … 8)
    private readonly int[] _nodeTerm;   // DFS node → full index in the degree-2D basis

    public MomentKernel(int variableCount, int degree, int targetCount)
    {
        VariableCount = variableCount;
        Degree = degree;
        TargetCount = targetCount;
        MomentBasis = new MonomialBasis(variableCount, 2 * degree);
        MomentCount = MomentBasis.TermCount;
        LowCount = (int)MonomialBasis.CountTerms(variableCount, degree);
        TileSamples = ChooseTileSamples(variableCount, degree, targetCount);

        var kinds = new List<byte>();
        var depths = new List<int>();
        var variables = new List<int>();
        var nodes = new List<int>();
        var lows = new List<int>();
        var leafVariables = new List<int>();
        var leafNodes = new List<int>();
        var counts = new List<int>();
        _nodeTerm = new int[MomentCount];
        var exponents = new int[variableCount];
        int next = 0;

        void Emit(byte kind, int depth, int variable, int node, int low, int leafVariable = 0, int leafNode = 0, int count = 0)
        {
            kinds.Add(kind);
            depths.Add(depth);
            variables.Add(variable);
            nodes.Add(node);
            lows.Add(low);
            leafVariables.Add(leafVariable);
            leafNodes.Add(leafNode);
            counts.Add(count);
        }

        int NewNode()
        {
            int node = next++;
            _nodeTerm[node] = MomentBasis.IndexOf(exponents);
            return node;
        }

        int top = 2 * degree;

        // Children of a node at depth d with largest variable l: x_j for j = l … v − 1.
        void Visit(int depth, int lastVariable)
        {
            int d = depth + 1;
            if (d == top)
            {
                // Leaves: consecutive nodes sharing the parent row; in groups of four.
                int j = lastVariable;
                while (j < variableCount)
                {
                    int group = variableCount - j >= 4 ? 4 : 1;
                    int first = -1;
                    for (int g = 0; g < group; g++)
                    {
                        exponents[j + g]++;
                        int node = NewNode();
                        exponents[j + g]--;
                        first = g == 0 ? node : first;
                    }

                    Emit(group == 4 ? Leaf4 : Leaf1, d, j, first, -1);
                    j += group;
                }

                return;
            }

            for (int j = lastVariable; j < variableCount; j++)
            {
                exponents[j]++;
                int node = NewNode();
                int term = _nodeTerm[node];
                if (d == top - 1 && d > degree)
                {
                    // Fused: the node's row lives in a register while its leaves x_m (m ≥ j) accumulate.
                    int firstLeaf = next;
                    for (int m = j; m < variableCount; m++)
                    {
                        exponents[m]++;
                        NewNode();
                        exponents[m]--;
                    }

                    for (int m = j; m < variableCount; m += MaxFamily)
                    {
                        int count = Math.Min(MaxFamily, variableCount - m);
                        Emit(m == j ? Family : LeafChunk, d, j, node, -1, m, firstLeaf + (m - j), count);
                    }
                }
                else
                {
                    Emit(Inner, d, j, node, d <= degree ? term : -1);
                    Visit(d, j);
                }

                exponents[j]--;
            }
        }

        int root = NewNode();
        Emit(Root, 0, 0, root, 0);
        if (top > 0)
        {
            Visit(0, 0);
        }

        _opKind = [.. kinds];
        _opDepth = [.. depths];
        _opVariable = [.. variables];
        _opNode = [.. nodes];
        _opLow = [.. lows];
        _opLeafVariable = [.. leafVariables];
        _opLeafNode = [.. leafNodes];
        _opCount = [.. counts];
    }

    public int VariableCount { get; }

    public int Degree { get; }

    public int TargetCount { get; }

    /// <summary>The basis of degree 2D whose terms index the moments.</summary>
    public MonomialBasis MomentBasis { get; }

    /// <summary>C(v + 2D, 2D).</summary>
    public int MomentCount { get; }

    /// <summary>C(v + D, D): the terms (constant included) of the fitted basis.</summary>
    public int LowCount { get; }

    /// <summary>Samples per tile (a multiple of 32).</summary>
    public int TileSamples { get; }

    /// <summary>Doubles a chunk's result occupies: moments, then y-moments (target-major), then Σ w y².</summary>
    public int ResultLength => MomentCount + (TargetCount * LowCount) + TargetCount;

    private static int ChooseTileSamples(int variableCount, int degree, int targetCount)
    {
        // Live rows: the path (2D + 1), the variables and the targets. 48 KiB (1.5× a 32 KiB L1) measured
        // best for 8 variables at degrees 3–4 (S = 384, 320): longer rows amortise the per-node setup and
        // accumulator update, and the rows touched together still fit in L1.
        long rows = (2L * degree) + 1 + variableCount + targetCount;
        long s = 48 * 1024 / sizeof(double) / rows;
        return (int)Math.Clamp(s / 32 * 32, 32, 512);
    }

    /// <summary>Scratch for one thread.</summary>
    public sealed class Workspace
    {
        internal Workspace(MomentKernel kernel)
        {
            int s = kernel.TileSamples;
            int w = LaneWidth.Doubles;
            Rows = new double[((2 * kernel.Degree) + 1) * s];
            Variables = new double[kernel.VariableCount * s];
            Targets = new double[kernel.TargetCount * s];
            Sums = new double[kernel.MomentCount * w];
            TargetSums = new double[((kernel.TargetCount * kernel.LowCount) + kernel.TargetCount) * w];
        }

        internal double[] Rows { get; }

        internal double[] Variables { get; }

        internal double[] Targets { get; }

        internal double[] Sums { get; }

        internal double[] TargetSums { get; }
    }

    public Workspace CreateWorkspace() => new(this);

    /// <summary>
    /// Adds the moments of samples [start, end) to <paramref name="result"/> (<see cref="ResultLength"/>):
    /// z = (x − center) / spread, weights w (all 1 when empty). Targets are sampleCount × TargetCount row-major.
    /// </summary>
    public void Accumulate(ReadOnlySpan<double> points, ReadOnlySpan<double> targets, ReadOnlySpan<double> weights,
                           ReadOnlySpan<double> center, ReadOnlySpan<double> spread, int start, int end,
                           Workspace workspace, Span<double> result)
    {
        workspace.Sums.AsSpan().Clear();
        workspace.TargetSums.AsSpan().Clear();
        int s = TileSamples;
        for (int s0 = start; s0 < end; s0 += s)
        {
            int n = Math.Min(s, end - s0);
            FillTile(points, targets, weights, center, spread, s0, n, workspace);
            if (Vector512.IsHardwareAccelerated)
            {
                ProcessTile<Lanes512, Vector512<double>>(workspace);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                ProcessTile<Lanes256, Vector256<double>>(workspace);
            }
            else if (Vector128.IsHardwareAccelerated)
            {
                ProcessTile<Lanes128, Vector128<double>>(workspace);
            }
            else
            {
                ProcessTile<Lanes1, double>(workspace);
            }
        }

        Reduce(workspace, result);
    }

    private void FillTile(ReadOnlySpan<double> points, ReadOnlySpan<double> targets, ReadOnlySpan<double> weights,
                          ReadOnlySpan<double> center, ReadOnlySpan<double> spread, int s0, int n, Workspace workspace)
    {
        int v = VariableCount;
        int k = TargetCount;
        int s = TileSamples;
        Span<double> row0 = workspace.Rows.AsSpan(0, s);
        if (weights.IsEmpty)
        {
            row0[..n].Fill(1.0);
        }
        else
        {
            weights.Slice(s0, n).CopyTo(row0);
        }

        row0[n..].Clear();

        Span<double> z = workspace.Variables;
        ReadOnlySpan<double> x = points.Slice(s0 * v, n * v);
        for (int j = 0; j < v; j++)
        {
            double c = center[j];
            double d = spread[j];
            Span<double> zj = z.Slice(j * s, s);
            for (int i = 0; i < n; i++)
            {
                zj[i] = (x[(i * v) + j] - c) / d;
            }

            zj[n..].Clear();
        }

        Span<double> y = workspace.Targets;
        ReadOnlySpan<double> t = targets.Slice(s0 * k, n * k);
        for (int r = 0; r < k; r++)
        {
            Span<double> yr = y.Slice(r * s, s);
            for (int i = 0; i < n; i++)
            {
                yr[i] = t[(i * k) + r];
            }

            yr[n..].Clear();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProcessTile<TL, TV>(Workspace workspace)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int s = TileSamples;
        int w = TL.Count;
        int lows = LowCount;
        int k = TargetCount;
        ref double rows = ref MemoryMarshal.GetArrayDataReference(workspace.Rows);
        ref double z = ref MemoryMarshal.GetArrayDataReference(workspace.Variables);
        ref double y = ref MemoryMarshal.GetArrayDataReference(workspace.Targets);
        ref double sums = ref MemoryMarshal.GetArrayDataReference(workspace.Sums);
        ref double targetSums = ref MemoryMarshal.GetArrayDataReference(workspace.TargetSums);
        byte[] kinds = _opKind;
        int[] depths = _opDepth;
        int[] variables = _opVariable;
        int[] nodes = _opNode;
        int[] lowTerms = _opLow;
        int[] leafVariables = _opLeafVariable;
        int[] leafNodes = _opLeafNode;
        int[] counts = _opCount;

        for (int op = 0; op < kinds.Length; op++)
        {
            int d = depths[op];
            ref double acc = ref Unsafe.Add(ref sums, nodes[op] * w);
            switch (kinds[op])
            {
                case Inner:
                {
                    ref double prev = ref Unsafe.Add(ref rows, (d - 1) * s);
                    ref double cur = ref Unsafe.Add(ref rows, d * s);
                    ref double zj = ref Unsafe.Add(ref z, variables[op] * s);
                    TV a0 = TL.Zero, a1 = TL.Zero, a2 = TL.Zero, a3 = TL.Zero;
                    for (nint i = 0; i < s; i += 4 * w)
                    {
                        TV p0 = TL.Multiply(TL.Load(ref prev, i), TL.Load(ref zj, i));
                        TV p1 = TL.Multiply(TL.Load(ref prev, i + w), TL.Load(ref zj, i + w));
                        TV p2 = TL.Multiply(TL.Load(ref prev, i + (2 * w)), TL.Load(ref zj, i + (2 * w)));
                        TV p3 = TL.Multiply(TL.Load(ref prev, i + (3 * w)), TL.Load(ref zj, i + (3 * w)));
                        TL.Store(p0, ref cur, i);
                        TL.Store(p1, ref cur, i + w);
                        TL.Store(p2, ref cur, i + (2 * w));
                        TL.Store(p3, ref cur, i + (3 * w));
                        a0 = TL.Add(a0, p0);
                        a1 = TL.Add(a1, p1);
                        a2 = TL.Add(a2, p2);
                        a3 = TL.Add(a3, p3);
                    }

                    AddTo<TL, TV>(ref acc, TL.Add(TL.Add(a0, a1), TL.Add(a2, a3)));
                    int low = lowTerms[op];
                    if (low >= 0)
                    {
                        AccumulateTargets<TL, TV>(ref cur, ref y, ref targetSums, low, lows, k, s);
                    }

                    break;
                }

                case Family:
                case LeafChunk:
                {
                    ref double prev = ref Unsafe.Add(ref rows, (d - 1) * s);
                    ref double zj = ref Unsafe.Add(ref z, variables[op] * s);
                    ref double zLeaf = ref Unsafe.Add(ref z, leafVariables[op] * s);
                    ref double leafAcc = ref Unsafe.Add(ref sums, leafNodes[op] * w);
                    if (kinds[op] == Family)
                    {
                        FamilyDispatch<TL, TV, True>(counts[op], ref prev, ref zj, ref zLeaf, ref acc, ref leafAcc, s);
                    }
                    else
                    {
                        FamilyDispatch<TL, TV, False>(counts[op], ref prev, ref zj, ref zLeaf, ref acc, ref leafAcc, s);
                    }

                    break;
                }

                case Leaf4:
                {
                    ref double prev = ref Unsafe.Add(ref rows, (d - 1) * s);
                    ref double z0 = ref Unsafe.Add(ref z, variables[op] * s);
                    ref double z1 = ref Unsafe.Add(ref z0, s);
                    ref double z2 = ref Unsafe.Add(ref z1, s);
                    ref double z3 = ref Unsafe.Add(ref z2, s);
                    TV a0 = TL.Zero, a1 = TL.Zero, a2 = TL.Zero, a3 = TL.Zero;
                    for (nint i = 0; i < s; i += w)
                    {
                        TV pv = TL.Load(ref prev, i);
                        a0 = TL.MultiplyAdd(pv, TL.Load(ref z0, i), a0);
                        a1 = TL.MultiplyAdd(pv, TL.Load(ref z1, i), a1);
                        a2 = TL.MultiplyAdd(pv, TL.Load(ref z2, i), a2);
                        a3 = TL.MultiplyAdd(pv, TL.Load(ref z3, i), a3);
                    }

                    AddTo<TL, TV>(ref acc, a0);
                    AddTo<TL, TV>(ref Unsafe.Add(ref acc, w), a1);
                    AddTo<TL, TV>(ref Unsafe.Add(ref acc, 2 * w), a2);
                    AddTo<TL, TV>(ref Unsafe.Add(ref acc, 3 * w), a3);
                    break;
                }

                case Leaf1:
                {
                    ref double prev = ref Unsafe.Add(ref rows, (d - 1) * s);
                    ref double zj = ref Unsafe.Add(ref z, variables[op] * s);
                    TV a0 = TL.Zero, a1 = TL.Zero, a2 = TL.Zero, a3 = TL.Zero;
                    for (nint i = 0; i < s; i += 4 * w)
                    {
                        a0 = TL.MultiplyAdd(TL.Load(ref prev, i), TL.Load(ref zj, i), a0);
                        a1 = TL.MultiplyAdd(TL.Load(ref prev, i + w), TL.Load(ref zj, i + w), a1);
                        a2 = TL.MultiplyAdd(TL.Load(ref prev, i + (2 * w)), TL.Load(ref zj, i + (2 * w)), a2);
                        a3 = TL.MultiplyAdd(TL.Load(ref prev, i + (3 * w)), TL.Load(ref zj, i + (3 * w)), a3);
                    }

                    AddTo<TL, TV>(ref acc, TL.Add(TL.Add(a0, a1), TL.Add(a2, a3)));
                    break;
                }

                default:
                {
                    // Root: Σ w, Σ w y_r (the constant's y-moment) and Σ w y_r².
                    TV a0 = TL.Zero, a1 = TL.Zero;
                    for (nint i = 0; i < s; i += 2 * w)
                    {
                        a0 = TL.Add(a0, TL.Load(ref rows, i));
                        a1 = TL.Add(a1, TL.Load(ref rows, i + w));
                    }

                    AddTo<TL, TV>(ref acc, TL.Add(a0, a1));
                    AccumulateTargets<TL, TV>(ref rows, ref y, ref targetSums, 0, lows, k, s);
                    for (int r = 0; r < k; r++)
                    {
                        ref double yr = ref Unsafe.Add(ref y, r * s);
                        TV b0 = TL.Zero, b1 = TL.Zero;
                        for (nint i = 0; i < s; i += 2 * w)
                        {
                            TV q0 = TL.Multiply(TL.Load(ref rows, i), TL.Load(ref yr, i));
                            TV q1 = TL.Multiply(TL.Load(ref rows, i + w), TL.Load(ref yr, i + w));
                            b0 = TL.MultiplyAdd(q0, TL.Load(ref yr, i), b0);
                            b1 = TL.MultiplyAdd(q1, TL.Load(ref yr, i + w), b1);
                        }

                        AddTo<TL, TV>(ref Unsafe.Add(ref targetSums, ((k * lows) + r) * w), TL.Add(b0, b1));
                    }

                    break;
                }
            }
        }
    }

    private interface IFlag
    {
        static abstract bool Value { get; }
    }

    private readonly struct True : IFlag
    {
        public static bool Value => true;
    }

    private readonly struct False : IFlag
    {
        public static bool Value => false;
    }

    private interface ICount
    {
        static abstract int Value { get; }
    }

    private readonly struct C1 : ICount
    {
        public static int Value => 1;
    }

    private readonly struct C2 : ICount
    {
        public static int Value => 2;
    }

    private readonly struct C3 : ICount
    {
        public static int Value => 3;
    }

    private readonly struct C4 : ICount
    {
        public static int Value => 4;
    }

    private readonly struct C5 : ICount
    {
        public static int Value => 5;
    }

    private readonly struct C6 : ICount
    {
        public static int Value => 6;
    }

    private readonly struct C7 : ICount
    {
        public static int Value => 7;
    }

    private readonly struct C8 : ICount
    {
        public static int Value => 8;
    }

    private static void FamilyDispatch<TL, TV, TFirst>(int count, ref double prev, ref double zj, ref double zLeaf, ref double accNode,
                                                       ref double accLeaf, int s)
        where TL : struct, ILanes<TV>
        where TV : struct
        where TFirst : struct, IFlag
    {
        switch (count)
        {
            case 1: FamilyLoop<TL, TV, TFirst, C1>(ref prev, ref zj, ref zLeaf, ref accNode, ref accLeaf, s); break;
            case 2: FamilyLoop<TL, TV, TFirst, C2>(ref prev, ref zj, ref zLeaf, ref accNode, ref accLeaf, s); break;
            case 3: FamilyLoop<TL, TV, TFirst, C3>(ref prev, ref zj, ref zLeaf, ref accNode, ref accLeaf, s); break;
            case 4: FamilyLoop<TL, TV, TFirst, C4>(ref prev, ref zj, ref zLeaf, ref accNode, ref accLeaf, s); break;
            case 5: FamilyLoop<TL, TV, TFirst, C5>(ref prev, ref zj, ref zLeaf, ref accNode, ref accLeaf, s); break;
            case 6: FamilyLoop<TL, TV, TFirst, C6>(ref prev, ref zj, ref zLeaf, ref accNode, ref accLeaf, s); break;
            case 7: FamilyLoop<TL, TV, TFirst, C7>(ref prev, ref zj, ref zLeaf, ref accNode, ref accLeaf, s); break;
            default: FamilyLoop<TL, TV, TFirst, C8>(ref prev, ref zj, ref zLeaf, ref accNode, ref accLeaf, s); break;
        }
    }

    /// <summary>
    /// A node q = prev ⊙ z_j of degree 2D − 1 and its leaves q ⊙ z_m, m = leaf variable … + count − 1 (rows
    /// contiguous): per lane block, one multiply for q and one FMA per leaf, q never stored. With TFirst the
    /// leaves start at z_j itself (its load is shared) and q's own moment is accumulated too. Small families
    /// process two lane blocks per step so that the accumulator chains do not wait on FMA latency.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FamilyLoop<TL, TV, TFirst, TC>(ref double prev, ref double zj, ref double zLeaf, ref double accNode,
                                                       ref double accLeaf, int s)
        where TL : struct, ILanes<TV>
        where TV : struct
        where TFirst : struct, IFlag
        where TC : struct, ICount
    {
        int w = TL.Count;
        int g = TC.Value;
        TV aq = TL.Zero, a0 = TL.Zero, a1 = TL.Zero, a2 = TL.Zero, a3 = TL.Zero, a4 = TL.Zero, a5 = TL.Zero, a6 = TL.Zero, a7 = TL.Zero;
        TV bq = TL.Zero, b0 = TL.Zero, b1 = TL.Zero, b2 = TL.Zero;
        if (g <= 3)
        {
            for (nint i = 0; i < s; i += 2 * w)
            {
                TV x = TL.Load(ref zj, i);
                TV y = TL.Load(ref zj, i + w);
                TV q = TL.Multiply(TL.Load(ref prev, i), x);
                TV r = TL.Multiply(TL.Load(ref prev, i + w), y);
                if (TFirst.Value)
                {
                    aq = TL.Add(aq, q);
                    bq = TL.Add(bq, r);
                    a0 = TL.MultiplyAdd(q, x, a0);
                    b0 = TL.MultiplyAdd(r, y, b0);
                }
                else
                {
                    a0 = TL.MultiplyAdd(q, TL.Load(ref zLeaf, i), a0);
                    b0 = TL.MultiplyAdd(r, TL.Load(ref zLeaf, i + w), b0);
                }

                if (g > 1)
                {
                    a1 = TL.MultiplyAdd(q, TL.Load(ref zLeaf, s + i), a1);
                    b1 = TL.MultiplyAdd(r, TL.Load(ref zLeaf, s + i + w), b1);
                }

                if (g > 2)
                {
                    a2 = TL.MultiplyAdd(q, TL.Load(ref zLeaf, (2 * s) + i), a2);
                    b2 = TL.MultiplyAdd(r, TL.Load(ref zLeaf, (2 * s) + i + w), b2);
                }
            }

            aq = TL.Add(aq, bq);
            a0 = TL.Add(a0, b0);
            a1 = TL.Add(a1, b1);
            a2 = TL.Add(a2, b2);
        }
        else
        {
            for (nint i = 0; i < s; i += w)
            {
                TV x = TL.Load(ref zj, i);
                TV q = TL.Multiply(TL.Load(ref prev, i), x);
                if (TFirst.Value)
                {
                    aq = TL.Add(aq, q);
                    a0 = TL.MultiplyAdd(q, x, a0);
                }
                else
                {
                    a0 = TL.MultiplyAdd(q, TL.Load(ref zLeaf, i), a0);
                }

                a1 = TL.MultiplyAdd(q, TL.Load(ref zLeaf, s + i), a1);
                a2 = TL.MultiplyAdd(q, TL.Load(ref zLeaf, (2 * s) + i), a2);
                a3 = TL.MultiplyAdd(q, TL.Load(ref zLeaf, (3 * s) + i), a3);
                if (g > 4)
                {
                    a4 = TL.MultiplyAdd(q, TL.Load(ref zLeaf, (4 * s) + i), a4);
                }

                if (g > 5)
                {
                    a5 = TL.MultiplyAdd(q, TL.Load(ref zLeaf, (5 * s) + i), a5);
                }

                if (g > 6)
                {
                    a6 = TL.MultiplyAdd(q, TL.Load(ref zLeaf, (6 * s) + i), a6);
                }

                if (g > 7)
                {
                    a7 = TL.MultiplyAdd(q, TL.Load(ref zLeaf, (7 * s) + i), a7);
                }
            }
        }

        if (TFirst.Value)
        {
            AddTo<TL, TV>(ref accNode, aq);
        }

        AddTo<TL, TV>(ref accLeaf, a0);
        if (g > 1)
        {
            AddTo<TL, TV>(ref Unsafe.Add(ref accLeaf, w), a1);
        }

        if (g > 2)
        {
            AddTo<TL, TV>(ref Unsafe.Add(ref accLeaf, 2 * w), a2);
        }

        if (g > 3)
        {
            AddTo<TL, TV>(ref Unsafe.Add(ref accLeaf, 3 * w), a3);
        }

        if (g > 4)
        {
            AddTo<TL, TV>(ref Unsafe.Add(ref accLeaf, 4 * w), a4);
        }

        if (g > 5)
        {
            AddTo<TL, TV>(ref Unsafe.Add(ref accLeaf, 5 * w), a5);
        }

        if (g > 6)
        {
            AddTo<TL, TV>(ref Unsafe.Add(ref accLeaf, 6 * w), a6);
        }

        if (g > 7)
        {
            AddTo<TL, TV>(ref Unsafe.Add(ref accLeaf, 7 * w), a7);
        }
    }

    /// <summary>targetSums[(r·lows + low)·w …] += Σ_i row[i]·y_r[i], for every target r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateTargets<TL, TV>(ref double row, ref double y, ref double targetSums, int low, int lows, int k, int s)
        where TL : struct, ILanes<TV>
        where TV : struct
    {
        int w = TL.Count;
        for (int r = 0; r < k; r++)
        {
            ref double yr = ref Unsafe.Add(ref y, r * s);
            TV b0 = TL.Zero, b1 = TL.Zero;
            for (nint i = 0; i < s; i += 2 * w)
            {
                b0 = TL.MultiplyAdd(TL.Load(ref row, i), TL.Load(ref yr, i), b0);
                b1 = TL.MultiplyAdd(TL.Load(ref row, i + w), TL.Load(ref yr, i + w), b1);
            }

            AddTo<TL, TV>(ref Unsafe.Add(ref targetSums, ((r * lows) + low) * w), TL.Add(b0, b1));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo<TL, TV>(ref double destination, TV value)
        where TL : struct, ILanes<TV>
        where TV : struct =>
        TL.Store(TL.Add(TL.Load(ref destination, 0), value), ref destination, 0);

    /// <summary>Adds the lane sums (in lane order) to the result, moments by term index.</summary>
    private void Reduce(Workspace workspace, Span<double> result)
    {
        int w = LaneWidth.Doubles;
        double[] sums = workspace.Sums;
        for (int node = 0; node < MomentCount; node++)
        {
            double total = 0;
            for (int lane = 0; lane < w; lane++)
            {
                total += sums[(node * w) + lane];
            }

            result[_nodeTerm[node]] += total;
        }

        double[] targetSums = workspace.TargetSums;
        int extra = (TargetCount * LowCount) + TargetCount;
        for (int e = 0; e < extra; e++)
        {
            double total = 0;
            for (int lane = 0; lane < w; lane++)
            {
                total += targetSums[(e * w) + lane];
            }

            result[MomentCount + e] += total;
        }
    }
}
