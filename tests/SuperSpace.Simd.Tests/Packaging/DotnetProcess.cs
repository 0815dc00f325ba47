using System.Diagnostics;
using System.Text;

namespace SuperSpace.Simd.Tests.Packaging;

/// <summary>Runs the dotnet CLI as a child process with a clean MSBuild environment, and finds the repository.</summary>
internal static class DotnetProcess
{
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SuperSpace.Simd.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No SuperSpace.Simd.sln above {AppContext.BaseDirectory}.");
    }

    public static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    /// <summary>Runs <c>dotnet arguments…</c> in <paramref name="workingDirectory"/>; returns stdout, failing the test with all output on a non-zero exit.</summary>
    public static string Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The test host runs under MSBuild/VSTest variables that would redirect a child build to the test's SDK
        // internals; a consumer's build must see a plain environment.
        foreach (string key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("DOTNET_Enable", StringComparison.OrdinalIgnoreCase) || key == "DOTNET_HOST_PATH")
            {
                info.Environment.Remove(key);
            }
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        if (environment is not null)
        {
            foreach ((string key, string value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', arguments)} did not finish in 4 minutes.\n{stdout}\n{stderr}");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Assert.Fail($"dotnet {string.Join(' ', arguments)} exited with {process.ExitCode}.\nstdout:\n{stdout}\nstderr:\n{stderr}");
        }

        return stdout.ToString();
    }
}

/// <summary>Runs an installed tool's apphost, pointing it at the running SDK's dotnet.</summary>
internal static class ToolProcess
{
    public static string Run(string executable, string workingDirectory, params string[] arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        string? dotnetRoot = Path.GetDirectoryName(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? string.Empty);
        if (!string.IsNullOrEmpty(dotnetRoot))
        {
            info.Environment["DOTNET_ROOT"] = dotnetRoot;
        }

        using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException($"{executable} did not start.");
        System.Threading.Tasks.Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        System.Threading.Tasks.Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{executable} {string.Join(' ', arguments)} did not finish in 2 minutes.");
        }

        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{executable} {string.Join(' ', arguments)}\nstdout:\n{stdout.Result}\nstderr:\n{stderr.Result}");
        return stdout.Result;
    }
}
