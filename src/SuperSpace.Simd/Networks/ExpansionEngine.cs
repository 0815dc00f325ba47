// Network → Super Planes by truncated power-series arithmetic, layer by layer, every neuron of a
// layer at once (one lane each; polynomials stored term-major, N × lanes, N = C(v + D, D)).
//   pre-activation   Z = P·Wᵀ + b                       N·inputs·lanes   (rows of degree ≤ deg P only)
//   first layer      z affine: each neuron Σ_k A_k (w·u)^k, coefficient of u^α = A_|α|·(|α|!/α!)·w^α,
//                    one pass over the basis (parent chain), 2 lane-vector multiplies per term
//   Taylor at x0     f(z0 + h) = Σ_{k≤D} a_k h^k, h = Z − z0 (no constant term): Horner, step k
//                    truncated at D − k (h^k already has degree ≥ k)          ≤ D products
//   fixed centre     the order-q polynomial at c re-centred at z0 (Taylor shift), then as Taylor
//   Chebyshev        the interpolant re-centred at z0 likewise (degree ≤ 20); above that
//                    Clenshaw b_k = c_k + 2t·b_{k+1} − b_{k+2}, t = (Z − m)/r: n full products
//   (general path, kept for tests and high degrees: fixed centre Σ_{k≤q} a_k (Z − c)^k by Horner,
//   q full products)
// each product C(2v + L, L) lane-vector FMAs at most (TruncatedArithmetic.MultiplyAdd). The working
// variables are u = (x − c)/s (Taylor: c = x0, s = 1; Chebyshev: the data box), folded with the
// network's input scaling into the first layer's input polynomials; the result is mapped back to raw
// x by an exact affine substitution, and the output scaling is applied to the coefficients.
using System.Buffers;
using SuperSpace.Simd.Polynomials;

namespace SuperSpace.Simd.Networks;

internal sealed class ExpansionEngine
{
    private readonly Mlp _network;
    private readonly int _degree;
    private readonly ProductTable _table;
    private readonly int _termCount;
    private readonly List<double[]> _rented = [];

    private readonly bool _affineFirstLayer;

    /// <param name="network">The network.</param>
    /// <param name="degree">Truncation degree.</param>
    /// <param name="affineFirstLayer">Use the multinomial shortcut for the first layer (false: the general composition; for tests).</param>
    public ExpansionEngine(Mlp network, int degree, bool affineFirstLayer = true)
    {
        _affineFirstLayer = affineFirstLayer;
        _network = network;
        _degree = degree;
        _table = ProductTable.Get(network.InputCount, degree);
        _termCount = _table.Basis.TermCount;
    }

    public MonomialBasis Basis => _table.Basis;

    /// <summary>A pooled buffer (dirty: callers clear what they read), returned when <see cref="Run"/> ends.</summary>
    private double[] Rent(int length)
    {
        double[] array = ArrayPool<double>.Shared.Rent(length);
        _rented.Add(array);
        return array;
    }

    /// <summary>Bytes of polynomial storage the expansion needs (four N × lanes buffers of the widest layer, the input block, coefficients).</summary>
    public static long EstimateBytes(Mlp network, int degree)
    {
        long terms = MonomialBasis.CountTerms(network.InputCount, degree);
        int lanes = TruncatedArithmetic.PadLanes(network.InputCount);
        foreach (DenseLayer layer in network.Layers)
        {
            lanes = Math.Max(lanes, TruncatedArithmetic.PadLanes(layer.Units));
        }

        return (terms * lanes * sizeof(double) * 5) + ProductTable.EstimateBytes(network.InputCount, degree);
    }

