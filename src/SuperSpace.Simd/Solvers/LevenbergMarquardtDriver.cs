// Moré's trust-region Levenberg–Marquardt method (MINPACK lmder semantics; Moré, "The Levenberg–Marquardt
// algorithm: implementation and theory", 1978), extended with box bounds (active set + projection: every
// iterate is feasible), a fixed-parameter mask, observation weights, robust losses (Triggs correction),
// finite-difference Jacobians, geodesic acceleration (Transtrum & Sethna 2011) and delayed-gratification
// damping (Transtrum & Sethna 2012). Per iteration: one Jacobian, one factorisation of its free columns
// (pivoted QR, 4mk² flops, or JᵀJ, mk² flops), then trial steps each costing one residual evaluation and
// O(k³) for λ. The loop allocates nothing: every buffer lives in LevenbergMarquardtWorkspace.
using System.Diagnostics;
using SuperSpace.Simd.Internals;
using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Solvers;

internal static class LevenbergMarquardtDriver
{
    private const double MachineEpsilon = 2.220446049250313e-16;
    private const double P1 = 0.1;
    private const double P5 = 0.5;
    private const double P25 = 0.25;

    /// <summary>Counters and the state shared by the driver's helpers.</summary>
    private struct Counters
    {
        public int FunctionEvaluations;
        public int JacobianEvaluations;
        public int Iterations;
    }

    public static LevenbergMarquardtResult Run<TProblem>(ref TProblem problem, ReadOnlySpan<double> initialParameters,
                                                         LevenbergMarquardtOptions options, ILinearAlgebraBackend backend,
                                                         FiniteDifferenceSettings fd, LevenbergMarquardtWorkspace ws,
                                                         CancellationToken cancellationToken)
        where TProblem : ILeastSquaresProblem
    {
        long started = Stopwatch.GetTimestamp();
        int n = ws.ParameterCount;
        int m = ws.ResidualCount;
        int rows = ws.Rows;
        var loss = new RobustLossFunction(options.Loss, options.LossScale);
        bool robust = !loss.IsNone;
        bool[]? fixedMask = options.FixedParameters;
        double[]? lower = options.LowerBounds;
        double[]? upper = options.UpperBounds;
        bool bounded = lower is not null || upper is not null;
        bool useQr = options.Method == LevenbergMarquardtMethod.Qr;
        bool trustRegion = options.Damping == LevenbergMarquardtDamping.TrustRegion;
        bool geodesic = options.GeodesicAcceleration;
        int maxfev = options.MaxFunctionEvaluations;
        double ftol = options.FunctionTolerance;
        double xtol = options.ParameterTolerance;
        double gtol = options.GradientTolerance;
        bool refining = options.RefinementSteps > 0;
        double sqrtFtol = Math.Sqrt(ftol);

        double[]? sqrtWeights = null;
        if (options.Weights is { } weights)
        {
            sqrtWeights = ws.SqrtWeights;
            for (int i = 0; i < m; i++)
            {
                sqrtWeights[i] = Math.Sqrt(weights[i]);
            }
        }


        // Start: x₀ projected into the box.
        double[] x = ws.X;
        double[] xTrial = ws.XTrial;
        double[] f = ws.Residuals;
        double[] fTrial = ws.ResidualsTrial;
        initialParameters.CopyTo(x);
        if (bounded)
        {
            Project(x, lower, upper);
        }

        var counters = default(Counters);
        double cost = EvaluateCost(ref problem, x, f, sqrtWeights, loss, ref counters);
        double costTrial = 0;
        double gradientNorm = 0;
        double par = 0;
        double delta = 0;
        double xnorm = 0;
        double gnorm = 0;
        double lastStepNorm = 0;
        double previousCost = 0;
        double bestRejectedCost = double.PositiveInfinity;
        int k = 0;
        bool needJacobian = true;
        bool jacobianCurrent = false;
        bool first = true;

        LevenbergMarquardtStatus status;
        if (!double.IsFinite(cost))
        {
            return Finish(ref problem, ws, backend, fd, options, loss, sqrtWeights, ref counters, cost, 0, 0, false, started, LevenbergMarquardtStatus.NonFiniteResiduals);
        }

        double fnorm = Math.Sqrt(cost);
        Span<double> diag = ws.Diag;
        Span<double> diagFree = ws.DiagFree;
        Span<double> norms = ws.ColumnNorms;
        Span<int> free = ws.FreeIndex;
        Span<double> step = ws.Step;
        Span<double> stepActual = ws.StepActual;

        if (options.Scaling == LevenbergMarquardtScaling.User)
        {
            options.ParameterScales.AsSpan().CopyTo(diag);
        }
        else if (options.Scaling == LevenbergMarquardtScaling.Identity)
        {
            diag.Fill(1);
        }

        while (true)
        {
            // ---- Outer iteration: Jacobian, factorisation, gradient test. ----
            if (needJacobian)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    status = LevenbergMarquardtStatus.Cancelled;
                    break;
                }

                if (!EvaluateJacobian(ref problem, ws, fd, sqrtWeights, robust, loss, ref counters))
                {
                    if (first)
                    {
                        status = LevenbergMarquardtStatus.NonFiniteJacobian;
                        break;
                    }

                    // The accepted point has a non-finite Jacobian: reject it after all, return to the previous
                    // point (its factorisation is intact) and shrink the region.
                    (x, xTrial) = (xTrial, x);
                    (f, fTrial) = (fTrial, f);
                    ws.X = x;
                    ws.XTrial = xTrial;
                    ws.Residuals = f;
                    ws.ResidualsTrial = fTrial;
                    cost = previousCost;
                    fnorm = Math.Sqrt(cost);
                    counters.Iterations--;
                    xnorm = ScaledNorm(x, diag, fixedMask);
                    delta = P25 * lastStepNorm;
                    par = par == 0 ? 0 : 4 * par;
                    needJacobian = false;
                    jacobianCurrent = false;
                    if (robust)
                    {
                        loss.Correct(f, ws.ModelResiduals, ws.RowScales);
                    }
                }
                else
                {
                    jacobianCurrent = true;
                    needJacobian = false;
                    ReadOnlySpan<double> model = robust ? ws.ModelResiduals : f;
                    k = SelectFree(ws, x, model, lower, upper, fixedMask, bounded);

                    if (useQr)
                    {
                        FactorQr(ws, backend, options, model, k);
                    }
                    else
                    {
                        FormNormalEquations(ws, backend, options, model, k);
                    }

                    if (first)
                    {
                        if (options.Scaling == LevenbergMarquardtScaling.JacobianColumnNorms)
                        {
                            for (int j = 0; j < n; j++)
                            {
                                diag[j] = norms[j] == 0 ? 1 : norms[j];
                            }
                        }

                        xnorm = ScaledNorm(x, diag, fixedMask);
                        delta = options.InitialStepBound * xnorm;
                        if (delta == 0)
                        {
                            delta = options.InitialStepBound;
                        }

                        if (!trustRegion)
                        {
                            par = options.InitialDamping;
                        }
                    }

                    (gnorm, gradientNorm) = GradientMeasures(ws, useQr, k, fnorm, norms);

                    if (options.Progress is { } progress)
                    {
                        bool proceed = progress(new LevenbergMarquardtProgress
                        {
                            Iteration = counters.Iterations,
                            Cost = cost,
                            GradientNorm = gradientNorm,
                            Damping = par,
                            TrustRegionRadius = delta,
                            FunctionEvaluations = counters.FunctionEvaluations,
                            Parameters = x,
                        });
                        if (!proceed)
                        {
                            status = LevenbergMarquardtStatus.UserStop;
                            break;
                        }
                    }

                    if (gnorm <= gtol)
                    {
                        status = LevenbergMarquardtStatus.GradientToleranceReached;
                        break;
                    }

                    if (counters.Iterations >= options.MaxIterations)
                    {
                        status = LevenbergMarquardtStatus.MaxIterationsReached;
                        break;
                    }

                    if (options.Scaling == LevenbergMarquardtScaling.JacobianColumnNorms)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            diag[j] = Math.Max(diag[j], norms[j]);
                        }
                    }

