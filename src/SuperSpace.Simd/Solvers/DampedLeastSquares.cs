// The Levenberg–Marquardt parameter (Moré 1978; MINPACK lmpar semantics, written afresh): given a
// linearisation J·x ≈ f of the residuals, a positive diagonal D and a radius Δ, find λ ≥ 0 such that
// x(λ) = argmin ‖J·x − f‖² + λ‖D·x‖² satisfies either λ = 0 and ‖D·x‖ ≤ 1.1Δ, or |‖D·x(λ)‖ − Δ| ≤ 0.1Δ.
// φ(λ) = ‖D·x(λ)‖ − Δ is convex and decreasing; Newton's method on 1/‖D·x‖ (Hebden), safeguarded by the
// bracket [parl, paru] (parl from the Gauss–Newton step when J has full rank, paru = ‖D⁻¹Jᵀf‖/Δ), needs
// about two solves. Cost: at most 10 damped solves, each O(n³) for the QR system (Givens rotations folding
// √λ·D into R) or the Cholesky system, never O(m·n²).
namespace SuperSpace.Simd.Solvers;

/// <summary>What the undamped (λ = 0) solve produced.</summary>
internal enum GaussNewtonOutcome
{
    /// <summary>J has full rank: x is the Gauss–Newton step and the λ = 0 factor can give the lower bound parl.</summary>
    FullRank,

    /// <summary>J is singular: x is a least-squares solution with the trailing components zeroed (MINPACK).</summary>
    RankDeficient,

    /// <summary>No undamped solution could be formed (normal equations not positive definite).</summary>
    Unavailable,
}

/// <summary>
/// A damped linear least-squares system min ‖J·x − f‖² + λ‖D·x‖² in one of two factored forms (QR of J,
/// or JᵀJ and Jᵀf). All vectors are in the system's natural parameter order. Implemented by structs so
/// <see cref="DampedLeastSquares.LevenbergMarquardtParameter"/> is specialised per form.
/// </summary>
internal interface IDampedSystem
{
    /// <summary>The number of unknowns n.</summary>
    int Size { get; }

    /// <summary>x = argmin ‖J·x − f‖ (λ = 0).</summary>
    GaussNewtonOutcome SolveGaussNewton(Span<double> x);

    /// <summary>‖R⁻ᵀ·v‖ with the λ = 0 factor R (RᵀR = JᵀJ up to the permutation). Only after <see cref="GaussNewtonOutcome.FullRank"/>.</summary>
    double UndampedInverseTransposeNorm(ReadOnlySpan<double> v);

    /// <summary>‖D⁻¹·Jᵀf‖.</summary>
    double ScaledGradientNorm(ReadOnlySpan<double> diag);

    /// <summary>x = argmin ‖J·x − f‖² + λ‖D·x‖²; keeps the factor S (SᵀS = JᵀJ + λD²). False when no factor could be formed.</summary>
    bool SolveDamped(double lambda, ReadOnlySpan<double> diag, Span<double> x);

    /// <summary>‖S⁻ᵀ·v‖ with the factor of the last <see cref="SolveDamped"/>.</summary>
    double DampedInverseTransposeNorm(ReadOnlySpan<double> v);

    /// <summary>x = argmin ‖J·x − b‖² + λ‖D·x‖² for another right-hand side b, with the λ and D of the last <see cref="SolveDamped"/>.</summary>
    void SolveDampedAgain(ReadOnlySpan<double> rhs, double lambda, ReadOnlySpan<double> diag, Span<double> x);

    /// <summary>‖J·p‖² and fᵀJ·p for a step p (the linear model's terms).</summary>
    (double ModelNormSquared, double GradientDot) Model(ReadOnlySpan<double> p);
}

internal static class DampedLeastSquares
{
    /// <summary>The smallest positive normal double (MINPACK's dwarf).</summary>
    public const double Dwarf = 2.2250738585072014e-308;

