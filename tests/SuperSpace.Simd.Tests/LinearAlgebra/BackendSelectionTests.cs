using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Tests.LinearAlgebra;

[TestFixture]
public sealed class BackendSelectionTests
{
    [Test]
    public void ManagedIsAlwaysAvailableAndSaysSo() =>
        Assert.That(LinearAlgebraBackends.Resolve(ComputeBackend.Managed).Kind, Is.EqualTo(ComputeBackend.Managed));

    [Test]
    public void AutoReportsTheBackendItChose() =>
        Assert.That(LinearAlgebraBackends.Resolve(ComputeBackend.Auto).Kind, Is.AnyOf(ComputeBackend.Managed, ComputeBackend.Native));

    [Test]
    public void UnknownBackendIsRejected() =>
        Assert.That(() => LinearAlgebraBackends.Resolve((ComputeBackend)42), Throws.InstanceOf<ArgumentOutOfRangeException>());
}
