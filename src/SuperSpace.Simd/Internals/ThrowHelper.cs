using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SuperSpace.Simd.Internals;

/// <summary>
/// Throw sites kept out of line so that validating methods stay small enough to inline
/// and hot loops carry no exception-construction code.
/// </summary>
internal static class ThrowHelper
{
    [DoesNotReturn, StackTraceHidden]
    public static void ArgumentOutOfRange(string paramName, string message) =>
        throw new ArgumentOutOfRangeException(paramName, message);

    [DoesNotReturn, StackTraceHidden]
    public static void Argument(string paramName, string message) =>
        throw new ArgumentException(message, paramName);

    [DoesNotReturn, StackTraceHidden]
    public static void ArgumentNull(string paramName) =>
        throw new ArgumentNullException(paramName);

    [DoesNotReturn, StackTraceHidden]
    public static void InvalidOperation(string message) =>
        throw new InvalidOperationException(message);

    [DoesNotReturn, StackTraceHidden]
    public static void NotSupported(string message) =>
        throw new NotSupportedException(message);

    [DoesNotReturn, StackTraceHidden]
    public static void LengthMismatch(string paramName, long expected, long actual, string what) =>
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"{paramName} has length {actual}; expected {expected} ({what})."),
            paramName);

    [DoesNotReturn, StackTraceHidden]
    public static void NonFinite(string paramName, long row, long column, double value, string rowName, string columnName) =>
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture,
                $"{paramName} contains a non-finite value ({value}) at {rowName} {row}, {columnName} {column}."),
            paramName);
}
