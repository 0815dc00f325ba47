namespace SuperSpace.Cli;

/// <summary>The process exit codes of <c>superspace</c> (documented in docs/cli.md).</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>An unexpected error inside the tool (a bug): the message is printed; SUPERSPACE_DEBUG=1 adds the stack trace.</summary>
    public const int InternalError = 1;

    /// <summary>Bad command line: unknown command or option, missing or invalid option value.</summary>
    public const int Usage = 2;

    /// <summary>An input file is missing or unreadable, or an output file cannot be written.</summary>
    public const int FileError = 3;

    /// <summary>Bad data: CSV syntax (line and column given), non-numeric cell, NaN or ∞, unknown column, too few rows.</summary>
    public const int BadData = 4;

    /// <summary>A model file that cannot be used: not a SuperSpace.Simd JSON model or a supported ONNX graph, or its input count does not match the data.</summary>
    public const int IncompatibleModel = 5;

    /// <summary>A numerical failure that left no usable result (e.g. training diverged to non-finite outputs).</summary>
    public const int NumericalFailure = 6;

    /// <summary>Cancelled (Ctrl+C); the best result so far is kept where the command says so.</summary>
    public const int Cancelled = 130;
}

/// <summary>An error to report to the user as one message and an exit code, without a stack trace.</summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
    }

    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int ExitCode { get; } = ExitCodes.InternalError;
}
