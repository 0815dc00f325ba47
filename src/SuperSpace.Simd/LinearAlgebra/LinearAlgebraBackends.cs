using SuperSpace.Simd.LinearAlgebra.Interop;

namespace SuperSpace.Simd.LinearAlgebra;

/// <summary>
/// Per-call backend selection (DESIGN.md, "Backends"): Managed → the managed kernels; Native → the
/// native shim, or <see cref="NotSupportedException"/> carrying the load trace when it is missing;
/// Auto → native when it loaded and passed its ABI handshake, managed otherwise. The returned
/// instance's <see cref="ILinearAlgebraBackend.Kind"/> says which one was chosen, so results can report it.
/// </summary>
internal static class LinearAlgebraBackends
{
    public static ILinearAlgebraBackend Resolve(ComputeBackend requested) => Resolve(requested, NativeLibraryLoader.Result);

    /// <summary>Selection against a given load outcome (tests use a failed probe to exercise the missing case).</summary>
    internal static ILinearAlgebraBackend Resolve(ComputeBackend requested, NativeLoadResult native)
    {
        switch (requested)
        {
            case ComputeBackend.Managed:
                return ManagedBackend.Instance;
            case ComputeBackend.Auto:
                return native.IsAvailable ? NativeLinearAlgebraBackend.Instance : ManagedBackend.Instance;
            case ComputeBackend.Native:
                if (!native.IsAvailable)
                {
                    throw new NotSupportedException(
                        "ComputeBackend.Native was requested but the native linear-algebra shim is not available. Load trace:"
                        + Environment.NewLine + native.Trace);
                }

                return NativeLinearAlgebraBackend.Instance;
            default:
                throw new ArgumentOutOfRangeException(nameof(requested), requested, "Unknown ComputeBackend.");
        }
    }
}
