namespace SuperSpace.Simd;

/// <summary>
/// Which implementation of the dense linear algebra a call uses. Chosen per call or per solver
/// instance through options, never through a process-wide switch.
/// </summary>
public enum ComputeBackend
{
    /// <summary>The native BLAS/LAPACK shim when it loaded and passed its ABI handshake; the managed kernels otherwise.</summary>
    Auto = 0,

    /// <summary>The managed SIMD kernels (always available, complete on their own).</summary>
    Managed = 1,

    /// <summary>The native shim over CBLAS/LAPACKE; throws <see cref="NotSupportedException"/> with the load trace when it is missing.</summary>
    Native = 2,
}
