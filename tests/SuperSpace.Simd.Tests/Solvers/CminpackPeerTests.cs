using SuperSpace.Simd.Tests.Solvers.Problems;

namespace SuperSpace.Simd.Tests.Solvers;

/// <summary>
/// The MINPACK peer through P/Invoke works: lmder and lmdif on NIST Misra1a reach the certified
/// values, and on MGH Rosenbrock they find (1, 1). Skips with the load trace when libcminpack is absent.
/// </summary>
[TestFixture]
public sealed class CminpackPeerTests
{
    [SetUp]
    public void RequireCminpack()
    {
        if (!Cminpack.IsAvailable)
        {
            Assert.Ignore(Cminpack.UnavailableMessage);
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void LmderAndLmdifSolveMisra1a(bool analytic)
    {
        var dataset = NistDataset.Load("Misra1a");
        if (dataset is null)
        {
            Assert.Ignore(SharedData.MissingMessage);
        }

        var result = Cminpack.Solve(new NistProblem(dataset!, analytic), dataset!.Start1, analytic);
        Assert.Multiple(() =>
        {
            Assert.That(result.Info, Is.InRange(1, 4).Or.InRange(6, 8), "MINPACK info");
            Assert.That(Lre.Min(result.Parameters, dataset.CertifiedParameters), Is.GreaterThanOrEqualTo(analytic ? 6 : 5));
            Assert.That(Lre.Of(result.ResidualSumOfSquares, dataset.CertifiedResidualSumOfSquares), Is.GreaterThanOrEqualTo(6));
            Assert.That(result.FunctionEvaluations, Is.GreaterThan(1));
            Assert.That(result.JacobianEvaluations, analytic ? Is.GreaterThan(0) : Is.Zero);
        });
    }

    [Test]
    public void LmderFindsTheRosenbrockMinimum()
    {
        var problem = new MghProblem(MghFunction.Rosenbrock, 2, 2);
        var result = Cminpack.Solve(problem, problem.StartingPoint(), analytic: true, ftol: 1e-10, xtol: 1e-10);
        Assert.That(result.Parameters, Is.EqualTo(new[] { 1.0, 1.0 }).Within(1e-9));
    }
}
