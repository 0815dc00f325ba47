using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MathNet.Numerics.Providers.LinearAlgebra;
using SuperSpace.Simd.LinearAlgebra;

namespace SuperSpace.Simd.Benchmarks;

// The linear-algebra core against OpenBLAS (called directly, the baseline, and through the native
// shim) and MathNet.Numerics 5.0's managed provider, in one run: `./build.ps1 bench -Filter '*LinearAlgebra*'`.
// Every variant of a case does the same work on the same data, including restoring the input of the
// in-place factorisations (the "copy input" row measures that part alone). Nominal flops: Gram
// m·n·(n+1), GEMM 2n³, Cholesky n³/3, QR 4mn² − 4n³/3. MathNet runs single-threaded (its managed
// provider, Control.UseSingleThread) against "managed, 1 thread"; its QR is unpivoted (it has no
// pivoted QR), its Gram forms the whole AᵀA.

/// <summary>Shared variants: each derived class sets up one operation.</summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
[WarmupCount(3)]
[IterationCount(10)]
public abstract class LinearAlgebraBenchmarkBase : IFlopCount
{
    private sealed class Config : ManualConfig
    {
        // The boilerplate build can exceed BenchmarkDotNet's default 2-minute limit on a busy machine.
        public Config()
        {
            AddColumn(new GflopsColumn());
            WithBuildTimeout(TimeSpan.FromMinutes(15));
        }
    }

    private protected ILinearAlgebraBackend Native { get; private set; } = null!;

    /// <summary>Nominal flop count of the operation.</summary>
    private protected abstract double Flops { get; }

    public double FlopCount(string methodName) => methodName == nameof(CopyInput) ? 0 : Flops;

    [GlobalSetup]
    public void GlobalSetup()
    {
        Native = LinearAlgebraBackends.Resolve(ComputeBackend.Native);
        global::MathNet.Numerics.Control.UseManaged();
        global::MathNet.Numerics.Control.UseSingleThread();
        Setup();
    }

    private protected abstract void Setup();

    private protected abstract void RunOpenBlas();

    private protected abstract void RunNative(int threads);

    private protected abstract void RunManaged(int threads);

    private protected abstract void RunMathNet();

    /// <summary>Restores the input of an in-place factorisation (a no-op for GEMM and Gram).</summary>
    private protected virtual void Restore()
    {
    }

    [Benchmark(Baseline = true, Description = "OpenBLAS direct, 1 thread")]
    public void OpenBlas1()
    {
        OpenBlasDirect.openblas_set_num_threads(1);
        Restore();
        RunOpenBlas();
    }

    [Benchmark(Description = "OpenBLAS direct, all threads")]
    public void OpenBlasAll()
    {
        OpenBlasDirect.openblas_set_num_threads(Environment.ProcessorCount);
        Restore();
        RunOpenBlas();
    }

    [Benchmark(Description = "native shim, 1 thread")]
    public void Native1()
    {
        OpenBlasDirect.openblas_set_num_threads(1);
        Restore();
        RunNative(1);
    }

    [Benchmark(Description = "native shim, all threads")]
    public void NativeAll()
    {
        OpenBlasDirect.openblas_set_num_threads(Environment.ProcessorCount);
        Restore();
        RunNative(Environment.ProcessorCount);
    }

    [Benchmark(Description = "managed, 1 thread")]
    public void Managed1()
    {
        Restore();
        RunManaged(1);
    }

    [Benchmark(Description = "managed, all threads")]
    public void ManagedAll()
    {
        Restore();
        RunManaged(-1);
    }

    [Benchmark(Description = "MathNet 5.0 managed, 1 thread")]
    public void MathNetManaged1()
    {
        Restore();
        RunMathNet();
    }

    [Benchmark(Description = "copy input (included above)")]
    public void CopyInput() => Restore();

    private protected static double[] Random(long length, int seed)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (long i = 0; i < length; i++)
        {
            values[i] = (2 * random.NextDouble()) - 1;
        }

