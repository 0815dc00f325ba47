// Truncated univariate power series (Taylor-mode arithmetic). A series is the span of its first n
// coefficients a[0 … n − 1] about some point: a(u) = Σ a_k u^k + O(u^n). Every operation is the
// exact recurrence of its ODE (Griewank & Walther, "Evaluating Derivatives", ch. 13):
//   c = a·b     c_k = Σ_{j≤k} a_j b_{k−j}                              O(n²)
//   c = a/b     c_k = (a_k − Σ_{j=1..k} b_j c_{k−j}) / b_0              O(n²)
//   c = exp a   k·c_k = Σ_{j=1..k} j a_j c_{k−j}          (c' = a'c)      O(n²)
//   c = ln a    c_k = (a_k − (1/k) Σ_{j=1..k−1} j c_j a_{k−j}) / a_0       O(n²)
//   c = √a      c_k = (a_k − Σ_{j=1..k−1} c_j c_{k−j}) / (2c_0)         O(n²)
//   s, c = sin a, cos a:  k·s_k = Σ j a_j c_{k−j},  k·c_k = −Σ j a_j s_{k−j}   O(n²)
//   e = erf a   e' = (2/√π)·exp(−a²)·a'                                  O(n²)
//   f∘g         Σ f_k (g − g_0)^k by Horner, f taken about g_0          O(n³)
//   shift       p(δ + u) by repeated synthetic division                  O(m²)
// Destinations never alias inputs unless a method says so. Nothing allocates but Compose's scratch
// (stack for n ≤ 64, pooled above).
using System.Buffers;
using SuperSpace.Simd.Internals;

namespace SuperSpace.Simd.Activations;

internal static class TaylorSeries
{
    /// <summary>c = a + b.</summary>
    public static void Add(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        CheckLengths(a.Length, b.Length, c.Length);
        for (int k = 0; k < c.Length; k++)
        {
            c[k] = a[k] + b[k];
        }
    }

