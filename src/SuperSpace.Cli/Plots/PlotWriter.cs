using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;
using SuperSpace.Simd;

namespace SuperSpace.Cli.Plots;

/// <summary>
/// The tool's pictures (ScottPlot, PNG, rendered off-screen): predictions against each other on a diagonal,
/// each layer's activation with its Taylor and Chebyshev approximations over the histogram of observed
/// pre-activations, term importance, and the training curve.
/// </summary>
internal static class PlotWriter
{
    private const int Width = 1000;
    private const int Height = 640;
    private const float TitleSize = 20;
    private const float LabelSize = 16;

    private static readonly Color Blue = new(31, 119, 180);
    private static readonly Color Orange = new(255, 127, 14);
    private static readonly Color Green = new(44, 160, 44);
    private static readonly Color Red = new(214, 39, 40);
    private static readonly Color Grey = new(127, 127, 127);

    /// <summary>
    /// A diagonal plot: each series' (x, y) pairs as points and the line y = x. The axes span the x values (the
    /// reference) with a margin; points of a series that fall outside (a diverging expansion) are counted in its legend.
    /// </summary>
    public static string Diagonal(string directory, string fileName, string title, string xLabel, string yLabel, IReadOnlyList<(string Label, double[] X, double[] Y)> series)
    {
        Plot plot = NewPlot(title, xLabel, yLabel);
        double low = series.Min(s => s.X.Min());
        double high = series.Max(s => s.X.Max());
        double pad = high > low ? 0.15 * (high - low) : 1;
        low -= pad;
        high += pad;
        var line = plot.Add.Line(low, low, high, high);
        line.LineColor = Grey;
        line.LinePattern = LinePattern.Dashed;
        line.LineWidth = 1.5f;
        line.LegendText = "y = x";
        Color[] colors = [Blue, Orange, Green, Red];
        for (int k = 0; k < series.Count; k++)
        {
            var markers = plot.Add.Markers(series[k].X, series[k].Y, MarkerShape.FilledCircle, 5, colors[k % colors.Length].WithAlpha(0.55));
            int outside = series[k].Y.Count(y => !(y >= low && y <= high));
            markers.LegendText = outside == 0
                ? series[k].Label
                : string.Create(CultureInfo.InvariantCulture, $"{series[k].Label} ({outside} points off the chart)");
        }

        plot.Axes.SetLimits(low, high, low, high);
        plot.ShowLegend(Alignment.UpperLeft);
        return Save(plot, directory, fileName);
    }