                    for (int jj = 0; jj < k; jj++)
                    {
                        diagFree[jj] = diag[free[jj]];
                    }

                    first = false;
                }
            }

            // ---- Inner iteration: one trial step. ----
            if (cancellationToken.IsCancellationRequested)
            {
                status = LevenbergMarquardtStatus.Cancelled;
                break;
            }

            Span<double> p = step[..k];
            if (k == 0)
            {
                // Every parameter is fixed or held at a bound by the gradient: nothing can decrease the cost.
                status = LevenbergMarquardtStatus.GradientToleranceReached;
                break;
            }

            ComputeStep(ws, useQr, trustRegion, k, diagFree[..k], delta, ref par, p);
            for (int jj = 0; jj < k; jj++)
            {
                p[jj] = -p[jj];
            }

            bool accelerated = false;
            if (geodesic && jacobianCurrent)
            {
                int outcome = Accelerate(ref problem, ws, useQr, k, diagFree[..k], par, options, sqrtWeights, robust, lower, upper, ref counters);
                if (outcome < 0)
                {
                    // The acceleration is too large relative to the velocity: treat as a failed trial.
                    double vnorm = ScaledNormFree(p, diagFree, k);
                    delta = P5 * Math.Min(delta, vnorm / P1);
                    par /= P5;
                    if (maxfev > 0 && counters.FunctionEvaluations >= maxfev)
                    {
                        status = LevenbergMarquardtStatus.MaxFunctionEvaluationsReached;
                        break;
                    }

                    continue;
                }

                accelerated = outcome > 0;
            }

            // Trial point, projected into the box; the actual step is what projection leaves.
            ReadOnlySpan<double> stepAct = p;
            bool projected = false;
            x.AsSpan().CopyTo(xTrial);
            for (int jj = 0; jj < k; jj++)
            {
                int j = free[jj];
                double target = x[j] + p[jj];
                if (bounded)
                {
                    double clamped = Math.Clamp(target, lower?[j] ?? double.NegativeInfinity, upper?[j] ?? double.PositiveInfinity);
                    if (clamped != target)
                    {
                        projected = true;
                        target = clamped;
                    }
                }

                xTrial[j] = target;
            }

            if (projected)
            {
                for (int jj = 0; jj < k; jj++)
                {
                    int j = free[jj];
                    stepActual[jj] = xTrial[j] - x[j];
                }

                stepAct = stepActual[..k];
            }

            double pnorm = ScaledNormFree(stepAct, diagFree, k);
            if (counters.Iterations == 0 && trustRegion)
            {
                delta = Math.Min(delta, pnorm);
            }

            costTrial = EvaluateCost(ref problem, xTrial, fTrial, sqrtWeights, loss, ref counters);
            double fnorm1 = double.IsFinite(costTrial) ? Math.Sqrt(costTrial) : double.PositiveInfinity;

            double actred = TrustRegion.ActualReduction(fnorm, fnorm1);

            double prered;
            double dirder;
            var (modelNorm2, gradientDot) = Model(ws, useQr, k, stepAct);
            if (!projected && !accelerated)
            {
                // MINPACK's form: both terms non-negative, no cancellation.
                double parTerm = par * pnorm * pnorm;
                prered = (modelNorm2 + (2 * parTerm)) / cost;
                dirder = -(modelNorm2 + parTerm) / cost;
            }
            else
            {
                // Any other step: the linear model's own reduction, ‖f‖² − ‖f + J·p‖².
                prered = -((2 * gradientDot) + modelNorm2) / cost;
                dirder = gradientDot / cost;
            }

            double ratio = TrustRegion.Ratio(actred, prered);

            if (trustRegion)
            {
                TrustRegion.Update(ratio, actred, dirder, fnorm, fnorm1, pnorm, ref delta, ref par);
            }
            else
            {
                // Delayed gratification: λ down by 3 on success, up by 2 on failure; Δ tracks the step length
                // so the parameter tolerance keeps MINPACK's meaning.
                par = ratio >= TrustRegion.AcceptRatio ? par / 3 : Math.Max(2 * par, DampedLeastSquares.Dwarf);
                delta = pnorm;
            }

            if (ratio < TrustRegion.AcceptRatio && costTrial < cost && costTrial < bestRejectedCost)
            {
                // A lower cost whose gain was too small relative to the model to accept: keep it in case
                // nothing better is found, so the result is always the best point evaluated.
                bestRejectedCost = costTrial;
                xTrial.AsSpan().CopyTo(ws.XBest);
                fTrial.AsSpan().CopyTo(ws.ResidualsBest);
            }

            if (ratio >= TrustRegion.AcceptRatio)
            {
                // Success: the trial becomes the current point (buffers swap; the old point is kept for a revert).
                (x, xTrial) = (xTrial, x);
                (f, fTrial) = (fTrial, f);
                ws.X = x;
                ws.XTrial = xTrial;
                ws.Residuals = f;
                ws.ResidualsTrial = fTrial;
                previousCost = cost;
                cost = costTrial;
                fnorm = fnorm1;
                xnorm = ScaledNorm(x, diag, fixedMask);
                lastStepNorm = pnorm;
                counters.Iterations++;
                needJacobian = true;
                jacobianCurrent = false;
            }

            // Convergence tests (MINPACK info 1–3), then the limits and the stringent tests (info 5–8).
            bool functionTest = Math.Abs(actred) <= ftol && prered <= ftol && P5 * ratio <= 1;
            if (refining && prered <= ftol && Math.Abs(actred) <= sqrtFtol)
            {
                // With refinement to follow, a step the model says is worth at most ftol ends the loop even when the
                // measured change exceeds ftol: at that scale the measured change is the residuals' rounding noise,
                // and the trust region would only shrink through a tail of noise-rejected trials. (√ftol bounds
                // what can pass for noise.)
                functionTest = true;
            }
            bool parameterTest = delta <= xtol * xnorm;
            if (functionTest && parameterTest)
            {
                status = LevenbergMarquardtStatus.FunctionAndParameterToleranceReached;
                break;
            }

            if (functionTest)
            {
                status = LevenbergMarquardtStatus.FunctionToleranceReached;
                break;
            }

            if (parameterTest)
            {
                status = LevenbergMarquardtStatus.ParameterToleranceReached;
                break;
            }

            if (maxfev > 0 && counters.FunctionEvaluations >= maxfev)
            {
                status = LevenbergMarquardtStatus.MaxFunctionEvaluationsReached;
                break;
            }

            if (Math.Abs(actred) <= MachineEpsilon && prered <= MachineEpsilon && P5 * ratio <= 1)
            {
                status = LevenbergMarquardtStatus.FunctionToleranceTooSmall;
                break;
            }

            if (delta <= MachineEpsilon * xnorm)
            {
                status = LevenbergMarquardtStatus.ParameterToleranceTooSmall;
                break;
            }

            if (gnorm <= MachineEpsilon)
            {
                status = LevenbergMarquardtStatus.GradientToleranceTooSmall;
                break;
            }
        }

        bool haveJacobian = jacobianCurrent && !needJacobian;
        int factoredFree = haveJacobian ? k : -1;
        if (bestRejectedCost < cost)
        {
            ws.XBest.AsSpan().CopyTo(ws.X);
            ws.ResidualsBest.AsSpan().CopyTo(ws.Residuals);
            cost = bestRejectedCost;
            haveJacobian = false;
            factoredFree = -1;
            if (robust)
            {
                loss.Correct(ws.Residuals, ws.ModelResiduals, ws.RowScales);
            }
        }

        if (options.RefinementSteps > 0 && IsConvergence(status))
        {
            Refine(ref problem, ws, backend, fd, options, loss, sqrtWeights, ref counters, ref cost, ref haveJacobian, ref gradientNorm, factoredFree);
        }

        return Finish(ref problem, ws, backend, fd, options, loss, sqrtWeights, ref counters, cost, gradientNorm, par, haveJacobian, started, status);
    }

    private static bool IsConvergence(LevenbergMarquardtStatus status) =>
        status is >= LevenbergMarquardtStatus.FunctionToleranceReached and <= LevenbergMarquardtStatus.GradientToleranceReached
            or >= LevenbergMarquardtStatus.FunctionToleranceTooSmall and <= LevenbergMarquardtStatus.GradientToleranceTooSmall;

    /// <summary>
    /// Gauss–Newton refinement after convergence. Near the minimum the cost is flat to within its own rounding
    /// noise (a step that improves the parameters by 1e-9 relative changes the cost by ~1e-18 relative), so the
    /// trust-region loop, which judges steps by cost, stops wherever that noise left it. The gradient is far
    /// less noisy, and the undamped step p = −(JᵀJ)⁻¹Jᵀr is the gradient in the metric JᵀJ. Each round takes an
    /// accurate Jacobian at the current point (analytic; central differences when the problem has none,
    /// whatever the main loop's scheme), and the undamped step from it. The previous round's move is kept only
    /// if this step is shorter than the one that made it (the gradient decreased) — otherwise the solver goes
    /// back to where that round started and stops. A move is also refused when it would raise the cost by more
    /// than rounding (√ε relative), leave the bounds, or be below the rounding of the parameters. At most
    /// <see cref="LevenbergMarquardtOptions.RefinementSteps"/> rounds; a converged solve typically spends one or
    /// two Jacobians and residual evaluations here. Finite-difference problems take a single round and keep its
    /// move on the cost guard alone: the central-difference Jacobian removes the forward differences' O(√ε)
    /// bias from the fixed point, and a second one to validate the move would cost another 2n evaluations.
    /// </summary>
    private static void Refine<TProblem>(ref TProblem problem, LevenbergMarquardtWorkspace ws, ILinearAlgebraBackend backend,
                                         FiniteDifferenceSettings fd, LevenbergMarquardtOptions options, RobustLossFunction loss,
                                         double[]? sqrtWeights, ref Counters counters, ref double cost, ref bool haveJacobian,
                                         ref double gradientNorm, int factoredFree)
        where TProblem : ILeastSquaresProblem
    {
        int n = ws.ParameterCount;
        int m = ws.ResidualCount;
        bool robust = !loss.IsNone;
        bool useQr = options.Method == LevenbergMarquardtMethod.Qr;
        bool[]? fixedMask = options.FixedParameters;
        double[]? lower = options.LowerBounds;
        double[]? upper = options.UpperBounds;
        bool bounded = lower is not null || upper is not null;
        double sqrtEpsilon = Math.Sqrt(MachineEpsilon);
        double previousStep = double.PositiveInfinity;
        double previousCost = cost;
        bool moved = false;

        // Finite-difference problems: one round, its move kept on the cost guard alone — a validating central
        // Jacobian costs 2n residual evaluations, more than the rest of a typical refinement.
        bool differences = ws.JacobianFromDifferences;
        for (int round = 0; round <= options.RefinementSteps; round++)
        {
            // An accurate Jacobian at the current point: a forward-difference one is replaced by central differences.
            // The main loop's last factorisation serves the first round when it is of an accurate Jacobian here.
            bool accurate = !(ws.JacobianFromDifferences && fd.Scheme == FiniteDifferenceScheme.Forward);
            bool reuse = round == 0 && factoredFree >= 0 && accurate;
            bool ok = true;
            if (!reuse && (!haveJacobian || !accurate))
            {
                ok = EvaluateJacobian(ref problem, ws, fd.Central, sqrtWeights, robust, loss, ref counters);
                haveJacobian = ok;
            }

            int k = reuse ? factoredFree : 0;
            double stepNorm = double.PositiveInfinity;
            Span<double> p = default;
            if (ok)
            {
                ReadOnlySpan<double> model = robust ? ws.ModelResiduals : ws.Residuals;
                if (!reuse)
                {
                    k = SelectFree(ws, ws.X, model, lower, upper, fixedMask, bounded);
                    if (k > 0)
                    {
                        if (useQr)
                        {
                            FactorQr(ws, backend, options, model, k);
                        }
                        else
                        {
                            FormNormalEquations(ws, backend, options, model, k);
                        }
                    }
                }

                if (k > 0)
                {
                    // One metric for every round: the main loop's scaling D.
                    for (int jj = 0; jj < k; jj++)
                    {
                        ws.DiagFree[jj] = ws.Diag[ws.FreeIndex[jj]];
                    }

                    p = ws.Step.AsSpan(0, k);
                    ok = UndampedStep(ws, useQr, k, p);
                    stepNorm = ok ? ScaledNormFree(p, ws.DiagFree, k) : double.PositiveInfinity;
                }
            }

            if (!(stepNorm < previousStep))
            {
                // The gradient did not decrease (or could not be measured): undo the previous round's move.
                if (moved)
                {
                    ws.XBest.AsSpan().CopyTo(ws.X);
                    ws.ResidualsBest.AsSpan().CopyTo(ws.Residuals);
                    cost = previousCost;
                    counters.Iterations--;
                    haveJacobian = false;
                    if (robust)
                    {
                        loss.Correct(ws.Residuals, ws.ModelResiduals, ws.RowScales);
                    }
                }

                return;
            }

            if (moved)
            {
                gradientNorm = RowMajorGradientInfinity(ws, robust ? ws.ModelResiduals : ws.Residuals, fixedMask);
            }

            if (k == 0 || round == options.RefinementSteps)
            {
                return;
            }

            // The trial point x − p (p solves J·p ≈ r).
            double[] x = ws.X;
            double[] xTrial = ws.XTrial;
            x.AsSpan().CopyTo(xTrial);
            bool negligible = true;
            for (int jj = 0; jj < k; jj++)
            {
                int j = ws.FreeIndex[jj];
                double target = x[j] - p[jj];
                if ((lower is not null && target < lower[j]) || (upper is not null && target > upper[j]) || !double.IsFinite(target))
                {
                    return;
                }

                negligible &= target == x[j];
                xTrial[j] = target;
            }

            if (negligible)
            {
                return;
            }

            double trialCost = EvaluateCost(ref problem, xTrial, ws.ResidualsTrial, sqrtWeights, loss, ref counters);
            if (!(trialCost <= cost * (1 + sqrtEpsilon)))
            {
                return;
            }

            // Move, keeping the point left behind in case the next round rejects the move.
            ws.X.AsSpan().CopyTo(ws.XBest);
            ws.Residuals.AsSpan().CopyTo(ws.ResidualsBest);
            previousCost = cost;
            previousStep = stepNorm;
            Swap(ws);
            cost = trialCost;
            haveJacobian = false;
            moved = true;
            counters.Iterations++;
            if (differences)
            {
                return;
            }
        }
    }

    /// <summary>The undamped step p (J·p ≈ r) from the current factorisation.</summary>
    private static bool UndampedStep(LevenbergMarquardtWorkspace ws, bool useQr, int k, Span<double> p)
    {
        if (useQr)
        {
            var system = new QrDampedSystem(ws.R, ws.Permutation.AsSpan(0, k), ws.Qtf.AsSpan(0, k), ws.Sdiag, ws.Wa, ws.Wb, k);
            return system.SolveGaussNewton(p) != GaussNewtonOutcome.Unavailable && !ContainsNonFinite(p);
        }
        else
        {
            var system = new NormalEquationsDampedSystem(ws.Jtj.AsSpan(0, k * k), ws.Jtf.AsSpan(0, k), ws.Factor, ws.Wb, k);
            return system.SolveGaussNewton(p) != GaussNewtonOutcome.Unavailable && !ContainsNonFinite(p);
        }
    }

    private static bool ContainsNonFinite(ReadOnlySpan<double> values) => Validate.IndexOfNonFinite(values) >= 0;

    private static void Swap(LevenbergMarquardtWorkspace ws)
    {
        (ws.X, ws.XTrial) = (ws.XTrial, ws.X);
        (ws.Residuals, ws.ResidualsTrial) = (ws.ResidualsTrial, ws.Residuals);
    }

    private static double RowMajorGradientInfinity(LevenbergMarquardtWorkspace ws, ReadOnlySpan<double> model, bool[]? fixedMask)
    {
        int n = ws.ParameterCount;
        Span<double> gradient = ws.Gradient;
        RowMajorGradient(ws, model, gradient);
        double largest = 0;
        for (int j = 0; j < n; j++)
        {
            if (fixedMask is null || !fixedMask[j])
            {
                largest = Math.Max(largest, Math.Abs(gradient[j]));
            }
        }

        return largest;
    }

    private static void RowMajorGradient(LevenbergMarquardtWorkspace ws, ReadOnlySpan<double> model, Span<double> gradient)
    {
        int n = ws.ParameterCount;
        int m = ws.ResidualCount;
        gradient[..n].Clear();
        double[] jacobian = ws.Jacobian;
        for (int i = 0; i < m; i++)
        {
            double fi = model[i];
            ReadOnlySpan<double> row = jacobian.AsSpan(i * n, n);
            for (int j = 0; j < n; j++)
            {
                gradient[j] += row[j] * fi;
            }
        }
    }

    private static LevenbergMarquardtResult Finish<TProblem>(ref TProblem problem, LevenbergMarquardtWorkspace ws, ILinearAlgebraBackend backend,
                                                             FiniteDifferenceSettings fd, LevenbergMarquardtOptions options, RobustLossFunction loss,
                                                             double[]? sqrtWeights, ref Counters counters, double cost, double gradientNorm, double par,
                                                             bool haveJacobian, long started, LevenbergMarquardtStatus status)
        where TProblem : ILeastSquaresProblem
    {
        int n = ws.ParameterCount;
        bool robust = !loss.IsNone;
        double rss = robust ? Norms.SumOfSquares(ws.Residuals) : cost;
        double[]? covariance = null;
        double[]? standardErrors = null;
        int? rank = null;
        if (options.ComputeCovariance && status is not LevenbergMarquardtStatus.NonFiniteResiduals and not LevenbergMarquardtStatus.NonFiniteJacobian)
        {
            if (!haveJacobian)
            {
                haveJacobian = EvaluateJacobian(ref problem, ws, fd, sqrtWeights, robust, loss, ref counters);
            }

            if (haveJacobian)
            {
                covariance = new double[n * n];
                standardErrors = new double[n];
                rank = LeastSquaresCovariance.Compute(ws, backend, options.FixedParameters, cost, covariance, standardErrors);
            }
        }

        return new LevenbergMarquardtResult
        {
            Parameters = ws.X.AsSpan().ToArray(),
            ResidualSumOfSquares = rss,
            Cost = cost,
            Iterations = counters.Iterations,
            FunctionEvaluations = counters.FunctionEvaluations,
            JacobianEvaluations = counters.JacobianEvaluations,
            Status = status,
            GradientNorm = gradientNorm,
            Damping = par,
            StandardErrors = standardErrors,
            Covariance = covariance,
            Rank = rank,
            // Small problems run the fused managed kernels whatever backend was resolved.
            Backend = options.Backend == ComputeBackend.Native || n > JacobianQr.MaxColumns ? backend.Kind : ComputeBackend.Managed,
            Elapsed = Stopwatch.GetElapsedTime(started),
        };
    }

    private static void Project(Span<double> x, double[]? lower, double[]? upper)
    {
        for (int j = 0; j < x.Length; j++)
        {
            x[j] = Math.Clamp(x[j], lower?[j] ?? double.NegativeInfinity, upper?[j] ?? double.PositiveInfinity);
        }
    }

    /// <summary>Evaluates the weighted residuals at x and returns the cost Σρ (+∞ when not finite).</summary>
    private static double EvaluateCost<TProblem>(ref TProblem problem, double[] x, double[] f, double[]? sqrtWeights, RobustLossFunction loss,
                                                 ref Counters counters)
        where TProblem : ILeastSquaresProblem
    {
        problem.Residuals(x, f);
        counters.FunctionEvaluations++;
        Weighting.Apply(f, sqrtWeights);
        double cost = loss.Cost(f);
        return double.IsFinite(cost) ? cost : double.PositiveInfinity;
    }

    /// <summary>
    /// J̃ at ws.X into ws.Jacobian: analytic (weighted) or finite differences, robust row scales applied.
    /// False when an entry of a non-fixed column is not finite.
    /// </summary>
    private static bool EvaluateJacobian<TProblem>(ref TProblem problem, LevenbergMarquardtWorkspace ws, FiniteDifferenceSettings fd,
                                                   double[]? sqrtWeights, bool robust, RobustLossFunction loss, ref Counters counters)
        where TProblem : ILeastSquaresProblem
    {
        int n = ws.ParameterCount;
        double[] jacobian = ws.Jacobian;
        counters.JacobianEvaluations++;
        ws.JacobianFromDifferences = false;
        if (problem.Jacobian(ws.X, jacobian))
        {
            if (sqrtWeights is not null)
            {
                Weighting.ScaleRows(jacobian, n, sqrtWeights);
            }
        }
        else
        {
            counters.FunctionEvaluations += FiniteDifferenceJacobian.Compute(ref problem, ws.X, ws.Residuals, jacobian, fd, sqrtWeights, ws);
            ws.JacobianFromDifferences = true;
        }

        if (robust)
        {
            loss.Correct(ws.Residuals, ws.ModelResiduals, ws.RowScales);
            Weighting.ScaleRows(jacobian, n, ws.RowScales);
        }

        return ColumnStatistics(ws, fd.Fixed);
    }

    /// <summary>
    /// One pass over the row-major Jacobian: ‖J̃[:, j]‖ into ws.ColumnNorms for every non-fixed column (0 for
    /// fixed ones, whose entries are cleared so a NaN there cannot spread), and whether every non-fixed entry
    /// is finite (a non-finite entry makes its column's sum of squares NaN or ∞, which sends that column to an
    /// exact check).
    /// </summary>
    private static bool ColumnStatistics(LevenbergMarquardtWorkspace ws, bool[]? fixedMask)
    {
        int n = ws.ParameterCount;
        int m = ws.ResidualCount;
        double[] jacobian = ws.Jacobian;
        Span<double> norms = ws.ColumnNorms.AsSpan(0, n);
        norms.Clear();
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<double> row = jacobian.AsSpan(i * n, n);
            for (int j = 0; j < row.Length; j++)
            {
                norms[j] += row[j] * row[j];
            }
        }

        for (int j = 0; j < n; j++)
        {
            if (fixedMask is not null && fixedMask[j])
            {
                if (!double.IsFinite(norms[j]))
                {
                    for (int i = 0; i < m; i++)
                    {
                        jacobian[(i * n) + j] = 0;
                    }
                }

                norms[j] = 0;
                continue;
            }

            double sum = norms[j];
            if (sum > 1e-290 && sum < 1e290)
            {
                norms[j] = Math.Sqrt(sum);
            }
            else if (sum != 0)
            {
                // NaN, ∞, or squares out of range: check the entries, then scale by the largest.
                double scale = 0;
                for (int i = 0; i < m; i++)
                {
                    double v = jacobian[(i * n) + j];
                    if (!double.IsFinite(v))
                    {
                        return false;
                    }

                    scale = Math.Max(scale, Math.Abs(v));
                }

                double scaled = 0;
                for (int i = 0; i < m; i++)
                {
                    double v = jacobian[(i * n) + j] / scale;
                    scaled += v * v;
                }

                norms[j] = scale * Math.Sqrt(scaled);
            }
        }

        return true;
    }

    /// <summary>
    /// The free parameters of this iteration: not fixed, and not held at a bound by the gradient (at a lower
    /// bound with ∂cost/∂pⱼ &gt; 0, or at an upper bound with ∂cost/∂pⱼ &lt; 0). Writes ws.FreeIndex; returns k.
    /// </summary>
    private static int SelectFree(LevenbergMarquardtWorkspace ws, double[] x, ReadOnlySpan<double> model, double[]? lower, double[]? upper,
                                  bool[]? fixedMask, bool bounded)
    {
        int n = ws.ParameterCount;
        int m = ws.ResidualCount;
        Span<double> gradient = ws.Gradient;
        if (bounded)
        {
            gradient[..n].Clear();
            double[] jacobian = ws.Jacobian;
            for (int i = 0; i < m; i++)
            {
                double fi = model[i];
                ReadOnlySpan<double> row = jacobian.AsSpan(i * n, n);
                for (int j = 0; j < n; j++)
                {
                    gradient[j] += row[j] * fi;
                }
            }
        }

        int k = 0;
        for (int j = 0; j < n; j++)
        {
            if (fixedMask is not null && fixedMask[j])
            {
                continue;
            }

            if (bounded)
            {
                double lo = lower?[j] ?? double.NegativeInfinity;
                double hi = upper?[j] ?? double.PositiveInfinity;
                if (lo == hi || (x[j] <= lo && gradient[j] > 0) || (x[j] >= hi && gradient[j] < 0))
                {
                    continue;
                }
            }

            ws.FreeIndex[k++] = j;
        }

        return k;
    }

    /// <summary>Pivoted QR of the free columns; R copied to ws.R (k×k), Qᵀf̃ into ws.Qtf.</summary>
    private static void FactorQr(LevenbergMarquardtWorkspace ws, ILinearAlgebraBackend backend, LevenbergMarquardtOptions options,
                                 ReadOnlySpan<double> model, int k)
    {
        int n = ws.ParameterCount;
        int m = ws.ResidualCount;
        int rows = ws.Rows;
        if (k == 0)
        {
            return;
        }

        // Small problems always take the fused managed kernel: a call into the native library costs more than the
        // whole factorisation there. An explicit Native request is honoured.
        if (k <= JacobianQr.MaxColumns && options.Backend != ComputeBackend.Native)
        {
            JacobianQr.Factor(ws.Jacobian, m, n, ws.FreeIndex.AsSpan(0, k), k, rows, ws.ColumnNorms, model,
                ws.Qr, ws.Permutation, ws.Tau, ws.Qtf, ws.R, ws.Wa1, ws.Wa2);
            return;
        }

        double[] qr = ws.Qr;
        double[] jacobian = ws.Jacobian;
        int[] free = ws.FreeIndex;

        // Transpose the free columns into column-major storage (zero rows below m when m < n).
        for (int jj = 0; jj < k; jj++)
        {
            int j = free[jj];
            Span<double> column = qr.AsSpan(jj * rows, rows);
            for (int i = 0; i < m; i++)
            {
                column[i] = jacobian[(i * n) + j];
            }

            column[m..].Clear();
        }

        backend.QrFactor(qr, rows, k, rows, ws.Permutation, ws.Tau, ws.QrWork, pivot: true);

        Span<double> r = ws.R;
        for (int j = 0; j < k; j++)
        {
            for (int i = 0; i < k; i++)
            {
                r[i + (j * k)] = i <= j ? qr[(j * rows) + i] : 0;
            }
        }

        Span<double> qtf = ws.Qtf;
        model.CopyTo(qtf);
        qtf[m..].Clear();
        PivotedQr.ApplyQt(qr, rows, k, rows, ws.Tau, qtf);
    }

    /// <summary>JᵀJ and Jᵀf̃ over the free columns.</summary>
    private static void FormNormalEquations(LevenbergMarquardtWorkspace ws, ILinearAlgebraBackend backend, LevenbergMarquardtOptions options,
                                            ReadOnlySpan<double> model, int k)
    {
        int n = ws.ParameterCount;
        int m = ws.ResidualCount;
        if (k == 0)
        {
            return;
        }

        ReadOnlySpan<double> a = ws.Jacobian;
        int lda = n;
        if (k < n)
        {
            Span<double> compact = ws.JacobianFree;
            for (int i = 0; i < m; i++)
            {
                for (int jj = 0; jj < k; jj++)
                {
                    compact[(i * k) + jj] = ws.Jacobian[(i * n) + ws.FreeIndex[jj]];
                }
            }

            a = compact;
            lda = k;
        }

        if (k <= JacobianQr.MaxColumns && options.Backend != ComputeBackend.Native)
        {
            Gram.AtA(m, k, a, lda, ws.Jtj, k, accumulate: false, model, ws.Jtf);
        }
        else
        {
            backend.Gram(m, k, a, lda, ws.Jtj, k, accumulate: false, model, ws.Jtf);
        }

        for (int jj = 0; jj < k; jj++)
        {
            ws.Permutation[jj] = jj;
        }
    }

    /// <summary>
    /// MINPACK's gnorm (the largest cosine between f̃ and a free Jacobian column) and ‖J̃ᵀf̃‖∞.
    /// </summary>
    private static (double Cosine, double Infinity) GradientMeasures(LevenbergMarquardtWorkspace ws, bool useQr, int k, double fnorm, ReadOnlySpan<double> norms)
    {
        double cosine = 0;
        double infinity = 0;
        for (int j = 0; j < k; j++)
        {
            double g;
            int natural;
            if (useQr)
            {
                double sum = 0;
                for (int i = 0; i <= j; i++)
                {
                    sum += ws.R[i + (j * k)] * ws.Qtf[i];
                }

                g = sum;
                natural = ws.FreeIndex[ws.Permutation[j]];
            }
            else
            {
                g = ws.Jtf[j];
                natural = ws.FreeIndex[j];
            }

            infinity = Math.Max(infinity, Math.Abs(g));
            if (fnorm != 0 && norms[natural] != 0)
            {
                cosine = Math.Max(cosine, Math.Abs(g / fnorm) / norms[natural]);
            }
        }

        return (cosine, infinity);
    }

    /// <summary>The step system for this iteration's factorisation (QR or normal equations).</summary>
    private static void ComputeStep(LevenbergMarquardtWorkspace ws, bool useQr, bool trustRegion, int k, ReadOnlySpan<double> diag,
                                    double delta, ref double par, Span<double> x)
    {
        if (useQr)
        {
            var system = new QrDampedSystem(ws.R, ws.Permutation.AsSpan(0, k), ws.Qtf.AsSpan(0, k), ws.Sdiag, ws.Wa, ws.Wb, k);
            Solve(ref system, trustRegion, diag, delta, ref par, x, ws);
        }
        else
        {
            var system = new NormalEquationsDampedSystem(ws.Jtj.AsSpan(0, k * k), ws.Jtf.AsSpan(0, k), ws.Factor, ws.Wb, k);
            Solve(ref system, trustRegion, diag, delta, ref par, x, ws);
        }
    }

    private static void Solve<TSystem>(ref TSystem system, bool trustRegion, ReadOnlySpan<double> diag, double delta, ref double par,
                                       Span<double> x, LevenbergMarquardtWorkspace ws)
        where TSystem : struct, IDampedSystem, allows ref struct
    {
        if (trustRegion)
        {
            par = DampedLeastSquares.LevenbergMarquardtParameter(ref system, diag, delta, par, x, ws.Wa1, ws.Wa2);
            return;
        }

        // Direct λ control: a factor that fails (normal equations, λ too small) doubles λ.
        for (int attempt = 0; attempt < 60 && !system.SolveDamped(par, diag, x); attempt++)
        {
            par = Math.Max(2 * par, DampedLeastSquares.Dwarf);
        }
    }

    private static (double ModelNormSquared, double GradientDot) Model(LevenbergMarquardtWorkspace ws, bool useQr, int k, ReadOnlySpan<double> p)
    {
        if (useQr)
        {
            var system = new QrDampedSystem(ws.R, ws.Permutation.AsSpan(0, k), ws.Qtf.AsSpan(0, k), ws.Sdiag, ws.Wa, ws.Wb, k);
            return system.Model(p);
        }
        else
        {
            var system = new NormalEquationsDampedSystem(ws.Jtj.AsSpan(0, k * k), ws.Jtf.AsSpan(0, k), ws.Factor, ws.Wb, k);
            return system.Model(p);
        }
    }

    /// <summary>
    /// Geodesic acceleration on the velocity v in ws.Step: r_vv ≈ (2/h)·((f(x + h·v) − f(x))/h − J·v), the
    /// acceleration a = −argmin ‖J·a − r_vv‖² + λ‖D·a‖², and the step v + ½·a when ‖D·a‖ ≤ α‖D·v‖. Returns 1
    /// when the step was accelerated, 0 when the acceleration was skipped (probe outside the box or not
    /// finite), −1 when it was rejected as too large.
    /// </summary>
    private static int Accelerate<TProblem>(ref TProblem problem, LevenbergMarquardtWorkspace ws, bool useQr, int k, ReadOnlySpan<double> diag,
                                            double par, LevenbergMarquardtOptions options, double[]? sqrtWeights, bool robust,
                                            double[]? lower, double[]? upper, ref Counters counters)
        where TProblem : ILeastSquaresProblem
    {
        int n = ws.ParameterCount;
        int m = ws.ResidualCount;
        int rows = ws.Rows;
        double h = options.GeodesicStep;
        Span<double> v = ws.Step.AsSpan(0, k);
        double[] probe = ws.ProbeParameters;
        ws.X.AsSpan().CopyTo(probe);
        for (int jj = 0; jj < k; jj++)
        {
            int j = ws.FreeIndex[jj];
            double value = probe[j] + (h * v[jj]);
            if ((lower is not null && value < lower[j]) || (upper is not null && value > upper[j]))
            {
                return 0;
            }

            probe[j] = value;
        }

        double[] shifted = ws.Shifted;
        problem.Residuals(probe, shifted);
        counters.FunctionEvaluations++;
        Weighting.Apply(shifted, sqrtWeights);
        if (Validate.IndexOfNonFinite(shifted) >= 0)
        {
            return 0;
        }

        // r_vv in the model's units (robust: the Jacobian's row scales), from J̃·v on the row-major Jacobian.
        Span<double> rvv = ws.SecondDerivative;
        double[] jacobian = ws.Jacobian;
        double[] f = ws.Residuals;
        for (int i = 0; i < m; i++)
        {
            double jv = 0;
            int row = i * n;
            for (int jj = 0; jj < k; jj++)
            {
                jv += jacobian[row + ws.FreeIndex[jj]] * v[jj];
            }

            double difference = (shifted[i] - f[i]) / h;
            if (robust)
            {
                difference *= ws.RowScales[i];
            }

            rvv[i] = 2 / h * (difference - jv);
        }

        Span<double> a = ws.Acceleration.AsSpan(0, k);
        if (useQr)
        {
            rvv[m..rows].Clear();
            PivotedQr.ApplyQt(ws.Qr, rows, k, rows, ws.Tau, rvv);
            var system = new QrDampedSystem(ws.R, ws.Permutation.AsSpan(0, k), ws.Qtf.AsSpan(0, k), ws.Sdiag, ws.Wa, ws.Wb, k);
            system.SolveDampedAgain(rvv[..k], par, diag, a);
        }
        else
        {
            Span<double> rhs = ws.Wa2.AsSpan(0, k);
            rhs.Clear();
            for (int i = 0; i < m; i++)
            {
                int row = i * n;
                for (int jj = 0; jj < k; jj++)
                {
                    rhs[jj] += jacobian[row + ws.FreeIndex[jj]] * rvv[i];
                }
            }

            var system = new NormalEquationsDampedSystem(ws.Jtj.AsSpan(0, k * k), ws.Jtf.AsSpan(0, k), ws.Factor, ws.Wb, k);
            system.SolveDampedAgain(rhs, par, diag, a);
        }

        double anorm = ScaledNormFree(a, diag, k);
        double vnorm = ScaledNormFree(v, diag, k);
        if (!(anorm <= options.GeodesicAccelerationRatio * vnorm))
        {
            return -1;
        }

        // a solves J·a ≈ r_vv; the acceleration is −a.
        for (int jj = 0; jj < k; jj++)
        {
            v[jj] -= P5 * a[jj];
        }

        return 1;
    }

    private static double ScaledNorm(ReadOnlySpan<double> x, ReadOnlySpan<double> diag, bool[]? fixedMask)
    {
        double sum = 0;
        double scale = 0;
        for (int j = 0; j < x.Length; j++)
        {
            if (fixedMask is not null && fixedMask[j])
            {
                continue;
            }

            scale = Math.Max(scale, Math.Abs(diag[j] * x[j]));
        }

        if (scale == 0 || !double.IsFinite(scale))
        {
            return scale;
        }

        for (int j = 0; j < x.Length; j++)
        {
            if (fixedMask is not null && fixedMask[j])
            {
                continue;
            }

            double v = diag[j] * x[j] / scale;
            sum += v * v;
        }

        return scale * Math.Sqrt(sum);
    }

    private static double ScaledNormFree(ReadOnlySpan<double> p, ReadOnlySpan<double> diag, int k)
    {
        double sum = 0;
        double scale = 0;
        for (int j = 0; j < k; j++)
        {
            scale = Math.Max(scale, Math.Abs(diag[j] * p[j]));
        }

        if (scale == 0 || !double.IsFinite(scale))
        {
            return scale;
        }

        for (int j = 0; j < k; j++)
        {
            double v = diag[j] * p[j] / scale;
            sum += v * v;
        }

        return scale * Math.Sqrt(sum);
    }
}
