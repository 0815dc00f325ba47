using System.Runtime.Intrinsics;

namespace SuperSpace.Simd.Tests;

/// <summary>
/// build.ps1 ci reruns the SIMD tests with the runtime's instruction-set switches; this checks that
/// the switch reached the test process, so a rerun cannot silently test the same path again.
/// </summary>
[TestFixture]
[Category("Simd")]
public sealed class IsaSwitchTests
{
    [Test]
    public void RuntimeSwitchesAreHonoured()
    {
        TestContext.Out.WriteLine($"Vector512 {Vector512.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}, Vector128 {Vector128.IsHardwareAccelerated}");
        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0")
        {
            Assert.That(Vector128.IsHardwareAccelerated || Vector256.IsHardwareAccelerated || Vector512.IsHardwareAccelerated, Is.False);
        }
        else if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0")
        {
            Assert.That(Vector256.IsHardwareAccelerated || Vector512.IsHardwareAccelerated, Is.False);
        }
        else if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0" || Environment.GetEnvironmentVariable("DOTNET_EnableAVX512F") == "0")
        {
            Assert.That(Vector512.IsHardwareAccelerated, Is.False);
        }
        else
        {
            Assert.Pass("no instruction-set switch set");
        }
    }
}
