using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.Optimization;
using SuperSpace.Simd.Tests.Solvers.Problems;

namespace SuperSpace.Simd.Benchmarks;

/// <summary>The solvers compared on the NIST StRD problems, each with analytic and finite-difference Jacobians.</summary>
internal enum NistSolver
{
    Ours,
    OursFiniteDifferences,
    MinpackLmder,
    MinpackLmdif,
    MathNet,
    MathNetFiniteDifferences,
}

/// <summary>What one solve of one start achieved (the non-timed path behind the LRE table and the columns).</summary>
internal sealed record NistOutcome(int Iterations, int Evaluations, int JacobianEvaluations, double ParameterLre, double RssLre, string Exit);

/// <summary>
/// Runs every solver on the same models, data and starts. MINPACK is cminpack's lmder/lmdif (mode 1 scaling,
/// factor 100) with ftol = xtol = 1e-15, gtol = 0, as BENCHMARKS.md measured it; ours runs with its defaults;
/// MathNet's LevenbergMarquardtMinimizer with its defaults (all tolerances 1e-15; central differences when
/// no Jacobian is given).
/// </summary>
internal static class NistSolvers
{
    public static readonly string[] Cases =
        NistProblem.Names.SelectMany(name => new[] { name + "/1", name + "/2" }).ToArray();

    public static (NistDataset Dataset, int Start) Parse(string testCase)
    {
        string[] parts = testCase.Split('/');
        var dataset = NistDataset.Load(parts[0])
            ?? throw new InvalidOperationException(SharedData.MissingMessage);
        return (dataset, int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    public static bool IsAnalytic(NistSolver solver) => solver is NistSolver.Ours or NistSolver.MinpackLmder or NistSolver.MathNet;

    private static readonly Dictionary<(string, NistSolver), NistOutcome> Cache = [];

    /// <summary>Solves once (cached) and scores the result against the certified values.</summary>
    public static NistOutcome Outcome(string testCase, NistSolver solver)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue((testCase, solver), out var cached))
            {
                return cached;
            }
        }

        var (dataset, start) = Parse(testCase);
        var problem = new NistProblem(dataset, IsAnalytic(solver));
        var x0 = dataset.Start(start);
        double[] parameters;
        int iterations;
        int evaluations;
        int jacobians;
        string exit;
        switch (solver)
        {
            case NistSolver.Ours:
            case NistSolver.OursFiniteDifferences:
                {
                    var result = new LevenbergMarquardtSolver().Solve(problem, x0);
                    (parameters, iterations, evaluations, jacobians, exit) =
                        (result.Parameters, result.Iterations, result.FunctionEvaluations, result.JacobianEvaluations, result.Status.ToString());
                    break;
                }

            case NistSolver.MinpackLmder:
            case NistSolver.MinpackLmdif:
                {
                    var result = Cminpack.Solve(problem, x0, IsAnalytic(solver));
                    (parameters, iterations, evaluations, jacobians, exit) =
                        (result.Parameters, result.JacobianEvaluations, result.FunctionEvaluations, result.JacobianEvaluations, "info " + result.Info);
                    break;
                }

            default:
                {
                    var result = MathNetSolve(problem, x0, IsAnalytic(solver));
                    parameters = result.MinimizingPoint.ToArray();
                    iterations = result.Iterations;
                    evaluations = result.ModelInfoAtMinimum.FunctionEvaluations;
                    jacobians = result.ModelInfoAtMinimum.JacobianEvaluations;
                    exit = result.ReasonForExit.ToString();
                    break;
                }
        }

        var residuals = new double[problem.ResidualCount];
        problem.Residuals(parameters, residuals);
        double rss = residuals.Sum(r => r * r);
        var outcome = new NistOutcome(iterations, evaluations, jacobians, problem.ParameterLre(parameters),
            Lre.Of(rss, dataset.CertifiedResidualSumOfSquares), exit);
        lock (Cache)
        {
            Cache[(testCase, solver)] = outcome;
        }

        return outcome;
    }

    /// <summary>MathNet's model form: f(p, x) = y − r(p) over x = 0…m−1 (the index selects the observation, Nelson's two predictors included).</summary>
    public static IObjectiveModel MathNetModel(NistProblem problem, bool analytic)
    {
        int m = problem.ResidualCount;
        int n = problem.ParameterCount;
        double[] response = problem.Response;
        var residuals = new double[m];
        var jacobian = new double[m * n];
        var x = Vector<double>.Build.Dense(m, i => i);
        var y = Vector<double>.Build.Dense(response);
        Vector<double> Model(Vector<double> p, Vector<double> xs)
        {
            problem.Residuals(p.AsArray() ?? p.ToArray(), residuals);
            return Vector<double>.Build.Dense(m, i => response[i] - residuals[i]);
        }

        Matrix<double> Derivatives(Vector<double> p, Vector<double> xs)
        {
            problem.Jacobian(p.AsArray() ?? p.ToArray(), jacobian);
            return DenseMatrix.Create(m, n, (i, j) => -jacobian[(i * n) + j]);
        }

        return analytic
            ? ObjectiveFunction.NonlinearModel(Model, Derivatives, x, y)
            : ObjectiveFunction.NonlinearModel(Model, x, y);
    }

    public static NonlinearMinimizationResult MathNetSolve(NistProblem problem, double[] x0, bool analytic) =>
        new LevenbergMarquardtMinimizer().FindMinimum(MathNetModel(problem, analytic), Vector<double>.Build.Dense(x0));
}
