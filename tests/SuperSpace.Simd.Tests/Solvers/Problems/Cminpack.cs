using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SuperSpace.Simd.Tests.Solvers.Problems;

/// <summary>The outcome of a cminpack lmder/lmdif run.</summary>
internal sealed record CminpackResult(double[] Parameters, double ResidualSumOfSquares, int Info, int FunctionEvaluations, int JacobianEvaluations);

/// <summary>
/// MINPACK itself (Debian's libcminpack, cminpack 1.3.x, double precision) through P/Invoke:
/// <c>lmder</c> (user Jacobian) and <c>lmdif</c> (forward differences), with an unmanaged callback
/// that forwards to an <see cref="ILeastSquaresProblem"/>. The reference peer for tests and benchmarks.
/// cminpack stores the Jacobian column-major (fjac[i + j·ldfjac]); the callback transposes from the
/// problem's row-major Jacobian.
/// </summary>
internal static unsafe class Cminpack
{
    private static readonly string[] Candidates = ["libcminpack.so.1", "libcminpack.so", "libcminpack.dylib", "cminpack.dll"];
    private static readonly List<string> LoadTrace = [];
    private static readonly Lazy<bool> Loaded = new(TryLoad);

    // Entry points resolved with NativeLibrary.GetExport (no assembly-wide DllImport resolver, so
    // nothing here can clash with another resolver in the same assembly).
    private static delegate* unmanaged[Cdecl]<
        delegate* unmanaged[Cdecl]<nint, int, int, double*, double*, double*, int, int, int>,
        nint, int, int, double*, double*, double*, int, double, double, double,
        int, double*, int, double, int, int*, int*, int*,
        double*, double*, double*, double*, double*, int> _lmder;

    private static delegate* unmanaged[Cdecl]<
        delegate* unmanaged[Cdecl]<nint, int, int, double*, double*, int, int>,
        nint, int, int, double*, double*, double, double, double, int, double,
        double*, int, double, int, int*, double*, int, int*,
        double*, double*, double*, double*, double*, int> _lmdif;

    /// <summary>True when libcminpack could be loaded (Debian: apt-get install libcminpack-dev).</summary>
    public static bool IsAvailable => Loaded.Value;

    /// <summary>What was tried, for skip messages.</summary>
    public static string UnavailableMessage
    {
        get
        {
            _ = Loaded.Value;
            return "libcminpack not found (Debian: apt-get install libcminpack-dev); tried: " + string.Join("; ", LoadTrace);
        }
    }

    private static bool TryLoad()
    {
        foreach (string name in Candidates)
        {
            if (NativeLibrary.TryLoad(name, out nint handle))
            {
                if (NativeLibrary.TryGetExport(handle, "lmder", out nint lmder) && NativeLibrary.TryGetExport(handle, "lmdif", out nint lmdif))
                {
                    _lmder = (delegate* unmanaged[Cdecl]<
                        delegate* unmanaged[Cdecl]<nint, int, int, double*, double*, double*, int, int, int>,
                        nint, int, int, double*, double*, double*, int, double, double, double,
                        int, double*, int, double, int, int*, int*, int*,
                        double*, double*, double*, double*, double*, int>)lmder;
                    _lmdif = (delegate* unmanaged[Cdecl]<
                        delegate* unmanaged[Cdecl]<nint, int, int, double*, double*, int, int>,
                        nint, int, int, double*, double*, double, double, double, int, double,
                        double*, int, double, int, int*, double*, int, int*,
                        double*, double*, double*, double*, double*, int>)lmdif;
                    LoadTrace.Add(name + ": loaded");
                    return true;
                }

                LoadTrace.Add(name + ": loaded but has no lmder/lmdif export");
                continue;
            }

            LoadTrace.Add(name + ": not found");
        }

        return false;
    }

    /// <summary>The problem behind the opaque pointer cminpack passes back to the callback.</summary>
    private abstract class Context
    {
        public abstract void Residuals(ReadOnlySpan<double> x, Span<double> f);
        public abstract void Jacobian(ReadOnlySpan<double> x, Span<double> fjacColumnMajor, int ldfjac);
    }

    private sealed class Context<TProblem> : Context where TProblem : ILeastSquaresProblem
    {
        private readonly TProblem _problem;
        private readonly double[] _rowMajor;

        public Context(TProblem problem)
        {
            _problem = problem;
            _rowMajor = new double[problem.ResidualCount * problem.ParameterCount];
        }

        public override void Residuals(ReadOnlySpan<double> x, Span<double> f) => _problem.Residuals(x, f);

