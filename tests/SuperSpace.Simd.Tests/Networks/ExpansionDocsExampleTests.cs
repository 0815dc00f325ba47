namespace SuperSpace.Simd.Tests.Networks;

/// <summary>Keeps the example in docs/expansion.md compiling and true.</summary>
[TestFixture]
public sealed class ExpansionDocsExampleTests
{
    [Test]
    public void TheDocumentedExampleRuns()
    {
        // --- docs/expansion.md example ---
        var network = new Mlp(2, new DenseLayer(3, Activation.Tanh), new DenseLayer(1, Activation.Identity));
        double[] w = [0.8, -0.4, 0.3, 0.9, -0.6, 0.2,  0.1, -0.2, 0.05,  1.2, -0.7, 0.5,  0.3]; // W1 (3×2), b1, W2 (1×3), b2
        w.CopyTo(network.Parameters);           // or trained (MlpTrainer), or Mlp.FromJson(...)

        var random = new Random(1);
        double[] data = Enumerable.Range(0, 2000).Select(_ => (random.NextDouble() * 2) - 1).ToArray(); // 1,000 points in [−1, 1]²

        SuperPlaneExpansionResult result = SuperPlaneExpansion.ExpandWithReport(network, 5,
            new SuperPlaneExpansionOptions { Method = ExpansionMethod.Taylor, Data = data });
        Console.WriteLine(result.Planes[0]);   // the network as a polynomial in x0, x1
        Console.WriteLine(result.Report);      // fidelity on the data, coverage, top terms

        ExpansionReport chebyshev = SuperPlaneExpansion.ExpandWithReport(network, 5,
            new SuperPlaneExpansionOptions { Method = ExpansionMethod.Chebyshev, Data = data }).Report;
        Console.WriteLine(chebyshev);
        // --- end of example ---

        Assert.That(result.Report.RSquared[0], Is.GreaterThan(0.99));
        Assert.That(chebyshev.MaxAbsoluteError[0], Is.LessThan(result.Report.MaxAbsoluteError[0]));
        Assert.That(result.Report.WorstFractionOutside, Is.Zero);
        Assert.That(result.Planes[0].Basis.TermCount, Is.EqualTo(21));
    }
}
