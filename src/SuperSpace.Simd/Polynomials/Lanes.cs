// Width-generic SIMD lanes over doubles, in the TensorPrimitives operator-struct style: a kernel is
// written once as a generic method over TLanes : struct, ILanes<TVector>, and the JIT specialises it
// per width with every call inlined. Lanes512/256 use fused multiply-add (their hardware has FMA);
// Lanes128 and Lanes1 multiply and add separately, so they stay fast where FMA is absent
// (x86 without AVX2, or DOTNET_EnableAVX2=0) instead of falling back to a software fma.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SuperSpace.Simd.Polynomials;

internal interface ILanes<TVector>
    where TVector : struct
{
    static abstract int Count { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Load(ref double source, nint index);

    static abstract void Store(TVector value, ref double destination, nint index);

    static abstract TVector Multiply(TVector a, TVector b);

    static abstract TVector Add(TVector a, TVector b);

    /// <summary>a·b + c (fused where the hardware fuses).</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>Sum of the lanes.</summary>
    static abstract double Sum(TVector value);
}

internal readonly struct Lanes512 : ILanes<Vector512<double>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector512<double> value) => Vector512.Sum(value);

    public static int Count => 8;

    public static Vector512<double> Zero => Vector512<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load(ref double source, nint index) => Vector512.LoadUnsafe(ref Unsafe.Add(ref source, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<double> value, ref double destination, nint index) => value.StoreUnsafe(ref Unsafe.Add(ref destination, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Multiply(Vector512<double> a, Vector512<double> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);
}

internal readonly struct Lanes256 : ILanes<Vector256<double>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector256<double> value) => Vector256.Sum(value);

    public static int Count => 4;

    public static Vector256<double> Zero => Vector256<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load(ref double source, nint index) => Vector256.LoadUnsafe(ref Unsafe.Add(ref source, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<double> value, ref double destination, nint index) => value.StoreUnsafe(ref Unsafe.Add(ref destination, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Multiply(Vector256<double> a, Vector256<double> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);
}

internal readonly struct Lanes128 : ILanes<Vector128<double>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector128<double> value) => Vector128.Sum(value);

    public static int Count => 2;

    public static Vector128<double> Zero => Vector128<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Load(ref double source, nint index) => Vector128.LoadUnsafe(ref Unsafe.Add(ref source, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<double> value, ref double destination, nint index) => value.StoreUnsafe(ref Unsafe.Add(ref destination, index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Multiply(Vector128<double> a, Vector128<double> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Add(Vector128<double> a, Vector128<double> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> MultiplyAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c) => (a * b) + c;
}

internal readonly struct Lanes1 : ILanes<double>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(double value) => value;

    public static int Count => 1;

    public static double Zero => 0.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Load(ref double source, nint index) => Unsafe.Add(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double value, ref double destination, nint index) => Unsafe.Add(ref destination, index) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Multiply(double a, double b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Add(double a, double b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MultiplyAdd(double a, double b, double c) => (a * b) + c;
}

/// <summary>The widest accelerated lane width for doubles: 8, 4, 2 or 1.</summary>
internal static class LaneWidth
{
    public static int Doubles =>
        Vector512.IsHardwareAccelerated ? 8 :
        Vector256.IsHardwareAccelerated ? 4 :
        Vector128.IsHardwareAccelerated ? 2 : 1;
}
