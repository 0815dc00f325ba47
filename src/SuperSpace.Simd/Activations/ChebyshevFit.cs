// Chebyshev approximation on [a, b], t = (2z − a − b)/(b − a):
//   interpolation at t_j = cos(π(j + ½)/(n + 1)):  c_k = (2 − δ_k0)/(n + 1) · Σ_j f(z_j) T_k(t_j)   O(n²)
//   least squares on M uniform points: min ‖V c − f‖₂, V_jk = T_k(t_j), by Householder QR      O(M n²)
//   Clenshaw: b_k = c_k + 2t·b_{k+1} − b_{k+2}, p = c_0 + t·b_1 − b_2                          O(n)
//   monomials: T_{k+1} = 2t·T_k − T_{k−1} in t, then t = αz + β expanded binomially           O(n²)
namespace SuperSpace.Simd.Activations;

internal static class ChebyshevFit
{
    public static double[] Interpolate(Activation f, double lower, double upper, int degree)
    {
        int n = degree + 1;
        double half = 0.5 * (upper - lower), mid = 0.5 * (upper + lower);
        var values = new double[n];
        var angles = new double[n];
        for (int j = 0; j < n; j++)
        {
            angles[j] = Math.PI * (j + 0.5) / n;
            values[j] = f.Evaluate(mid + (half * Math.Cos(angles[j])));
        }

        var c = new double[n];
        for (int k = 0; k < n; k++)
        {
            double sum = 0;
            for (int j = 0; j < n; j++)
            {
                sum += values[j] * Math.Cos(k * angles[j]);
            }

            c[k] = (k == 0 ? 1.0 : 2.0) * sum / n;
        }

        return c;
    }

    public static double[] LeastSquares(Activation f, double lower, double upper, int degree)
    {
        int n = degree + 1;
        int m = Math.Max(201, 20 * n);
        // Column-major V (m × n) and right-hand side.
        var v = new double[m * n];
        var rhs = new double[m];
        for (int j = 0; j < m; j++)
        {
            double t = -1 + (2.0 * j / (m - 1));
            rhs[j] = f.Evaluate(lower + ((upper - lower) * j / (m - 1)));
            double previous = 1, current = t;
            for (int k = 0; k < n; k++)
            {
                double value = k == 0 ? 1 : k == 1 ? t : (2 * t * current) - previous;
                if (k >= 2)
                {
                    previous = current;
                    current = value;
                }

                v[(k * m) + j] = value;
            }
        }

        // Householder QR, applying each reflector to the right-hand side as it is formed.
        var diagonal = new double[n];
        for (int k = 0; k < n; k++)
        {
            Span<double> col = v.AsSpan((k * m) + k, m - k);
            double norm = 0;
            foreach (double x in col)
            {
                norm = double.Hypot(norm, x);
            }

            double alpha = col[0] > 0 ? -norm : norm;
            diagonal[k] = alpha;
            col[0] -= alpha;
            double vnorm2 = 0;
            foreach (double x in col)
            {
                vnorm2 += x * x;
            }

            if (vnorm2 == 0)
            {
                continue;
            }

            for (int c2 = k + 1; c2 < n; c2++)
            {
                Span<double> other = v.AsSpan((c2 * m) + k, m - k);
                double dot = 0;
                for (int i = 0; i < col.Length; i++)
                {
                    dot += col[i] * other[i];
                }

                double s = 2 * dot / vnorm2;
                for (int i = 0; i < col.Length; i++)
                {
                    other[i] -= s * col[i];
                }
            }

            Span<double> r = rhs.AsSpan(k, m - k);
            double rdot = 0;
            for (int i = 0; i < col.Length; i++)
            {
                rdot += col[i] * r[i];
            }

            double rs = 2 * rdot / vnorm2;
            for (int i = 0; i < col.Length; i++)
            {
                r[i] -= rs * col[i];
            }
        }

        var c = new double[n];
        for (int k = n - 1; k >= 0; k--)
        {
            double sum = rhs[k];
            for (int j = k + 1; j < n; j++)
            {
                sum -= v[(j * m) + k] * c[j];
            }

            c[k] = sum / diagonal[k];
        }

        return c;
    }

    public static double Clenshaw(ReadOnlySpan<double> c, double t)
    {
        double b1 = 0, b2 = 0;
        for (int k = c.Length - 1; k >= 1; k--)
        {
            double b = c[k] + (2 * t * b1) - b2;
            b2 = b1;
            b1 = b;
        }

        return c[0] + (t * b1) - b2;
    }

    /// <summary>Ascending monomial coefficients in z of Σ c_k T_k((2z − a − b)/(b − a)).</summary>
    public static void ToMonomials(ReadOnlySpan<double> c, double lower, double upper, Span<double> destination)
    {
        int n = c.Length;
        double[] inT = ToMonomialsInT(c);

        // t = αz + β: Horner in polynomial arithmetic, q ← q·(αz + β) + inT_k.
        double alpha = 2 / (upper - lower), beta = -(upper + lower) / (upper - lower);
        destination.Clear();
        for (int k = n - 1; k >= 0; k--)
        {
            for (int j = n - 1; j >= 1; j--)
            {
                destination[j] = (destination[j] * beta) + (destination[j - 1] * alpha);
            }

            destination[0] = (destination[0] * beta) + inT[k];
        }
    }

    /// <summary>Ascending monomial coefficients in t of Σ c_k T_k(t).</summary>
    public static double[] ToMonomialsInT(ReadOnlySpan<double> c)
    {
        int n = c.Length;
        // Monomials in t: accumulate c_k·T_k with T_k's own coefficients from the three-term recurrence.
        var inT = new double[n];
        var previous = new double[n];
        var current = new double[n];
        var next = new double[n];
        previous[0] = 1;
        inT[0] = c[0];
        if (n > 1)
        {
            current[1] = 1;
            inT[1] += c[1];
        }

        for (int k = 2; k < n; k++)
        {
            Array.Clear(next);
            for (int j = 0; j < k; j++)
            {
                next[j + 1] += 2 * current[j];
                next[j] -= previous[j];
            }

            for (int j = 0; j <= k; j++)
            {
                inT[j] += c[k] * next[j];
            }

            (previous, current, next) = (current, next, previous);
        }

        return inT;
    }
}
