using System.Globalization;
using SuperSpace.Simd.Internals;

namespace SuperSpace.Simd;

public sealed partial class SuperPlane
{
    /// <summary>
    /// The sum of two planes in the same variables. The result's basis is the one of higher degree
    /// (with the constant when either has it); every coefficient is one correctly rounded addition.
    /// </summary>
    /// <exception cref="ArgumentException">Different variable counts.</exception>
    public SuperPlane Add(SuperPlane other) => Combine(this, 1.0, other, 1.0, nameof(other));

    /// <summary>This plane minus <paramref name="other"/>; bases combine as in <see cref="Add"/>.</summary>
    public SuperPlane Subtract(SuperPlane other) => Combine(this, 1.0, other, -1.0, nameof(other));

    /// <summary>This plane times a finite scalar.</summary>
    /// <exception cref="ArgumentException"><paramref name="factor"/> is NaN or ±∞, or the product overflows.</exception>
    public SuperPlane Multiply(double factor)
    {
        if (!double.IsFinite(factor))
        {
            ThrowHelper.Argument(nameof(factor), string.Create(CultureInfo.InvariantCulture, $"factor must be finite; it is {factor}."));
        }

        var scaled = new double[_coefficients.Length];
        for (int t = 0; t < scaled.Length; t++)
        {
            scaled[t] = _coefficients[t] * factor;
        }

        return new SuperPlane(Basis, scaled);
    }

    /// <summary>The sum of two planes (<see cref="Add"/>).</summary>
    public static SuperPlane operator +(SuperPlane left, SuperPlane right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.Add(right);
    }

    /// <summary>The difference of two planes (<see cref="Subtract"/>).</summary>
    public static SuperPlane operator -(SuperPlane left, SuperPlane right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.Subtract(right);
    }

    /// <summary>A plane times a scalar (<see cref="Multiply"/>).</summary>
    public static SuperPlane operator *(SuperPlane plane, double factor)
    {
        ArgumentNullException.ThrowIfNull(plane);
        return plane.Multiply(factor);
    }

    /// <summary>A scalar times a plane (<see cref="Multiply"/>).</summary>
    public static SuperPlane operator *(double factor, SuperPlane plane)
    {
        ArgumentNullException.ThrowIfNull(plane);
        return plane.Multiply(factor);
    }

    private static SuperPlane Combine(SuperPlane left, double leftFactor, SuperPlane right, double rightFactor, string paramName)
    {
        if (right is null)
        {
            ThrowHelper.ArgumentNull(paramName);
        }

        MonomialBasis a = left.Basis;
        MonomialBasis b = right.Basis;
        if (a.VariableCount != b.VariableCount)
        {
            ThrowHelper.Argument(paramName, string.Create(CultureInfo.InvariantCulture,
                $"Both planes must have the same variables: {a.VariableCount} and {b.VariableCount} variables."));
        }

        MonomialBasis basis = a.Degree == b.Degree && a.IncludesConstant == b.IncludesConstant
            ? a
            : new MonomialBasis(a.VariableCount, Math.Max(a.Degree, b.Degree), a.IncludesConstant || b.IncludesConstant);
        var sum = new double[basis.TermCount];
        Accumulate(left, leftFactor, basis, sum);
        Accumulate(right, rightFactor, basis, sum);
        return new SuperPlane(basis, sum);
    }

    /// <summary>destination[term of x^e in target] += factor · (coefficient of x^e in plane), for every term of the plane.</summary>
    private static void Accumulate(SuperPlane plane, double factor, MonomialBasis target, double[] destination)
    {
        MonomialBasis source = plane.Basis;
        ReadOnlySpan<double> c = plane.Coefficients;
        if (ReferenceEquals(source, target))
        {
            for (int t = 0; t < c.Length; t++)
            {
                destination[t] += factor * c[t];
            }

            return;
        }

        // Same term order in both bases: the target is a superset whose degree-k block starts later
        // only by the constant offset and the lower-degree sizes, which are identical.
        int shift = (target.IncludesConstant ? 0 : 1) - (source.IncludesConstant ? 0 : 1);
        for (int t = 0; t < c.Length; t++)
        {
            destination[t - shift] += factor * c[t];
        }
    }
}
