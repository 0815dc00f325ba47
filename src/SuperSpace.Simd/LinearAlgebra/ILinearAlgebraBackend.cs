namespace SuperSpace.Simd.LinearAlgebra;

/// <summary>
/// The dense operations a backend provides, with exactly the semantics (storage, statuses, workspace
/// rules) of the managed static kernels they mirror: <see cref="LinearAlgebra.Gemm"/>,
/// <see cref="LinearAlgebra.Gram"/>, <see cref="LinearAlgebra.Cholesky"/> and
/// <see cref="LinearAlgebra.PivotedQr"/>. Obtain one per call with <see cref="LinearAlgebraBackends.Resolve(ComputeBackend)"/>.
/// Workspace sizes are per backend: ask the backend that will run the operation.
/// </summary>
internal interface ILinearAlgebraBackend
{
    /// <summary>Which backend this is (<see cref="ComputeBackend.Managed"/> or <see cref="ComputeBackend.Native"/>), for results to report.</summary>
    ComputeBackend Kind { get; }

    /// <summary>C = α·op(A)·op(B) + β·C — <see cref="LinearAlgebra.Gemm.Multiply"/>.</summary>
    void Gemm(bool transA, bool transB, int m, int n, int k, double alpha,
              ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
              double beta, Span<double> c, int ldc, int maxDegreeOfParallelism = 1);

    /// <summary>Upper triangle of AᵀA and optionally Aᵀb — <see cref="LinearAlgebra.Gram.AtA"/>.</summary>
    void Gram(int m, int n, ReadOnlySpan<double> a, int lda, Span<double> c, int ldc, bool accumulate,
              ReadOnlySpan<double> b, Span<double> atb, int maxDegreeOfParallelism = 1);

    /// <summary>A = UᵀU in place; 0 or the 1-based failing pivot — <see cref="Cholesky.Factor"/>.</summary>
    int CholeskyFactor(Span<double> a, int n, int lda);

    /// <summary>(UᵀU)·X = B in place — <see cref="Cholesky.Solve"/>.</summary>
    void CholeskySolve(ReadOnlySpan<double> u, int n, int lda, Span<double> b, int nrhs, int ldb);

    /// <summary>Workspace length this backend's <see cref="QrFactor"/> needs.</summary>
    int QrWorkspaceSize(int m, int n);

    /// <summary>Column-major A·P = Q·R — <see cref="PivotedQr.Factor(Span{double}, int, int, int, Span{int}, Span{double}, Span{double}, bool)"/> (same storage and reflector convention).</summary>
    void QrFactor(Span<double> a, int m, int n, int lda, Span<int> permutation, Span<double> tau, Span<double> work, bool pivot = true);

    /// <summary>Workspace length this backend's <see cref="QrSolveLeastSquares"/> needs.</summary>
    int LeastSquaresWorkspaceSize(int m, int n);

    /// <summary>min ‖Ax − b‖ after <see cref="QrFactor"/>, minimum-norm when rank &lt; n — <see cref="PivotedQr.SolveLeastSquares"/>.</summary>
    void QrSolveLeastSquares(Span<double> qr, int m, int n, int lda, ReadOnlySpan<int> permutation,
                             ReadOnlySpan<double> tau, int rank, Span<double> b, Span<double> x, Span<double> work);
}
