using System.Globalization;
using System.Text;

namespace SuperSpace.Simd;

/// <summary>The Super Planes of a network and how faithful they are.</summary>
public sealed class SuperPlaneExpansionResult
{
    internal SuperPlaneExpansionResult(SuperPlane[] planes, ExpansionReport report)
    {
        Planes = planes;
        Report = report;
    }

    /// <summary>One Super Plane per network output, in the raw input variables.</summary>
    public SuperPlane[] Planes { get; }

    /// <summary>Fidelity on the data, coverage of each neuron's series or interval, top terms.</summary>
    public ExpansionReport Report { get; }
}

/// <summary>
/// Fidelity of an expansion on the data (the supplied points, or the sampled box): per output the
/// mean squared error, R² and max |network − plane|; per neuron the fraction of pre-activations outside
/// its series' radius of convergence (Taylor methods) or its approximation interval (Chebyshev); and the
/// most important terms.
/// </summary>
public sealed class ExpansionReport
{
    internal ExpansionReport(
        ExpansionMethod method, int degree, int termCount, int sampleCount, bool sampled,
        double[] mse, double[] rSquared, double[] maxError, NeuronCoverage[] neurons, TermImportance[] topTerms, TimeSpan elapsed)
    {
        Method = method;
        Degree = degree;
        TermCount = termCount;
        SampleCount = sampleCount;
        Sampled = sampled;
        MeanSquaredError = mse;
        RSquared = rSquared;
        MaxAbsoluteError = maxError;
        Neurons = neurons;
        TopTerms = topTerms;
        Elapsed = elapsed;
    }

    /// <summary>The method used.</summary>
    public ExpansionMethod Method { get; }

    /// <summary>Degree of the planes.</summary>
    public int Degree { get; }

    /// <summary>Terms per plane.</summary>
    public int TermCount { get; }

    /// <summary>Points the fidelity was measured on.</summary>
    public int SampleCount { get; }

    /// <summary>True when the points were sampled from the box (no data supplied).</summary>
    public bool Sampled { get; }

    /// <summary>Per output: mean of (network − plane)².</summary>
    public double[] MeanSquaredError { get; }

    /// <summary>Per output: 1 − Σ(network − plane)²/Σ(network − mean)² (NaN when the network output is constant on the points).</summary>
    public double[] RSquared { get; }

    /// <summary>Per output: max |network − plane|.</summary>
    public double[] MaxAbsoluteError { get; }

    /// <summary>Per non-linear neuron: its centre or interval and the fraction of pre-activations outside it.</summary>
    public IReadOnlyList<NeuronCoverage> Neurons { get; }

    /// <summary>The most important terms per output, by |coefficient| × RMS of the monomial on the points, largest first.</summary>
    public IReadOnlyList<TermImportance> TopTerms { get; }

    /// <summary>Time of the expansion itself (without the report).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Largest fraction of pre-activations outside any neuron's radius or interval.</summary>
    public double WorstFractionOutside => Neurons.Count == 0 ? 0 : Neurons.Max(n => n.FractionOutside);

    /// <inheritdoc/>
    public override string ToString()
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"{Method}, degree {Degree}, {TermCount} terms, {SampleCount} {(Sampled ? "sampled " : string.Empty)}points\n");
        for (int o = 0; o < MeanSquaredError.Length; o++)
        {
            b.Append(CultureInfo.InvariantCulture, $"  output {o}: MSE {MeanSquaredError[o]:G3}, R² {RSquared[o]:F6}, max |error| {MaxAbsoluteError[o]:G3}\n");
        }

        int flagged = Neurons.Count(n => n.FractionOutside > 0);
        b.Append(CultureInfo.InvariantCulture, $"  neurons with pre-activations outside their radius/interval: {flagged} of {Neurons.Count} (worst {WorstFractionOutside:P1})\n");
        foreach (TermImportance t in TopTerms.Take(5))
        {
            b.Append(CultureInfo.InvariantCulture, $"  output {t.Output}: {t.Name,-16} coefficient {t.Coefficient,12:G6}  importance {t.Importance:G3}\n");
        }

        return b.ToString();
    }
}

/// <summary>One neuron's expansion domain and how much of the data falls outside it.</summary>
/// <param name="Layer">Layer index.</param>
/// <param name="Unit">Unit index in the layer.</param>
/// <param name="Center">Series centre (Taylor methods; NaN for Chebyshev).</param>
/// <param name="Radius">Radius of convergence at the centre (Taylor methods; +∞ for entire functions), or the interval's half-width (Chebyshev).</param>
/// <param name="Lower">Left end of the interval (Chebyshev), else Center − Radius.</param>
/// <param name="Upper">Right end of the interval (Chebyshev), else Center + Radius.</param>
/// <param name="FractionOutside">Fraction of the points whose pre-activation lies outside [Lower, Upper] (Taylor: at or beyond the radius).</param>
public sealed record NeuronCoverage(int Layer, int Unit, double Center, double Radius, double Lower, double Upper, double FractionOutside);

/// <summary>A term of an output's plane and its importance.</summary>
/// <param name="Output">Output index.</param>
/// <param name="Term">Term index in the plane's basis.</param>
/// <param name="Name">Term name, e.g. <c>x0^2*x1</c>.</param>
/// <param name="Coefficient">Its coefficient.</param>
/// <param name="Importance">|coefficient| × root mean square of the monomial on the points.</param>
public sealed record TermImportance(int Output, int Term, string Name, double Coefficient, double Importance);
