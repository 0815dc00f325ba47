using SuperSpace.Simd.Polynomials;

namespace SuperSpace.Simd.Tests.Networks;

[TestFixture]
public sealed class SuperPlaneExpansionTests
{
    private static double[] RandomPoints(int count, int variables, double half, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count * variables).Select(_ => ((random.NextDouble() * 2) - 1) * half).ToArray();
    }

    private static void RandomWeights(Mlp network, double half, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < network.ParameterCount; i++)
        {
            network.Parameters[i] = ((random.NextDouble() * 2) - 1) * half;
        }
    }

    private static double[] Predict(Mlp network, double[] points)
    {
        var y = new double[points.Length / network.InputCount * network.OutputCount];
        network.Predict(points, y);
        return y;
    }

    private static IEnumerable<TestCaseData> AllMethods()
    {
        yield return new TestCaseData(ExpansionMethod.Taylor, 6);
        yield return new TestCaseData(ExpansionMethod.Taylor, 8);
        yield return new TestCaseData(ExpansionMethod.TaylorFixedCentre, 6);
        yield return new TestCaseData(ExpansionMethod.Chebyshev, 6);
        yield return new TestCaseData(ExpansionMethod.Chebyshev, 7);
    }

    [Category("Simd")]
    [TestCaseSource(nameof(AllMethods))]
    public void PolynomialNetworkIsReproducedExactly(ExpansionMethod method, int degree)
    {
        // Degrees 2 then 3: the network is a polynomial of degree 6 in its inputs.
        var network = new Mlp(3,
            new DenseLayer(4, Activation.Polynomial([0.1, 0.8, 0.3])),
            new DenseLayer(3, Activation.Polynomial([-0.2, 1.1, 0.05, -0.4])),
            new DenseLayer(2, Activation.Identity));
        RandomWeights(network, 0.6, 11);
        network.InputScaling = new FeatureScaling([0.5, -1, 2], [0.8, 1.5, 0.5]);
        network.OutputScaling = new FeatureScaling([3, -2], [0.25, 4]);
        double[] data = RandomPoints(300, 3, 1.5, 2);
        var options = new SuperPlaneExpansionOptions
        {
            Method = method,
            Center = method == ExpansionMethod.Taylor ? [0.3, -0.7, 1.1] : null,
            FixedCentre = 0.35,
            Data = data,
        };
        SuperPlane[] planes = SuperPlaneExpansion.Expand(network, degree, options);
        Assert.That(planes, Has.Length.EqualTo(2));
        double[] points = RandomPoints(50, 3, 1.5, 9);
        double[] expected = Predict(network, points);
        for (int s = 0; s < 50; s++)
        {
            for (int o = 0; o < 2; o++)
            {
                double y = expected[(s * 2) + o];
                Assert.That(planes[o].Evaluate(points.AsSpan(s * 3, 3)), Is.EqualTo(y).Within(1e-12 * Math.Max(1, Math.Abs(y))), $"sample {s}, output {o}");
            }
        }
    }

    [Category("Simd")]
    [TestCase(ExpansionMethod.Taylor)]
    [TestCase(ExpansionMethod.TaylorFixedCentre)]
    [TestCase(ExpansionMethod.Chebyshev)]
    public void TheFirstLayerShortcutEqualsTheGeneralComposition(ExpansionMethod method)
    {
        // The multinomial shortcut for the affine first layer and the general Horner/Clenshaw composition
        // compute the same truncated polynomial.
        var network = new Mlp(3, new DenseLayer(6, Activation.Tanh), new DenseLayer(4, Activation.Sigmoid), new DenseLayer(2, Activation.Identity));
        RandomWeights(network, 0.8, 17);
        double[][] intervals = [[.. Enumerable.Range(0, 6).SelectMany(j => new[] { -2.0 - (0.1 * j), 1.5 + (0.2 * j) })], [.. Enumerable.Range(0, 4).SelectMany(j => new[] { -1.0, 2.0 + j })], []];
        double[] Run(bool shortcut) => new SuperSpace.Simd.Networks.ExpansionEngine(network, 5, shortcut)
            .Run(method, [0.2, -0.1, 0.3], method == ExpansionMethod.Chebyshev ? [1.5, 1, 0.5] : [], 8, 0.25, 5, intervals, new double[3][])[1];
        Assert.That(Run(true), Is.EqualTo(Run(false)).Within(1e-13));
    }

    [Test]
    public void ProjectionRecoversAPolynomialNetwork()
    {
        // An exact degree-4 polynomial fitted by least squares at degree 4 and 5: recovered up to the fit's
        // rounding (the standardised basis keeps its condition number moderate on [−1.5, 1.5]^3).
        var network = new Mlp(3, new DenseLayer(4, Activation.Polynomial([0.1, 0.8, 0.3])), new DenseLayer(2, Activation.Polynomial([0.2, -1, 0.5])), new DenseLayer(1, Activation.Identity));
        RandomWeights(network, 0.6, 5);
        double[] data = RandomPoints(400, 3, 1.5, 6);
        double[] points = RandomPoints(50, 3, 1.5, 7);
        double[] expected = Predict(network, points);
        foreach (int degree in new[] { 4, 5 })
        {
            SuperPlane plane = SuperPlaneExpansion.Expand(network, degree, new SuperPlaneExpansionOptions { Method = ExpansionMethod.Projection, Data = data })[0];
            for (int s = 0; s < 50; s++)
            {
                Assert.That(plane.Evaluate(points.AsSpan(s * 3, 3)), Is.EqualTo(expected[s]).Within(1e-10 * Math.Max(1, Math.Abs(expected[s]))));
            }
        }
    }

    [Test]
    public void ProjectionHasTheSmallestMeanSquareOnItsPoints()
    {
        // Least squares on the data is optimal on the data: no other plane of the degree has a smaller MSE there.
        var network = new Mlp(3, new DenseLayer(8, Activation.Tanh), new DenseLayer(4, Activation.Sigmoid), new DenseLayer(1, Activation.Identity));
        RandomWeights(network, 1.5, 8);
        double[] data = RandomPoints(600, 3, 1, 4);
        double Mse(ExpansionMethod method) =>
            SuperPlaneExpansion.ExpandWithReport(network, 4, new SuperPlaneExpansionOptions { Method = method, Data = data }).Report.MeanSquaredError[0];
        double projection = Mse(ExpansionMethod.Projection);
        Assert.That(projection, Is.LessThan(Mse(ExpansionMethod.Taylor)));
        Assert.That(projection, Is.LessThan(Mse(ExpansionMethod.Chebyshev)));
        Assert.That(projection, Is.LessThan(Mse(ExpansionMethod.TaylorFixedCentre)));
        Assert.That(() => SuperPlaneExpansion.Expand(network, 4, new SuperPlaneExpansionOptions { Method = ExpansionMethod.Projection, Data = RandomPoints(20, 3, 1, 1) }),
            Throws.ArgumentException.With.Message.Contains("35 terms"));
        ExpansionReport sampledReport = SuperPlaneExpansion.ExpandWithReport(network, 3, new SuperPlaneExpansionOptions { Method = ExpansionMethod.Projection }).Report;
        Assert.That(sampledReport.SampleCount, Is.EqualTo(2000), "sampled box: max(SampleCount, 3 × terms)");
        Assert.That(sampledReport.RSquared[0], Is.GreaterThan(0.9));
    }

    [Test]
    public void TaylorDegreeOneAndTwoAreTheGradientAndHalfHessian()
    {
        var network = new Mlp(3, new DenseLayer(5, Activation.Tanh), new DenseLayer(4, Activation.Sigmoid), new DenseLayer(1, Activation.Identity));
        network.Initialize(7);
        double[] x0 = [0.2, -0.4, 0.1];
        SuperPlane plane = SuperPlaneExpansion.Expand(network, 2, new SuperPlaneExpansionOptions { Center = x0 })[0];

        // The plane is in raw x; re-centre it at x0 exactly: Q(y) = P(y + x0).
        double[] c = plane.Coefficients.ToArray();
        AffineSubstitution.Apply(plane.Basis, [-x0[0], -x0[1], -x0[2]], [], c);
        double f(double a, double b, double d)
        {
            var y = new double[1];
            network.Predict([a, b, d], y);
            return y[0];
        }

        double F(double h0, double h1, double h2) => f(x0[0] + h0, x0[1] + h1, x0[2] + h2);

        // Error bounds: central first difference h²/6·M3 + ε|f|/h; second h²/12·M4 + 4ε|f|/h²; mixed h²/6·M4 + ε|f|/h²,
        // with the network's third/fourth derivatives M ≤ 10 on this scale and |f| ≤ 2.
        const double eps = 2.2e-16, m = 10, size = 2;
        double h1 = 1e-5, h2 = 1e-4;
        double gradientTolerance = (h1 * h1 / 6 * m) + (eps * size / h1);
        double hessianTolerance = (h2 * h2 / 6 * m) + (4 * eps * size / (h2 * h2));
        var basis = plane.Basis;
        Assert.That(c[0], Is.EqualTo(F(0, 0, 0)).Within(1e-14));
        for (int i = 0; i < 3; i++)
        {
            double[] e = new double[3];
            e[i] = 1;
            double gradient = (F(e[0] * h1, e[1] * h1, e[2] * h1) - F(-e[0] * h1, -e[1] * h1, -e[2] * h1)) / (2 * h1);
            Assert.That(c[basis.IndexOf([(int)e[0], (int)e[1], (int)e[2]])], Is.EqualTo(gradient).Within(gradientTolerance), $"∂f/∂x{i}");
            for (int j = i; j < 3; j++)
            {
                double[] u = new double[3];
                u[j] = 1;
                double second;
                if (i == j)
                {
                    second = (F(e[0] * h2, e[1] * h2, e[2] * h2) - (2 * F(0, 0, 0)) + F(-e[0] * h2, -e[1] * h2, -e[2] * h2)) / (h2 * h2);
                }
                else
                {
                    double Fp(double si, double sj) => F((si * e[0] * h2) + (sj * u[0] * h2), (si * e[1] * h2) + (sj * u[1] * h2), (si * e[2] * h2) + (sj * u[2] * h2));
                    second = (Fp(1, 1) - Fp(1, -1) - Fp(-1, 1) + Fp(-1, -1)) / (4 * h2 * h2);
                }

                int[] exponents = new int[3];
                exponents[i]++;
                exponents[j]++;
                double expected = i == j ? second / 2 : second; // x_i² carries ½∂²f, x_i·x_j carries ∂²f/∂x_i∂x_j
                Assert.That(c[basis.IndexOf(exponents)], Is.EqualTo(expected).Within(hessianTolerance), $"∂²f/∂x{i}∂x{j}");
            }
        }
    }

    [Test]
    public void HigherDegreesDoNotChangeLowerTaylorCoefficients()
    {
        var network = new Mlp(2, new DenseLayer(6, Activation.Silu), new DenseLayer(3, Activation.Gelu), new DenseLayer(1, Activation.Identity));
        network.Initialize(3);
        var options = new SuperPlaneExpansionOptions { Center = [0.3, -0.2] };
        SuperPlane low = SuperPlaneExpansion.Expand(network, 3, options)[0];
        SuperPlane high = SuperPlaneExpansion.Expand(network, 6, options)[0];
        // Re-centre both at x0: the Taylor coefficients of degree ≤ 3 are the same.
        double[] a = low.Coefficients.ToArray();
        double[] b = high.Coefficients.ToArray();
        AffineSubstitution.Apply(low.Basis, [-0.3, 0.2], [], a);
        AffineSubstitution.Apply(high.Basis, [-0.3, 0.2], [], b);
        Assert.That(b.Take(a.Length), Is.EqualTo(a).Within(1e-13));
    }

    private static IEnumerable<TestCaseData> SingleNeurons()
    {
        // Closed forms of f^(k)(b)/k! with t = tanh b, s = 1 − t²; σ = σ(b), q = σ(1 − σ).
        double b = 0.4;
        double t = Math.Tanh(b), s = 1 - (t * t);
        yield return new TestCaseData(Activation.Tanh, b, new[] { t, s, -t * s, s * ((3 * t * t) - 1) / 3, t * s * (2 - (3 * t * t)) / 3 }).SetArgDisplayNames("tanh");
        double sg = 1 / (1 + Math.Exp(-b)), q = sg * (1 - sg);
        yield return new TestCaseData(Activation.Sigmoid, b, new[] { sg, q, q * (1 - (2 * sg)) / 2, q * (1 - (6 * sg) + (6 * sg * sg)) / 6 }).SetArgDisplayNames("sigmoid");
        double phi0 = 1 / Math.Sqrt(2 * Math.PI);
        yield return new TestCaseData(Activation.Gelu, 0.0, new[] { 0, 0.5, phi0, 0, -phi0 / 6, 0, phi0 / 40 }).SetArgDisplayNames("gelu");
    }

    [TestCaseSource(nameof(SingleNeurons))]
    public void SingleNeuronIsItsSeriesComposedWithTheAffineMap(Activation activation, double bias, double[] series)
    {
        // y = v·f(w0·x0 + w1·x1 + b) + c at x0 = 0: coefficient of x0^i x1^j is v·a_{i+j}·C(i+j, i)·w0^i·w1^j.
        const double w0 = 0.7, w1 = -1.3, v = 2.5, c = -0.5;
        var network = new Mlp(2, new DenseLayer(1, activation), new DenseLayer(1, Activation.Identity));
        double[] p = [w0, w1, bias, v, c];
        p.CopyTo(network.Parameters);
        int degree = series.Length - 1;
        SuperPlane plane = SuperPlaneExpansion.Expand(network, degree)[0];
        for (int i = 0; i <= degree; i++)
        {
            for (int j = 0; i + j <= degree; j++)
            {
                double binomial = 1;
                for (int r = 1; r <= i; r++)
                {
                    binomial = binomial * (i + j - r + 1) / r;
                }

                double expected = (v * series[i + j] * binomial * Math.Pow(w0, i) * Math.Pow(w1, j)) + (i + j == 0 ? c : 0);
                Assert.That(plane.Coefficients[plane.Basis.IndexOf([i, j])], Is.EqualTo(expected).Within(1e-14), $"x0^{i} x1^{j}");
            }
        }
    }

    [TestCase(0.0)]
    [TestCase(0.4)]
    public void FixedCentreMatchesTheOneHiddenLayerClosedForm(double centre)
    {
        // nn2poly's closed form for one hidden layer, y = c + Σ_j v_j·T_j(b_j + w_j·x), T = Σ_{n≤q} g_n (u − c0)^n:
        // expanding (b_j − c0 + Σ_i w_ji x_i)^n by the multinomial theorem with the bias as a 0th "variable",
        //   β_λ = [λ = 0]·c + Σ_j v_j Σ_{n=|λ|..q} g_n · n!/(m_0! ∏ λ_i!) · (b_j − c0)^{m_0} ∏ w_ji^{λ_i},  m_0 = n − |λ|.
        const int inputs = 3, units = 4, q = 6, degree = 3;
        var network = new Mlp(inputs, new DenseLayer(units, Activation.Tanh), new DenseLayer(1, Activation.Identity));
        RandomWeights(network, 0.5, 21);
        ReadOnlySpan<double> p = network.Parameters;
        var g = new double[q + 1];
        Activation.Tanh.TaylorCoefficients(centre, g);
        SuperPlane plane = SuperPlaneExpansion.Expand(network, degree, new SuperPlaneExpansionOptions
        {
            Method = ExpansionMethod.TaylorFixedCentre,
            TaylorOrder = q,
            FixedCentre = centre,
        })[0];

        static double Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);
        var lambda = new int[inputs];
        for (int term = 0; term < plane.Basis.TermCount; term++)
        {
            plane.Basis.GetExponents(term, lambda);
            int size = lambda.Sum();
            double beta = size == 0 ? p[(units * inputs) + units + units] : 0;
            for (int j = 0; j < units; j++)
            {
                double vj = p[(units * inputs) + units + j];
                double bj = p[(units * inputs) + j] - centre;
                double inner = 0;
                for (int n = size; n <= q; n++)
                {
                    int m0 = n - size;
                    double multinomial = Factorial(n) / Factorial(m0) / lambda.Aggregate(1.0, (acc, e) => acc * Factorial(e));
                    double monomial = Math.Pow(bj, m0);
                    for (int i = 0; i < inputs; i++)
                    {
                        monomial *= Math.Pow(p[(j * inputs) + i], lambda[i]);
                    }

                    inner += g[n] * multinomial * monomial;
                }

                beta += vj * inner;
            }

            Assert.That(plane.Coefficients[term], Is.EqualTo(beta).Within(1e-14), plane.Basis.FormatTerm(term));
        }
    }

    [Test]
    public void InsideTheRadiusTheErrorFallsGeometricallyAndNothingIsFlagged()
    {
        var network = new Mlp(2, new DenseLayer(6, Activation.Tanh), new DenseLayer(1, Activation.Identity));
        RandomWeights(network, 0.3, 4);
        // |z − z0| ≤ Σ|w|·0.5 ≤ 0.3 while every radius is ≥ π/2: the series converge at rate ≤ 0.3/1.57.
        double[] data = RandomPoints(400, 2, 0.5, 8);
        double previous = double.PositiveInfinity;
        foreach (int degree in new[] { 1, 3, 5, 7 })
        {
            ExpansionReport report = SuperPlaneExpansion.ExpandWithReport(network, degree, new SuperPlaneExpansionOptions { Data = data, Center = [0, 0] }).Report;
            Assert.That(report.WorstFractionOutside, Is.Zero);
            double error = report.MaxAbsoluteError[0];
            Assert.That(error, Is.LessThan(previous * 0.05), $"degree {degree}: two more degrees gain at least (1.57/0.3)² ≈ 27");
            previous = error;
        }

        Assert.That(previous, Is.LessThan(1e-7));
    }

    [Test]
    public void OutsideTheRadiusTheReportFlagsTheNeuronsAndTheErrorGrows()
    {
        var network = new Mlp(2, new DenseLayer(6, Activation.Tanh), new DenseLayer(1, Activation.Identity));
        RandomWeights(network, 3, 4);
        double[] data = RandomPoints(400, 2, 1, 8);
        var options = new SuperPlaneExpansionOptions { Data = data, Center = [0, 0] };
        ExpansionReport low = SuperPlaneExpansion.ExpandWithReport(network, 5, options).Report;
        ExpansionReport high = SuperPlaneExpansion.ExpandWithReport(network, 11, options).Report;
        Assert.That(low.WorstFractionOutside, Is.GreaterThan(0.1));
        Assert.That(low.Neurons.Count(n => n.FractionOutside > 0), Is.GreaterThan(0));
        Assert.That(high.MaxAbsoluteError[0], Is.GreaterThan(low.MaxAbsoluteError[0]), "the truncated series diverges outside the radius");
        Assert.That(low.ToString(), Does.Contain("outside"));
    }

    [Test]
    public void ChebyshevBeatsTaylorOnAnUnconstrainedNetwork()
    {
        // Weights of the size unconstrained training produces (pre-activations reach ±6, beyond tanh's radius π/2).
        var network = new Mlp(2, new DenseLayer(10, Activation.Tanh), new DenseLayer(1, Activation.Identity));
        RandomWeights(network, 2.5, 12);
        double[] data = RandomPoints(2000, 2, 1, 3);
        SuperPlaneExpansionResult taylor = SuperPlaneExpansion.ExpandWithReport(network, 7, new SuperPlaneExpansionOptions { Data = data });
        SuperPlaneExpansionResult chebyshev = SuperPlaneExpansion.ExpandWithReport(network, 7, new SuperPlaneExpansionOptions { Method = ExpansionMethod.Chebyshev, Data = data });
        Assert.That(taylor.Report.WorstFractionOutside, Is.GreaterThan(0));
        Assert.That(chebyshev.Report.WorstFractionOutside, Is.Zero, "the intervals cover the data");
        Assert.That(chebyshev.Report.MaxAbsoluteError[0], Is.LessThan(taylor.Report.MaxAbsoluteError[0] / 10));
        Assert.That(chebyshev.Report.RSquared[0], Is.GreaterThan(0.99));

        // The report's figures are what they say.
        double[] nn = Predict(network, data);
        double max = 0, sse = 0;
        for (int s = 0; s < 2000; s++)
        {
            double e = nn[s] - chebyshev.Planes[0].Evaluate(data.AsSpan(s * 2, 2));
            max = Math.Max(max, Math.Abs(e));
            sse += e * e;
        }

        Assert.That(chebyshev.Report.MaxAbsoluteError[0], Is.EqualTo(max).Within(1e-12));
        Assert.That(chebyshev.Report.MeanSquaredError[0], Is.EqualTo(sse / 2000).Within(1e-12 * sse));
        IReadOnlyList<TermImportance> top = chebyshev.Report.TopTerms;
        Assert.That(top, Has.Count.EqualTo(10));
        Assert.That(top.Select(t => t.Importance), Is.Ordered.Descending);
    }

    [Test]
    public void TheReportSamplesTheBoxWhenNoDataIsGiven()
    {
        var network = new Mlp(3, new DenseLayer(5, Activation.Sigmoid), new DenseLayer(2, Activation.Identity));
        ExpansionReport report = SuperPlaneExpansion.ExpandWithReport(network, 4, new SuperPlaneExpansionOptions { SampleCount = 500 }).Report;
        Assert.That(report.Sampled, Is.True);
        Assert.That(report.SampleCount, Is.EqualTo(500));
        Assert.That(report.MaxAbsoluteError, Has.Length.EqualTo(2));
        Assert.That(report.Neurons, Has.Count.EqualTo(5));
    }

    [Test]
    public void BadInputsAreRefusedWithClearMessages()
    {
        var wide = new Mlp(20, new DenseLayer(8, Activation.Tanh), new DenseLayer(1, Activation.Identity));
        var network = new Mlp(3, new DenseLayer(4, Activation.Tanh), new DenseLayer(1, Activation.Identity));
        Assert.Multiple(() =>
        {
            Assert.That(() => SuperPlaneExpansion.Expand(wide, 40), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("terms"));
            Assert.That(() => SuperPlaneExpansion.Expand(wide, 4, new SuperPlaneExpansionOptions { MemoryLimitBytes = 1 << 20 }),
                Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("10,626 terms"));
            Assert.That(() => SuperPlaneExpansion.Expand(network, 3, new SuperPlaneExpansionOptions { Center = [0, 0] }),
                Throws.ArgumentException.With.Message.Contains("Center"));
            Assert.That(() => SuperPlaneExpansion.Expand(network, 3, new SuperPlaneExpansionOptions { Data = new double[4] }),
                Throws.ArgumentException.With.Message.Contains("multiple"));
            Assert.That(() => SuperPlaneExpansion.Expand(network, -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => SuperPlaneExpansion.Expand(null!, 2), Throws.ArgumentNullException);
        });
        network.Parameters[2] = double.NaN;
        Assert.That(() => SuperPlaneExpansion.Expand(network, 3), Throws.ArgumentException.With.Message.Contains("parameter 2"));
    }
}
