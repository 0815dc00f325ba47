using SuperSpace.Simd.LinearAlgebra.Interop;

namespace SuperSpace.Simd;

/// <summary>
/// The optional native linear-algebra backend: <c>superspace_native</c>, a small C shim over CBLAS and
/// LAPACKE (OpenBLAS), built with <c>dotnet pwsh ./build.ps1 native</c> and copied next to the
/// application. Select it per call or per solver with <see cref="ComputeBackend.Native"/> (or let
/// <see cref="ComputeBackend.Auto"/> pick it when present). Loading happens once, on first use.
/// </summary>
public static class NativeBackend
{
    /// <summary>
    /// True when the shim was found, loaded, and passed its ABI handshake. Set the environment variable
    /// <c>SUPERSPACE_NATIVE_LIBRARY</c> to a full path to load a specific copy, or
    /// <c>SUPERSPACE_NATIVE_DISABLE=1</c> to behave as if it were missing.
    /// </summary>
    public static bool IsAvailable => NativeLibraryLoader.Result.IsAvailable;

    /// <summary>Every path tried and what happened (not found, failed to load and why, wrong ABI, loaded), one per line.</summary>
    public static string LoadTrace => NativeLibraryLoader.Result.Trace;

    /// <summary>The file that was loaded, or null.</summary>
    public static string? LibraryPath => NativeLibraryLoader.Result.Path;

    /// <summary>The BLAS the shim runs on (OpenBLAS's configuration string), or null when unavailable.</summary>
    public static string? BlasDescription => NativeLibraryLoader.Result.BlasInfo;
}
