namespace SuperSpace.Simd.Tests.Solvers.Problems;

/// <summary>The Moré–Garbow–Hillstrom least-squares test functions used here (numbers as in the paper).</summary>
internal enum MghFunction
{
    Rosenbrock = 1,
    FreudensteinRoth = 2,
    PowellBadlyScaled = 3,
    BrownBadlyScaled = 4,
    Beale = 5,
    JennrichSampson = 6,
    HelicalValley = 7,
    Bard = 8,
    Gaussian = 9,
    Meyer = 10,
    Box3D = 12,
    PowellSingular = 13,
    Wood = 14,
    KowalikOsborne = 15,
    BrownDennis = 16,
    Osborne1 = 17,
    BiggsExp6 = 18,
    Osborne2 = 19,
    Watson = 20,
    ExtendedRosenbrock = 21,
    PenaltyI = 23,
    PenaltyII = 24,
    Trigonometric = 26,
    BrownAlmostLinear = 27,
}

/// <summary>
/// The test functions of Moré, Garbow and Hillstrom, "Testing Unconstrained Optimization Software",
/// ACM TOMS 7(1), 17–41 (1981), coded from the paper's formulas with analytic Jacobians. Residual i
/// of the paper (1-based) is residual i − 1 here; parameters likewise.
/// </summary>
internal readonly struct MghProblem : ILeastSquaresProblem
{
    public MghProblem(MghFunction function, int parameterCount, int residualCount)
    {
        Function = function;
        ParameterCount = parameterCount;
        ResidualCount = residualCount;
    }

    public MghFunction Function { get; }
    public int ParameterCount { get; }
    public int ResidualCount { get; }

    /// <summary>The paper's standard starting point x0.</summary>
    public double[] StartingPoint()
    {
        int n = ParameterCount;
        return Function switch
        {
            MghFunction.Rosenbrock => [-1.2, 1],
            MghFunction.FreudensteinRoth => [0.5, -2],
            MghFunction.PowellBadlyScaled => [0, 1],
            MghFunction.BrownBadlyScaled => [1, 1],
            MghFunction.Beale => [1, 1],
            MghFunction.JennrichSampson => [0.3, 0.4],
            MghFunction.HelicalValley => [-1, 0, 0],
            MghFunction.Bard => [1, 1, 1],
            MghFunction.Gaussian => [0.4, 1, 0],
            MghFunction.Meyer => [0.02, 4000, 250],
            MghFunction.Box3D => [0, 10, 20],
            MghFunction.PowellSingular => [3, -1, 0, 1],
            MghFunction.Wood => [-3, -1, -3, -1],
            MghFunction.KowalikOsborne => [0.25, 0.39, 0.415, 0.39],
            MghFunction.BrownDennis => [25, 5, -5, -1],
            MghFunction.Osborne1 => [0.5, 1.5, -1, 0.01, 0.02],
            MghFunction.BiggsExp6 => [1, 2, 1, 1, 1, 1],
            MghFunction.Osborne2 => [1.3, 0.65, 0.65, 0.7, 0.6, 3, 5, 7, 2, 4.5, 5.5],
            MghFunction.Watson => new double[n],
            MghFunction.ExtendedRosenbrock => Enumerable.Range(0, n).Select(j => j % 2 == 0 ? -1.2 : 1.0).ToArray(),
            MghFunction.PenaltyI => Enumerable.Range(1, n).Select(j => (double)j).ToArray(),
            MghFunction.PenaltyII => Enumerable.Repeat(0.5, n).ToArray(),
            MghFunction.Trigonometric => Enumerable.Repeat(1.0 / n, n).ToArray(),
            MghFunction.BrownAlmostLinear => Enumerable.Repeat(0.5, n).ToArray(),
            _ => throw new InvalidOperationException(Function.ToString()),
        };
    }

    private static readonly double[] BardY = [0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39];

    private static readonly double[] GaussianY =
        [0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989, 0.3521, 0.2420, 0.1295, 0.0540, 0.0175, 0.0044, 0.0009];

    private static readonly double[] MeyerY =
        [34780, 28610, 23650, 19630, 16370, 13720, 11540, 9744, 8261, 7030, 6005, 5147, 4427, 3820, 3307, 2872];

    private static readonly double[] KowalikY = [0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456, 0.0342, 0.0323, 0.0235, 0.0246];
    private static readonly double[] KowalikU = [4, 2, 1, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625];

    private static readonly double[] Osborne1Y =
    [
        0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751, 0.718, 0.685, 0.658, 0.628, 0.603, 0.580,
        0.558, 0.538, 0.522, 0.506, 0.490, 0.478, 0.467, 0.457, 0.448, 0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406,
    ];

    private static readonly double[] Osborne2Y =
    [
        1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847, 0.786, 0.725, 0.746, 0.679, 0.608, 0.655, 0.616, 0.606, 0.602,
        0.626, 0.651, 0.724, 0.649, 0.649, 0.694, 0.644, 0.624, 0.661, 0.612, 0.558, 0.533, 0.495, 0.500, 0.423, 0.395, 0.375,
        0.372, 0.391, 0.396, 0.405, 0.428, 0.429, 0.523, 0.562, 0.607, 0.653, 0.672, 0.708, 0.633, 0.668, 0.645, 0.632, 0.591,
        0.559, 0.597, 0.625, 0.739, 0.710, 0.729, 0.720, 0.636, 0.581, 0.428, 0.292, 0.162, 0.098, 0.054,
    ];

    public void Residuals(ReadOnlySpan<double> x, Span<double> f) => Evaluate(x, f, default, jacobian: false);

    public bool Jacobian(ReadOnlySpan<double> x, Span<double> jac)
    {
        jac.Clear();
        Evaluate(x, default, jac, jacobian: true);
        return true;
    }

    /// <summary>Helical valley's θ(x1, x2): (1/2π)·arctan(x2/x1), plus 1/2 when x1 &lt; 0 (±1/4 on x1 = 0).</summary>
    private static double Theta(double x1, double x2)
    {
        if (x1 == 0)
        {
            return 0.25 * Math.Sign(x2);
        }

        double t = Math.Atan(x2 / x1) / (2 * Math.PI);
        return x1 < 0 ? t + 0.5 : t;
    }

    private void Evaluate(ReadOnlySpan<double> x, Span<double> f, Span<double> jac, bool jacobian)
    {
        int n = ParameterCount;
        int m = ResidualCount;

        // J(i, j) setter on the row-major Jacobian.
        void Set(Span<double> j, int row, int col, double value) => j[(row * n) + col] = value;

        switch (Function)
        {
            case MghFunction.Rosenbrock:
                if (jacobian)
                {
                    Set(jac, 0, 0, -20 * x[0]);
                    Set(jac, 0, 1, 10);
                    Set(jac, 1, 0, -1);
                }
                else
                {
                    f[0] = 10 * (x[1] - (x[0] * x[0]));
                    f[1] = 1 - x[0];
                }

                break;

            case MghFunction.FreudensteinRoth:
                if (jacobian)
                {
                    Set(jac, 0, 0, 1);
                    Set(jac, 0, 1, (x[1] * ((10 - (3 * x[1])))) - 2);
                    Set(jac, 1, 0, 1);
                    Set(jac, 1, 1, (x[1] * ((3 * x[1]) + 2)) - 14);
                }
                else
                {
                    f[0] = -13 + x[0] + ((((5 - x[1]) * x[1]) - 2) * x[1]);
                    f[1] = -29 + x[0] + ((((x[1] + 1) * x[1]) - 14) * x[1]);
                }

                break;

            case MghFunction.PowellBadlyScaled:
                if (jacobian)
                {
                    Set(jac, 0, 0, 1e4 * x[1]);
                    Set(jac, 0, 1, 1e4 * x[0]);
                    Set(jac, 1, 0, -Math.Exp(-x[0]));
                    Set(jac, 1, 1, -Math.Exp(-x[1]));
                }
                else
                {
                    f[0] = (1e4 * x[0] * x[1]) - 1;
                    f[1] = Math.Exp(-x[0]) + Math.Exp(-x[1]) - 1.0001;
                }

                break;

            case MghFunction.BrownBadlyScaled:
                if (jacobian)
                {
                    Set(jac, 0, 0, 1);
                    Set(jac, 1, 1, 1);
                    Set(jac, 2, 0, x[1]);
                    Set(jac, 2, 1, x[0]);
                }
                else
                {
                    f[0] = x[0] - 1e6;
                    f[1] = x[1] - 2e-6;
                    f[2] = (x[0] * x[1]) - 2;
                }

                break;

            case MghFunction.Beale:
                {
                    double[] y = [1.5, 2.25, 2.625];
                    for (int i = 0; i < 3; i++)
                    {
                        int power = i + 1;
                        if (jacobian)
                        {
                            Set(jac, i, 0, -(1 - Math.Pow(x[1], power)));
                            Set(jac, i, 1, x[0] * power * Math.Pow(x[1], power - 1));
                        }
                        else
                        {
                            f[i] = y[i] - (x[0] * (1 - Math.Pow(x[1], power)));
                        }
                    }
                }

                break;

            case MghFunction.JennrichSampson:
                for (int i = 0; i < m; i++)
                {
                    double k = i + 1;
                    if (jacobian)
                    {
                        Set(jac, i, 0, -k * Math.Exp(k * x[0]));
                        Set(jac, i, 1, -k * Math.Exp(k * x[1]));
                    }
                    else
                    {
                        f[i] = 2 + (2 * k) - (Math.Exp(k * x[0]) + Math.Exp(k * x[1]));
                    }
                }

                break;

            case MghFunction.HelicalValley:
                {
                    double r2 = (x[0] * x[0]) + (x[1] * x[1]);
                    double r = Math.Sqrt(r2);
                    if (jacobian)
                    {
                        double dThetaDx1 = -x[1] / (2 * Math.PI * r2);
                        double dThetaDx2 = x[0] / (2 * Math.PI * r2);
                        Set(jac, 0, 0, -100 * dThetaDx1);
                        Set(jac, 0, 1, -100 * dThetaDx2);
                        Set(jac, 0, 2, 10);
                        Set(jac, 1, 0, 10 * x[0] / r);
                        Set(jac, 1, 1, 10 * x[1] / r);
                        Set(jac, 2, 2, 1);
                    }
                    else
                    {
                        f[0] = 10 * (x[2] - (10 * Theta(x[0], x[1])));
                        f[1] = 10 * (r - 1);
                        f[2] = x[2];
                    }
                }

                break;

            case MghFunction.Bard:
                for (int i = 0; i < 15; i++)
                {
                    double u = i + 1;
                    double v = 15 - i;
                    double w = Math.Min(u, v);
                    double d = (v * x[1]) + (w * x[2]);
                    if (jacobian)
                    {
                        Set(jac, i, 0, -1);
                        Set(jac, i, 1, u * v / (d * d));
                        Set(jac, i, 2, u * w / (d * d));
                    }
                    else
                    {
                        f[i] = BardY[i] - (x[0] + (u / d));
                    }
                }

                break;

            case MghFunction.Gaussian:
                for (int i = 0; i < 15; i++)
                {
                    double t = (7 - i) / 2.0;
                    double s = t - x[2];
                    double e = Math.Exp(-x[1] * s * s / 2);
                    if (jacobian)
                    {
                        Set(jac, i, 0, e);
                        Set(jac, i, 1, -x[0] * e * s * s / 2);
                        Set(jac, i, 2, x[0] * e * x[1] * s);
                    }
                    else
                    {
                        f[i] = (x[0] * e) - GaussianY[i];
                    }
                }

                break;

            case MghFunction.Meyer:
                for (int i = 0; i < 16; i++)
                {
                    double t = 45 + (5 * (i + 1));
                    double d = t + x[2];
                    double e = Math.Exp(x[1] / d);
                    if (jacobian)
                    {
                        Set(jac, i, 0, e);
                        Set(jac, i, 1, x[0] * e / d);
                        Set(jac, i, 2, -x[0] * e * x[1] / (d * d));
                    }
                    else
                    {
                        f[i] = (x[0] * e) - MeyerY[i];
                    }
                }

                break;

            case MghFunction.Box3D:
                for (int i = 0; i < m; i++)
                {
                    double t = 0.1 * (i + 1);
                    double e1 = Math.Exp(-t * x[0]);
                    double e2 = Math.Exp(-t * x[1]);
                    double c = Math.Exp(-t) - Math.Exp(-10 * t);
                    if (jacobian)
                    {
                        Set(jac, i, 0, -t * e1);
                        Set(jac, i, 1, t * e2);
                        Set(jac, i, 2, -c);
                    }
                    else
                    {
                        f[i] = e1 - e2 - (x[2] * c);
                    }
                }

                break;

            case MghFunction.PowellSingular:
                {
                    double s5 = Math.Sqrt(5);
                    double s10 = Math.Sqrt(10);
                    double a = x[1] - (2 * x[2]);
                    double b = x[0] - x[3];
                    if (jacobian)
                    {
                        Set(jac, 0, 0, 1);
                        Set(jac, 0, 1, 10);
                        Set(jac, 1, 2, s5);
                        Set(jac, 1, 3, -s5);
                        Set(jac, 2, 1, 2 * a);
                        Set(jac, 2, 2, -4 * a);
                        Set(jac, 3, 0, 2 * s10 * b);
                        Set(jac, 3, 3, -2 * s10 * b);
                    }
                    else
                    {
                        f[0] = x[0] + (10 * x[1]);
                        f[1] = s5 * (x[2] - x[3]);
                        f[2] = a * a;
                        f[3] = s10 * b * b;
                    }
                }

                break;

            case MghFunction.Wood:
                {
                    double s90 = Math.Sqrt(90);
                    double s10 = Math.Sqrt(10);
                    if (jacobian)
                    {
                        Set(jac, 0, 0, -20 * x[0]);
                        Set(jac, 0, 1, 10);
                        Set(jac, 1, 0, -1);
                        Set(jac, 2, 2, -2 * s90 * x[2]);
                        Set(jac, 2, 3, s90);
                        Set(jac, 3, 2, -1);
                        Set(jac, 4, 1, s10);
                        Set(jac, 4, 3, s10);
                        Set(jac, 5, 1, 1 / s10);
                        Set(jac, 5, 3, -1 / s10);
                    }
                    else
                    {
                        f[0] = 10 * (x[1] - (x[0] * x[0]));
                        f[1] = 1 - x[0];
                        f[2] = s90 * (x[3] - (x[2] * x[2]));
                        f[3] = 1 - x[2];
                        f[4] = s10 * (x[1] + x[3] - 2);
                        f[5] = (x[1] - x[3]) / s10;
                    }
                }

                break;

            case MghFunction.KowalikOsborne:
                for (int i = 0; i < 11; i++)
                {
                    double u = KowalikU[i];
                    double num = (u * u) + (u * x[1]);
                    double den = (u * u) + (u * x[2]) + x[3];
                    if (jacobian)
                    {
                        Set(jac, i, 0, -num / den);
                        Set(jac, i, 1, -x[0] * u / den);
                        Set(jac, i, 2, x[0] * num * u / (den * den));
                        Set(jac, i, 3, x[0] * num / (den * den));
                    }
                    else
                    {
                        f[i] = KowalikY[i] - (x[0] * num / den);
                    }
                }

                break;

            case MghFunction.BrownDennis:
                for (int i = 0; i < m; i++)
                {
                    double t = (i + 1) / 5.0;
                    double a = x[0] + (t * x[1]) - Math.Exp(t);
                    double b = x[2] + (x[3] * Math.Sin(t)) - Math.Cos(t);
                    if (jacobian)
                    {
                        Set(jac, i, 0, 2 * a);
                        Set(jac, i, 1, 2 * a * t);
                        Set(jac, i, 2, 2 * b);
                        Set(jac, i, 3, 2 * b * Math.Sin(t));
                    }
                    else
                    {
                        f[i] = (a * a) + (b * b);
                    }
                }

                break;

            case MghFunction.Osborne1:
                for (int i = 0; i < 33; i++)
                {
                    double t = 10 * i;
                    double e4 = Math.Exp(-t * x[3]);
                    double e5 = Math.Exp(-t * x[4]);
                    if (jacobian)
                    {
                        Set(jac, i, 0, -1);
                        Set(jac, i, 1, -e4);
                        Set(jac, i, 2, -e5);
                        Set(jac, i, 3, t * x[1] * e4);
                        Set(jac, i, 4, t * x[2] * e5);
                    }
                    else
                    {
                        f[i] = Osborne1Y[i] - (x[0] + (x[1] * e4) + (x[2] * e5));
                    }
                }

                break;

            case MghFunction.BiggsExp6:
                for (int i = 0; i < m; i++)
                {
                    double t = 0.1 * (i + 1);
                    double y = Math.Exp(-t) - (5 * Math.Exp(-10 * t)) + (3 * Math.Exp(-4 * t));
                    double e1 = Math.Exp(-t * x[0]);
                    double e2 = Math.Exp(-t * x[1]);
                    double e5 = Math.Exp(-t * x[4]);
                    if (jacobian)
                    {
                        Set(jac, i, 0, -t * x[2] * e1);
                        Set(jac, i, 1, t * x[3] * e2);
                        Set(jac, i, 2, e1);
                        Set(jac, i, 3, -e2);
                        Set(jac, i, 4, -t * x[5] * e5);
                        Set(jac, i, 5, e5);
                    }
                    else
                    {
                        f[i] = (x[2] * e1) - (x[3] * e2) + (x[5] * e5) - y;
                    }
                }

                break;

            case MghFunction.Osborne2:
                for (int i = 0; i < 65; i++)
                {
                    double t = i / 10.0;
                    double e1 = Math.Exp(-t * x[4]);
                    double d2 = t - x[8];
                    double d3 = t - x[9];
                    double d4 = t - x[10];
                    double g2 = Math.Exp(-d2 * d2 * x[5]);
                    double g3 = Math.Exp(-d3 * d3 * x[6]);
                    double g4 = Math.Exp(-d4 * d4 * x[7]);
                    if (jacobian)
                    {
                        Set(jac, i, 0, -e1);
                        Set(jac, i, 1, -g2);
                        Set(jac, i, 2, -g3);
                        Set(jac, i, 3, -g4);
                        Set(jac, i, 4, x[0] * t * e1);
                        Set(jac, i, 5, x[1] * d2 * d2 * g2);
                        Set(jac, i, 6, x[2] * d3 * d3 * g3);
                        Set(jac, i, 7, x[3] * d4 * d4 * g4);
                        Set(jac, i, 8, -2 * x[1] * x[5] * d2 * g2);
                        Set(jac, i, 9, -2 * x[2] * x[6] * d3 * g3);
                        Set(jac, i, 10, -2 * x[3] * x[7] * d4 * g4);
                    }
                    else
                    {
                        f[i] = Osborne2Y[i] - ((x[0] * e1) + (x[1] * g2) + (x[2] * g3) + (x[3] * g4));
                    }
                }

                break;

            case MghFunction.Watson:
                for (int i = 0; i < 29; i++)
                {
                    double t = (i + 1) / 29.0;
                    double s1 = 0;
                    double power = 1;
                    for (int j = 1; j < n; j++)
                    {
                        s1 += j * x[j] * power;
                        power *= t;
                    }

                    double s2 = 0;
                    power = 1;
                    for (int j = 0; j < n; j++)
                    {
                        s2 += x[j] * power;
                        power *= t;
                    }

                    if (jacobian)
                    {
                        double tj = 1; // t^j
                        for (int j = 0; j < n; j++)
                        {
                            double first = j == 0 ? 0 : j * tj / t; // (j)·t^(j−1), 0-based j
                            Set(jac, i, j, first - (2 * s2 * tj));
                            tj *= t;
                        }
                    }
                    else
                    {
                        f[i] = s1 - (s2 * s2) - 1;
                    }
                }

                if (jacobian)
                {
                    Set(jac, 29, 0, 1);
                    Set(jac, 30, 0, -2 * x[0]);
                    Set(jac, 30, 1, 1);
                }
                else
                {
                    f[29] = x[0];
                    f[30] = x[1] - (x[0] * x[0]) - 1;
                }

                break;

            case MghFunction.ExtendedRosenbrock:
                for (int k = 0; k < n / 2; k++)
                {
                    int a = 2 * k;
                    if (jacobian)
                    {
                        Set(jac, a, a, -20 * x[a]);
                        Set(jac, a, a + 1, 10);
                        Set(jac, a + 1, a, -1);
                    }
                    else
                    {
                        f[a] = 10 * (x[a + 1] - (x[a] * x[a]));
                        f[a + 1] = 1 - x[a];
                    }
                }

                break;

            case MghFunction.PenaltyI:
                {
                    double sa = Math.Sqrt(1e-5);
                    double sum = 0;
                    for (int j = 0; j < n; j++)
                    {
                        sum += x[j] * x[j];
                        if (jacobian)
                        {
                            Set(jac, j, j, sa);
                            Set(jac, n, j, 2 * x[j]);
                        }
                        else
                        {
                            f[j] = sa * (x[j] - 1);
                        }
                    }

                    if (!jacobian)
                    {
                        f[n] = sum - 0.25;
                    }
                }

                break;

            case MghFunction.PenaltyII:
                {
                    double sa = Math.Sqrt(1e-5);
                    double e01 = Math.Exp(-0.1);
                    if (jacobian)
                    {
                        Set(jac, 0, 0, 1);
                    }
                    else
                    {
                        f[0] = x[0] - 0.2;
                    }

                    for (int i = 1; i < n; i++)
                    {
                        // Paper's i = 2..n: √a·(e^(x_i/10) + e^(x_(i−1)/10) − y_i), y_i = e^(i/10) + e^((i−1)/10).
                        double y = Math.Exp((i + 1) / 10.0) + Math.Exp(i / 10.0);
                        double ei = Math.Exp(x[i] / 10);
                        double eim1 = Math.Exp(x[i - 1] / 10);
                        if (jacobian)
                        {
                            Set(jac, i, i, sa * ei / 10);
                            Set(jac, i, i - 1, sa * eim1 / 10);
                        }
                        else
                        {
                            f[i] = sa * (ei + eim1 - y);
                        }
                    }

                    for (int i = n; i < (2 * n) - 1; i++)
                    {
                        // Paper's i = n+1..2n−1: √a·(e^(x_(i−n+1)/10) − e^(−1/10)).
                        int j = i - n + 1;
                        double e = Math.Exp(x[j] / 10);
                        if (jacobian)
                        {
                            Set(jac, i, j, sa * e / 10);
                        }
                        else
                        {
                            f[i] = sa * (e - e01);
                        }
                    }

                    double sum = 0;
                    for (int j = 0; j < n; j++)
                    {
                        sum += (n - j) * x[j] * x[j];
                        if (jacobian)
                        {
                            Set(jac, (2 * n) - 1, j, 2 * (n - j) * x[j]);
                        }
                    }

                    if (!jacobian)
                    {
                        f[(2 * n) - 1] = sum - 1;
                    }
                }

                break;

            case MghFunction.Trigonometric:
                {
                    double sumCos = 0;
                    for (int j = 0; j < n; j++)
                    {
                        sumCos += Math.Cos(x[j]);
                    }

                    for (int i = 0; i < n; i++)
                    {
                        double k = i + 1;
                        if (jacobian)
                        {
                            for (int j = 0; j < n; j++)
                            {
                                Set(jac, i, j, Math.Sin(x[j]));
                            }

                            Set(jac, i, i, Math.Sin(x[i]) + (k * Math.Sin(x[i])) - Math.Cos(x[i]));
                        }
                        else
                        {
                            f[i] = n - sumCos + (k * (1 - Math.Cos(x[i]))) - Math.Sin(x[i]);
                        }
                    }
                }

                break;

            case MghFunction.BrownAlmostLinear:
                {
                    double sum = 0;
                    double product = 1;
                    for (int j = 0; j < n; j++)
                    {
                        sum += x[j];
                        product *= x[j];
                    }

                    for (int i = 0; i < n - 1; i++)
                    {
                        if (jacobian)
                        {
                            for (int j = 0; j < n; j++)
                            {
                                Set(jac, i, j, 1);
                            }

                            Set(jac, i, i, 2);
                        }
                        else
                        {
                            f[i] = x[i] + sum - (n + 1);
                        }
                    }

                    if (jacobian)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            double others = 1;
                            for (int k = 0; k < n; k++)
                            {
                                if (k != j)
                                {
                                    others *= x[k];
                                }
                            }

                            Set(jac, n - 1, j, others);
                        }
                    }
                    else
                    {
                        f[n - 1] = product - 1;
                    }
                }

                break;

            default:
                throw new InvalidOperationException(Function.ToString());
        }
    }
}

