using System.Text.Json;
using System.Text.Json.Nodes;

namespace SuperSpace.Cli.Output;

/// <summary>Machine-readable output: one indented JSON document on stdout. Non-finite numbers are written as null.</summary>
internal static class Json
{
    // Relaxed escaping keeps names such as "x0^2*x1" and "3 → 16 tanh" readable; the output is never embedded in HTML.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    public static JsonArray Numbers(IEnumerable<double> values) => [.. values.Select(Number)];

    public static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode?)JsonValue.Create(v))];

    public static void Write(CliEnvironment environment, JsonNode document)
    {
        environment.Out.WriteLine(document.ToJsonString(Indented));
        environment.Out.Flush();
    }
}
