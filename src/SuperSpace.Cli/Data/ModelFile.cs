using SuperSpace.Simd;

namespace SuperSpace.Cli.Data;

/// <summary>Loads a network from a SuperSpace.Simd JSON model (<c>superspace train --out</c>) or an ONNX file.</summary>
internal static class ModelFile
{
    public static Mlp Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException(ExitCodes.FileError, Directory.Exists(path) ? $"{path} is a directory, not a model file." : $"file not found: {path}");
        }

        try
        {
            if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            {
                return OnnxImport.Load(path);
            }

            using FileStream stream = File.OpenRead(path);
            return Mlp.Load(stream);
        }
        catch (NotSupportedException e)
        {
            throw new CliException(ExitCodes.IncompatibleModel, $"{path}: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new CliException(ExitCodes.IncompatibleModel, $"{path}: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            // Mlp.Load reports a document that is not a SuperSpace.Simd model (or not JSON) as an ArgumentException.
            string hint = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? string.Empty : " (models are SuperSpace.Simd JSON files, or ONNX files named *.onnx)";
            throw new CliException(ExitCodes.IncompatibleModel, $"{path}: {StripParameter(e.Message)}{hint}", e);
        }
        catch (IOException e)
        {
            throw new CliException(ExitCodes.FileError, $"cannot read {path}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CliException(ExitCodes.FileError, $"cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>Saves <paramref name="network"/> as JSON, creating the folder.</summary>
    public static void Save(Mlp network, string path)
    {
        try
        {
            string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            using FileStream stream = File.Create(path);
            network.Save(stream);
        }
        catch (IOException e)
        {
            throw new CliException(ExitCodes.FileError, $"cannot write {path}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CliException(ExitCodes.FileError, $"cannot write {path}: {e.Message}", e);
        }
    }

    /// <summary>ArgumentException appends " (Parameter 'x')"; the user does not need it.</summary>
    internal static string StripParameter(string message)
    {
        int index = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return index > 0 ? message[..index] : message;
    }
}
