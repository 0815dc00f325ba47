namespace SuperSpace.Simd.Tests.Polynomials;

/// <summary>Random data and reference computations shared by the fit tests (all independent of the library's solvers).</summary>
internal static class FitTestData
{
    public static double[] Points(Random random, int sampleCount, int variableCount, double low = -1, double high = 1)
    {
        var x = new double[sampleCount * variableCount];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = low + ((high - low) * random.NextDouble());
        }

        return x;
    }

    public static double[] Coefficients(Random random, int count)
    {
        var c = new double[count];
        for (int i = 0; i < count; i++)
        {
            c[i] = (random.NextDouble() * 2) - 1;
        }

        return c;
    }

    /// <summary>Σ_t c_t Π_j x_j^e_j, each monomial as an explicit product (no shared structure with the library).</summary>
    public static double[] Evaluate(MonomialBasis basis, ReadOnlySpan<double> coefficients, ReadOnlySpan<double> points)
    {
        int v = basis.VariableCount;
        int n = points.Length / v;
        var exponents = new int[v];
        var y = new double[n];
        for (int t = 0; t < basis.TermCount; t++)
        {
            basis.GetExponents(t, exponents);
            for (int i = 0; i < n; i++)
            {
                double m = 1;
                for (int j = 0; j < v; j++)
                {
                    for (int e = 0; e < exponents[j]; e++)
                    {
                        m *= points[(i * v) + j];
                    }
                }

                y[i] += coefficients[t] * m;
            }
        }

        return y;
    }

    /// <summary>The design matrix (n × p row-major) of the basis at the given points.</summary>
    public static double[] Design(MonomialBasis basis, ReadOnlySpan<double> points)
    {
        int v = basis.VariableCount;
        int n = points.Length / v;
        int p = basis.TermCount;
        var design = new double[n * p];
        var unit = new double[p];
        for (int t = 0; t < p; t++)
        {
            Array.Clear(unit);
            unit[t] = 1;
            double[] column = Evaluate(basis, unit, points);
            for (int i = 0; i < n; i++)
            {
                design[(i * p) + t] = column[i];
            }
        }

        return design;
    }

    /// <summary>Solves the symmetric positive definite A x = b (n × n) by Gaussian elimination with partial pivoting in decimal-free double.</summary>
    public static double[] Solve(double[] a, double[] b, int n)
    {
        var m = (double[])a.Clone();
        var x = (double[])b.Clone();
        for (int k = 0; k < n; k++)
        {
            int pivot = k;
            for (int i = k + 1; i < n; i++)
            {
                if (Math.Abs(m[(i * n) + k]) > Math.Abs(m[(pivot * n) + k]))
                {
                    pivot = i;
                }
            }

            for (int j = 0; j < n; j++)
            {
                (m[(k * n) + j], m[(pivot * n) + j]) = (m[(pivot * n) + j], m[(k * n) + j]);
            }

            (x[k], x[pivot]) = (x[pivot], x[k]);
            for (int i = k + 1; i < n; i++)
            {
                double f = m[(i * n) + k] / m[(k * n) + k];
                for (int j = k; j < n; j++)
                {
                    m[(i * n) + j] -= f * m[(k * n) + j];
                }

                x[i] -= f * x[k];
            }
        }

        for (int k = n - 1; k >= 0; k--)
        {
            double s = x[k];
            for (int j = k + 1; j < n; j++)
            {
                s -= m[(k * n) + j] * x[j];
            }

            x[k] = s / m[(k * n) + k];
        }

        return x;
    }

    /// <summary>Mean and population standard deviation of each column (the fit's documented standardisation).</summary>
    public static (double[] Mean, double[] Sd) Standardisation(ReadOnlySpan<double> points, int v)
    {
        int n = points.Length / v;
        var mean = new double[v];
        var sd = new double[v];
        for (int j = 0; j < v; j++)
        {
            double s = 0;
            for (int i = 0; i < n; i++)
            {
                s += points[(i * v) + j];
            }

            mean[j] = s / n;
            double q = 0;
            for (int i = 0; i < n; i++)
            {
                double d = points[(i * v) + j] - mean[j];
                q += d * d;
            }

            sd[j] = Math.Sqrt(q / n);
        }

        return (mean, sd);
    }

    public static double MaxRelativeError(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        double scale = 0;
        foreach (double e in expected)
        {
            scale = Math.Max(scale, Math.Abs(e));
        }

        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / Math.Max(scale, double.Epsilon));
        }

        return worst;
    }
}
