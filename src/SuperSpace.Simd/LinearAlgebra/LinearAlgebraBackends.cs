namespace SuperSpace.Simd.LinearAlgebra;

/// <summary>
/// Per-call backend selection (DESIGN.md, "Backends"): Managed → the managed kernels; Native → the
/// native shim or <see cref="NotSupportedException"/> carrying the load trace; Auto → native when it
/// loaded and passed its ABI handshake, managed otherwise. <see cref="ILinearAlgebraBackend.Kind"/> of
/// the returned instance says which one was chosen, so results can report it.
/// </summary>
internal static class LinearAlgebraBackends
{
    public static ILinearAlgebraBackend Resolve(ComputeBackend requested)
    {
        switch (requested)
        {
            case ComputeBackend.Managed:
                return ManagedBackend.Instance;
            case ComputeBackend.Auto:
                return ManagedBackend.Instance;
            case ComputeBackend.Native:
                throw new NotSupportedException(
                    "The native backend (superspace_native over OpenBLAS/LAPACKE) is not part of this build yet; use ComputeBackend.Managed or Auto.");
            default:
                throw new ArgumentOutOfRangeException(nameof(requested), requested, "Unknown ComputeBackend.");
        }
    }
}
