namespace SuperSpace.Simd.Tests.LinearAlgebra;

/// <summary>
/// Naive scalar references and error-bound helpers for the linear-algebra tests. Everything here is
/// written independently of the library kernels (plain loops, no SIMD, no shared code).
/// </summary>
internal static class Reference
{
    /// <summary>Unit roundoff u = 2⁻⁵³ of round-to-nearest doubles.</summary>
    public const double U = 1.1102230246251565e-16;

    /// <summary>Higham's γ_k = k·u / (1 − k·u), the bound on the relative error of k rounded operations.</summary>
    public static double Gamma(int k) => k * U / (1 - (k * U));

    /// <summary>Random values uniform in [−1, 1).</summary>
    public static double[] RandomArray(int length, int seed)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (2 * random.NextDouble()) - 1;
        }

        return values;
    }

    /// <summary>A rows×columns row-major matrix with leading dimension ld; the padding holds NaN so reading it shows.</summary>
    public static double[] RandomMatrix(int rows, int columns, int ld, int seed)
    {
        var random = new Random(seed);
        var values = new double[rows == 0 ? 0 : ((rows - 1) * ld) + columns];
        values.AsSpan().Fill(double.NaN);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                values[(i * ld) + j] = (2 * random.NextDouble()) - 1;
            }
        }

        return values;
    }

    /// <summary>Element (i, j) of op(X) for row-major X with leading dimension ld.</summary>
    public static double At(double[] x, int ld, bool transpose, int i, int j) => transpose ? x[(j * ld) + i] : x[(i * ld) + j];

    /// <summary>Dense row-major product of m×k and k×n (contiguous), plain triple loop.</summary>
    public static double[] Multiply(double[] a, double[] b, int m, int k, int n)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                {
                    s += a[(i * k) + p] * b[(p * n) + j];
                }

                c[(i * n) + j] = s;
            }
        }

        return c;
    }

    /// <summary>Transpose of a rows×columns contiguous matrix.</summary>
    public static double[] Transpose(double[] a, int rows, int columns)
    {
        var t = new double[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                t[(j * rows) + i] = a[(i * columns) + j];
            }
        }

        return t;
    }

    public static double Norm2(ReadOnlySpan<double> x)
    {
        // Reference two-norm in double-double after an exact power-of-two scaling.
        double max = 0;
        foreach (double v in x)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        if (max == 0 || !double.IsFinite(max))
        {
            return max;
        }

        int e = Math.ILogB(max);
        double hi = 0, lo = 0;
        foreach (double v in x)
        {
            double s = Math.ScaleB(v, -e);
            double p = s * s;
            double pe = Math.FusedMultiplyAdd(s, s, -p);
            double t = hi + p;
            double z = t - hi;
            lo += (hi - (t - z)) + (p - z) + pe;
            hi = t;
        }

        return Math.ScaleB(Math.Sqrt(hi + lo), e);
    }

    public static double FrobeniusNorm(double[] a) => Norm2(a);

    /// <summary>A random orthogonal n×n matrix: a product of n random Householder reflections, formed explicitly.</summary>
    public static double[] RandomOrthogonal(int n, int seed)
    {
        var q = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            q[(i * n) + i] = 1;
        }

        var random = new Random(seed);
        var v = new double[n];
        for (int r = 0; r < n; r++)
        {
            double vv = 0;
            for (int i = 0; i < n; i++)
            {
                v[i] = (2 * random.NextDouble()) - 1;
                vv += v[i] * v[i];
            }

            // Q ← Q·(I − 2vvᵀ/vᵀv)
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < n; j++)
                {
                    s += q[(i * n) + j] * v[j];
                }

                s *= 2 / vv;
                for (int j = 0; j < n; j++)
                {
                    q[(i * n) + j] -= s * v[j];
                }
            }
        }

        return q;
    }

    /// <summary>m×n contiguous row-major A = U·diag(σ)·Vᵀ with random orthogonal U, V: singular values known.</summary>
    public static double[] WithSingularValues(int m, int n, double[] sigma, int seed)
    {
        double[] u = RandomOrthogonal(m, seed);
        double[] v = RandomOrthogonal(n, seed + 1);
        var a = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < sigma.Length; k++)
                {
                    s += u[(i * m) + k] * sigma[k] * v[(j * n) + k];
                }

                a[(i * n) + j] = s;
            }
        }

        return a;
    }

    /// <summary>Row-major m×n (ld = n) to column-major with leading dimension ld ≥ m (padding NaN).</summary>
    public static double[] ToColumnMajor(double[] a, int m, int n, int ld)
    {
        var c = new double[Math.Max(0, ((n - 1) * ld) + m)];
        c.AsSpan().Fill(double.NaN);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                c[(j * ld) + i] = a[(i * n) + j];
            }
        }

        return c;
    }
}