    /// <summary>
    /// Runs the expansion. <paramref name="center"/>/<paramref name="scale"/> define the working variables
    /// u = (x − c)/s (scale empty = 1). <paramref name="intervals"/> (Chebyshev) holds per layer
    /// [lower, upper] pairs per unit. <paramref name="centres"/> receives each layer's pre-activation
    /// constants (the series centres for Taylor). Returns the coefficients of each output in raw x.
    /// </summary>
    public double[][] Run(ExpansionMethod method, double[] center, double[] scale, int taylorOrder, double fixedCentre,
                          int approximationDegree, double[][]? intervals, double[][] centres)
    {
        try
        {
            return RunCore(method, center, scale, taylorOrder, fixedCentre, approximationDegree, intervals, centres);
        }
        finally
        {
            foreach (double[] array in _rented)
            {
                ArrayPool<double>.Shared.Return(array);
            }

            _rented.Clear();
        }
    }

    private double[][] RunCore(ExpansionMethod method, double[] center, double[] scale, int taylorOrder, double fixedCentre,
                               int approximationDegree, double[][]? intervals, double[][] centres)
    {
        int n = _termCount;
        int v = _network.InputCount;
        int[] starts = _table.DegreeStarts;
        FeatureScaling? inputScaling = _network.InputScaling;

        // Input polynomials: x_i = c_i + s_i·u_i, then the network's scaling (x_i − off_i)·sc_i.
        int inLanes = TruncatedArithmetic.PadLanes(v);
        double[] p = Rent(n * inLanes);
        p.AsSpan(0, starts[Math.Min(1, _degree) + 1] * inLanes).Clear();
        for (int i = 0; i < v; i++)
        {
            double s = scale.Length == 0 ? 1 : scale[i];
            double constant = center[i], linear = s;
            if (inputScaling is not null)
            {
                constant = (constant - inputScaling.Offset[i]) * inputScaling.Scale[i];
                linear *= inputScaling.Scale[i];
            }

            p[i] = constant;
            if (_degree >= 1)
            {
                p[((1 + i) * inLanes) + i] = linear;
            }
        }

        int pDegree = Math.Min(1, _degree);
        int pLanes = inLanes;
        int inputs = v;
        for (int l = 0; l < _network.Layers.Count; l++)
        {
            DenseLayer layer = _network.Layers[l];
            int units = layer.Units;
            int lanes = TruncatedArithmetic.PadLanes(units);
            double[] z = Rent(n * lanes);
            TruncatedArithmetic.Linear(p, pLanes, inputs, _network.Weights(l), units, _network.Biases(l), z, lanes, starts[pDegree + 1]);
            centres[l] = z.AsSpan(0, units).ToArray();
            Activation f = layer.Activation;
            if (f == Activation.Identity)
            {
                p = z;
            }
            else if (_affineFirstLayer && NeuronSeries(method, f, z, units, lanes, taylorOrder, fixedCentre, approximationDegree, intervals?[l]) is double[] series)
            {
                if (l == 0)
                {
                    p = ComposeAffine(z, series, lanes);
                    pDegree = _degree;
                }
                else
                {
                    // h = Z − z0 has no constant term: Horner truncated at D − k on step k.
                    Array.Clear(z, 0, lanes);
                    (p, pDegree) = Horner(z, 1, pDegree, series, _degree, lanes, truncateByOrder: true);
                }
            }
            else
            {
                switch (method)
                {
                    case ExpansionMethod.Taylor:
                        (p, pDegree) = ComposeTaylor(f, z, pDegree, units, lanes);
                        break;
                    case ExpansionMethod.TaylorFixedCentre:
                        (p, pDegree) = ComposeFixedCentre(f, z, pDegree, units, lanes, taylorOrder, fixedCentre);
                        break;
                    default:
                        (p, pDegree) = ComposeChebyshev(f, z, pDegree, units, lanes, approximationDegree, intervals![l]);
                        break;
                }
            }

            pLanes = lanes;
            inputs = units;
        }

        // Outputs: invert the output scaling on the coefficients, then back to raw x.
        int outputs = _network.OutputCount;
        FeatureScaling? outputScaling = _network.OutputScaling;
        var result = new double[outputs][];
        for (int o = 0; o < outputs; o++)
        {
            var c = new double[n];
            for (int t = 0; t < starts[pDegree + 1]; t++)
            {
                c[t] = p[(t * pLanes) + o];
            }

            if (outputScaling is not null)
            {
                double inverse = 1 / outputScaling.Scale[o];
                for (int t = 0; t < n; t++)
                {
                    c[t] *= inverse;
                }

                c[0] += outputScaling.Offset[o];
            }

            bool identity = scale.Length == 0 && Array.TrueForAll(center, x => x == 0);
            if (!identity)
            {
                AffineSubstitution.Apply(_table.Basis, center, scale, c);
            }

            result[o] = c;
        }

        return result;
    }

