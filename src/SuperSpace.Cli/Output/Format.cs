using System.Globalization;

namespace SuperSpace.Cli.Output;

/// <summary>Invariant number formatting for tables.</summary>
internal static class Format
{
    public static string G(double value, int digits = 6) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "∞" : double.IsNegativeInfinity(value) ? "-∞" : value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => (100 * fraction).ToString("F1", CultureInfo.InvariantCulture) + "%";

    public static string Int(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds < 1
        ? (elapsed.TotalMilliseconds).ToString("F0", CultureInfo.InvariantCulture) + " ms"
        : elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s";
}
