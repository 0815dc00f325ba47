// Exact affine change of variables for a polynomial over the graded basis (constant included):
//   Q(x) = P((x − c)/s),   i.e. u_i = (x_i − c_i)/s_i.
// Step 1 (scale): p_t ← p_t · Π_i s_i^{−e_i(t)}, one division per term along the parent chain.
// Step 2 (shift), one variable at a time: every term t = m·x_i^e contributes C(e, r)·(−c_i)^r·p_t to
// m·x_i^{e−r}, r = 1 … e. Contributions only go to lower terms, so an ascending sweep can update in
// place. Cost O(N·D) per variable, O(N·D·v) in all, N = C(v + D, D).
using SuperSpace.Simd.Internals;

namespace SuperSpace.Simd.Polynomials;

internal static class AffineSubstitution
{
    /// <summary>
    /// Replaces the coefficients of P(u) by those of Q(x) = P((x − <paramref name="center"/>)/<paramref name="scale"/>).
    /// An empty <paramref name="scale"/> means 1 for every variable; an empty <paramref name="center"/> means 0.
    /// </summary>
    public static void Apply(MonomialBasis basis, ReadOnlySpan<double> center, ReadOnlySpan<double> scale, Span<double> coefficients)
    {
        if (!basis.IncludesConstant)
        {
            ThrowHelper.Argument(nameof(basis), "An affine substitution needs a basis with the constant term.");
        }

        int v = basis.VariableCount;
        int n = basis.TermCount;
        ReadOnlySpan<int> parents = basis.FullParents;
        ReadOnlySpan<int> variables = basis.FullVariables;
        if (!scale.IsEmpty)
        {
            var factor = new double[n];
            factor[0] = 1;
            for (int t = 1; t < n; t++)
            {
                factor[t] = factor[parents[t]] / scale[variables[t]];
                coefficients[t] *= factor[t];
            }
        }

        if (center.IsEmpty || basis.Degree == 0)
        {
            return;
        }

        ProductTable table = ProductTable.Get(v, basis.Degree);
        int parentEnd = table.DegreeStarts[basis.Degree];
        // divide[t·v + i] = t / x_i, or −1.
        var divide = new int[n * v];
        Array.Fill(divide, -1);
        for (int s = 0; s < parentEnd; s++)
        {
            for (int i = 0; i < v; i++)
            {
                divide[(table.Multiply[(s * v) + i] * v) + i] = s;
            }
        }

        Span<int> chain = stackalloc int[basis.Degree + 1];
        for (int i = 0; i < v; i++)
        {
            double c = center[i];
            if (c == 0)
            {
                continue;
            }

            for (int t = 1; t < n; t++)
            {
                double p = coefficients[t];
                if (p == 0 || divide[(t * v) + i] < 0)
                {
                    continue;
                }

                int e = 0;
                for (int u = divide[(t * v) + i]; u >= 0; u = divide[(u * v) + i])
                {
                    chain[e++] = u; // chain[r − 1] = t / x_i^r
                }

                double binomial = 1, power = 1;
                for (int r = 1; r <= e; r++)
                {
                    binomial = binomial * (e - r + 1) / r;
                    power *= -c;
                    coefficients[chain[r - 1]] += binomial * power * p;
                }
            }
        }
    }
}