    /// <summary>
    /// Each neuron's approximant of f re-centred at its pre-activation constant z0_j, as a series
    /// U_j(s) = Σ_{k≤D} A_k s^k in s = z − z0_j ((D + 1) × lanes; terms above D cannot survive the truncation
    /// because s has no constant term): Taylor: f^(k)(z0)/k!; fixed centre: the order-q Taylor polynomial at c
    /// shifted to z0; Chebyshev: the interpolant in monomials of t (stable up to degree 20 on |t| ≤ 1) shifted
    /// to t0 and rescaled. Null when the method must keep the Chebyshev form (degree above 20).
    /// On the first layer s = w_j·u is linear and (w_j·u)^k expands by the multinomial theorem (coefficient of
    /// u^α = A_{|α|}·(|α|!/α!)·w_j^α); deeper layers use Horner in s.
    /// </summary>
    private double[]? NeuronSeries(ExpansionMethod method, Activation f, double[] z, int units, int lanes,
                                   int taylorOrder, double fixedCentre, int approximationDegree, double[]? interval)
    {
        int d = _degree;
        var a = new double[(d + 1) * lanes];
        Span<double> column = stackalloc double[d + 1];
        switch (method)
        {
            case ExpansionMethod.Taylor:
                for (int j = 0; j < units; j++)
                {
                    f.TaylorCoefficients(z[j], column);
                    Scatter(column, a, j, lanes);
                }

                return a;

            case ExpansionMethod.TaylorFixedCentre:
            {
                int order = f.IsPolynomial ? Math.Max(taylorOrder, f.PolynomialCoefficients.Length - 1) : taylorOrder;
                var g = new double[order + 1];
                f.TaylorCoefficients(fixedCentre, g);
                for (int j = 0; j < units; j++)
                {
                    Activations.TaylorSeries.Shift(g, z[j] - fixedCentre, column);
                    Scatter(column, a, j, lanes);
                }

                return a;
            }

            default:
            {
                if (approximationDegree > IntervalApproximation.MaxMonomialDegree)
                {
                    return null;
                }

                Span<double> shifted = stackalloc double[approximationDegree + 1];
                for (int j = 0; j < units; j++)
                {
                    // p(t), t = (z − m)/r, in monomials of t (stable for |t| ≤ 1 at this degree), shifted to
                    // t0 = (z0 − m)/r; then s = r·(t − t0) rescales coefficient k by r^−k.
                    double lower = interval![2 * j], upper = interval[(2 * j) + 1];
                    double mid = 0.5 * (lower + upper), half = 0.5 * (upper - lower);
                    double[] inT = Activations.ChebyshevFit.ToMonomialsInT(Activations.ChebyshevFit.Interpolate(f, lower, upper, approximationDegree));
                    Activations.TaylorSeries.Shift(inT, (z[j] - mid) / half, shifted);
                    column.Clear();
                    double power = 1;
                    for (int k = 0; k < Math.Min(column.Length, shifted.Length); k++)
                    {
                        column[k] = shifted[k] * power;
                        power /= half;
                    }

                    Scatter(column, a, j, lanes);
                }

                return a;
            }
        }
    }

    private static void Scatter(ReadOnlySpan<double> column, double[] a, int lane, int lanes)
    {
        for (int k = 0; k < column.Length; k++)
        {
            a[(k * lanes) + lane] = column[k];
        }
    }

