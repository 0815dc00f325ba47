using System.Reflection;
using Spectre.Console;
using Spectre.Console.Cli;
using SuperSpace.Cli.Commands;

namespace SuperSpace.Cli;

/// <summary>The command-line application: commands, help, and the one place errors become messages and exit codes.</summary>
internal static class CliApp
{
    public static int Run(string[] args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("superspace");
            config.SetApplicationVersion(Version);
            config.ConfigureConsole(environment.Console);
            config.Settings.Registrar.RegisterInstance(environment);
            config.Settings.StrictParsing = true;
            config.Settings.CancellationExitCode = ExitCodes.Cancelled;
            config.SetExceptionHandler((exception, _) => Report(environment, exception));

            config.AddCommand<FitCommand>("fit")
                .WithDescription("Fit a Super Plane (polynomial least squares) to a CSV file: terms, coefficients, standard errors, R².")
                .WithExample("fit", "data.csv", "--target", "y", "--degree", "3");
            config.AddCommand<TrainCommand>("train")
                .WithDescription("Train a neural network by Levenberg–Marquardt on a CSV file and save it as JSON.")
                .WithExample("train", "data.csv", "--target", "y", "--hidden", "16,16", "--activation", "tanh", "--out", "model.json");
            config.AddCommand<ExpandCommand>("expand")
                .WithDescription("Expand a network (SuperSpace JSON or ONNX) into Super Planes, with the fidelity report.")
                .WithExample("expand", "model.json", "--degree", "3", "--data", "data.csv", "--target", "y");
            config.AddCommand<DemoCommand>("demo")
                .WithDescription("Generate a data set, train a network, fit and expand it, print the comparison and write plots into ./superspace-demo/.");
        });

        return app.Run(args, cancellationToken);
    }

    public static string Version =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>One line on stderr, never a stack trace unless SUPERSPACE_DEBUG=1; the exit code tells the kind of failure.</summary>
    internal static int Report(CliEnvironment environment, Exception exception)
    {
        (int code, string message) = exception switch
        {
            CliException e => (e.ExitCode, e.Message),
            CommandAppException e => (ExitCodes.Usage, e.Message + " (see 'superspace --help')"),
            OperationCanceledException => (ExitCodes.Cancelled, "cancelled."),
            _ => (ExitCodes.InternalError, $"internal error ({exception.GetType().Name}): {exception.Message.TrimEnd('.')}. This is a bug; SUPERSPACE_DEBUG=1 prints the stack trace."),
        };
        environment.Error.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
        if (Environment.GetEnvironmentVariable("SUPERSPACE_DEBUG") == "1")
        {
            environment.Error.WriteLine(exception.ToString());
        }

        return code;
    }
}
