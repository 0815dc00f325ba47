using Spectre.Console;

namespace SuperSpace.Cli;

/// <summary>
/// Where the tool writes: <see cref="Console"/> for human-readable output (tables, progress) on stdout,
/// <see cref="Out"/> for machine-readable output (<c>--json</c>) written verbatim to stdout, and
/// <see cref="Error"/> for errors and warnings on stderr. Tests substitute string writers.
/// </summary>
internal sealed class CliEnvironment
{
    public CliEnvironment(IAnsiConsole console, TextWriter output, IAnsiConsole error)
    {
        Console = console;
        Out = output;
        Error = error;
    }

    public IAnsiConsole Console { get; }

    public TextWriter Out { get; }

    public IAnsiConsole Error { get; }

    /// <summary>True when stdout is a terminal that can redraw (live progress bars); false for pipes, files and CI logs.</summary>
    public bool IsInteractive => Console.Profile.Capabilities.Interactive;

    /// <summary>The real process streams. When stdout is not a terminal the tables are laid out 120 columns wide and no ANSI codes are written.</summary>
    public static CliEnvironment FromProcess()
    {
        bool redirected = System.Console.IsOutputRedirected;
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Out),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected)
        {
            console.Profile.Width = 120;
        }

        bool errorRedirected = System.Console.IsErrorRedirected;
        IAnsiConsole error = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Error),
            Ansi = errorRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = errorRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        if (errorRedirected)
        {
            // Messages on a redirected stderr (logs) are not wrapped.
            error.Profile.Width = 4096;
        }

        return new CliEnvironment(console, System.Console.Out, error);
    }

    /// <summary>An environment writing plain text into the given writers (no ANSI, not interactive, 120 columns).</summary>
    public static CliEnvironment ForWriters(TextWriter output, TextWriter error)
    {
        static IAnsiConsole Plain(TextWriter writer, int width)
        {
            IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
            console.Profile.Width = width;
            return console;
        }

        return new CliEnvironment(Plain(output, 120), output, Plain(error, 4096));
    }
}
