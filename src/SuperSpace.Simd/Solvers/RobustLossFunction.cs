// Robust losses on a squared residual s = r² (Ceres conventions, scale a, c = a²):
//   Huber   ρ = s (s ≤ c),  2a√s − c (s > c);  ρ' = 1 or a/√s;  ρ'' = 0 or −ρ'/(2s)
//   Cauchy  ρ = c·ln(1 + s/c);                ρ' = 1/(1 + s/c);  ρ'' = −ρ'²/c
//   SoftL1  ρ = 2c·(√(1 + s/c) − 1);          ρ' = 1/√(1 + s/c); ρ'' = −ρ'/(2c·(1 + s/c))
// The Gauss–Newton model of ½Σρ(rᵢ²) uses a corrected residual r̃ = √ρ'/(1 − α)·r and Jacobian row
// J̃ = √ρ'·(1 − α)·J with α = 1 − √(1 + 2sρ''/ρ') (Triggs et al., "Bundle adjustment — a modern synthesis",
// the correction Ceres applies): the model's gradient is ρ'·r·J and its Hessian ρ'·JᵀJ + 2ρ''(rJ)ᵀ(rJ).
// As in Ceres, the curvature correction is applied only where ρ'' > 0 (α = 0 otherwise, i.e. plain IRLS
// weights √ρ'): for these three losses ρ'' ≤ 0 everywhere, so the model is the IRLS one. Cost O(1) each.
namespace SuperSpace.Simd.Solvers;

internal readonly struct RobustLossFunction
{
    private readonly RobustLoss _kind;
    private readonly double _a;
    private readonly double _c;

    public RobustLossFunction(RobustLoss kind, double scale)
    {
        _kind = kind;
        _a = scale;
        _c = scale * scale;
    }

    public bool IsNone => _kind == RobustLoss.None;

    /// <summary>ρ(s).</summary>
    public double Rho(double s)
    {
        switch (_kind)
        {
            case RobustLoss.Huber:
                return s <= _c ? s : (2 * _a * Math.Sqrt(s)) - _c;
            case RobustLoss.Cauchy:
                return _c * Math.Log(1 + (s / _c));
            case RobustLoss.SoftL1:
                return 2 * _c * (Math.Sqrt(1 + (s / _c)) - 1);
            default:
                return s;
        }
    }

    /// <summary>ρ'(s) and ρ''(s).</summary>
    public (double First, double Second) Derivatives(double s)
    {
        switch (_kind)
        {
            case RobustLoss.Huber:
                if (s <= _c)
                {
                    return (1, 0);
                }
                else
                {
                    double first = _a / Math.Sqrt(s);
                    return (first, -first / (2 * s));
                }

            case RobustLoss.Cauchy:
                {
                    double first = 1 / (1 + (s / _c));
                    return (first, -first * first / _c);
                }

            case RobustLoss.SoftL1:
                {
                    double sum = 1 + (s / _c);
                    double first = 1 / Math.Sqrt(sum);
                    return (first, -first / (2 * _c * sum));
                }

            default:
                return (1, 0);
        }
    }

    /// <summary>Σ ρ(rᵢ²).</summary>
    public double Cost(ReadOnlySpan<double> residuals)
    {
        if (IsNone)
        {
            return Norms.SumOfSquares(residuals);
        }

        double sum = 0;
        foreach (double r in residuals)
        {
            sum += Rho(r * r);
        }

        return sum;
    }

    /// <summary>
    /// The corrected model residuals r̃ (into <paramref name="modelResiduals"/>) and the Jacobian row scales
    /// √ρ'·(1 − α) (into <paramref name="rowScales"/>) at residuals r (Triggs correction, Ceres rule).
    /// </summary>
    public void Correct(ReadOnlySpan<double> residuals, Span<double> modelResiduals, Span<double> rowScales)
    {
        for (int i = 0; i < residuals.Length; i++)
        {
            double r = residuals[i];
            double s = r * r;
            var (first, second) = Derivatives(s);
            double sqrtFirst = Math.Sqrt(first);
            if (s == 0 || second <= 0)
            {
                modelResiduals[i] = sqrtFirst * r;
                rowScales[i] = sqrtFirst;
            }
            else
            {
                double alpha = 1 - Math.Sqrt(1 + (2 * s * second / first));
                modelResiduals[i] = sqrtFirst / (1 - alpha) * r;
                rowScales[i] = sqrtFirst * (1 - alpha);
            }
        }
    }
}