    /// <summary>c = a · b (Cauchy product, truncated).</summary>
    public static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        CheckLengths(a.Length, b.Length, c.Length);
        for (int k = c.Length - 1; k >= 0; k--)
        {
            double sum = 0;
            for (int j = 0; j <= k; j++)
            {
                sum += a[j] * b[k - j];
            }

            c[k] = sum;
        }
    }

    /// <summary>c = a / b; b[0] must be non-zero.</summary>
    public static void Divide(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        CheckLengths(a.Length, b.Length, c.Length);
        double b0 = b[0];
        for (int k = 0; k < c.Length; k++)
        {
            double sum = a[k];
            for (int j = 1; j <= k; j++)
            {
                sum -= b[j] * c[k - j];
            }

            c[k] = sum / b0;
        }
    }

    /// <summary>c = exp(a).</summary>
    public static void Exp(ReadOnlySpan<double> a, Span<double> c)
    {
        CheckLengths(a.Length, a.Length, c.Length);
        if (c.Length == 0)
        {
            return;
        }

        c[0] = Math.Exp(a[0]);
        for (int k = 1; k < c.Length; k++)
        {
            double sum = 0;
            for (int j = 1; j <= k; j++)
            {
                sum += j * a[j] * c[k - j];
            }

            c[k] = sum / k;
        }
    }

    /// <summary>c = ln(a); a[0] must be positive.</summary>
    public static void Log(ReadOnlySpan<double> a, Span<double> c)
    {
        CheckLengths(a.Length, a.Length, c.Length);
        if (c.Length == 0)
        {
            return;
        }

        double a0 = a[0];
        c[0] = Math.Log(a0);
        for (int k = 1; k < c.Length; k++)
        {
            double sum = 0;
            for (int j = 1; j < k; j++)
            {
                sum += j * c[j] * a[k - j];
            }

            c[k] = (a[k] - (sum / k)) / a0;
        }
    }

    /// <summary>c = √a; a[0] must be positive.</summary>
    public static void Sqrt(ReadOnlySpan<double> a, Span<double> c)
    {
        CheckLengths(a.Length, a.Length, c.Length);
        if (c.Length == 0)
        {
            return;
        }

        double c0 = Math.Sqrt(a[0]);
        c[0] = c0;
        for (int k = 1; k < c.Length; k++)
        {
            double sum = a[k];
            for (int j = 1; j < k; j++)
            {
                sum -= c[j] * c[k - j];
            }

            c[k] = sum / (2 * c0);
        }
    }

    /// <summary>s = sin(a), c = cos(a), together (each needs the other).</summary>
    public static void SinCos(ReadOnlySpan<double> a, Span<double> s, Span<double> c)
    {
        CheckLengths(a.Length, s.Length, c.Length);
        if (c.Length == 0)
        {
            return;
        }

        (s[0], c[0]) = Math.SinCos(a[0]);
        for (int k = 1; k < c.Length; k++)
        {
            double ss = 0, cc = 0;
            for (int j = 1; j <= k; j++)
            {
                double ja = j * a[j];
                ss += ja * c[k - j];
                cc -= ja * s[k - j];
            }

            s[k] = ss / k;
            c[k] = cc / k;
        }
    }

    /// <summary>c = erf(a): c_0 = erf(a_0), then k·c_k = Σ j a_j g_{k−j} with g = (2/√π)·exp(−a²).</summary>
    public static void Erf(ReadOnlySpan<double> a, Span<double> c)
    {
        CheckLengths(a.Length, a.Length, c.Length);
        int n = c.Length;
        if (n == 0)
        {
            return;
        }

        double[]? rented = null;
        Span<double> scratch = n <= 64 ? stackalloc double[2 * n] : (rented = ArrayPool<double>.Shared.Rent(2 * n)).AsSpan(0, 2 * n);
        Span<double> square = scratch[..n];
        Span<double> g = scratch.Slice(n, n);
        Multiply(a, a, square);
        for (int k = 0; k < n; k++)
        {
            square[k] = -square[k];
        }

        Exp(square, g);
        const double TwoOverSqrtPi = 1.1283791670955125738961589031215452;
        c[0] = SpecialFunctions.Erf(a[0]);
        for (int k = 1; k < n; k++)
        {
            double sum = 0;
            for (int j = 1; j <= k; j++)
            {
                sum += j * a[j] * g[k - j];
            }

            c[k] = TwoOverSqrtPi * sum / k;
        }

        if (rented is not null)
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// c = f ∘ g where f is a series about g[0]: c(u) = Σ_k f_k (g(u) − g_0)^k, by Horner's rule on
    /// the truncated series (h = g − g_0 has no constant term, so f beyond the length of c is not needed).
    /// </summary>
    public static void Compose(ReadOnlySpan<double> f, ReadOnlySpan<double> g, Span<double> c)
    {
        int n = c.Length;
        if (g.Length != n)
        {
            ThrowHelper.LengthMismatch(nameof(g), n, g.Length, "as many coefficients as the result");
        }

        if (n == 0)
        {
            return;
        }

        int top = Math.Min(f.Length, n) - 1;
        double[]? rented = null;
        Span<double> scratch = n <= 64 ? stackalloc double[2 * n] : (rented = ArrayPool<double>.Shared.Rent(2 * n)).AsSpan(0, 2 * n);
        Span<double> h = scratch[..n];
        Span<double> product = scratch.Slice(n, n);
        g.CopyTo(h);
        h[0] = 0;
        c.Clear();
        if (top >= 0)
        {
            c[0] = f[top];
        }

        for (int k = top - 1; k >= 0; k--)
        {
            Multiply(c, h, product);
            product.CopyTo(c);
            c[0] += f[k];
        }

        if (rented is not null)
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Taylor shift: the coefficients of p(δ + u) from those of p(u), by repeated synthetic division
    /// (O(m²)); writes min(m, destination.Length) coefficients and zeros after them.
    /// </summary>
    public static void Shift(ReadOnlySpan<double> p, double delta, Span<double> destination)
    {
        int m = p.Length;
        double[]? rented = null;
        Span<double> b = m <= 128 ? stackalloc double[m] : (rented = ArrayPool<double>.Shared.Rent(m)).AsSpan(0, m);
        p.CopyTo(b);
        if (delta != 0)
        {
            for (int k = 0; k < m; k++)
            {
                for (int j = m - 2; j >= k; j--)
                {
                    b[j] += delta * b[j + 1];
                }
            }
        }

        destination.Clear();
        b[..Math.Min(m, destination.Length)].CopyTo(destination);
        if (rented is not null)
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    private static void CheckLengths(int a, int b, int c)
    {
        if (a != c || b != c)
        {
            ThrowHelper.Argument("destination", $"Series lengths differ ({a}, {b}, {c}); all must be equal.");
        }
    }
}
