namespace SuperSpace.Simd.Tests.Solvers;

/// <summary>The code of docs/levenberg-marquardt.md, kept compiling and running.</summary>
[TestFixture]
public sealed class LevenbergMarquardtDocsExampleTests
{
    private readonly struct Decay(double[] t, double[] y) : ILeastSquaresProblem
    {
        public int ParameterCount => 2;

        public int ResidualCount => t.Length;

        public void Residuals(ReadOnlySpan<double> p, Span<double> r)
        {
            for (int i = 0; i < t.Length; i++)
            {
                r[i] = (p[0] * Math.Exp(-p[1] * t[i])) - y[i];
            }
        }

        public bool Jacobian(ReadOnlySpan<double> p, Span<double> j)
        {
            for (int i = 0; i < t.Length; i++)
            {
                double e = Math.Exp(-p[1] * t[i]);
                j[2 * i] = e;
                j[(2 * i) + 1] = -p[0] * t[i] * e;
            }

            return true;
        }
    }

    [Test]
    public void ExampleRuns()
    {
        double[] t = Enumerable.Range(0, 20).Select(i => 0.5 * i).ToArray();
        double[] y = t.Select(ti => 5 * Math.Exp(-0.3 * ti)).ToArray();

        var solver = new LevenbergMarquardtSolver();
        LevenbergMarquardtResult fit = solver.Solve(t.Length, [1.0, 1.0], (p, r) =>
        {
            for (int i = 0; i < t.Length; i++)
            {
                r[i] = (p[0] * Math.Exp(-p[1] * t[i])) - y[i];
            }
        });

        var options = new LevenbergMarquardtOptions
        {
            LowerBounds = [0, 0],
            UpperBounds = [double.PositiveInfinity, 1],
            ComputeCovariance = true,
        };
        LevenbergMarquardtResult result = new LevenbergMarquardtSolver(options).Solve(new Decay(t, y), [1.0, 1.0]);

        Assert.Multiple(() =>
        {
            Assert.That(fit.Converged, Is.True, fit.Message);
            Assert.That(fit.Parameters, Is.EqualTo(new[] { 5.0, 0.3 }).Within(1e-9));
            Assert.That(result.Parameters, Is.EqualTo(new[] { 5.0, 0.3 }).Within(1e-12));
            Assert.That(result.StandardErrors, Has.Length.EqualTo(2));
            Assert.That(result.Rank, Is.EqualTo(2));
        });
    }
}
