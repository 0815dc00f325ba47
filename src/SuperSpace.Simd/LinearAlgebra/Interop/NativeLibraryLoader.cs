// Locates and loads superspace_native once per process, performs the ABI handshake, and installs a
// DllImportResolver that returns the cached handle to the [LibraryImport] stubs. Every candidate path
// and the reason it failed is recorded, so NativeBackend.LoadTrace and the NotSupportedException
// thrown for ComputeBackend.Native say exactly what was tried.
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace SuperSpace.Simd.LinearAlgebra.Interop;

internal sealed class NativeLoadResult(nint handle, string? path, string trace, string? blasInfo)
{
    public nint Handle { get; } = handle;

    public bool IsAvailable => Handle != 0;

    public string? Path { get; } = path;

    public string Trace { get; } = trace;

    public string? BlasInfo { get; } = blasInfo;
}

internal static class NativeLibraryLoader
{
    /// <summary>A full path to the shim, tried before anything else.</summary>
    internal const string PathVariable = "SUPERSPACE_NATIVE_LIBRARY";

    /// <summary>Set to 1 to behave as if the shim were missing (Auto then uses the managed kernels).</summary>
    internal const string DisableVariable = "SUPERSPACE_NATIVE_DISABLE";

    private static readonly Lazy<NativeLoadResult> Loaded = new(LoadAndRegister, LazyThreadSafetyMode.ExecutionAndPublication);

    public static NativeLoadResult Result => Loaded.Value;

    internal static string FileName =>
        OperatingSystem.IsWindows() ? "superspace_native.dll" :
        OperatingSystem.IsMacOS() ? "libsuperspace_native.dylib" : "libsuperspace_native.so";

    /// <summary>The paths tried, in order (the last entry, the bare name, uses the runtime's default probing).</summary>
    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty Location (single-file apps) is skipped; AppContext.BaseDirectory is tried first.")]
    internal static List<string> Candidates()
    {
        var candidates = new List<string>();
        string? explicitPath = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(explicitPath))
        {
            candidates.Add(explicitPath);
        }

        string baseDirectory = AppContext.BaseDirectory;
        AddDirectory(candidates, baseDirectory);
        string assemblyDirectory = System.IO.Path.GetDirectoryName(typeof(NativeLibraryLoader).Assembly.Location) ?? string.Empty;
        if (assemblyDirectory.Length > 0)
        {
            AddDirectory(candidates, assemblyDirectory);
        }

        candidates.Add(NativeMethods.LibraryName);
        return candidates;
    }

    private static void AddDirectory(List<string> candidates, string directory)
    {
        string direct = System.IO.Path.Combine(directory, FileName);
        string nuget = System.IO.Path.Combine(directory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", FileName);
        string nugetPortable = System.IO.Path.Combine(directory, "runtimes", PortableRid(), "native", FileName);
        foreach (string path in new[] { direct, nuget, nugetPortable })
        {
            if (!candidates.Contains(path))
            {
                candidates.Add(path);
            }
        }
    }

    private static string PortableRid()
    {
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        return $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
    }

    private static NativeLoadResult LoadAndRegister()
    {
        NativeLoadResult result = Probe(Candidates(), Environment.GetEnvironmentVariable(DisableVariable) == "1");
        if (!result.IsAvailable)
        {
            return result;
        }

        try
        {
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
        }
        catch (InvalidOperationException e)
        {
            // Another resolver owns this assembly: the [LibraryImport] stubs could bind to another copy.
            NativeLibrary.Free(result.Handle);
            return new NativeLoadResult(0, null, result.Trace + $"cannot install the DllImport resolver: {e.Message}{Environment.NewLine}", null);
        }

        return result;
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == NativeMethods.LibraryName ? Result.Handle : 0;

    /// <summary>
    /// Tries each candidate in order, recording why each failed; the first that loads must export
    /// ss_abi_revision returning <see cref="NativeMethods.ExpectedAbiRevision"/>, else it is freed and
    /// probing continues. Does not install the resolver (tests call this with their own candidates).
    /// </summary>
    internal static unsafe NativeLoadResult Probe(IEnumerable<string> candidates, bool disabled)
    {
        var trace = new StringBuilder();
        if (disabled)
        {
            trace.AppendLine($"{DisableVariable}=1: the native backend is disabled.");
            return new NativeLoadResult(0, null, trace.ToString(), null);
        }

        foreach (string candidate in candidates)
        {
            bool bareName = !candidate.Contains(System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !candidate.Contains('/', StringComparison.Ordinal);
            if (!bareName && !File.Exists(candidate))
            {
                trace.AppendLine($"{candidate}: not found");
                continue;
            }

            nint handle;
            try
            {
                handle = bareName
                    ? NativeLibrary.Load(candidate, typeof(NativeLibraryLoader).Assembly, DllImportSearchPath.SafeDirectories)
                    : NativeLibrary.Load(candidate);
            }
            catch (DllNotFoundException e)
            {
                trace.AppendLine($"{candidate}{(bareName ? " (default probing)" : string.Empty)}: {e.Message}");
                continue;
            }
            catch (BadImageFormatException e)
            {
                trace.AppendLine($"{candidate}: not a loadable library for this process: {e.Message}");
                continue;
            }

            if (!NativeLibrary.TryGetExport(handle, "ss_abi_revision", out nint abiExport)
                || !NativeLibrary.TryGetExport(handle, "ss_blas_info", out nint infoExport))
            {
                trace.AppendLine($"{candidate}: loaded, but it does not export ss_abi_revision/ss_blas_info (not superspace_native?)");
                NativeLibrary.Free(handle);
                continue;
            }

            int revision = ((delegate* unmanaged[Cdecl]<int>)abiExport)();
            if (revision != NativeMethods.ExpectedAbiRevision)
            {
                trace.AppendLine($"{candidate}: ABI revision {revision}, expected {NativeMethods.ExpectedAbiRevision} (rebuild with './build.ps1 native')");
                NativeLibrary.Free(handle);
                continue;
            }

            string info = Marshal.PtrToStringUTF8(((delegate* unmanaged[Cdecl]<nint>)infoExport)()) ?? string.Empty;
            trace.AppendLine($"{candidate}: loaded, ABI revision {revision}, BLAS: {info}");
            return new NativeLoadResult(handle, candidate, trace.ToString(), info);
        }

        trace.AppendLine($"superspace_native was not found. Build it with 'dotnet pwsh ./build.ps1 native' (needs cmake, a C compiler, libopenblas-dev and liblapacke-dev), or set {PathVariable} to its full path.");
        return new NativeLoadResult(0, null, trace.ToString(), null);
    }
}
