using SuperSpace.Simd.Tests.Solvers.Problems;

namespace SuperSpace.Simd.Tests.Solvers;

/// <summary>
/// NIST StRD nonlinear regression (the 19 lower- and average-difficulty files of the shared folder — NIST
/// publishes 27, the 8 higher-difficulty ones are not in it), both starting points, scored by NIST's log
/// relative error against the certified values (after mapping a fit that landed on a relabelled copy of the
/// certified minimum back to NIST's labelling, see <see cref="NistProblem.Canonical(ReadOnlySpan{double})"/>).
/// Default options throughout: no per-problem tuning.
/// </summary>
[TestFixture]
public sealed class LevenbergMarquardtNistTests
{
    private static IEnumerable<TestCaseData> Starts()
    {
        foreach (string name in NistProblem.Names)
        {
            yield return new TestCaseData(name, 1).SetArgDisplayNames(name, "start 1");
            yield return new TestCaseData(name, 2).SetArgDisplayNames(name, "start 2");
        }
    }

    private static NistDataset Load(string name) => NistDataset.Load(name) ?? Ignore<NistDataset>();

    private static T Ignore<T>()
    {
        Assert.Ignore(SharedData.MissingMessage);
        return default!;
    }

    /// <summary>
    /// Every parameter to 6 digits, the residual sum of squares to 6, the standard deviations to 4. The residuals
    /// of the exponential models are evaluated in double-double from the data as printed
    /// (<see cref="NistProblem.Compensated"/>): Lanczos1 is an almost exact fit (certified RSS 1.4e-25, residuals
    /// ~1e-13 on data ~1), so residuals computed in double carry ~1e-16 of rounding each and no fit could
    /// reproduce its RSS or the standard deviations (∝ √RSS) — see
    /// <see cref="DoubleResidualsLeaveLanczos1AtTheNoiseFloor"/>. The other models are evaluated as usual.
    /// </summary>
    [TestCaseSource(nameof(Starts))]
    public void AnalyticJacobianReachesTheCertifiedValues(string name, int start)
    {
        var dataset = Load(name);
        var solver = new LevenbergMarquardtSolver(new LevenbergMarquardtOptions { ComputeCovariance = true });
        var problem = new NistProblem(dataset, compensated: true);
        var result = solver.Solve(problem, dataset.Start(start));

        double parameterLre = problem.ParameterLre(result.Parameters);
        double deviationLre = problem.StandardErrorLre(result.Parameters, result.StandardErrors!);
        double rssLre = Lre.Of(result.ResidualSumOfSquares, dataset.CertifiedResidualSumOfSquares);
        TestContext.Out.WriteLine($"{name} start {start}: {result.Status}, LRE parameters {parameterLre:F2}, SD {deviationLre:F2}, RSS {rssLre:F2}; {result.Message}");
        Assert.Multiple(() =>
        {
            Assert.That(result.Converged, Is.True, result.Message);
            Assert.That(result.Rank, Is.EqualTo(dataset.ParameterCount));
            Assert.That(parameterLre, Is.GreaterThanOrEqualTo(6), "every parameter to 6 digits");
            Assert.That(rssLre, Is.GreaterThanOrEqualTo(6), "residual sum of squares to 6 digits");
            Assert.That(deviationLre, Is.GreaterThanOrEqualTo(4), "certified standard deviations to 4 digits");
        });
    }

    [Test]
    public void DoubleResidualsLeaveLanczos1AtTheNoiseFloor()
    {
        // The same fit with residuals computed in double: the parameters are as good, but the RSS is that of the
        // rounding noise (each residual ~1e-13 carries ~1e-16 of rounding from data ~1), within a few per cent
        // of the certified 1.43e-25 rather than to 6 digits.
        var dataset = Load("Lanczos1");
        var plain = new NistProblem(dataset);
        var compensated = new NistProblem(dataset, compensated: true);
        var solver = new LevenbergMarquardtSolver();
        var noisy = solver.Solve(plain, dataset.Start1);
        var exact = solver.Solve(compensated, dataset.Start1);
        Assert.Multiple(() =>
        {
            Assert.That(plain.ParameterLre(noisy.Parameters), Is.GreaterThanOrEqualTo(10));
            Assert.That(noisy.ResidualSumOfSquares, Is.EqualTo(dataset.CertifiedResidualSumOfSquares).Within(5).Percent);
            Assert.That(Lre.Of(noisy.ResidualSumOfSquares, dataset.CertifiedResidualSumOfSquares), Is.LessThan(4));
            Assert.That(Lre.Of(exact.ResidualSumOfSquares, dataset.CertifiedResidualSumOfSquares), Is.GreaterThanOrEqualTo(6));
        });
    }

