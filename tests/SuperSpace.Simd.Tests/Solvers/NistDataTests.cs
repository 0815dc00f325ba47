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

/// <summary>The double-double arithmetic behind the compensated Lanczos residuals.</summary>
[TestFixture]
public sealed class DoubleDoubleTests
{
    [Test]
    public void ExpIsAccurateToThirtyDigits()
    {
        // e = 2.71828182845904523536028747135266249775724709369995…: hi + lo to ~32 digits.
        var e = DoubleDouble.Exp(1);
        Assert.Multiple(() =>
        {
            Assert.That(e.Hi, Is.EqualTo(2.718281828459045));
            Assert.That(e.Lo, Is.EqualTo(1.4456468917292502e-16).Within(1e-29));
            foreach (double a in new[] { -5.75, -1.3, -0.05, 0.37, 2.5 })
            {
                var product = DoubleDouble.Exp(a) * DoubleDouble.Exp(-a);
                Assert.That(Math.Abs((product - 1).ToDouble()), Is.LessThan(1e-29), $"e^{a}·e^{-a}");
                Assert.That(DoubleDouble.Exp(a).ToDouble(), Is.EqualTo(Math.Exp(a)).Within(1).Ulps);
            }

            var eight = DoubleDouble.Exp(new DoubleDouble(0.6931471805599453, 2.3190468138462996e-17) * 3);
            Assert.That(Math.Abs((eight - 8).ToDouble()), Is.LessThan(1e-28), "e^(3·ln 2) = 8");
        });
    }

    [Test]
    public void DecimalLiteralsAreExact()
    {
        // 0.05 is not a double; as a double-double it is 0.05 to ~32 digits: 20·x − 1 vanishes to that level.
        var x = DoubleDouble.ParseDecimal("5.000000000000E-02");
        var y = DoubleDouble.ParseDecimal("2.513400000000E+00");
        Assert.Multiple(() =>
        {
            Assert.That(Math.Abs(((x * 20) - 1).ToDouble()), Is.LessThan(1e-31));
            Assert.That(Math.Abs(((y * 10000) - 25134).ToDouble()), Is.LessThan(1e-27));
            Assert.That(DoubleDouble.ParseDecimal("760.").ToDouble(), Is.EqualTo(760));
        });
    }
}
