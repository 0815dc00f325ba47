using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Tests.LinearAlgebra;

/// <summary>Resolves the backend a fixture runs against; the native fixture is inconclusive (skipped) when the shim is missing.</summary>
internal static class BackendUnderTest
{
    public static ILinearAlgebraBackend Resolve(ComputeBackend backend)
    {
        if (backend == ComputeBackend.Native)
        {
            Assume.That(NativeBackend.IsAvailable, Is.True,
                "the native shim superspace_native is not available (build it with 'dotnet pwsh ./build.ps1 native'; needs cmake, "
                + "a C compiler, libopenblas-dev, liblapacke-dev). Load trace:" + Environment.NewLine + NativeBackend.LoadTrace);
        }

        ILinearAlgebraBackend resolved = LinearAlgebraBackends.Resolve(backend);
        Assert.That(resolved.Kind, Is.EqualTo(backend));
        return resolved;
    }
}