    [TestCaseSource(nameof(Starts))]
    public void FiniteDifferencesReachFiveDigits(string name, int start)
    {
        var dataset = Load(name);
        var problem = new NistProblem(dataset, analyticJacobian: false);
        var result = new LevenbergMarquardtSolver().Solve(problem, dataset.Start(start));
        double parameterLre = problem.ParameterLre(result.Parameters);
        TestContext.Out.WriteLine($"{name} start {start}: {result.Status}, LRE {parameterLre:F2}, {result.FunctionEvaluations} evaluations");
        Assert.Multiple(() =>
        {
            Assert.That(result.Converged, Is.True, result.Message);
            Assert.That(result.JacobianEvaluations, Is.GreaterThan(0));
            Assert.That(parameterLre, Is.GreaterThanOrEqualTo(5));
        });
    }

    /// <summary>
    /// The published bar (BENCHMARKS.md): MINPACK's lmder with ftol = xtol = 1e-15 gets 53/54 of NIST's starts to
    /// LRE ≥ 6 with a mean minimum LRE of 9.23; ours must get all of them with a mean of at least 9.5, and be at
    /// least as accurate as MINPACK on every problem. Measured here on the 38 starts the shared folder holds,
    /// against cminpack (lmder, and lmdif for finite differences) run in the same process on the same models
    /// when it is installed. "At least as accurate" allows 0.1 digit: around LRE 10.5 (the conditioning floor of
    /// several of these problems) which of two fully converged fits rounds closer to the 11-digit certified
    /// value is luck.
    /// </summary>
    [TestCase(true)]
    [TestCase(false)]
    public void EveryStartToSixDigitsMeanAboveMinpackAndNoStartBelowIt(bool analytic)
    {
        if (SharedData.NistNonlinearFolder is null)
        {
            Assert.Ignore(SharedData.MissingMessage);
        }

        var solver = new LevenbergMarquardtSolver();
        var ours = new List<double>();
        var minpack = new List<double>();
        var labels = new List<string>();
        foreach (string name in NistProblem.Names)
        {
            var dataset = Load(name);
            for (int start = 1; start <= 2; start++)
            {
                var problem = new NistProblem(dataset, analytic);
                labels.Add($"{name} start {start}");
                ours.Add(problem.ParameterLre(solver.Solve(problem, dataset.Start(start)).Parameters));
                if (Cminpack.IsAvailable)
                {
                    minpack.Add(problem.ParameterLre(Cminpack.Solve(problem, dataset.Start(start), analytic).Parameters));
                }
            }
        }

        string peer = analytic ? "cminpack lmder" : "cminpack lmdif";
        TestContext.Out.WriteLine($"ours: {ours.Count(l => l >= 6)}/{ours.Count} ≥ 6, mean {ours.Average():F2}, min {ours.Min():F2}");
        if (minpack.Count > 0)
        {
            TestContext.Out.WriteLine($"{peer}: {minpack.Count(l => l >= 6)}/{minpack.Count} ≥ 6, mean {minpack.Average():F2}, min {minpack.Min():F2}");
        }

        Assert.Multiple(() =>
        {
            Assert.That(ours, Has.All.GreaterThanOrEqualTo(analytic ? 6 : 5));
            if (analytic)
            {
                Assert.That(ours.Average(), Is.GreaterThanOrEqualTo(9.5));
            }

            if (minpack.Count > 0)
            {
                Assert.That(ours.Average(), Is.GreaterThan(minpack.Average()), $"mean LRE above {peer}'s");
                for (int i = 0; i < ours.Count; i++)
                {
                    Assert.That(ours[i], Is.GreaterThanOrEqualTo(minpack[i] - 0.1), $"{labels[i]}: below {peer}");
                }
            }
        });
    }
}
