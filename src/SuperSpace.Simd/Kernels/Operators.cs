// Operator structs for the element-wise and reduction drivers (TensorPrimitives style): each is a tiny
// readonly struct with a scalar Invoke and Vector128/256/512 overloads; the drivers are generic over
// the struct, so the JIT specialises them and no delegate or interface call happens per element.
using System.Runtime.Intrinsics;

namespace SuperSpace.Simd.Kernels;

/// <summary>f(x) on doubles, scalar and per vector width.</summary>
internal interface IUnaryOperator
{
    double Invoke(double x);

    Vector128<double> Invoke(Vector128<double> x);

    Vector256<double> Invoke(Vector256<double> x);

    Vector512<double> Invoke(Vector512<double> x);
}

/// <summary>f(x, y) on doubles, scalar and per vector width.</summary>
internal interface IBinaryOperator
{
    double Invoke(double x, double y);

    Vector128<double> Invoke(Vector128<double> x, Vector128<double> y);

    Vector256<double> Invoke(Vector256<double> x, Vector256<double> y);

    Vector512<double> Invoke(Vector512<double> x, Vector512<double> y);
}

/// <summary>acc ⊕ f(x, y), the update of a reduction whose identity is 0 (fused where the hardware has it).</summary>
internal interface IAccumulateOperator
{
    double Invoke(double acc, double x, double y);

    Vector128<double> Invoke(Vector128<double> acc, Vector128<double> x, Vector128<double> y);

    Vector256<double> Invoke(Vector256<double> acc, Vector256<double> x, Vector256<double> y);

    Vector512<double> Invoke(Vector512<double> acc, Vector512<double> x, Vector512<double> y);
}

/// <summary>α·x.</summary>
internal readonly struct ScaleOperator(double alpha) : IUnaryOperator
{
    private readonly double _alpha = alpha;

    public double Invoke(double x) => _alpha * x;

    public Vector128<double> Invoke(Vector128<double> x) => Vector128.Create(_alpha) * x;

    public Vector256<double> Invoke(Vector256<double> x) => Vector256.Create(_alpha) * x;

    public Vector512<double> Invoke(Vector512<double> x) => Vector512.Create(_alpha) * x;
}

/// <summary>α·x + y with one rounding (fused multiply-add).</summary>
internal readonly struct AxpyOperator(double alpha) : IBinaryOperator
{
    private readonly double _alpha = alpha;

    public double Invoke(double x, double y) => Math.FusedMultiplyAdd(_alpha, x, y);

    public Vector128<double> Invoke(Vector128<double> x, Vector128<double> y) => Vector128.FusedMultiplyAdd(Vector128.Create(_alpha), x, y);

    public Vector256<double> Invoke(Vector256<double> x, Vector256<double> y) => Vector256.FusedMultiplyAdd(Vector256.Create(_alpha), x, y);

    public Vector512<double> Invoke(Vector512<double> x, Vector512<double> y) => Vector512.FusedMultiplyAdd(Vector512.Create(_alpha), x, y);
}

/// <summary>acc + x·y with one rounding: the dot-product update.</summary>
internal readonly struct MultiplyAddOperator : IAccumulateOperator
{
    public double Invoke(double acc, double x, double y) => Math.FusedMultiplyAdd(x, y, acc);

    public Vector128<double> Invoke(Vector128<double> acc, Vector128<double> x, Vector128<double> y) => Vector128.FusedMultiplyAdd(x, y, acc);

    public Vector256<double> Invoke(Vector256<double> acc, Vector256<double> x, Vector256<double> y) => Vector256.FusedMultiplyAdd(x, y, acc);

    public Vector512<double> Invoke(Vector512<double> acc, Vector512<double> x, Vector512<double> y) => Vector512.FusedMultiplyAdd(x, y, acc);
}
