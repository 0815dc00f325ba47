using BenchmarkDotNet.Running;

namespace SuperSpace.Simd.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "expansion-fidelity")
        {
            ExpansionFidelity.Run(args);
            return;
        }

        if (args.Length > 0 && args[0] == "polyfit-compare")
        {
            PolyfitComparison.Run(args);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
