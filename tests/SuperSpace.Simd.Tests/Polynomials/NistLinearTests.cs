using System.Globalization;
using System.Text.RegularExpressions;

namespace SuperSpace.Simd.Tests.Polynomials;

/// <summary>
/// NIST StRD linear regression (certified to 15 digits in 80-digit arithmetic): every coefficient to
/// LRE ≥ 9, every standard deviation, the residual SD and R² to LRE ≥ 6 (the README's metric: capped at 11,
/// absolute error when the certified value is 0). The data live in the shared folder
/// (../shared relative to the repository root, or $SUPERSPACE_SHARED); the tests skip when it is absent.
/// </summary>
[TestFixture]
[Category("Simd")]
public sealed partial class NistLinearTests
{
    private const double CoefficientLre = 9;
    private const double DeviationLre = 6;

    internal sealed record Problem(string Name, double[] Y, double[] X, int VariableCount, int Degree, bool IncludeConstant,
                                   double[] Coefficients, double[] Deviations, double ResidualDeviation, double RSquared);

    // (file, variables, degree, constant): Pontius and Wampler are polynomials in one variable, fitted through the basis.
    private static readonly (string File, int Variables, int Degree, bool Constant)[] Files =
    [
        ("Norris", 1, 1, true),
        ("Pontius", 1, 2, true),
        ("NoInt1", 1, 1, false),
        ("NoInt2", 1, 1, false),
        ("Longley", 6, 1, true),
        ("Wampler1", 1, 5, true),
        ("Wampler2", 1, 5, true),
    ];

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var backend in new[] { ComputeBackend.Managed, ComputeBackend.Native })
        {
            foreach (var method in new[] { LeastSquaresMethod.Qr, LeastSquaresMethod.NormalEquations, LeastSquaresMethod.Auto })
            {
                foreach (var (file, _, _, _) in Files)
                {
                    yield return new TestCaseData(file, method, backend).SetName($"Nist_{file}_{method}_{backend}");
                }
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void CertifiedValues(string file, LeastSquaresMethod method, ComputeBackend backend)
    {
        if (backend == ComputeBackend.Native)
        {
            Assume.That(NativeBackend.IsAvailable, Is.True, "native shim not built:" + Environment.NewLine + NativeBackend.LoadTrace);
        }

        Problem problem = Load(file);
        var basis = new MonomialBasis(problem.VariableCount, problem.Degree, problem.IncludeConstant);
        SuperPlaneFit fit = SuperPlane.Fit(problem.X, problem.Y, basis, new SuperPlaneFitOptions { Method = method, Backend = backend });
        Assert.That(fit.Backend, Is.EqualTo(backend));

        ReadOnlySpan<double> c = fit.Plane.Coefficients;
        Assert.Multiple(() =>
        {
            Assert.That(fit.Rank, Is.EqualTo(basis.TermCount), "rank");
            Assert.That(fit.Status, Is.EqualTo(SuperPlaneFitStatus.Success));
            for (int t = 0; t < basis.TermCount; t++)
            {
                Assert.That(Lre(fit.Plane.Coefficients[t], problem.Coefficients[t]), Is.GreaterThanOrEqualTo(CoefficientLre),
                            $"{file} B{t}: {fit.Plane.Coefficients[t]:R} vs {problem.Coefficients[t]:R} ({fit.Method}, fell back: {fit.FellBackToQr})");
                Assert.That(Lre(fit.StandardErrors[t], problem.Deviations[t]), Is.GreaterThanOrEqualTo(DeviationLre),
                            $"{file} SD(B{t}): {fit.StandardErrors[t]:R} vs {problem.Deviations[t]:R}");
            }

            Assert.That(Lre(fit.ResidualStandardDeviation, problem.ResidualDeviation), Is.GreaterThanOrEqualTo(DeviationLre),
                        $"{file} residual SD {fit.ResidualStandardDeviation:R} vs {problem.ResidualDeviation:R}");
            Assert.That(Lre(fit.RSquared, problem.RSquared), Is.GreaterThanOrEqualTo(DeviationLre),
                        $"{file} R² {fit.RSquared:R} vs {problem.RSquared:R}");
        });
        TestContext.Out.WriteLine($"{file} {method} {backend}: min coefficient LRE {MinLre(c, problem.Coefficients):F1}, " +
                                  $"min SD LRE {MinLre(fit.StandardErrors, problem.Deviations):F1}, {fit}");
    }

    [Test]
    public void HigherDifficultyProblemsUseTheQrPathWhenNormalEquationsAreTooIllConditioned()
    {
        // Wampler1 in standardised variables at degree 5 is still far too ill-conditioned for the Gram
        // matrix at the default limit (κ ≤ 1e8): the normal-equations request must fall back and say so.
        Problem problem = Load("Wampler1");
        var basis = new MonomialBasis(1, 5);
        var fit = SuperPlane.Fit(problem.X, problem.Y, basis, new SuperPlaneFitOptions { Method = LeastSquaresMethod.NormalEquations, MaxNormalEquationsCondition = 10 });
        Assert.Multiple(() =>
        {
            Assert.That(fit.FellBackToQr, Is.True);
            Assert.That(fit.Method, Is.EqualTo(LeastSquaresMethod.Qr));
            Assert.That(fit.Message, Does.Contain("solved by QR"));
        });
    }

    internal static double Lre(double estimate, double certified)
    {
        double error = certified == 0 ? Math.Abs(estimate) : Math.Abs(estimate - certified) / Math.Abs(certified);
        return error == 0 ? 11 : Math.Min(11, -Math.Log10(error));
    }

    private static double MinLre(ReadOnlySpan<double> estimates, double[] certified)
    {
        double min = 11;
        for (int i = 0; i < certified.Length; i++)
        {
            min = Math.Min(min, Lre(estimates[i], certified[i]));
        }

        return min;
    }

    internal static string? SharedFolder()
    {
        string? env = Environment.GetEnvironmentVariable("SUPERSPACE_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env))
        {
            return env;
        }

        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SuperSpace.Simd.sln")))
            {
                string shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
                return Directory.Exists(shared) ? shared : null;
            }
        }

        return null;
    }

    internal static Problem Load(string name)
    {
        string? shared = SharedFolder();
        string path = shared is null ? string.Empty : Path.Combine(shared, "data", "nist", "linear", name + ".dat");
        if (!File.Exists(path))
        {
            Assert.Ignore($"NIST StRD linear data not found ({name}.dat): expected ../shared/data/nist/linear next to the repository root, or set SUPERSPACE_SHARED.");
        }

        var (_, variables, degree, constant) = Files.Single(f => f.File == name);
        string[] lines = File.ReadAllLines(path);
        (int certFirst, int certLast) = Range(lines, "Certified Values");
        (int dataFirst, int dataLast) = Range(lines, "Data");

        var coefficients = new List<double>();
        var deviations = new List<double>();
        double residual = double.NaN, rSquared = double.NaN;
        for (int i = certFirst - 1; i < certLast; i++)
        {
            string line = lines[i];
            Match b = CoefficientLine().Match(line);
            if (b.Success)
            {
                coefficients.Add(Parse(b.Groups[1].Value));
                deviations.Add(Parse(b.Groups[2].Value));
                continue;
            }

            Match sd = ResidualLine().Match(line);
            if (sd.Success && double.IsNaN(residual))
            {
                residual = Parse(sd.Groups[1].Value);
            }

            Match r2 = RSquaredLine().Match(line);
            if (r2.Success)
            {
                rSquared = Parse(r2.Groups[1].Value);
            }
        }

        var y = new List<double>();
        var x = new List<double>();
        for (int i = dataFirst - 1; i < dataLast; i++)
        {
            string[] fields = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            y.Add(Parse(fields[0]));
            for (int j = 0; j < variables; j++)
            {
                x.Add(Parse(fields[1 + j]));
            }
        }

        Assert.That(double.IsNaN(residual) || double.IsNaN(rSquared), Is.False, $"{name}: certified block not parsed");
        return new Problem(name, [.. y], [.. x], variables, degree, constant, [.. coefficients], [.. deviations], residual, rSquared);
    }

    private static (int First, int Last) Range(string[] lines, string label)
    {
        var regex = new Regex(Regex.Escape(label) + @"\s*\(lines\s+(\d+)\s+to\s+(\d+)\)");
        foreach (string line in lines.Take(12))
        {
            Match m = regex.Match(line);
            if (m.Success)
            {
                return (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidDataException($"No '{label} (lines a to b)' in the header.");
    }

    private static double Parse(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s*B\d+\s+(\S+)\s+(\S+)")]
    private static partial Regex CoefficientLine();

    [GeneratedRegex(@"^\s*Standard Deviation\s+([-+0-9.Ee]+)\s*$")]
    private static partial Regex ResidualLine();

    [GeneratedRegex(@"^\s*R-Squared\s+([-+0-9.Ee]+)")]
    private static partial Regex RSquaredLine();
}