/// <summary>
/// One MGH test case: a function at a dimension, and the minima the paper reports for it (sum of
/// squares, to the 6 digits printed; several functions list local minima too — a solver that ends
/// in one of those has found a documented stationary point, not failed).
/// </summary>
internal sealed record MghCase(MghFunction Function, int ParameterCount, int ResidualCount, double[] KnownMinima)
{
    public MghProblem Problem => new(Function, ParameterCount, ResidualCount);

    public string Name => $"{Function}(n={ParameterCount},m={ResidualCount})";

    public override string ToString() => Name;

    /// <summary>The cases used here, with the paper's reported minima.</summary>
    public static readonly MghCase[] All =
    [
        new(MghFunction.Rosenbrock, 2, 2, [0]),
        new(MghFunction.FreudensteinRoth, 2, 2, [0, 48.9842]),
        new(MghFunction.PowellBadlyScaled, 2, 2, [0]),
        new(MghFunction.BrownBadlyScaled, 2, 3, [0]),
        new(MghFunction.Beale, 2, 3, [0]),
        new(MghFunction.JennrichSampson, 2, 10, [124.362]),
        new(MghFunction.HelicalValley, 3, 3, [0]),
        new(MghFunction.Bard, 3, 15, [8.21487e-3, 17.4286]),
        new(MghFunction.Gaussian, 3, 15, [1.12793e-8]),
        new(MghFunction.Meyer, 3, 16, [87.9458]),
        new(MghFunction.Box3D, 3, 10, [0]),
        new(MghFunction.PowellSingular, 4, 4, [0]),
        new(MghFunction.Wood, 4, 6, [0]),
        new(MghFunction.KowalikOsborne, 4, 11, [3.07505e-4, 1.02734e-3]),
        new(MghFunction.BrownDennis, 4, 20, [85822.2]),
        new(MghFunction.Osborne1, 5, 33, [5.46489e-5]),
        new(MghFunction.BiggsExp6, 6, 13, [0, 5.65565e-3]),
        new(MghFunction.Osborne2, 11, 65, [4.01377e-2]),
        new(MghFunction.Watson, 6, 31, [2.28767e-3]),
        new(MghFunction.Watson, 9, 31, [1.39976e-6]),
        new(MghFunction.ExtendedRosenbrock, 10, 10, [0]),
        new(MghFunction.PenaltyI, 4, 5, [2.24997e-5]),
        new(MghFunction.PenaltyI, 10, 11, [7.08765e-5]),
        new(MghFunction.PenaltyII, 4, 8, [9.37629e-6]),
        new(MghFunction.PenaltyII, 10, 20, [2.93660e-4]),
        new(MghFunction.Trigonometric, 10, 10, [0]),
        new(MghFunction.BrownAlmostLinear, 10, 10, [0, 1]),
    ];
}
