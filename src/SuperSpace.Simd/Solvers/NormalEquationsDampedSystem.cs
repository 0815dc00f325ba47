// The damped least-squares system in normal-equations form: A = JᵀJ (upper triangle, row-major n×n)
// and g = Jᵀf, formed once per iteration in O(m·n²/2). Each λ factors A + λD² = UᵀU by Cholesky,
// O(n³/3), and solves two triangular systems. The condition number is κ(J)², so this is the fast path
// for m ≫ n, not the accurate one. This form also serves callers that assemble JᵀJ and Jᵀr themselves
// (the MLP trainer): it never touches J.
using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Solvers;

internal ref struct NormalEquationsDampedSystem : IDampedSystem
{
    private readonly ReadOnlySpan<double> _a;   // JᵀJ, upper triangle, row-major n×n
    private readonly ReadOnlySpan<double> _g;   // Jᵀf
    private readonly Span<double> _u;           // the Cholesky factor of the last solve
    private readonly Span<double> _w;
    private readonly int _n;

    public NormalEquationsDampedSystem(ReadOnlySpan<double> jtj, ReadOnlySpan<double> jtf, Span<double> factor, Span<double> work, int n)
    {
        _a = jtj;
        _g = jtf;
        _u = factor;
        _w = work;
        _n = n;
    }

    public readonly int Size => _n;

    public readonly GaussNewtonOutcome SolveGaussNewton(Span<double> x)
    {
        if (!Factor(0, default))
        {
            return GaussNewtonOutcome.Unavailable;
        }

        _g[.._n].CopyTo(x);
        Cholesky.Solve(_u, _n, _n, x[.._n], 1, 1);
        return GaussNewtonOutcome.FullRank;
    }

    public readonly double UndampedInverseTransposeNorm(ReadOnlySpan<double> v) => DampedInverseTransposeNorm(v);

    public readonly double ScaledGradientNorm(ReadOnlySpan<double> diag)
    {
        for (int j = 0; j < _n; j++)
        {
            _w[j] = _g[j] / diag[j];
        }

        return Norms.Euclidean(_w[.._n]);
    }

    public readonly bool SolveDamped(double lambda, ReadOnlySpan<double> diag, Span<double> x)
    {
        if (!Factor(lambda, diag))
        {
            return false;
        }

        _g[.._n].CopyTo(x);
        Cholesky.Solve(_u, _n, _n, x[.._n], 1, 1);
        return true;
    }

    public readonly void SolveDampedAgain(ReadOnlySpan<double> rhs, double lambda, ReadOnlySpan<double> diag, Span<double> x)
    {
        rhs[.._n].CopyTo(x);
        Cholesky.Solve(_u, _n, _n, x[.._n], 1, 1);
    }

    public readonly double DampedInverseTransposeNorm(ReadOnlySpan<double> v)
    {
        Span<double> w = _w[.._n];
        v[.._n].CopyTo(w);
        Triangular.SolveUpperTransposed(_u, _n, _n, w);
        return Norms.Euclidean(w);
    }

    public readonly (double ModelNormSquared, double GradientDot) Model(ReadOnlySpan<double> p)
    {
        // pᵀAp from the upper triangle; rounding can make it slightly negative when A is singular.
        int n = _n;
        double quadratic = 0;
        double dot = 0;
        for (int i = 0; i < n; i++)
        {
            int row = i * n;
            double off = 0;
            for (int j = i + 1; j < n; j++)
            {
                off += _a[row + j] * p[j];
            }

            quadratic += p[i] * ((_a[row + i] * p[i]) + (2 * off));
            dot += _g[i] * p[i];
        }

        return (Math.Max(quadratic, 0), dot);
    }

    private readonly bool Factor(double lambda, ReadOnlySpan<double> diag)
    {
        int n = _n;
        for (int i = 0; i < n; i++)
        {
            int row = i * n;
            _a.Slice(row + i, n - i).CopyTo(_u.Slice(row + i, n - i));
            if (lambda != 0)
            {
                _u[row + i] += lambda * diag[i] * diag[i];
            }
        }

        return Cholesky.Factor(_u, n, n) == 0;
    }
}
