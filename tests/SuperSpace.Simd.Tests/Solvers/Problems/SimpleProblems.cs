namespace SuperSpace.Simd.Tests.Solvers.Problems;

/// <summary>A straight line rᵢ = a + b·xᵢ − yᵢ (linear least squares, so every answer has a closed form).</summary>
internal readonly struct LineProblem(double[] x, double[] y) : ILeastSquaresProblem
{
    public int ParameterCount => 2;

    public int ResidualCount => x.Length;

    public void Residuals(ReadOnlySpan<double> p, Span<double> r)
    {
        for (int i = 0; i < x.Length; i++)
        {
            r[i] = p[0] + (p[1] * x[i]) - y[i];
        }
    }

    public bool Jacobian(ReadOnlySpan<double> p, Span<double> jacobian)
    {
        for (int i = 0; i < x.Length; i++)
        {
            jacobian[2 * i] = 1;
            jacobian[(2 * i) + 1] = x[i];
        }

        return true;
    }
}

/// <summary>Exponential decay rᵢ = a·e^(−b·tᵢ) − yᵢ, with an optional analytic Jacobian.</summary>
internal readonly struct DecayProblem(double[] t, double[] y, bool analytic = true) : ILeastSquaresProblem
{
    public int ParameterCount => 2;

    public int ResidualCount => t.Length;

    public void Residuals(ReadOnlySpan<double> p, Span<double> r)
    {
        for (int i = 0; i < t.Length; i++)
        {
            r[i] = (p[0] * Math.Exp(-p[1] * t[i])) - y[i];
        }
    }

    public bool Jacobian(ReadOnlySpan<double> p, Span<double> jacobian)
    {
        if (!analytic)
        {
            return false;
        }

        for (int i = 0; i < t.Length; i++)
        {
            double e = Math.Exp(-p[1] * t[i]);
            jacobian[2 * i] = e;
            jacobian[(2 * i) + 1] = -p[0] * t[i] * e;
        }

        return true;
    }

    /// <summary>Data from a = 5, b = 0.3 with a deterministic ±1% wiggle.</summary>
    public static DecayProblem Sample(int count = 20, bool analytic = true)
    {
        var t = Enumerable.Range(0, count).Select(i => 0.5 * i).ToArray();
        var y = t.Select((ti, i) => 5 * Math.Exp(-0.3 * ti) * (1 + (0.01 * Math.Sin(3.7 * i)))).ToArray();
        return new DecayProblem(t, y, analytic);
    }
}
