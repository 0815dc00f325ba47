// SplitMix64 (Steele, Lea & Flood 2014): x += 0x9E3779B97F4A7C15, then two xor-shift-multiply rounds.
// A fixed, documented generator, so initial weights for a seed never change across .NET versions.
namespace SuperSpace.Simd.Networks;

internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(long seed) => _state = unchecked((ulong)seed);

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [lower, upper).</summary>
    public double NextDouble(double lower, double upper) => lower + ((upper - lower) * NextDouble());
}
