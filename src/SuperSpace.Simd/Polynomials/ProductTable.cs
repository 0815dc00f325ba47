// Index tables of the graded monomial basis in v variables up to degree D, computed once per (v, D)
// and shared (weakly cached) by every truncated product:
//   Multiply[t·v + j] = index of t·x_j               (deg t < D)
//   Targets[RowStart[a] + b] = index of a·b           (deg a + deg b ≤ D; b runs over the graded prefix
//                                                      of all terms of degree ≤ D − deg a)
// Built with the parent structure of MonomialBasis: a·b = (a·parent(b))·x_var(b), and
// t·x_j = firstChild(t) + j − var(t) when j ≥ var(t), else (parent(t)·x_j)·x_var(t).
// Size: C(2v + D, D) product entries (every pair with deg a + deg b ≤ D) + C(v + D − 1, D − 1)·v.
// The four most recently used tables under 256 MB are held strongly, the rest weakly.
using System.Globalization;
using SuperSpace.Simd.Internals;

namespace SuperSpace.Simd.Polynomials;

internal sealed class ProductTable
{
    private const int StrongCacheCount = 4;
    private const long StrongCacheBytes = 256L << 20;

    private static readonly Dictionary<(int, int), WeakReference<ProductTable>> Cache = [];
    private static readonly List<ProductTable> Recent = []; // strong references to the most recently used tables
    private static readonly Lock CacheLock = new();

    private ProductTable(MonomialBasis basis)
    {
        Basis = basis;
        int v = basis.VariableCount;
        int degree = basis.Degree;
        int n = basis.TermCount;
        DegreeStarts = basis.DegreeStarts.ToArray();
        Degrees = new byte[n];
        for (int k = 0; k <= degree; k++)
        {
            Degrees.AsSpan(DegreeStarts[k], DegreeStarts[k + 1] - DegreeStarts[k]).Fill((byte)k);
        }

        ReadOnlySpan<int> parents = basis.FullParents;
        ReadOnlySpan<int> variables = basis.FullVariables;
        int parentEnd = degree == 0 ? 0 : DegreeStarts[degree];

        // First child of each parent: children are emitted contiguously, in parent order.
        var firstChild = new int[Math.Max(parentEnd, 1)];
        for (int t = n - 1; t >= 1; t--)
        {
            firstChild[parents[t]] = t; // the smallest child index wins
        }

        Multiply = new int[parentEnd * v];
        for (int t = 0; t < parentEnd; t++)
        {
            int l = variables[t];
            for (int j = 0; j < v; j++)
            {
                if (j >= l || t == 0)
                {
                    Multiply[(t * v) + j] = firstChild[t] + j - (t == 0 ? 0 : l);
                }
                else
                {
                    int m = Multiply[(parents[t] * v) + j];
                    Multiply[(t * v) + j] = firstChild[m] + l - variables[m];
                }
            }
        }

        // |α| / (exponent of α's last variable): the multinomial |α|!/α! grows by this factor from parent to child.
        MultinomialRatio = new double[n];
        var multiplicity = new int[n];
        for (int t = 1; t < n; t++)
        {
            int parent = parents[t];
            multiplicity[t] = parent != 0 && variables[parent] == variables[t] ? multiplicity[parent] + 1 : 1;
            MultinomialRatio[t] = (double)Degrees[t] / multiplicity[t];
        }

        RowStart = new long[n + 1];
        long total = 0;
        for (int a = 0; a < n; a++)
        {
            RowStart[a] = total;
            total += DegreeStarts[degree - Degrees[a] + 1];
        }

        RowStart[n] = total;
        Targets = new int[total];
        for (int a = 0; a < n; a++)
        {
            Span<int> row = Targets.AsSpan((int)RowStart[a], (int)(RowStart[a + 1] - RowStart[a]));
            row[0] = a;
            for (int b = 1; b < row.Length; b++)
            {
                row[b] = Multiply[(row[parents[b]] * v) + variables[b]];
            }
        }
    }

    public MonomialBasis Basis { get; }

    /// <summary>DegreeStarts[k] = number of terms of degree &lt; k, k = 0 … D + 1.</summary>
    public int[] DegreeStarts { get; }

    public byte[] Degrees { get; }

    public int[] Multiply { get; }

    /// <summary>deg(t)/e, e the exponent of t's largest variable: multinomial(t) = multinomial(parent(t))·ratio(t).</summary>
    public double[] MultinomialRatio { get; }

    public long[] RowStart { get; }

    public int[] Targets { get; }

    /// <summary>Bytes the table for (v, D) needs: C(2v + D, D) product entries plus the multiply table.</summary>
    public static long EstimateBytes(int variableCount, int degree)
    {
        long pairs = MonomialBasis.CountTerms(2 * variableCount, degree);
        long terms = MonomialBasis.CountTerms(variableCount, degree);
        return (pairs * sizeof(int)) + (terms * (sizeof(long) + 1 + ((long)variableCount * sizeof(int))));
    }

    /// <summary>The shared table for (v, D), built on first use.</summary>
    public static ProductTable Get(int variableCount, int degree)
    {
        lock (CacheLock)
        {
            if (Cache.TryGetValue((variableCount, degree), out var weak) && weak.TryGetTarget(out var table))
            {
                Remember(table);
                return table;
            }
        }

        long pairs = MonomialBasis.CountTerms(2 * variableCount, degree);
        if (pairs > Array.MaxLength)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(degree), string.Create(CultureInfo.InvariantCulture,
                $"The product table of {variableCount} variables at degree {degree} has {pairs:N0} entries, more than an array can hold."));
        }

        var built = new ProductTable(new MonomialBasis(variableCount, degree));
        lock (CacheLock)
        {
            Cache[(variableCount, degree)] = new WeakReference<ProductTable>(built);
            Remember(built);
        }

        return built;
    }

    /// <summary>Keeps the last few small tables alive (weak references alone let every GC drop them). Caller holds the lock.</summary>
    private static void Remember(ProductTable table)
    {
        if ((table.Targets.LongLength * sizeof(int)) > StrongCacheBytes)
        {
            return;
        }

        Recent.Remove(table);
        Recent.Insert(0, table);
        if (Recent.Count > StrongCacheCount)
        {
            Recent.RemoveAt(Recent.Count - 1);
        }
    }
}