    /// <summary>
    /// P[α, :] = A_{|α|} ⊙ Q[α, :], Q[α] = ratio(α)·Q[parent α] ⊙ w_{var α} (Q = multinomial·w^α): two
    /// lane-vector multiplies per term, N·lanes in all.
    /// </summary>
    private double[] ComposeAffine(double[] z, double[] a, int lanes)
    {
        int n = _termCount;
        ReadOnlySpan<int> parents = _table.Basis.FullParents;
        ReadOnlySpan<int> variables = _table.Basis.FullVariables;
        double[] ratio = _table.MultinomialRatio;
        byte[] degrees = _table.Degrees;
        double[] q = Rent(n * lanes);
        double[] p = Rent(n * lanes);
        q.AsSpan(0, lanes).Fill(1);
        a.AsSpan(0, lanes).CopyTo(p);
        for (int t = 1; t < n; t++)
        {
            Span<double> qt = q.AsSpan(t * lanes, lanes);
            ReadOnlySpan<double> qp = q.AsSpan(parents[t] * lanes, lanes);
            ReadOnlySpan<double> w = z.AsSpan((1 + variables[t]) * lanes, lanes);
            ReadOnlySpan<double> ak = a.AsSpan(degrees[t] * lanes, lanes);
            TruncatedArithmetic.ScaledProduct(ratio[t], qp, w, qt);
            TruncatedArithmetic.Product(ak, qt, p.AsSpan(t * lanes, lanes));
        }

        return p;
    }

    private (double[] Result, int Degree) ComposeTaylor(Activation f, double[] z, int zDegree, int units, int lanes)
    {
        int order = _degree;
        var coefficients = new double[(order + 1) * lanes];
        Span<double> series = stackalloc double[order + 1];
        for (int j = 0; j < units; j++)
        {
            f.TaylorCoefficients(z[j], series);
            for (int k = 0; k <= order; k++)
            {
                coefficients[(k * lanes) + j] = series[k];
            }
        }

        // h = Z − z0: drop the constant row.
        Array.Clear(z, 0, lanes);
        return Horner(z, 1, zDegree, coefficients, order, lanes, truncateByOrder: true);
    }

    private (double[] Result, int Degree) ComposeFixedCentre(Activation f, double[] z, int zDegree, int units, int lanes, int taylorOrder, double centre)
    {
        int order = taylorOrder;
        if (f.IsPolynomial)
        {
            order = Math.Max(order, f.PolynomialCoefficients.Length - 1);
        }

        var series = new double[order + 1];
        f.TaylorCoefficients(centre, series);
        var coefficients = new double[(order + 1) * lanes];
        for (int k = 0; k <= order; k++)
        {
            coefficients.AsSpan(k * lanes, units).Fill(series[k]);
        }

        // h = Z − c keeps its constant term.
        for (int j = 0; j < units; j++)
        {
            z[j] -= centre;
        }

        return Horner(z, 0, zDegree, coefficients, order, lanes, truncateByOrder: false);
    }

    /// <summary>Σ_k a_k h^k by Horner; a is (order + 1) × lanes. With truncateByOrder (h has no constant), step k keeps degrees ≤ D − k.</summary>
    private (double[] Result, int Degree) Horner(double[] h, int hMin, int hDegree, double[] a, int order, int lanes, bool truncateByOrder)
    {
        int n = _termCount;
        int[] starts = _table.DegreeStarts;
        double[] r = Rent(n * lanes);
        double[] t = Rent(n * lanes);
        {
            a.AsSpan(order * lanes, lanes).CopyTo(r);
            int rDegree = 0;
            for (int k = order - 1; k >= 0; k--)
            {
                int limit = truncateByOrder ? Math.Min(_degree, _degree - k) : _degree;
                int newDegree = Math.Min(limit, rDegree + hDegree);
                t.AsSpan(0, starts[newDegree + 1] * lanes).Clear();
                TruncatedArithmetic.MultiplyAdd(_table, r, 0, rDegree, h, hMin, Math.Min(hDegree, limit), t, limit, lanes);
                TruncatedArithmetic.Axpy(1.0, a.AsSpan(k * lanes, lanes), t.AsSpan(0, lanes));
                rDegree = newDegree;
                if (k > 0)
                {
                    t.AsSpan(0, starts[rDegree + 1] * lanes).CopyTo(r);
                }
            }

            if (order == 0)
            {
                r.AsSpan(0, lanes).CopyTo(t);
            }

            return (t, rDegree);
        }
    }