    /// <summary>
    /// Layer <paramref name="layer"/>'s activation f over the range of its observed pre-activations (histogram in the
    /// background), with the degree-<paramref name="degree"/> Taylor polynomial at <paramref name="centre"/> (its disc of
    /// convergence marked) and the Chebyshev interpolant on the observed interval.
    /// </summary>
    public static string Activation(string directory, int layer, bool isOutput, Activation activation, int units, double[] preActivations, int degree, double centre)
    {
        double zMin = preActivations.Min();
        double zMax = preActivations.Max();
        double width = Math.Max(zMax - zMin, 1e-9);
        double lower = zMin - (0.05 * width);
        double upper = zMax + (0.05 * width);
        double plotLow = zMin - (0.25 * width);
        double plotHigh = zMax + (0.25 * width);

        string role = isOutput ? "output layer" : $"hidden layer {layer + 1}";
        Plot plot = NewPlot(
            string.Create(CultureInfo.InvariantCulture, $"{Capitalize(role)}: {activation.Name}, {units} units — degree-{degree} approximations"),
            "pre-activation z = w·x + b",
            $"{activation.Name}(z)");

        // Histogram on the right axis, in the background.
        var histogram = ScottPlot.Statistics.Histogram.WithBinCount(40, zMin, zMax + (1e-12 * width));
        histogram.AddRange(preActivations);
        var bars = plot.Add.Histogram(histogram, Blue.WithAlpha(0.18));
        bars.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Right.Label.Text = string.Create(CultureInfo.InvariantCulture, $"observed pre-activations (histogram of {preActivations.Length:N0})");
        plot.Axes.Right.Label.FontSize = LabelSize;

        int n = 400;
        double[] z = [.. Enumerable.Range(0, n).Select(i => plotLow + ((plotHigh - plotLow) * i / (n - 1)))];
        double[] f = [.. z.Select(activation.Evaluate)];

        var taylorCoefficients = new double[degree + 1];
        activation.TaylorCoefficients(centre, taylorCoefficients);
        double[] taylor = [.. z.Select(v => Horner(taylorCoefficients, v - centre))];
        IntervalApproximation chebyshev = activation.Approximate(lower, upper, degree);
        double[] cheb = [.. z.Select(chebyshev.Evaluate)];
        double radius = activation.RadiusOfConvergence(centre);

        if (double.IsFinite(radius))
        {
            double outside = preActivations.Count(v => Math.Abs(v - centre) >= radius) / (double)preActivations.Length;
            if (centre - radius > plotLow)
            {
                plot.Add.HorizontalSpan(plotLow, centre - radius, Red.WithAlpha(0.07));
            }

            if (centre + radius < plotHigh)
            {
                var span = plot.Add.HorizontalSpan(centre + radius, plotHigh, Red.WithAlpha(0.07));
                span.LegendText = string.Create(CultureInfo.InvariantCulture, $"outside the Taylor radius {radius:G3} ({100 * outside:F1}% of the data)");
            }
        }

        var exact = plot.Add.ScatterLine(z, f, Color.FromHex("#000000"));
        exact.LineWidth = 3;
        exact.LegendText = activation.Name;
        var taylorLine = plot.Add.ScatterLine(z, taylor, Red);
        taylorLine.LineWidth = 2.5f;
        taylorLine.LinePattern = LinePattern.Dashed;
        taylorLine.LegendText = string.Create(CultureInfo.InvariantCulture, $"Taylor at the mean z₀ = {centre:G3}, degree {degree}");
        var chebLine = plot.Add.ScatterLine(z, cheb, Green);
        chebLine.LineWidth = 2.5f;
        chebLine.LegendText = string.Create(CultureInfo.InvariantCulture, $"Chebyshev on [{lower:G3}, {upper:G3}], degree {degree} (max error {chebyshev.MaxError:G2})");

        var interval = plot.Add.VerticalLine(lower, 1, Green.WithAlpha(0.6), LinePattern.Dotted);
        interval.LineWidth = 1.5f;
        var intervalHigh = plot.Add.VerticalLine(upper, 1, Green.WithAlpha(0.6), LinePattern.Dotted);
        intervalHigh.LineWidth = 1.5f;

        double fMin = f.Min();
        double fMax = f.Max();
        double fPad = Math.Max(0.3 * (fMax - fMin), 0.1);
        plot.Axes.SetLimitsX(plotLow, plotHigh);
        plot.Axes.SetLimitsY(fMin - fPad, fMax + fPad);
        plot.Axes.SetLimitsY(0, histogram.Counts.Max() * 1.6, plot.Axes.Right);
        plot.ShowLegend(Edge.Bottom);
        return Save(plot, directory, string.Create(CultureInfo.InvariantCulture, $"activation-layer{layer + 1}.png"));
    }

    /// <summary>Horizontal bars of the terms' importance, most important at the top.</summary>
    public static string Importance(string directory, string fileName, string title, IReadOnlyList<(string Name, double Importance, double Coefficient)> terms)
    {
        Plot plot = NewPlot(title, "importance = |coefficient| × RMS of the monomial on the data", string.Empty);
        int count = terms.Count;
        var bars = new List<Bar>();
        for (int k = 0; k < count; k++)
        {
            bars.Add(new Bar
            {
                Position = count - 1 - k,
                Value = terms[k].Importance,
                FillColor = terms[k].Coefficient >= 0 ? Blue : Orange,
                LineWidth = 0,
                Orientation = Orientation.Horizontal,
            });
        }

        var plottable = plot.Add.Bars(bars);
        plottable.Horizontal = true;
        var ticks = new NumericManual();
        for (int k = 0; k < count; k++)
        {
            ticks.AddMajor(count - 1 - k, terms[k].Name);
        }

        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
        plot.Axes.Left.TickLabelStyle.FontName = Fonts.Monospace;
        plot.Axes.Left.TickLabelStyle.Bold = false;
        plot.Axes.Margins(left: 0, right: 0.08, bottom: 0.02, top: 0.02);
        plot.ShowLegend([new LegendItem { LabelText = "positive coefficient", FillColor = Blue }, new LegendItem { LabelText = "negative coefficient", FillColor = Orange }], Alignment.LowerRight);
        return Save(plot, directory, fileName);
    }

