namespace SuperSpace.Simd.Tests.Activations;

[TestFixture]
public sealed class IntervalApproximationTests
{
    [Test]
    public void InterpolatingExpMeetsTheChebyshevErrorBound()
    {
        // |e^z − p_n(z)| ≤ max|f^(n+1)|/(2^n (n + 1)!) on [−1, 1] for interpolation at Chebyshev points.
        IntervalApproximation p = Activation.Exp.Approximate(-1, 1, 10);
        double bound = Math.E / (Math.Pow(2, 10) * 39916800.0);
        Assert.That(p.MaxError, Is.LessThanOrEqualTo(bound));
        Assert.That(p.MaxError, Is.GreaterThan(bound / 20), "the bound is nearly attained for e^z");
        Assert.That(p.Evaluate(0.3), Is.EqualTo(Math.Exp(0.3)).Within(bound));
    }

    [Test]
    public void ReluIsApproximatedWithAlgebraicConvergence()
    {
        // Best uniform error of |z| on [−1, 1] at degree n behaves like 0.28/n (Bernstein); relu = (z + |z|)/2.
        double e8 = Activation.Relu.Approximate(-1, 1, 8).MaxError;
        double e32 = Activation.Relu.Approximate(-1, 1, 32).MaxError;
        Assert.That(e32, Is.LessThan(e8 / 3));
        Assert.That(e32, Is.InRange(0.28 / 2 / 32, 2 * 0.28 / 32 * 3));
    }

    [Test]
    public void TanhErrorFallsGeometricallyWithDegree()
    {
        double previous = double.PositiveInfinity;
        foreach (int degree in new[] { 3, 7, 11, 15, 19 })
        {
            double error = Activation.Tanh.Approximate(-3, 3, degree).MaxError;
            Assert.That(error, Is.LessThan(previous / 4), $"degree {degree}");
            previous = error;
        }
    }

    [TestCase(IntervalApproximationKind.Interpolation)]
    [TestCase(IntervalApproximationKind.LeastSquares)]
    public void MonomialFormAgreesWithTheChebyshevForm(IntervalApproximationKind kind)
    {
        IntervalApproximation p = Activation.Sigmoid.Approximate(-2, 5, 9, kind);
        var monomial = new double[10];
        p.GetMonomialCoefficients(monomial);
        for (double z = -2; z <= 5; z += 0.37)
        {
            double horner = 0;
            for (int k = 9; k >= 0; k--)
            {
                horner = (horner * z) + monomial[k];
            }

            Assert.That(horner, Is.EqualTo(p.Evaluate(z)).Within(1e-12));
        }

        Assert.That(p.MaxError, Is.LessThan(1e-3));
    }

    [Test]
    public void LeastSquaresMinimisesTheMeanSquareOnItsGrid()
    {
        // The least-squares polynomial is the L2-best on its 201-point uniform grid: the interpolant and any
        // perturbation of it do worse there.
        IntervalApproximation lsq = Activation.Tanh.Approximate(-4, 4, 7, IntervalApproximationKind.LeastSquares);
        IntervalApproximation cheb = Activation.Tanh.Approximate(-4, 4, 7);
        double[] grid = Enumerable.Range(0, 201).Select(i => -4 + (8.0 * i / 200)).ToArray();
        double Mse(Func<double, double> p) => grid.Average(z => Math.Pow(Math.Tanh(z) - p(z), 2));
        double best = Mse(lsq.Evaluate);
        Assert.That(best, Is.LessThan(Mse(cheb.Evaluate)));
        foreach (double bump in new[] { -1e-3, 1e-3 })
        {
            Assert.That(best, Is.LessThan(Mse(z => lsq.Evaluate(z) + (bump * z * z * z))));
        }
    }

    [Test]
    public void BadArgumentsAndTheMonomialLimit()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Activation.Tanh.Approximate(1, 1, 3), Throws.ArgumentException);
            Assert.That(() => Activation.Tanh.Approximate(double.NaN, 1, 3), Throws.ArgumentException);
            Assert.That(() => Activation.Tanh.Approximate(-1, 1, -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            IntervalApproximation high = Activation.Tanh.Approximate(-1, 1, IntervalApproximation.MaxMonomialDegree + 1);
            Assert.That(() => high.GetMonomialCoefficients(new double[high.Degree + 1]), Throws.InvalidOperationException);
        });
    }
}
