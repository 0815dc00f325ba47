using SuperSpace.Simd.LinearAlgebra;
using SuperSpace.Simd.LinearAlgebra.Interop;

namespace SuperSpace.Simd.Tests.LinearAlgebra;

[TestFixture]
public sealed class BackendSelectionTests
{
    [Test]
    public void ManagedIsAlwaysAvailableAndSaysSo() =>
        Assert.That(LinearAlgebraBackends.Resolve(ComputeBackend.Managed).Kind, Is.EqualTo(ComputeBackend.Managed));

    [Test]
    public void AutoChoosesNativeExactlyWhenItIsAvailable()
    {
        TestContext.Out.WriteLine(NativeBackend.LoadTrace);
        Assert.That(LinearAlgebraBackends.Resolve(ComputeBackend.Auto).Kind,
            Is.EqualTo(NativeBackend.IsAvailable ? ComputeBackend.Native : ComputeBackend.Managed));
    }

    [Test]
    public void UnknownBackendIsRejected() =>
        Assert.That(() => LinearAlgebraBackends.Resolve((ComputeBackend)42), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [Test]
    public void AMissingShimIsReportedWithEveryPathTried()
    {
        string directory = Path.Combine(Path.GetTempPath(), "superspace-missing-" + Guid.NewGuid().ToString("N"));
        string notThere = Path.Combine(directory, NativeLibraryLoader.FileName);
        string notALibrary = Path.GetTempFileName();
        try
        {
            File.WriteAllText(notALibrary, "this is not a shared library");
            NativeLoadResult missing = NativeLibraryLoader.Probe([notThere, notALibrary], disabled: false);
            Assert.Multiple(() =>
            {
                Assert.That(missing.IsAvailable, Is.False);
                Assert.That(missing.Trace, Does.Contain(notThere + ": not found"));
                Assert.That(missing.Trace, Does.Contain(notALibrary));
                Assert.That(missing.Trace, Does.Contain("build.ps1 native"));
            });

            // Native when missing throws, carrying the trace; Auto silently falls back and says so.
            var e = Assert.Throws<NotSupportedException>(() => LinearAlgebraBackends.Resolve(ComputeBackend.Native, missing));
            Assert.That(e!.Message, Does.Contain(notThere));
            Assert.That(LinearAlgebraBackends.Resolve(ComputeBackend.Auto, missing).Kind, Is.EqualTo(ComputeBackend.Managed));
        }
        finally
        {
            File.Delete(notALibrary);
        }
    }

    [Test]
    public void DisablingIsReportedInTheTrace()
    {
        NativeLoadResult disabled = NativeLibraryLoader.Probe(NativeLibraryLoader.Candidates(), disabled: true);
        Assert.That(disabled.IsAvailable, Is.False);
        Assert.That(disabled.Trace, Does.Contain(NativeLibraryLoader.DisableVariable));
    }

    [Test]
    public void TheLoadedShimPassedTheHandshake()
    {
        Assume.That(NativeBackend.IsAvailable, Is.True, "native shim not built:" + Environment.NewLine + NativeBackend.LoadTrace);
        Assert.Multiple(() =>
        {
            Assert.That(NativeBackend.LoadTrace, Does.Contain($"ABI revision {NativeMethods.ExpectedAbiRevision}"));
            Assert.That(NativeBackend.LibraryPath, Is.Not.Null);
            Assert.That(NativeBackend.BlasDescription, Is.Not.Empty);
            Assert.That(NativeMethods.ss_abi_revision(), Is.EqualTo(NativeMethods.ExpectedAbiRevision), "the [LibraryImport] stubs bind to the cached handle");
        });
    }

    [Test]
    public void NativeUsageErrorsSurfaceTheShimMessage()
    {
        Assume.That(NativeBackend.IsAvailable, Is.True, "native shim not built:" + Environment.NewLine + NativeBackend.LoadTrace);
        int status;
        unsafe
        {
            status = NativeMethods.ss_dpotrf(null, 3, 1); // lda < n
        }

        Assert.That(status, Is.Negative);
        Assert.That(NativeMethods.LastError(), Does.Contain("ss_dpotrf"));
        Assert.That(() => NativeMethods.Check(status, "ss_dpotrf"), Throws.InvalidOperationException.With.Message.Contains("lda=1"));
    }
}
