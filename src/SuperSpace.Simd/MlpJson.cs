using System.Globalization;
using System.Text;
using System.Text.Json;
using SuperSpace.Simd.Internals;

namespace SuperSpace.Simd;

/// <summary>JSON save and load (format in docs/expansion.md).</summary>
public sealed partial class Mlp
{
    /// <summary>The value of the document's <c>format</c> field.</summary>
    public const string JsonFormatName = "SuperSpace.Simd.Mlp";

    /// <summary>The document version this library writes (and the highest it reads).</summary>
    public const int JsonFormatVersion = 1;

    /// <summary>The network as a JSON document: layers, activations (with polynomial coefficients), parameters, scalings. Doubles round-trip exactly.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        Save(stream);
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="stream"/> as UTF-8.</summary>
    public void Save(Stream stream)
    {
        if (stream is null)
        {
            ThrowHelper.ArgumentNull(nameof(stream));
        }

        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("format", JsonFormatName);
        writer.WriteNumber("version", JsonFormatVersion);
        writer.WriteNumber("inputCount", InputCount);
        writer.WriteStartArray("layers");
        foreach (DenseLayer layer in _layers)
        {
            writer.WriteStartObject();
            writer.WriteNumber("units", layer.Units);
            writer.WriteString("activation", layer.Activation.Name);
            if (!layer.Activation.PolynomialCoefficients.IsEmpty)
            {
                WriteArray(writer, "coefficients", layer.Activation.PolynomialCoefficients);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteArray(writer, "parameters", _parameters);
        WriteScaling(writer, "inputScaling", _inputScaling);
        WriteScaling(writer, "outputScaling", _outputScaling);
        writer.WriteEndObject();
    }

    /// <summary>Reads a network written by <see cref="ToJson"/>.</summary>
    /// <exception cref="ArgumentException">Not valid JSON, another format or a newer version, or inconsistent contents (the message says which field).</exception>
    public static Mlp FromJson(string json)
    {
        if (json is null)
        {
            ThrowHelper.ArgumentNull(nameof(json));
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return Read(document.RootElement, nameof(json));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Not a valid JSON document: {e.Message}", nameof(json), e);
        }
    }

    /// <summary>Reads a network from a UTF-8 JSON stream written by <see cref="Save"/>.</summary>
    /// <exception cref="ArgumentException">As <see cref="FromJson"/>.</exception>
    public static Mlp Load(Stream stream)
    {
        if (stream is null)
        {
            ThrowHelper.ArgumentNull(nameof(stream));
        }

        try
        {
            using var document = JsonDocument.Parse(stream);
            return Read(document.RootElement, nameof(stream));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Not a valid JSON document: {e.Message}", nameof(stream), e);
        }
    }

    private static Mlp Read(JsonElement root, string paramName)
    {
        string format = Property(root, "format", paramName).GetString() ?? string.Empty;
        if (format != JsonFormatName)
        {
            ThrowHelper.Argument(paramName, $"The document's format is '{format}', not '{JsonFormatName}'.");
        }

        int version = Property(root, "version", paramName).GetInt32();
        if (version < 1 || version > JsonFormatVersion)
        {
            ThrowHelper.Argument(paramName, $"Document version {version} is not supported (this library reads 1 … {JsonFormatVersion}).");
        }

        int inputCount = Property(root, "inputCount", paramName).GetInt32();
        var layers = new List<DenseLayer>();
        foreach (JsonElement element in Property(root, "layers", paramName).EnumerateArray())
        {
            int units = Property(element, "units", paramName).GetInt32();
            string name = Property(element, "activation", paramName).GetString() ?? string.Empty;
            Activation? activation = name == "polynomial"
                ? Activation.Polynomial(ReadArray(Property(element, "coefficients", paramName)))
                : Activation.FromName(name);
            if (activation is null)
            {
                ThrowHelper.Argument(paramName, $"Unknown activation '{name}' in layer {layers.Count}.");
            }

            layers.Add(new DenseLayer(units, activation));
        }

        var network = new Mlp(inputCount, [.. layers]);
        double[] parameters = ReadArray(Property(root, "parameters", paramName));
        if (parameters.Length != network.ParameterCount)
        {
            ThrowHelper.Argument(paramName, $"'parameters' has {parameters.Length} values; the layers need {network.ParameterCount}.");
        }

        long bad = Validate.IndexOfNonFinite(parameters);
        if (bad >= 0)
        {
            ThrowHelper.Argument(paramName, string.Create(CultureInfo.InvariantCulture, $"'parameters' has a non-finite value at index {bad}."));
        }

        parameters.CopyTo(network._parameters, 0);
        network.InputScaling = ReadScaling(root, "inputScaling", paramName);
        network.OutputScaling = ReadScaling(root, "outputScaling", paramName);
        return network;
    }

    private static JsonElement Property(JsonElement element, string name, string paramName)
    {
        JsonElement value = default;
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out value))
        {
            ThrowHelper.Argument(paramName, $"The document lacks the field '{name}'.");
        }

        return value;
    }

    private static double[] ReadArray(JsonElement element)
    {
        var values = new double[element.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in element.EnumerateArray())
        {
            values[i++] = item.GetDouble();
        }

        return values;
    }

    private static FeatureScaling? ReadScaling(JsonElement root, string name, string paramName)
    {
        if (!root.TryGetProperty(name, out JsonElement element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return new FeatureScaling(ReadArray(Property(element, "offset", paramName)), ReadArray(Property(element, "scale", paramName)));
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, ReadOnlySpan<double> values)
    {
        writer.WriteStartArray(name);
        foreach (double value in values)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteScaling(Utf8JsonWriter writer, string name, FeatureScaling? scaling)
    {
        if (scaling is null)
        {
            return;
        }

        writer.WriteStartObject(name);
        WriteArray(writer, "offset", scaling.Offset);
        WriteArray(writer, "scale", scaling.Scale);
        writer.WriteEndObject();
    }
}