    /// <summary>
    /// Moré's algorithm for λ: returns λ and leaves in x the solution of J·x ≈ f, √λ·D·x ≈ 0 (the step is −x).
    /// <paramref name="lambda"/> is the starting estimate (the previous λ). wa1, wa2: work of length n.
    /// </summary>
    public static double LevenbergMarquardtParameter<TSystem>(ref TSystem system, ReadOnlySpan<double> diag, double delta,
                                                             double lambda, Span<double> x, Span<double> wa1, Span<double> wa2)
        where TSystem : struct, IDampedSystem, allows ref struct
    {
        const double p1 = 0.1;
        const double p001 = 0.001;
        int n = system.Size;

        GaussNewtonOutcome outcome = system.SolveGaussNewton(x);
        double dxnorm;
        double fp;
        if (outcome != GaussNewtonOutcome.Unavailable)
        {
            for (int j = 0; j < n; j++)
            {
                wa2[j] = diag[j] * x[j];
            }

            dxnorm = Norms.Euclidean(wa2[..n]);
            fp = dxnorm - delta;
            if (fp <= p1 * delta)
            {
                // The Gauss–Newton step lies (nearly) inside the region: λ = 0.
                return 0;
            }
        }
        else
        {
            dxnorm = double.PositiveInfinity;
            fp = double.PositiveInfinity;
        }

        // Lower bound: one Newton step from λ = 0, φ(0)/φ'(0) with φ'(0) = −‖R⁻ᵀD(Dx)/‖Dx‖‖²/‖Dx‖.
        double parl = 0;
        if (outcome == GaussNewtonOutcome.FullRank)
        {
            for (int j = 0; j < n; j++)
            {
                wa1[j] = diag[j] * (wa2[j] / dxnorm);
            }

            double temp = system.UndampedInverseTransposeNorm(wa1[..n]);
            parl = fp / delta / temp / temp;
        }

        // Upper bound: ‖D⁻¹Jᵀf‖/Δ (the λ at which the steepest-descent-dominated step has length Δ).
        double gnorm = system.ScaledGradientNorm(diag);
        double paru = gnorm / delta;
        if (paru == 0)
        {
            paru = Dwarf / Math.Min(delta, p1);
        }

        double par = Math.Min(Math.Max(lambda, parl), paru);
        if (par == 0)
        {
            par = double.IsFinite(dxnorm) ? gnorm / dxnorm : 0;
        }

        for (int iteration = 1; ; iteration++)
        {
            if (par == 0)
            {
                par = Math.Max(Dwarf, p001 * paru);
            }

            if (!system.SolveDamped(par, diag, x))
            {
                // JᵀJ + λD² was not numerically positive definite: λ is too small.
                parl = Math.Max(parl, par);
                par = Math.Max(10 * par, p001 * paru);
                if (iteration == 10)
                {
                    par = paru;
                    system.SolveDamped(par, diag, x);
                    return par;
                }

                continue;
            }

            for (int j = 0; j < n; j++)
            {
                wa2[j] = diag[j] * x[j];
            }

            dxnorm = Norms.Euclidean(wa2[..n]);
            double previous = fp;
            fp = dxnorm - delta;

            // Accept when close enough, or when parl = 0 and the function increased (cannot converge
            // further from this side), or after 10 iterations.
            if (Math.Abs(fp) <= p1 * delta || (parl == 0 && fp <= previous && previous < 0) || iteration == 10)
            {
                return par;
            }

            if (dxnorm == 0)
            {
                // D·x = 0: the constraint holds trivially and the Newton correction would divide by zero.
                return par;
            }

            // Newton correction on 1/‖D·x(λ)‖ (Hebden), using the damped factor S.
            for (int j = 0; j < n; j++)
            {
                wa1[j] = diag[j] * (wa2[j] / dxnorm);
            }

            double s = system.DampedInverseTransposeNorm(wa1[..n]);
            double parc = fp / delta / s / s;
            if (fp > 0)
            {
                parl = Math.Max(parl, par);
            }
            else if (fp < 0)
            {
                paru = Math.Min(paru, par);
            }

            par = Math.Max(parl, par + parc);
        }
    }
}