        public override void Jacobian(ReadOnlySpan<double> x, Span<double> fjac, int ldfjac)
        {
            if (!_problem.Jacobian(x, _rowMajor))
            {
                throw new InvalidOperationException("lmder needs an analytic Jacobian.");
            }

            int m = _problem.ResidualCount;
            int n = _problem.ParameterCount;
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    fjac[i + (j * ldfjac)] = _rowMajor[(i * n) + j];
                }
            }
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int LmderCallback(nint p, int m, int n, double* x, double* fvec, double* fjac, int ldfjac, int iflag)
    {
        var context = (Context)GCHandle.FromIntPtr(p).Target!;
        if (iflag == 1)
        {
            context.Residuals(new ReadOnlySpan<double>(x, n), new Span<double>(fvec, m));
        }
        else if (iflag == 2)
        {
            context.Jacobian(new ReadOnlySpan<double>(x, n), new Span<double>(fjac, ldfjac * n), ldfjac);
        }

        return 0;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int LmdifCallback(nint p, int m, int n, double* x, double* fvec, int iflag)
    {
        var context = (Context)GCHandle.FromIntPtr(p).Target!;
        context.Residuals(new ReadOnlySpan<double>(x, n), new Span<double>(fvec, m));
        return 0;
    }

    /// <summary>Reusable buffers for one (m, n) so a benchmark loop measures cminpack, not allocation.</summary>
    public sealed class Workspace
    {
        public Workspace(int m, int n)
        {
            M = m;
            N = n;
            X = new double[n];
            Fvec = new double[m];
            Fjac = new double[m * n];
            Diag = new double[n];
            Ipvt = new int[n];
            Qtf = new double[n];
            Wa1 = new double[n];
            Wa2 = new double[n];
            Wa3 = new double[n];
            Wa4 = new double[m];
        }

        public int M { get; }
        public int N { get; }
        public double[] X { get; }
        public double[] Fvec { get; }
        public double[] Fjac { get; }
        public double[] Diag { get; }
        public int[] Ipvt { get; }
        public double[] Qtf { get; }
        public double[] Wa1 { get; }
        public double[] Wa2 { get; }
        public double[] Wa3 { get; }
        public double[] Wa4 { get; }
        internal GCHandle Handle { get; set; }
    }

    /// <summary>Binds a problem to a workspace (one GC handle, freed by <see cref="Unbind"/>).</summary>
    public static Workspace Bind<TProblem>(TProblem problem) where TProblem : ILeastSquaresProblem
    {
        var workspace = new Workspace(problem.ResidualCount, problem.ParameterCount);
        workspace.Handle = GCHandle.Alloc(new Context<TProblem>(problem));
        return workspace;
    }

    public static void Unbind(Workspace workspace)
    {
        if (workspace.Handle.IsAllocated)
        {
            workspace.Handle.Free();
        }
    }

    /// <summary>
    /// Runs lmder (analytic Jacobian) or lmdif (forward differences, epsfcn = 0 i.e. √ε relative steps)
    /// with MINPACK's scaling (mode 1) and factor 100. Returns info (MINPACK's exit code); the
    /// solution is in <see cref="Workspace.X"/>, residuals in <see cref="Workspace.Fvec"/>.
    /// </summary>
    public static int Run(Workspace w, ReadOnlySpan<double> start, bool analytic, double ftol, double xtol, double gtol, int maxfev,
        out int nfev, out int njev)
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException(UnavailableMessage);
        }

        start.CopyTo(w.X);
        int info;
        int fev = 0;
        int jev = 0;
        fixed (double* x = w.X, fvec = w.Fvec, fjac = w.Fjac, diag = w.Diag, qtf = w.Qtf, wa1 = w.Wa1, wa2 = w.Wa2, wa3 = w.Wa3, wa4 = w.Wa4)
        fixed (int* ipvt = w.Ipvt)
        {
            nint p = GCHandle.ToIntPtr(w.Handle);
            if (analytic)
            {
                info = _lmder(&LmderCallback, p, w.M, w.N, x, fvec, fjac, w.M, ftol, xtol, gtol, maxfev, diag, 1, 100, 0,
                    &fev, &jev, ipvt, qtf, wa1, wa2, wa3, wa4);
            }
            else
            {
                info = _lmdif(&LmdifCallback, p, w.M, w.N, x, fvec, ftol, xtol, gtol, maxfev, 0, diag, 1, 100, 0,
                    &fev, fjac, w.M, ipvt, qtf, wa1, wa2, wa3, wa4);
            }
        }

        nfev = fev;
        njev = jev;
        return info;
    }

    /// <summary>One-shot convenience: bind, run, unbind.</summary>
    public static CminpackResult Solve<TProblem>(TProblem problem, ReadOnlySpan<double> start, bool analytic,
        double ftol = 1e-15, double xtol = 1e-15, double gtol = 0, int maxfev = 0)
        where TProblem : ILeastSquaresProblem
    {
        var w = Bind(problem);
        try
        {
            if (maxfev <= 0)
            {
                maxfev = 1000 * (problem.ParameterCount + 1);
            }

            int info = Run(w, start, analytic, ftol, xtol, gtol, maxfev, out int nfev, out int njev);
            double rss = 0;
            problem.Residuals(w.X, w.Fvec);
            foreach (double r in w.Fvec)
            {
                rss += r * r;
            }

            return new CminpackResult((double[])w.X.Clone(), rss, info, nfev, njev);
        }
        finally
        {
            Unbind(w);
        }
    }
}
