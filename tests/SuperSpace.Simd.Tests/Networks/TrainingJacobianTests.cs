using SuperSpace.Simd.Networks;

namespace SuperSpace.Simd.Tests.Networks;

/// <summary>
/// The training kernels' Jacobian rows (per-sample reverse mode) against central finite differences of the residuals,
/// for every activation in every layer position, several depths and output counts; and the gradient sweep against Jᵀr.
/// </summary>
[Category("Simd")]
public sealed class TrainingJacobianTests
{
    private static readonly Activation[] AllActivations =
    [
        Activation.Identity, Activation.Sigmoid, Activation.Tanh, Activation.Softplus, Activation.Silu, Activation.Gelu,
        Activation.Relu, Activation.Exp, Activation.Sin, Activation.Polynomial([0.5, -1, 0.25, 0.1]),
    ];

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (Activation hidden in AllActivations)
        {
            foreach (Activation output in new[] { Activation.Identity, Activation.Tanh, hidden })
            {
                // One hidden layer, one output; two hidden layers, two outputs; a single layer with three outputs.
                yield return new TestCaseData(3, new[] { 4, 1 }, new[] { hidden, output }).SetArgDisplayNames($"3-4-1 {hidden.Name}/{output.Name}");
                yield return new TestCaseData(2, new[] { 3, 5, 2 }, new[] { hidden, Activation.Tanh, output }).SetArgDisplayNames($"2-3-5-2 {hidden.Name}/tanh/{output.Name}");
                yield return new TestCaseData(2, new[] { 4, 3, 2 }, new[] { Activation.Sigmoid, hidden, output }).SetArgDisplayNames($"2-4-3-2 sigmoid/{hidden.Name}/{output.Name}");
            }

            yield return new TestCaseData(4, new[] { 3 }, new[] { hidden }).SetArgDisplayNames($"4-3 {hidden.Name}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void JacobianRowsMatchCentralDifferences(int inputs, int[] units, Activation[] activations)
    {
        var layers = new DenseLayer[units.Length];
        for (int l = 0; l < units.Length; l++)
        {
            layers[l] = new DenseLayer(units[l], activations[l]);
        }

        var network = new Mlp(inputs, layers);
        network.Initialize(7);
        var shape = new NetworkShape(network);
        var random = new Random(11);
        const int s = 13; // not a multiple of any vector width
        int o = shape.OutputCount;
        int p = shape.ParameterCount;
        double[] x = RandomArray(random, s * inputs, 1.5);
        double[] targets = RandomArray(random, s * o, 1);
        double[] scale = new double[s * o];
        for (int k = 0; k < scale.Length; k++)
        {
            scale[k] = 0.5 + random.NextDouble();
        }

        double[] theta = network.Parameters.ToArray();
        var ws = new TileWorkspace(shape, 64);
        var jacobian = new double[s * o * p];
        TrainingKernels.Forward(shape, theta, x, s, ws, derivatives: true);
        var residuals = new double[s * o];
        TrainingKernels.Residuals(TrainingKernels.Outputs(shape, s, ws), targets, scale, residuals);
        TrainingKernels.JacobianRows(shape, theta, x, s, scale, ws, jacobian);

        // Gradient sweep = Jᵀr.
        var gradient = new double[p];
        TrainingKernels.Forward(shape, theta, x, s, ws, derivatives: true);
        TrainingKernels.AccumulateGradient(shape, theta, x, s, targets, scale, ws, gradient);

        var plus = new double[s * o];
        var minus = new double[s * o];
        Assert.Multiple(() =>
        {
            for (int j = 0; j < p; j++)
            {
                double h = 1e-6 * Math.Max(1, Math.Abs(theta[j]));
                double saved = theta[j];
                theta[j] = saved + h;
                Residuals(shape, theta, x, s, targets, scale, ws, plus);
                theta[j] = saved - h;
                Residuals(shape, theta, x, s, targets, scale, ws, minus);
                theta[j] = saved;
                double jtr = 0;
                for (int k = 0; k < s * o; k++)
                {
                    double fd = (plus[k] - minus[k]) / (2 * h);
                    double analytic = jacobian[(k * p) + j];
                    Assert.That(analytic, Is.EqualTo(fd).Within(1e-7 * Math.Max(1, Math.Abs(fd))), $"row {k}, parameter {j}");
                    jtr += analytic * residuals[k];
                }

                Assert.That(gradient[j], Is.EqualTo(jtr).Within(1e-12 * Math.Max(1, Math.Abs(jtr))), $"gradient {j}");
            }
        });
    }

    private static void Residuals(NetworkShape shape, double[] theta, double[] x, int s, double[] targets, double[] scale, TileWorkspace ws, double[] destination)
    {
        TrainingKernels.Forward(shape, theta, x, s, ws, derivatives: false);
        TrainingKernels.Residuals(TrainingKernels.Outputs(shape, s, ws), targets, scale, destination);
    }

    private static double[] RandomArray(Random random, int length, double amplitude)
    {
        var a = new double[length];
        for (int i = 0; i < length; i++)
        {
            a[i] = amplitude * ((2 * random.NextDouble()) - 1);
        }

        return a;
    }
}