        return values;
    }
}

/// <summary>Gram matrix AᵀA (upper triangle) of a 100,000 × n row-major A.</summary>
public class LinearAlgebraGramBenchmarks : LinearAlgebraBenchmarkBase
{
    private const int Rows = 100_000;
    private double[] _a = [];
    private double[] _aColumnMajor = [];
    private double[] _c = [];

    [Params(64, 256, 512)]
    public int Columns { get; set; } = 64;

    private protected override double Flops => (double)Rows * Columns * (Columns + 1);

    private protected override void Setup()
    {
        _a = Random((long)Rows * Columns, 1);
        _c = new double[Columns * Columns];

        // MathNet's managed Gram is about 0.2 GFLOP/s: only the n = 64 case finishes in seconds.
        if (Columns == 64)
        {
            _aColumnMajor = new double[_a.Length];
            for (int i = 0; i < Rows; i++)
            {
                for (int j = 0; j < Columns; j++)
                {
                    _aColumnMajor[((long)j * Rows) + i] = _a[((long)i * Columns) + j];
                }
            }
        }
    }

    private protected override unsafe void RunOpenBlas()
    {
        fixed (double* a = _a)
        fixed (double* c = _c)
        {
            OpenBlasDirect.cblas_dsyrk(OpenBlasDirect.RowMajor, OpenBlasDirect.Upper, OpenBlasDirect.Trans, Columns, Rows, 1, a, Columns, 0, c, Columns);
        }
    }

    private protected override void RunNative(int threads) => Native.Gram(Rows, Columns, _a, Columns, _c, Columns, false, default, default, threads);

    private protected override void RunManaged(int threads) => Gram.AtA(Rows, Columns, _a, Columns, _c, Columns, false, default, default, threads);

    private protected override void RunMathNet()
    {
        if (_aColumnMajor.Length == 0)
        {
            throw new NotSupportedException("MathNet's managed Gram takes minutes at this size; measured at 100,000 × 64 only.");
        }

        LinearAlgebraControl.Provider.MatrixMultiplyWithUpdate(Transpose.Transpose, Transpose.DontTranspose, 1, _aColumnMajor, Rows, Columns,
                                                               _aColumnMajor, Rows, Columns, 0, _c);
    }
}

/// <summary>C = A·B for n × n matrices.</summary>
public class LinearAlgebraGemmBenchmarks : LinearAlgebraBenchmarkBase
{
    private double[] _a = [];
    private double[] _b = [];
    private double[] _c = [];

    [Params(512, 1024)]
    public int Size { get; set; } = 512;

    private protected override double Flops => 2.0 * Size * Size * Size;

    private protected override void Setup()
    {
        _a = Random(Size * Size, 1);
        _b = Random(Size * Size, 2);
        _c = new double[Size * Size];
    }

    private protected override unsafe void RunOpenBlas()
    {
        fixed (double* a = _a)
        fixed (double* b = _b)
        fixed (double* c = _c)
        {
            OpenBlasDirect.cblas_dgemm(OpenBlasDirect.RowMajor, OpenBlasDirect.NoTrans, OpenBlasDirect.NoTrans, Size, Size, Size, 1, a, Size, b, Size, 0, c, Size);
        }
    }

    private protected override void RunNative(int threads) => Native.Gemm(false, false, Size, Size, Size, 1, _a, Size, _b, Size, 0, _c, Size, threads);

    private protected override void RunManaged(int threads) => Gemm.Multiply(false, false, Size, Size, Size, 1, _a, Size, _b, Size, 0, _c, Size, threads);

    // Column-major storage: the same product with the operands' roles swapped (Cᵀ = Bᵀ·Aᵀ) — same flops.
    private protected override void RunMathNet() =>
        LinearAlgebraControl.Provider.MatrixMultiplyWithUpdate(Transpose.DontTranspose, Transpose.DontTranspose, 1, _b, Size, Size, _a, Size, Size, 0, _c);
}

