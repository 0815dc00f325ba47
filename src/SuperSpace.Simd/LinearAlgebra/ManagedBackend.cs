namespace SuperSpace.Simd.LinearAlgebra;

/// <summary>The managed SIMD kernels behind <see cref="ILinearAlgebraBackend"/> (always available).</summary>
internal sealed class ManagedBackend : ILinearAlgebraBackend
{
    public static readonly ManagedBackend Instance = new();

    private ManagedBackend()
    {
    }

    public ComputeBackend Kind => ComputeBackend.Managed;

    public void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
                     ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc, int maxDegreeOfParallelism = 1) =>
        LinearAlgebra.Gemm.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, maxDegreeOfParallelism);

    public void Gram(int m, int n, ReadOnlySpan<double> a, int lda, Span<double> c, int ldc, bool accumulate,
                     ReadOnlySpan<double> b, Span<double> atb, int maxDegreeOfParallelism = 1) =>
        LinearAlgebra.Gram.AtA(m, n, a, lda, c, ldc, accumulate, b, atb, maxDegreeOfParallelism);

    public int CholeskyFactor(Span<double> a, int n, int lda) => Cholesky.Factor(a, n, lda);

    public void CholeskySolve(ReadOnlySpan<double> u, int n, int lda, Span<double> b, int nrhs, int ldb) =>
        Cholesky.Solve(u, n, lda, b, nrhs, ldb);

    public int QrWorkspaceSize(int m, int n) => PivotedQr.WorkspaceSize(m, n);

    public void QrFactor(Span<double> a, int m, int n, int lda, Span<int> permutation, Span<double> tau, Span<double> work, bool pivot = true) =>
        PivotedQr.Factor(a, m, n, lda, permutation, tau, work, pivot);

    public int LeastSquaresWorkspaceSize(int m, int n) => PivotedQr.LeastSquaresWorkspaceSize(m, n);

    public void QrSolveLeastSquares(Span<double> qr, int m, int n, int lda, ReadOnlySpan<int> permutation, ReadOnlySpan<double> tau,
                                    int rank, Span<double> b, Span<double> x, Span<double> work) =>
        PivotedQr.SolveLeastSquares(qr, m, n, lda, permutation, tau, rank, b, x, work);
}
