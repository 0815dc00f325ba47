namespace SuperSpace.Simd.Solvers;

/// <summary>
/// Every buffer a Levenberg–Marquardt solve needs, sized once for (parameterCount n, residualCount m) and
/// reused across solves of the same shape: the iteration loop allocates nothing. QR storage has
/// max(m, n) rows so underdetermined problems (m &lt; n) factor a zero-padded square matrix.
/// </summary>
internal sealed class LevenbergMarquardtWorkspace
{
    public LevenbergMarquardtWorkspace(int parameterCount, int residualCount, int qrWorkspaceSize)
    {
        int n = parameterCount;
        int m = residualCount;
        int rows = Math.Max(m, n);
        ParameterCount = n;
        ResidualCount = m;
        Rows = rows;

        X = new double[n];
        XTrial = new double[n];
        Residuals = new double[m];
        ResidualsTrial = new double[m];
        XBest = new double[n];
        ResidualsBest = new double[m];
        ModelResiduals = new double[m];
        RowScales = new double[m];
        SqrtWeights = new double[m];
        Jacobian = new double[m * n];
        Qr = new double[rows * n];
        Tau = new double[n];
        Permutation = new int[n];
        QrWork = new double[Math.Max(qrWorkspaceSize, 1)];
        Qtf = new double[rows];
        R = new double[n * n];
        Sdiag = new double[n];
        Wa = new double[n];
        Wb = new double[n];
        Wa1 = new double[n];
        Wa2 = new double[n];
        Step = new double[n];
        StepActual = new double[n];
        StepFull = new double[n];
        Diag = new double[n];
        DiagFree = new double[n];
        ColumnNorms = new double[n];
        Gradient = new double[n];
        FreeIndex = new int[n];
        Jtj = new double[n * n];
        Jtf = new double[n];
        Factor = new double[n * n];
        JacobianFree = new double[m * n];
        Shifted = new double[m];
        SecondDerivative = new double[rows];
        Acceleration = new double[n];
        ProbeParameters = new double[n];
        ProbeResiduals = new double[m];
    }

    public int ParameterCount { get; }
    public int ResidualCount { get; }
    public int Rows { get; }

    // Iterates and residuals (weighted: √wᵢ·rᵢ); the solver swaps the current and trial references.
    public double[] X;
    public double[] XTrial;
    public double[] Residuals;
    public double[] ResidualsTrial;

    // The best rejected trial (a lower cost whose gain ratio was below 1e-4).
    public readonly double[] XBest;
    public readonly double[] ResidualsBest;

    // Robust-loss model residuals r̃ and Jacobian row scales; √w.
    public readonly double[] ModelResiduals;
    public readonly double[] RowScales;
    public readonly double[] SqrtWeights;

    // J̃ (row-major m×n), its free columns column-major for QR (rows×k), reflectors, permutation.
    public readonly double[] Jacobian;
    public readonly double[] Qr;
    public readonly double[] Tau;
    public readonly int[] Permutation;
    public readonly double[] QrWork;
    public readonly double[] Qtf;

    // lmpar/qrsolv: R (k×k column-major, Sᵀ below), diag(S), work vectors.
    public readonly double[] R;
    public readonly double[] Sdiag;
    public readonly double[] Wa;
    public readonly double[] Wb;
    public readonly double[] Wa1;
    public readonly double[] Wa2;

    // Steps (compact free order, then scattered to parameter order), scaling, column norms, gradient.
    public readonly double[] Step;
    public readonly double[] StepActual;
    public readonly double[] StepFull;
    public readonly double[] Diag;
    public readonly double[] DiagFree;
    public readonly double[] ColumnNorms;
    public readonly double[] Gradient;
    public readonly int[] FreeIndex;

    // Normal equations.
    public readonly double[] Jtj;
    public readonly double[] Jtf;
    public readonly double[] Factor;
    public readonly double[] JacobianFree;

    // Geodesic acceleration.
    public readonly double[] Shifted;
    public readonly double[] SecondDerivative;
    public readonly double[] Acceleration;

    // Finite differences on the calling thread.
    public readonly double[] ProbeParameters;
    public readonly double[] ProbeResiduals;

    // Finite differences on worker threads: one (parameters, residuals) pair per thread, made on first use.
    public double[][]? ThreadParameters;
    public double[][]? ThreadResiduals;

    /// <summary>Whether ws.Jacobian came from finite differences (refinement replaces forward ones by central).</summary>
    public bool JacobianFromDifferences;

    public bool Fits(int parameterCount, int residualCount, int qrWorkspaceSize) =>
        ParameterCount == parameterCount && ResidualCount == residualCount && QrWork.Length >= qrWorkspaceSize;

    public void EnsureThreadBuffers(int threads)
    {
        if (ThreadParameters is not null && ThreadParameters.Length >= threads)
        {
            return;
        }

        ThreadParameters = new double[threads][];
        ThreadResiduals = new double[threads][];
        for (int t = 0; t < threads; t++)
        {
            ThreadParameters[t] = new double[ParameterCount];
            ThreadResiduals[t] = new double[ResidualCount];
        }
    }
}
