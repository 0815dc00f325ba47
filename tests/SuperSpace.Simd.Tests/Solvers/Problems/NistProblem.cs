namespace SuperSpace.Simd.Tests.Solvers.Problems;

/// <summary>The model families of the NIST StRD nonlinear files (several files share a model).</summary>
internal enum NistModel
{
    Misra1a, Chwirut, Lanczos, Gauss, DanWood, Misra1b, Kirby2, Hahn1, Nelson, Mgh17, Misra1c, Misra1d, Roszman1, Enso,
}

/// <summary>
/// A NIST StRD nonlinear problem as an <see cref="ILeastSquaresProblem"/>: residuals rᵢ = yᵢ − f(xᵢ; b)
/// (Nelson: ln yᵢ − f, its model is for log y), and the analytic Jacobian ∂rᵢ/∂bⱼ = −∂f/∂bⱼ written
/// from the model formulas in the file headers. A struct, so the solver calls it without dispatch.
/// </summary>
internal readonly struct NistProblem : ILeastSquaresProblem
{
    private readonly double[] _x;
    private readonly double[] _y;

    public NistProblem(NistDataset dataset, bool analyticJacobian = true, bool compensated = false)
    {
        Compensated = compensated;
        Dataset = dataset;
        Model = ModelOf(dataset.Name);
        AnalyticJacobian = analyticJacobian;
        _x = dataset.X;
        _y = Model == NistModel.Nelson ? dataset.Y.Select(v => Math.Log(v)).ToArray() : dataset.Y;
        ParameterCount = dataset.ParameterCount;
        ResidualCount = dataset.ObservationCount;
    }

    public NistDataset Dataset { get; }

    /// <summary>
    /// Residuals of the exponential models (Lanczos) in double-double from the data as printed, rounded once at the
    /// end: accurate to ~1e-30 however small they are (the other models ignore it).
    /// </summary>
    public bool Compensated { get; }

    /// <summary>The response the residuals compare against: y, or ln y for Nelson.</summary>
    public double[] Response => _y;
    public NistModel Model { get; }
    public bool AnalyticJacobian { get; }
    public int ParameterCount { get; }
    public int ResidualCount { get; }

    /// <summary>The 19 lower- and average-difficulty files of the shared folder.</summary>
    public static readonly string[] Names =
    [
        "Misra1a", "Chwirut2", "Chwirut1", "Lanczos3", "Gauss1", "Gauss2", "DanWood", "Misra1b",
        "Kirby2", "Hahn1", "Nelson", "MGH17", "Lanczos1", "Lanczos2", "Gauss3", "Misra1c", "Misra1d", "Roszman1", "ENSO",
    ];

    public static NistModel ModelOf(string name) => name switch
    {
        "Misra1a" => NistModel.Misra1a,
        "Chwirut1" or "Chwirut2" => NistModel.Chwirut,
        "Lanczos1" or "Lanczos2" or "Lanczos3" => NistModel.Lanczos,
        "Gauss1" or "Gauss2" or "Gauss3" => NistModel.Gauss,
        "DanWood" => NistModel.DanWood,
        "Misra1b" => NistModel.Misra1b,
        "Kirby2" => NistModel.Kirby2,
        "Hahn1" => NistModel.Hahn1,
        "Nelson" => NistModel.Nelson,
        "MGH17" => NistModel.Mgh17,
        "Misra1c" => NistModel.Misra1c,
        "Misra1d" => NistModel.Misra1d,
        "Roszman1" => NistModel.Roszman1,
        "ENSO" => NistModel.Enso,
        _ => throw new ArgumentException($"No model for NIST dataset '{name}'.", nameof(name)),
    };

    /// <summary>
    /// The certified labelling of an equivalent parameter vector. Some models are symmetric: swapping two
    /// exponential terms (Lanczos, MGH17), the two Gaussian peaks or the sign of a width that only enters
    /// squared (Gauss), or the two cycles or the sign of a period (ENSO) gives the same function, so a fit
    /// may land on a relabelled copy of the certified minimum. This maps it back (terms ordered as NIST
    /// orders them: rates ascending, peak centres ascending, periods descending, widths and periods positive).
    /// </summary>
    public double[] Canonical(ReadOnlySpan<double> parameters) => Canonical(parameters, out _);

    /// <inheritdoc cref="Canonical(ReadOnlySpan{double})"/>
    /// <param name="parameters">A fitted parameter vector.</param>
    /// <param name="source">source[i] = the index of <paramref name="parameters"/> that lands at position i (to carry standard errors along).</param>
    public double[] Canonical(ReadOnlySpan<double> parameters, out int[] source)
    {
        double[] b = parameters.ToArray();
        source = Enumerable.Range(0, b.Length).ToArray();
        switch (Model)
        {
            case NistModel.Lanczos:
                SortGroups(b, source, [[0, 1], [2, 3], [4, 5]], key: 1, descending: false);
                break;
            case NistModel.Mgh17:
                SortGroups(b, source, [[1, 3], [2, 4]], key: 1, descending: false);
                break;
            case NistModel.Gauss:
                b[4] = Math.Abs(b[4]);
                b[7] = Math.Abs(b[7]);
                SortGroups(b, source, [[2, 3, 4], [5, 6, 7]], key: 1, descending: false);
                break;
            case NistModel.Enso:
                for (int g = 3; g <= 6; g += 3)
                {
                    if (b[g] < 0)
                    {
                        b[g] = -b[g];
                        b[g + 2] = -b[g + 2];
                    }
                }

                SortGroups(b, source, [[3, 4, 5], [6, 7, 8]], key: 0, descending: true);
                break;
        }

        return b;
    }

    /// <summary>Orders parameter groups (lists of indices) by one member; reorders <paramref name="source"/> alike.</summary>
    private static void SortGroups(double[] b, int[] source, int[][] groups, int key, bool descending)
    {
        var order = Enumerable.Range(0, groups.Length)
            .OrderBy(g => descending ? -b[groups[g][key]] : b[groups[g][key]])
            .ToArray();
        var values = order.Select(g => groups[g].Select(i => b[i]).ToArray()).ToArray();
        var indices = order.Select(g => groups[g].Select(i => source[i]).ToArray()).ToArray();
        for (int g = 0; g < groups.Length; g++)
        {
            for (int k = 0; k < groups[g].Length; k++)
            {
                b[groups[g][k]] = values[g][k];
                source[groups[g][k]] = indices[g][k];
            }
        }
    }

    /// <summary>The NIST score of a fit: the smallest parameter LRE after <see cref="Canonical(ReadOnlySpan{double})"/>.</summary>
    public double ParameterLre(ReadOnlySpan<double> parameters) => Lre.Min(Canonical(parameters), Dataset.CertifiedParameters);

    /// <summary>The smallest LRE of standard errors, relabelled with their parameters.</summary>
    public double StandardErrorLre(ReadOnlySpan<double> parameters, ReadOnlySpan<double> standardErrors)
    {
        Canonical(parameters, out int[] source);
        var reordered = new double[source.Length];
        for (int i = 0; i < source.Length; i++)
        {
            reordered[i] = standardErrors[source[i]];
        }

        return Lre.Min(reordered, Dataset.CertifiedStandardDeviations);
    }

    public void Residuals(ReadOnlySpan<double> parameters, Span<double> residuals)
    {
        if (Compensated && Model == NistModel.Lanczos)
        {
            CompensatedLanczos(parameters, residuals);
            return;
        }

        Evaluate(parameters, residuals, default, computeJacobian: false);
    }

    /// <summary>rᵢ = yᵢ − Σₖ b₂ₖ·e^(−b₂ₖ₊₁·xᵢ) in double-double, with x and y exactly as printed in the file.</summary>
    private void CompensatedLanczos(ReadOnlySpan<double> b, Span<double> r)
    {
        var xs = Dataset.XExact;
        var ys = Dataset.YExact;
        for (int i = 0; i < ResidualCount; i++)
        {
            DoubleDouble model = 0;
            for (int k = 0; k < 6; k += 2)
            {
                model += b[k] * DoubleDouble.Exp(-(b[k + 1] * xs[i]));
            }

            r[i] = (ys[i] - model).ToDouble();
        }
    }

    public bool Jacobian(ReadOnlySpan<double> parameters, Span<double> jacobian)
    {
        if (!AnalyticJacobian)
        {
            return false;
        }

        Evaluate(parameters, default, jacobian, computeJacobian: true);
        return true;
    }

    /// <summary>
    /// One pass over the observations computing either the residuals or the Jacobian (row i of J is
    /// −∇_b f(xᵢ; b)). Written per model so each loop is branch-free over i.
    /// </summary>
    private void Evaluate(ReadOnlySpan<double> b, Span<double> r, Span<double> jac, bool computeJacobian)
    {
        int m = ResidualCount;
        int n = ParameterCount;
        double[] xs = _x;
        double[] ys = _y;
        switch (Model)
        {
            case NistModel.Misra1a:
                // f = b1·(1 − e^(−b2·x))
                for (int i = 0; i < m; i++)
                {
                    double x = xs[i];
                    double e = Math.Exp(-b[1] * x);
                    if (computeJacobian)
                    {
                        var row = jac.Slice(i * n, n);
                        row[0] = -(1 - e);
                        row[1] = -(b[0] * x * e);
                    }
                    else
                    {
                        r[i] = ys[i] - (b[0] * (1 - e));
                    }
                }

                break;

            case NistModel.Chwirut:
                // f = e^(−b1·x) / (b2 + b3·x)
                for (int i = 0; i < m; i++)
                {
                    double x = xs[i];
                    double e = Math.Exp(-b[0] * x);
                    double d = b[1] + (b[2] * x);
                    if (computeJacobian)
                    {
                        var row = jac.Slice(i * n, n);
                        double q = e / d;
                        row[0] = x * q;
                        row[1] = q / d;
                        row[2] = x * q / d;
                    }
                    else
                    {
                        r[i] = ys[i] - (e / d);
                    }
                }

                break;

            case NistModel.Lanczos:
                // f = b1·e^(−b2·x) + b3·e^(−b4·x) + b5·e^(−b6·x)
                for (int i = 0; i < m; i++)
                {
                    double x = xs[i];
                    double e1 = Math.Exp(-b[1] * x);
                    double e2 = Math.Exp(-b[3] * x);
                    double e3 = Math.Exp(-b[5] * x);
                    if (computeJacobian)
                    {
                        var row = jac.Slice(i * n, n);
                        row[0] = -e1;
                        row[1] = b[0] * x * e1;
                        row[2] = -e2;
                        row[3] = b[2] * x * e2;
                        row[4] = -e3;
                        row[5] = b[4] * x * e3;
                    }
                    else
                    {
                        r[i] = ys[i] - ((b[0] * e1) + (b[2] * e2) + (b[4] * e3));
                    }
                }

                break;

            case NistModel.Gauss:
                // f = b1·e^(−b2·x) + b3·e^(−(x − b4)²/b5²) + b6·e^(−(x − b7)²/b8²)
                for (int i = 0; i < m; i++)
                {
                    double x = xs[i];
                    double e = Math.Exp(-b[1] * x);
                    double u = x - b[3];
                    double v = x - b[6];
                    double g1 = Math.Exp(-(u * u) / (b[4] * b[4]));
                    double g2 = Math.Exp(-(v * v) / (b[7] * b[7]));
                    if (computeJacobian)
                    {
                        var row = jac.Slice(i * n, n);
                        row[0] = -e;
                        row[1] = b[0] * x * e;
                        row[2] = -g1;
                        row[3] = -(b[2] * g1 * 2 * u / (b[4] * b[4]));
                        row[4] = -(b[2] * g1 * 2 * u * u / (b[4] * b[4] * b[4]));
                        row[5] = -g2;
                        row[6] = -(b[5] * g2 * 2 * v / (b[7] * b[7]));
                        row[7] = -(b[5] * g2 * 2 * v * v / (b[7] * b[7] * b[7]));
                    }
                    else
                    {
                        r[i] = ys[i] - ((b[0] * e) + (b[2] * g1) + (b[5] * g2));
                    }
                }

                break;

            case NistModel.DanWood:
                // f = b1·x^b2
                for (int i = 0; i < m; i++)
                {
                    double x = xs[i];
                    double p = Math.Pow(x, b[1]);
                    if (computeJacobian)
                    {
                        var row = jac.Slice(i * n, n);
                        row[0] = -p;
                        row[1] = -(b[0] * p * Math.Log(x));
                    }
                    else
                    {
                        r[i] = ys[i] - (b[0] * p);
                    }
                }

                break;

            case NistModel.Misra1b:
                // f = b1·(1 − (1 + b2·x/2)^(−2))
                for (int i = 0; i < m; i++)
                {
                    double x = xs[i];
                    double s = 1 / (1 + (b[1] * x / 2));
                    if (computeJacobian)
                    {
                        var row = jac.Slice(i * n, n);
                        row[0] = -(1 - (s * s));
                        row[1] = -(b[0] * x * s * s * s);
                    }
                    else
                    {
                        r[i] = ys[i] - (b[0] * (1 - (s * s)));
                    }
                }

                break;

            case NistModel.Kirby2:
                // f = (b1 + b2·x + b3·x²) / (1 + b4·x + b5·x²)
                for (int i = 0; i < m; i++)
                {
                    double x = xs[i];
                    double x2 = x * x;
                    double num = b[0] + (b[1] * x) + (b[2] * x2);
                    double den = 1 + (b[3] * x) + (b[4] * x2);
                    if (computeJacobian)
                    {
                        var row = jac.Slice(i * n, n);
                        double q = num / (den * den);
                        row[0] = -1 / den;
                        row[1] = -x / den;
                        row[2] = -x2 / den;
                        row[3] = x * q;
                        row[4] = x2 * q;
                    }
                    else
                    {
                        r[i] = ys[i] - (num / den);
                    }
                }

                break;

            case NistModel.Hahn1:
                // f = (b1 + b2·x + b3·x² + b4·x³) / (1 + b5·x + b6·x² + b7·x³)
                for (int i = 0; i < m; i++)
                {
                    double x = xs[i];
                    double x2 = x * x;
                    double x3 = x2 * x;
                    double num = b[0] + (b[1] * x) + (b[2] * x2) + (b[3] * x3);
                    double den = 1 + (b[4] * x) + (b[5] * x2) + (b[6] * x3);
                    if (computeJacobian)
                    {
                        var row = jac.Slice(i * n, n);
                        double q = num / (den * den);
                        row[0] = -1 / den;
                        row[1] = -x / den;
                        row[2] = -x2 / den;
                        row[3] = -x3 / den;
                        row[4] = x * q;
                        row[5] = x2 * q;
                        row[6] = x3 * q;
                    }
                    else
                    {
                        r[i] = ys[i] - (num / den);
                    }
                }

                break;

            case NistModel.Nelson:
                // ln y = b1 − b2·x1·e^(−b3·x2)
                for (int i = 0; i < m; i++)
                {
                    double x1 = xs[2 * i];
                    double x2 = xs[(2 * i) + 1];
                    double e = Math.Exp(-b[2] * x2);
                    if (computeJacobian)
                    {
                        var row = jac.Slice(i * n, n);
                        row[0] = -1;
                        row[1] = x1 * e;
                        row[2] = -(b[1] * x1 * x2 * e);
                    }
                    else
                    {
                        r[i] = ys[i] - (b[0] - (b[1] * x1 * e));
                    }
                }

                break;

            case NistModel.Mgh17:
                // f = b1 + b2·e^(−x·b4) + b3·e^(−x·b5)
                for (int i = 0; i < m; i++)
                {
                    double x = xs[i];
                    double e4 = Math.Exp(-x * b[3]);
                    double e5 = Math.Exp(-x * b[4]);
                    if (computeJacobian)
                    {
                        var row = jac.Slice(i * n, n);
                        row[0] = -1;
                        row[1] = -e4;
                        row[2] = -e5;
                        row[3] = b[1] * x * e4;
                        row[4] = b[2] * x * e5;
                    }
                    else
                    {
                        r[i] = ys[i] - (b[0] + (b[1] * e4) + (b[2] * e5));
                    }
                }

                break;

            case NistModel.Misra1c:
                // f = b1·(1 − (1 + 2·b2·x)^(−1/2))
                for (int i = 0; i < m; i++)
                {
                    double x = xs[i];
                    double s = 1 / Math.Sqrt(1 + (2 * b[1] * x));
                    if (computeJacobian)
                    {
                        var row = jac.Slice(i * n, n);
                        row[0] = -(1 - s);
                        row[1] = -(b[0] * x * s * s * s);
                    }
                    else
                    {
                        r[i] = ys[i] - (b[0] * (1 - s));
                    }
                }

                break;

            case NistModel.Misra1d:
                // f = b1·b2·x / (1 + b2·x)
                for (int i = 0; i < m; i++)
                {
                    double x = xs[i];
                    double d = 1 + (b[1] * x);
                    if (computeJacobian)
                    {
                        var row = jac.Slice(i * n, n);
                        row[0] = -(b[1] * x / d);
                        row[1] = -(b[0] * x / (d * d));
                    }
                    else
                    {
                        r[i] = ys[i] - (b[0] * b[1] * x / d);
                    }
                }

                break;

            case NistModel.Roszman1:
                // f = b1 − b2·x − arctan(b3/(x − b4))/π
                for (int i = 0; i < m; i++)
                {
                    double x = xs[i];
                    double u = x - b[3];
                    if (computeJacobian)
                    {
                        var row = jac.Slice(i * n, n);
                        double w = Math.PI * ((u * u) + (b[2] * b[2]));
                        row[0] = -1;
                        row[1] = x;
                        row[2] = u / w;
                        row[3] = b[2] / w;
                    }
                    else
                    {
                        r[i] = ys[i] - (b[0] - (b[1] * x) - (Math.Atan(b[2] / u) / Math.PI));
                    }
                }

                break;

            case NistModel.Enso:
                // f = b1 + b2·cos(2πx/12) + b3·sin(2πx/12) + b5·cos(2πx/b4) + b6·sin(2πx/b4) + b8·cos(2πx/b7) + b9·sin(2πx/b7)
                for (int i = 0; i < m; i++)
                {
                    double x = xs[i];
                    double a0 = 2 * Math.PI * x / 12;
                    double a1 = 2 * Math.PI * x / b[3];
                    double a2 = 2 * Math.PI * x / b[6];
                    var (s0, c0) = Math.SinCos(a0);
                    var (s1, c1) = Math.SinCos(a1);
                    var (s2, c2) = Math.SinCos(a2);
                    if (computeJacobian)
                    {
                        var row = jac.Slice(i * n, n);
                        row[0] = -1;
                        row[1] = -c0;
                        row[2] = -s0;
                        row[3] = -(((b[4] * s1) - (b[5] * c1)) * a1 / b[3]);
                        row[4] = -c1;
                        row[5] = -s1;
                        row[6] = -(((b[7] * s2) - (b[8] * c2)) * a2 / b[6]);
                        row[7] = -c2;
                        row[8] = -s2;
                    }
                    else
                    {
                        r[i] = ys[i] - (b[0] + (b[1] * c0) + (b[2] * s0) + (b[4] * c1) + (b[5] * s1) + (b[7] * c2) + (b[8] * s2));
                    }
                }

                break;

            default:
                throw new InvalidOperationException($"Unknown model {Model}.");
        }
    }
}