    /// <summary>Training and validation MSE per epoch on a log scale.</summary>
    public static string TrainingCurve(string directory, string title, IReadOnlyList<(int Epoch, double Training, double Validation)> history)
    {
        Plot plot = NewPlot(title, "epoch", "mean squared error (log scale)");
        double[] epochs = [.. history.Select(h => (double)h.Epoch)];
        double[] trainingMse = [.. history.Select(h => Log10(h.Training))];
        var train = plot.Add.ScatterLine(epochs, trainingMse, Blue);
        train.LineWidth = 2.5f;
        train.LegendText = "training";
        var validPoints = history.Where(h => double.IsFinite(h.Validation) && h.Validation > 0).ToList();
        if (validPoints.Count > 0)
        {
            double[] validationEpochs = [.. validPoints.Select(h => (double)h.Epoch)];
            double[] validationMse = [.. validPoints.Select(h => Log10(h.Validation))];
            var validation = plot.Add.ScatterLine(validationEpochs, validationMse, Orange);
            validation.LineWidth = 2.5f;
            validation.LegendText = "validation";
        }

        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => string.Create(CultureInfo.InvariantCulture, $"1e{y:0}"),
        };
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.15);
        plot.Grid.MinorLineColor = Colors.Black.WithAlpha(0.05);
        plot.Grid.MinorLineWidth = 1;
        plot.ShowLegend(Alignment.UpperRight);
        return Save(plot, directory, "training-curve.png");
    }

    private static double Log10(double value) => Math.Log10(Math.Max(value, 1e-300));

    private static double Horner(double[] coefficients, double x)
    {
        double sum = 0;
        for (int k = coefficients.Length - 1; k >= 0; k--)
        {
            sum = (sum * x) + coefficients[k];
        }

        return sum;
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>
    /// Null when the machine has fonts; otherwise the warning to show (Skia then renders no text). Debian and
    /// Ubuntu get them with <c>apt-get install fonts-dejavu-core</c>.
    /// </summary>
    public static string? FontWarning =>
        SkiaSharp.SKFontManager.Default.FontFamilyCount == 0
            ? "no fonts are installed, so the plots have no text (Debian/Ubuntu: apt-get install fonts-dejavu-core)."
            : null;

    /// <summary>A sans-serif family the machine has (Skia's default on Linux is often a serif one).</summary>
    private static readonly Lazy<string> SansFont = new(() =>
    {
        string[] installed = [.. SkiaSharp.SKFontManager.Default.FontFamilies];
        string[] preferred = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Open Sans", "Arial", "Helvetica", "Segoe UI"];
        return preferred.FirstOrDefault(p => installed.Contains(p, StringComparer.OrdinalIgnoreCase)) ?? Fonts.Sans;
    });

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(SansFont.Value);
        plot.Title(title, TitleSize);
        plot.XLabel(xLabel, LabelSize);
        plot.YLabel(yLabel, LabelSize);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Legend.FontSize = 14;
        return plot;
    }

    private static string Save(Plot plot, string directory, string fileName)
    {
        try
        {
            Directory.CreateDirectory(directory);
            string path = Path.Combine(directory, fileName);
            plot.SavePng(path, Width, Height);
            return path;
        }
        catch (IOException e)
        {
            throw new CliException(ExitCodes.FileError, $"cannot write the plot {fileName} into {directory}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CliException(ExitCodes.FileError, $"cannot write the plot {fileName} into {directory}: {e.Message}", e);
        }
    }
}
