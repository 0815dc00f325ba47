using SuperSpace.Simd.Tests.Solvers.Problems;

namespace SuperSpace.Simd.Tests.Solvers;

/// <summary>
/// Outcomes that are statuses, not exceptions: callback stop, cancellation, non-finite residuals and
/// Jacobians at the start and at trial points; the best point is always returned; the iteration loop
/// allocates nothing; invalid input throws before any work.
/// </summary>
[TestFixture]
public sealed class LevenbergMarquardtRobustnessTests
{
    private static double Cost<TProblem>(TProblem problem, double[] x)
        where TProblem : ILeastSquaresProblem
    {
        var r = new double[problem.ResidualCount];
        problem.Residuals(x, r);
        return r.Sum(v => v * v);
    }

    [Test]
    public void ProgressCallbackSeesEveryIterationAndCanStop()
    {
        var problem = new MghProblem(MghFunction.Osborne1, 5, 33);
        var seen = new List<(int Iteration, double Cost, double[] Parameters)>();
        var options = new LevenbergMarquardtOptions
        {
            Progress = p =>
            {
                seen.Add((p.Iteration, p.Cost, p.Parameters.ToArray()));
                Assert.That(p.GradientNorm, Is.GreaterThanOrEqualTo(0));
                Assert.That(p.TrustRegionRadius, Is.GreaterThan(0));
                return p.Iteration < 5;
            },
        };
        var result = new LevenbergMarquardtSolver(options).Solve(problem, problem.StartingPoint());
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(LevenbergMarquardtStatus.UserStop));
            Assert.That(result.Converged, Is.False);
            Assert.That(seen.Select(s => s.Iteration), Is.EqualTo(new[] { 0, 1, 2, 3, 4, 5 }));
            Assert.That(seen.Select(s => s.Cost), Is.Ordered.Descending, "each iteration lowers the cost");
            Assert.That(result.Iterations, Is.EqualTo(5));
            Assert.That(result.Parameters, Is.EqualTo(seen[^1].Parameters), "the point of the last callback");
            Assert.That(result.Cost, Is.EqualTo(seen[^1].Cost));
            Assert.That(Cost(problem, result.Parameters), Is.EqualTo(result.Cost).Within(1e-12).Percent);
        });
    }

    /// <summary>Counts residual evaluations and cancels a token after a given number.</summary>
    private sealed class Cancelling(MghProblem inner, CancellationTokenSource source, int after) : ILeastSquaresProblem
    {
        public int Evaluations { get; private set; }

        public double BestCost { get; private set; } = double.PositiveInfinity;

        public int ParameterCount => inner.ParameterCount;

        public int ResidualCount => inner.ResidualCount;

        public void Residuals(ReadOnlySpan<double> parameters, Span<double> residuals)
        {
            inner.Residuals(parameters, residuals);
            double cost = 0;
            foreach (double r in residuals)
            {
                cost += r * r;
            }

            BestCost = Math.Min(BestCost, cost);
            if (++Evaluations == after)
            {
                source.Cancel();
            }
        }

        public bool Jacobian(ReadOnlySpan<double> parameters, Span<double> jacobian) => inner.Jacobian(parameters, jacobian);
    }

    [Test]
    public void CancellationReturnsTheBestPointSoFar()
    {
        var mgh = new MghProblem(MghFunction.Meyer, 3, 16);
        using var source = new CancellationTokenSource();
        var problem = new Cancelling(mgh, source, after: 40);
        var result = new LevenbergMarquardtSolver().Solve(problem, mgh.StartingPoint(), source.Token);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(LevenbergMarquardtStatus.Cancelled));
            Assert.That(problem.Evaluations, Is.EqualTo(40), "stops at the next check, without another evaluation");
            // (The solver sums squares in four interleaved accumulators, the test sequentially: last-bit differences.)
            Assert.That(result.Cost, Is.EqualTo(problem.BestCost).Within(1e-13).Percent, "the lowest cost evaluated");
            Assert.That(Cost(mgh, result.Parameters), Is.EqualTo(result.Cost).Within(1e-13).Percent);
            Assert.That(result.Cost, Is.LessThan(Cost(mgh, mgh.StartingPoint())));
        });
    }

    [Test]
    public void AnAlreadyCancelledTokenReturnsTheStart()
    {
        var problem = new MghProblem(MghFunction.Rosenbrock, 2, 2);
        var result = new LevenbergMarquardtSolver().Solve(problem, [-1.2, 1.0], new CancellationToken(canceled: true));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(LevenbergMarquardtStatus.Cancelled));
            Assert.That(result.Parameters, Is.EqualTo(new[] { -1.2, 1.0 }));
            Assert.That(result.FunctionEvaluations, Is.EqualTo(1));
        });
    }

    /// <summary>r = (√p₀·xᵢ − yᵢ, p₁ − 1): NaN for p₀ &lt; 0, and a Jacobian that can be told to fail.</summary>
    private sealed class SquareRootModel(Func<double[], bool> jacobianFails) : ILeastSquaresProblem
    {
        private static readonly double[] X = [1, 2, 3, 4, 5];

        public int NonFiniteResidualEvaluations { get; private set; }

        public int FailedJacobians { get; private set; }

        public int ParameterCount => 2;

        public int ResidualCount => 6;

        public void Residuals(ReadOnlySpan<double> p, Span<double> r)
        {
            double root = Math.Sqrt(p[0]);
            for (int i = 0; i < 5; i++)
            {
                r[i] = (root * X[i]) - (0.5 * X[i]);
            }

            r[5] = p[1] - 1;
            if (!double.IsFinite(root))
            {
                NonFiniteResidualEvaluations++;
            }
        }

        public bool Jacobian(ReadOnlySpan<double> p, Span<double> jacobian)
        {
            double d = 0.5 / Math.Sqrt(p[0]);
            if (jacobianFails(p.ToArray()))
            {
                d = double.NaN;
                FailedJacobians++;
            }

            for (int i = 0; i < 5; i++)
            {
                jacobian[2 * i] = d * X[i];
                jacobian[(2 * i) + 1] = 0;
            }

            jacobian[10] = 0;
            jacobian[11] = 1;
            return true;
        }
    }

    [Test]
    public void NaNAtTrialPointsIsRejectedAndTheRegionShrinks()
    {
        // From p₀ = 4 the first Gauss–Newton step overshoots below 0 (√ is undefined there); the solver must
        // back off and still reach p₀ = 0.25.
        var problem = new SquareRootModel(_ => false);
        var result = new LevenbergMarquardtSolver().Solve(problem, [4.0, 3.0]);
        Assert.Multiple(() =>
        {
            Assert.That(problem.NonFiniteResidualEvaluations, Is.GreaterThan(0), "the path did meet NaN");
            Assert.That(result.Converged, Is.True, result.Message);
            Assert.That(result.Parameters, Is.EqualTo(new[] { 0.25, 1.0 }).Within(1e-12));
        });
    }

    [Test]
    public void ANonFiniteJacobianAtAnAcceptedPointSendsTheSolverBack()
    {
        // The Jacobian at the first accepted point is NaN: the solver must return to the start (whose
        // factorisation it still has), shrink the region and find another way.
        int calls = 0;
        var problem = new SquareRootModel(_ => ++calls == 2);
        var result = new LevenbergMarquardtSolver().Solve(problem, [4.0, 3.0]);
        Assert.Multiple(() =>
        {
            Assert.That(problem.FailedJacobians, Is.GreaterThan(0), "the path did meet a NaN Jacobian");
            Assert.That(result.Converged, Is.True, result.Message);
            Assert.That(result.Parameters, Is.EqualTo(new[] { 0.25, 1.0 }).Within(1e-12));
        });
    }

    [Test]
    public void NonFiniteResidualsAtTheStartAreAStatus()
    {
        var problem = new SquareRootModel(_ => false);
        var result = new LevenbergMarquardtSolver(new LevenbergMarquardtOptions { ComputeCovariance = true }).Solve(problem, [-1.0, 3.0]);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(LevenbergMarquardtStatus.NonFiniteResiduals));
            Assert.That(result.Parameters, Is.EqualTo(new[] { -1.0, 3.0 }));
            Assert.That(result.Iterations, Is.Zero);
            Assert.That(result.FunctionEvaluations, Is.EqualTo(1));
            Assert.That(result.JacobianEvaluations, Is.Zero);
            Assert.That(result.Covariance, Is.Null);
            Assert.That(result.Message, Does.Contain("not all finite"));
        });
    }

    [Test]
    public void ANonFiniteJacobianAtTheStartIsAStatus()
    {
        var problem = new SquareRootModel(_ => true);
        var result = new LevenbergMarquardtSolver().Solve(problem, [4.0, 3.0]);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(LevenbergMarquardtStatus.NonFiniteJacobian));
            Assert.That(result.Parameters, Is.EqualTo(new[] { 4.0, 3.0 }));
            Assert.That(result.Iterations, Is.Zero);
        });
    }

    [Test]
    public void OverflowingResidualsAtTheStartAreAStatus()
    {
        var problem = new MghProblem(MghFunction.JennrichSampson, 2, 10);
        var result = new LevenbergMarquardtSolver().Solve(problem, [800.0, 0.4]);
        Assert.That(result.Status, Is.EqualTo(LevenbergMarquardtStatus.NonFiniteResiduals));
    }

    [Test]
    public void FiniteDifferencesStepAroundANaNBoundary()
    {
        // √p₀ at p₀ = 0: the forward probe is fine, and where a backward one would be NaN it is never needed.
        // At p₀ just above 0 with a bound at 0 the probe is taken forwards.
        var t = new[] { 1.0, 2.0, 3.0 };
        var solver = new LevenbergMarquardtSolver(new LevenbergMarquardtOptions { LowerBounds = [0.0] });
        var result = solver.Solve(3, [2.0], (p, r) =>
        {
            for (int i = 0; i < 3; i++)
            {
                r[i] = (Math.Sqrt(p[0]) * t[i]) - (0.1 * t[i]);
            }
        });
        Assert.That(result.Parameters[0], Is.EqualTo(0.01).Within(1e-9));
    }

    [Test]
    public void TheIterationLoopAllocatesNothing()
    {
        // Struct problem, workspace warm: the bytes a solve allocates (its result) do not grow with iterations.
        var problem = new MghProblem(MghFunction.Meyer, 3, 16);
        var x0 = problem.StartingPoint();
        var few = new LevenbergMarquardtSolver(new LevenbergMarquardtOptions { MaxIterations = 3 });
        var many = new LevenbergMarquardtSolver(new LevenbergMarquardtOptions { MaxIterations = 100 });
        long Measure(LevenbergMarquardtSolver solver)
        {
            solver.Solve(problem, x0);
            solver.Solve(problem, x0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var result = solver.Solve(problem, x0);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.That(result.Iterations, Is.GreaterThan(2));
            return bytes;
        }

        long fewBytes = Measure(few);
        long manyBytes = Measure(many);
        TestContext.Out.WriteLine($"3 iterations: {fewBytes} B; 100 iterations: {manyBytes} B");
        Assert.Multiple(() =>
        {
            Assert.That(manyBytes, Is.EqualTo(fewBytes), "bytes per iteration");
            Assert.That(manyBytes, Is.LessThan(1024), "only the result is allocated");
        });
    }

    [Test]
    public void FiniteDifferenceIterationsAllocateNothingEither()
    {
        var dataset = NistDataset.Load("Misra1a");
        if (dataset is null)
        {
            Assert.Ignore(SharedData.MissingMessage);
        }

        var problem = new NistProblem(dataset!, analyticJacobian: false);
        long Measure(int iterations)
        {
            var solver = new LevenbergMarquardtSolver(new LevenbergMarquardtOptions { MaxIterations = iterations, Loss = RobustLoss.Cauchy, Weights = Enumerable.Repeat(2.0, 14).ToArray() });
            solver.Solve(problem, dataset!.Start1);
            long before = GC.GetAllocatedBytesForCurrentThread();
            solver.Solve(problem, dataset.Start1);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.That(Measure(20), Is.EqualTo(Measure(2)));
    }

    [Test]
    public void MisuseThrowsBeforeAnyWork()
    {
        var problem = new MghProblem(MghFunction.Rosenbrock, 2, 2);
        var solver = new LevenbergMarquardtSolver();
        Assert.Multiple(() =>
        {
            Assert.That(() => solver.Solve(problem, [1.0]), Throws.ArgumentException.With.Property("ParamName").EqualTo("initialParameters"));
            Assert.That(() => solver.Solve(problem, [double.NaN, 1.0]), Throws.ArgumentException.With.Message.Contains("initialParameters[0]"));
            Assert.That(() => new LevenbergMarquardtSolver(new LevenbergMarquardtOptions { FunctionTolerance = -1 }), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new LevenbergMarquardtSolver(new LevenbergMarquardtOptions { LossScale = 0 }), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new LevenbergMarquardtSolver(new LevenbergMarquardtOptions { Scaling = LevenbergMarquardtScaling.User }), Throws.ArgumentException);
            Assert.That(() => new LevenbergMarquardtSolver(new LevenbergMarquardtOptions { Weights = [1, -1] }), Throws.ArgumentException.With.Message.Contains("Weights[1]"));
            Assert.That(() => new LevenbergMarquardtSolver(new LevenbergMarquardtOptions { LowerBounds = [0, 2], UpperBounds = [1, 1] }), Throws.ArgumentException.With.Message.Contains("UpperBounds[1]"));
            Assert.That(() => new LevenbergMarquardtSolver(new LevenbergMarquardtOptions { FiniteDifferenceParallelism = 0 }), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new LevenbergMarquardtSolver(new LevenbergMarquardtOptions { LowerBounds = [0, 0, 0] }).Solve(problem, [1.0, 1.0]),
                Throws.ArgumentException.With.Property("ParamName").EqualTo("LowerBounds"));
            Assert.That(() => new LevenbergMarquardtSolver(new LevenbergMarquardtOptions { Weights = [1, 1, 1] }).Solve(problem, [1.0, 1.0]),
                Throws.ArgumentException.With.Property("ParamName").EqualTo("Weights"));
            Assert.That(() => new LevenbergMarquardtSolver(new LevenbergMarquardtOptions { FixedParameters = [true] }).Solve(problem, [1.0, 1.0]),
                Throws.ArgumentException.With.Property("ParamName").EqualTo("FixedParameters"));
            Assert.That(() => solver.Solve<MghProblem>(default, [1.0]), Throws.InstanceOf<ArgumentOutOfRangeException>(), "ParameterCount 0");
            Assert.That(() => solver.Solve(2, [1.0], null!), Throws.ArgumentNullException);
        });
    }
}