    private (double[] Result, int Degree) ComposeChebyshev(Activation f, double[] z, int zDegree, int units, int lanes, int approximationDegree, double[] interval)
    {
        int n = _termCount;
        int m = approximationDegree;
        int[] starts = _table.DegreeStarts;
        var c = new double[(m + 1) * lanes];
        var mid = new double[lanes];
        var inverseHalf = new double[lanes];
        for (int j = 0; j < units; j++)
        {
            double lower = interval[2 * j], upper = interval[(2 * j) + 1];
            // The interpolant alone (IntervalApproximation would also measure its max error on a fine grid).
            double[] chebyshev = Activations.ChebyshevFit.Interpolate(f, lower, upper, m);
            for (int k = 0; k <= m; k++)
            {
                c[(k * lanes) + j] = chebyshev[k];
            }

            mid[j] = 0.5 * (lower + upper);
            inverseHalf[j] = 2 / (upper - lower);
        }

        // t = (Z − mid)/half per lane; keep 2t for the recurrence.
        int rows = starts[zDegree + 1];
        for (int j = 0; j < units; j++)
        {
            z[j] -= mid[j];
        }

        double[] twoT = Rent(n * lanes);
        for (int row = 0; row < rows; row++)
        {
            for (int j = 0; j < lanes; j++)
            {
                double value = z[(row * lanes) + j] * inverseHalf[j];
                z[(row * lanes) + j] = value;
                twoT[(row * lanes) + j] = 2 * value;
            }
        }

        // Clenshaw: b_k = c_k + 2t·b_{k+1} − b_{k+2}, k = m … 1; result c_0 + t·b_1 − b_2.
        double[] b1 = Rent(n * lanes);
        double[] b2 = Rent(n * lanes);
        double[] b = Rent(n * lanes);
        int d1 = -1, d2 = -1;
        for (int k = m; k >= 1; k--)
        {
            int degree = d1 < 0 ? 0 : Math.Min(_degree, d1 + zDegree);
            degree = Math.Max(degree, d2);
            b.AsSpan(0, starts[degree + 1] * lanes).Clear();
            if (d2 >= 0)
            {
                TruncatedArithmetic.Axpy(-1.0, b2.AsSpan(0, starts[d2 + 1] * lanes), b);
            }

            if (d1 >= 0)
            {
                TruncatedArithmetic.MultiplyAdd(_table, b1, 0, d1, twoT, 0, zDegree, b, _degree, lanes);
            }

            TruncatedArithmetic.Axpy(1.0, c.AsSpan(k * lanes, lanes), b.AsSpan(0, lanes));
            (b2, b1, b) = (b1, b, b2);
            d2 = d1;
            d1 = degree;
        }

        int finalDegree = Math.Max(d1 < 0 ? 0 : Math.Min(_degree, d1 + zDegree), Math.Max(d2, 0));
        b.AsSpan(0, starts[finalDegree + 1] * lanes).Clear();
        if (d2 >= 0)
        {
            TruncatedArithmetic.Axpy(-1.0, b2.AsSpan(0, starts[d2 + 1] * lanes), b);
        }

        if (d1 >= 0)
        {
            TruncatedArithmetic.MultiplyAdd(_table, b1, 0, d1, z, 0, zDegree, b, _degree, lanes);
        }

        TruncatedArithmetic.Axpy(1.0, c.AsSpan(0, lanes), b.AsSpan(0, lanes));
        return (b, finalDegree);
    }
}