/// <summary>Cholesky factorisation of an SPD 1000 × 1000 matrix (input restored each time).</summary>
public class LinearAlgebraCholeskyBenchmarks : LinearAlgebraBenchmarkBase
{
    private double[] _spd = [];
    private double[] _work = [];

    [Params(1000)]
    public int Size { get; set; } = 1000;

    private protected override double Flops => (double)Size * Size * Size / 3;

    private protected override void Setup()
    {
        double[] b = Random(Size * Size, 3);
        _spd = new double[Size * Size];
        Gemm.Multiply(true, false, Size, Size, Size, 1, b, Size, b, Size, 0, _spd, Size);
        for (int i = 0; i < Size; i++)
        {
            _spd[(i * Size) + i] += Size;
        }

        _work = new double[_spd.Length];
    }

    private protected override void Restore() => _spd.AsSpan().CopyTo(_work);

    private protected override unsafe void RunOpenBlas()
    {
        fixed (double* a = _work)
        {
            // Row-major upper = column-major lower of the same (symmetric) matrix, as the shim does.
            Check(OpenBlasDirect.LAPACKE_dpotrf_work(OpenBlasDirect.ColMajor, (byte)'L', Size, a, Size));
        }
    }

    private protected override void RunNative(int threads) => Check(Native.CholeskyFactor(_work, Size, Size));

    private protected override void RunManaged(int threads) => Check(Cholesky.Factor(_work, Size, Size, threads));

    private protected override void RunMathNet() => LinearAlgebraControl.Provider.CholeskyFactor(_work, Size);

    private static void Check(int info)
    {
        if (info != 0)
        {
            throw new InvalidOperationException($"Cholesky failed at pivot {info}");
        }
    }
}

/// <summary>Householder QR with column pivoting of a 2000 × 200 matrix (column-major, input restored each time).</summary>
public class LinearAlgebraQrBenchmarks : LinearAlgebraBenchmarkBase
{
    private const int Rows = 2000;
    private const int Columns = 200;
    private double[] _a = [];
    private double[] _work = [];
    private double[] _tau = [];
    private int[] _permutation = [];
    private double[] _managedWork = [];
    private double[] _nativeWork = [];
    private double[] _lapackWork = [];
    private double[] _r = [];

    [Params("2000x200")]
    public string Shape { get; set; } = "2000x200";

    private protected override double Flops => (4.0 * Rows * Columns * Columns) - (4.0 * Columns * Columns * Columns / 3);

    private protected override void Setup()
    {
        _a = Random(Rows * Columns, 4);
        _work = new double[_a.Length];
        _tau = new double[Columns];
        _permutation = new int[Columns];
        _managedWork = new double[PivotedQr.WorkspaceSize(Rows, Columns)];
        _nativeWork = new double[Native.QrWorkspaceSize(Rows, Columns)];
        _lapackWork = new double[OpenBlasDirect.Dgeqp3Workspace(Rows, Columns)];
        _r = new double[Columns * Columns];
    }

    private protected override void Restore() => _a.AsSpan().CopyTo(_work);

    private protected override unsafe void RunOpenBlas()
    {
        _permutation.AsSpan().Clear();
        fixed (double* a = _work)
        fixed (int* p = _permutation)
        fixed (double* t = _tau)
        fixed (double* w = _lapackWork)
        {
            _ = OpenBlasDirect.LAPACKE_dgeqp3_work(OpenBlasDirect.ColMajor, Rows, Columns, a, Rows, p, t, w, _lapackWork.Length);
        }
    }

    private protected override void RunNative(int threads) => Native.QrFactor(_work, Rows, Columns, Rows, _permutation, _tau, _nativeWork);

    private protected override void RunManaged(int threads) => PivotedQr.Factor(_work, Rows, Columns, Rows, _permutation, _tau, _managedWork);

    private protected override void RunMathNet() => LinearAlgebraControl.Provider.ThinQRFactor(_work, Rows, Columns, _r, _tau);
}
