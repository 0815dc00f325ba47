namespace SuperSpace.Simd.Tests.Networks;

/// <summary>
/// TaylorFixedCentre against the coefficients nn2poly (R/C++, commit c09b74b) computed for two networks
/// with taylor_orders = 8, taylor_center = 0, max_order = 3 (../shared/anchors/nn2poly).
/// </summary>
[TestFixture]
public sealed class Nn2polyReferenceTests
{
    [Category("Simd")]
    [TestCase("N1")]
    [TestCase("N2")]
    public void FixedCentreReproducesNn2polyCoefficients(string name)
    {
        string dir = SharedAnchors.RequireNn2poly();
        Mlp network = SharedAnchors.ReadNetwork(Path.Combine(dir, name + ".network.json"));
        var reference = SharedAnchors.ReadCoefficients(Path.Combine(dir, name + ".coefficients.csv"), network.InputCount);
        SuperPlane plane = SuperPlaneExpansion.Expand(network, 3, new SuperPlaneExpansionOptions
        {
            Method = ExpansionMethod.TaylorFixedCentre,
            TaylorOrder = 8,
            FixedCentre = 0,
        })[0];

        Assert.That(plane.Basis.TermCount, Is.EqualTo(reference.Length));
        double scale = reference.Max(r => Math.Abs(r.Value));
        for (int row = 0; row < reference.Length; row++)
        {
            int term = plane.Basis.IndexOf(reference[row].Exponents);
            Assert.That(term, Is.EqualTo(row), "nn2poly's rows are in our basis order");
            Assert.That(plane.Coefficients[term], Is.EqualTo(reference[row].Value).Within(1e-12 * scale), $"{name} term {plane.Basis.FormatTerm(term)}");
        }
    }

    [TestCase("N1")]
    [TestCase("N2")]
    public void NetworkAndPolynomialEvaluationsMatchNn2poly(string name)
    {
        string dir = SharedAnchors.RequireNn2poly();
        Mlp network = SharedAnchors.ReadNetwork(Path.Combine(dir, name + ".network.json"));
        SuperPlane plane = SuperPlaneExpansion.Expand(network, 3, new SuperPlaneExpansionOptions { Method = ExpansionMethod.TaylorFixedCentre })[0];
        int v = network.InputCount;
        foreach (string line in File.ReadLines(Path.Combine(dir, name + ".eval.csv")).Skip(1))
        {
            double[] values = line.Split(',').Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            double[] x = values[..v];
            var output = new double[1];
            network.Predict(x, output);
            Assert.That(output[0], Is.EqualTo(values[v]).Within(1e-13), "our forward pass = nn2poly's network");
            Assert.That(plane.Evaluate(x), Is.EqualTo(values[v + 1]).Within(1e-13), "our plane = nn2poly's polynomial");
        }
    }
}
