namespace SuperSpace.Simd.Tests.Solvers.Problems;

/// <summary>
/// Locates the shared reference-data folder: the environment variable SUPERSPACE_SHARED when set,
/// else ../shared next to the repository root (the folder that holds SuperSpace.Simd.sln).
/// </summary>
internal static class SharedData
{
    public const string EnvironmentVariable = "SUPERSPACE_SHARED";

    private static readonly Lazy<string?> Root = new(FindRoot);

    /// <summary>The shared folder, or null when it cannot be found.</summary>
    public static string? Folder => Root.Value;

    /// <summary>The folder holding the NIST StRD nonlinear files, or null when absent.</summary>
    public static string? NistNonlinearFolder
    {
        get
        {
            if (Folder is null)
            {
                return null;
            }

            string path = Path.Combine(Folder, "data", "nist", "nonlinear");
            return Directory.Exists(path) ? path : null;
        }
    }

    /// <summary>Why the data is missing, for skip messages.</summary>
    public static string MissingMessage =>
        $"NIST StRD nonlinear data not found: set {EnvironmentVariable} to the shared folder or place it at ../shared " +
        "next to the repository root (it must contain data/nist/nonlinear/*.dat).";

    private static string? FindRoot()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment) && Directory.Exists(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SuperSpace.Simd.sln")))
            {
                string candidate = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared"));
                return Directory.Exists(candidate) ? candidate : null;
            }
        }

        return null;
    }
}
