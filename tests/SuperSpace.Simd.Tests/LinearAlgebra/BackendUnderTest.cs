using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Tests.LinearAlgebra;

/// <summary>Resolves the backend a fixture runs against; the native fixture is inconclusive (skipped) when the shim is missing.</summary>
internal static class BackendUnderTest
{
    public static ILinearAlgebraBackend Resolve(ComputeBackend backend)
    {
        ILinearAlgebraBackend resolved = LinearAlgebraBackends.Resolve(backend);
        Assert.That(resolved.Kind, Is.EqualTo(backend));
        return resolved;
    }
}
