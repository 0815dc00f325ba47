using System.Globalization;
using System.Text.RegularExpressions;
using SuperSpace.Simd.Tests.Solvers.Problems;

namespace SuperSpace.Simd.Tests.Solvers;

/// <summary>
/// The NIST StRD nonlinear files and the models written for them: the parser agrees with each
/// header, the certified parameters reproduce the certified residual sum of squares through our
/// residual functions, and every analytic Jacobian agrees with central differences.
/// </summary>
[TestFixture]
public sealed class NistDataTests
{
    public static IEnumerable<string> Names => NistProblem.Names;

    private static NistDataset Load(string name)
    {
        var dataset = NistDataset.Load(name);
        if (dataset is null)
        {
            Assert.Ignore(SharedData.MissingMessage);
        }

        return dataset!;
    }

    [Test]
    public void TheSharedFolderHoldsTheNineteenFiles()
    {
        string? folder = SharedData.NistNonlinearFolder;
        if (folder is null)
        {
            Assert.Ignore(SharedData.MissingMessage);
        }

        var files = Directory.GetFiles(folder!, "*.dat").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray();
        Assert.That(files, Is.EquivalentTo(NistProblem.Names));
    }

    [TestCaseSource(nameof(Names))]
    public void ParserAgreesWithTheHeader(string name)
    {
        var dataset = Load(name);
        string text = File.ReadAllText(Path.Combine(SharedData.NistNonlinearFolder!, name + ".dat"));
        int declaredParameters = int.Parse(Regex.Match(text, @"(\d+) Parameters").Groups[1].Value, CultureInfo.InvariantCulture);
        int declaredObservations = int.Parse(Regex.Match(text, @"(\d+) Observations").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(dataset.Name, Is.EqualTo(name));
            Assert.That(dataset.ParameterCount, Is.EqualTo(declaredParameters));
            Assert.That(dataset.ObservationCount, Is.EqualTo(declaredObservations));
            Assert.That(dataset.DegreesOfFreedom, Is.EqualTo(dataset.ObservationCount - dataset.ParameterCount));
            Assert.That(dataset.PredictorCount, Is.EqualTo(name == "Nelson" ? 2 : 1));
            Assert.That(dataset.Y, Has.All.Matches<double>(double.IsFinite));
            Assert.That(dataset.CertifiedStandardDeviations, Has.All.GreaterThan(0));
            Assert.That(Math.Sqrt(dataset.CertifiedResidualSumOfSquares / dataset.DegreesOfFreedom),
                Is.EqualTo(dataset.CertifiedResidualStandardDeviation).Within(1e-7).Percent, "RSD = sqrt(RSS / dof) to the 11 printed digits");
        });
    }

    [Test]
    public void FortranStyleNumbersParse()
    {
        var dataset = Load("Misra1a");
        Assert.Multiple(() =>
        {
            Assert.That(dataset.Y[0], Is.EqualTo(10.07));
            Assert.That(dataset.X[0], Is.EqualTo(77.6));
            Assert.That(dataset.Start1, Is.EqualTo(new[] { 500, 0.0001 }));
            Assert.That(dataset.Start2, Is.EqualTo(new[] { 250, 0.0005 }));
            Assert.That(dataset.CertifiedParameters[0], Is.EqualTo(2.3894212918E+02));
            Assert.That(dataset.CertifiedResidualSumOfSquares, Is.EqualTo(1.2455138894E-01));
        });
    }

    [TestCaseSource(nameof(Names))]
    public void CertifiedParametersReproduceTheCertifiedResidualSumOfSquares(string name)
    {
        var dataset = Load(name);
        var problem = new NistProblem(dataset);
        var residuals = new double[problem.ResidualCount];
        problem.Residuals(dataset.CertifiedParameters, residuals);
        double rss = residuals.Sum(r => r * r);
        if (dataset.CertifiedResidualSumOfSquares < 1e-20)
        {
            // Lanczos1: an almost exact fit; the rounded certified parameters leave RSS ≈ 4e-21 (data README).
            Assert.That(rss, Is.LessThan(1e-19));
        }
        else
        {
            // The RSS is stationary at the solution, so 11-digit parameters give ≥ 9 digits of RSS.
            Assert.That(Lre.Of(rss, dataset.CertifiedResidualSumOfSquares), Is.GreaterThanOrEqualTo(9));
        }
    }

    [TestCaseSource(nameof(Names))]
    public void AnalyticJacobianMatchesCentralDifferences(string name)
    {
        var dataset = Load(name);
        var problem = new NistProblem(dataset);
        Assert.Multiple(() =>
        {
            Assert.That(JacobianCheck.MaxRelativeError(problem, dataset.CertifiedParameters), Is.LessThan(1e-6), "at the certified values");
            Assert.That(JacobianCheck.MaxRelativeError(problem, dataset.Start1), Is.LessThan(1e-6), "at start 1");
            Assert.That(JacobianCheck.MaxRelativeError(problem, dataset.Start2), Is.LessThan(1e-6), "at start 2");
        });
    }

    [Test]
    public void WithoutAnalyticJacobianTheProblemAsksForFiniteDifferences()
    {
        var dataset = Load("Misra1a");
        var problem = new NistProblem(dataset, analyticJacobian: false);
        var jacobian = new double[problem.ResidualCount * problem.ParameterCount];
        jacobian.AsSpan().Fill(42);
        Assert.That(problem.Jacobian(dataset.Start1, jacobian), Is.False);
        Assert.That(jacobian, Has.All.EqualTo(42));
    }
}
