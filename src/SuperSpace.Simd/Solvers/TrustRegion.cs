// The trust-region bookkeeping of Moré's Levenberg–Marquardt method (MINPACK lmder), separate from how the
// step is computed so other solvers (the MLP trainer) can reuse it with their own step. All reductions are
// relative to the current cost C = ‖r‖²:
//   actual    actred = 1 − (‖r(x + p)‖/‖r(x)‖)²            (−1 when the trial is 10× worse or not finite)
//   predicted prered = (‖J·p‖² + 2λ‖D·p‖²)/C for the LM step, or (‖r‖² − ‖r + J·p‖²)/C for any other step
//   dirder    = rᵀJ·p / C                                   (the directional derivative of ½‖r‖²/C)
// ratio ≤ ¼ shrinks Δ (by ½, or by the minimiser of the quadratic through actred and dirder, clamped to
// [0.1, 0.5]) and raises λ alike; ratio ≥ ¾ (or a Gauss–Newton step, λ = 0) sets Δ = 2‖D·p‖ and halves λ.
// A step is accepted when ratio ≥ 1e-4. Cost O(1).
namespace SuperSpace.Simd.Solvers;

internal static class TrustRegion
{
    /// <summary>The smallest gain ratio of an accepted step.</summary>
    public const double AcceptRatio = 1e-4;

    /// <summary>The relative actual reduction from the current and trial residual norms.</summary>
    public static double ActualReduction(double fnorm, double fnorm1)
    {
        if (0.1 * fnorm1 < fnorm)
        {
            double q = fnorm1 / fnorm;
            return 1 - (q * q);
        }

        return -1;
    }

    /// <summary>The gain ratio, 0 when the model predicts no reduction.</summary>
    public static double Ratio(double actred, double prered) => prered > 0 ? actred / prered : 0;

    /// <summary>MINPACK's update of the radius Δ and the Levenberg–Marquardt parameter λ after a trial step.</summary>
    /// <param name="ratio">actred/prered.</param>
    /// <param name="actred">The relative actual reduction.</param>
    /// <param name="dirder">The relative directional derivative along the step (negative for a descent step).</param>
    /// <param name="fnorm">‖r(x)‖.</param>
    /// <param name="fnorm1">‖r(x + p)‖ (+∞ when not finite).</param>
    /// <param name="pnorm">‖D·p‖ of the step taken.</param>
    /// <param name="delta">The radius, updated.</param>
    /// <param name="lambda">λ, updated.</param>
    public static void Update(double ratio, double actred, double dirder, double fnorm, double fnorm1, double pnorm,
                              ref double delta, ref double lambda)
    {
        if (ratio <= 0.25)
        {
            double temp = actred >= 0 ? 0.5 : 0.5 * dirder / (dirder + (0.5 * actred));
            if (0.1 * fnorm1 >= fnorm || temp < 0.1 || !double.IsFinite(temp))
            {
                temp = 0.1;
            }

            delta = temp * Math.Min(delta, pnorm / 0.1);
            lambda /= temp;
        }
        else if (lambda == 0 || ratio >= 0.75)
        {
            delta = pnorm / 0.5;
            lambda *= 0.5;
        }
    }
}
