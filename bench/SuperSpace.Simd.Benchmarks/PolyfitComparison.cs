using System.Diagnostics;
using System.Globalization;

namespace SuperSpace.Simd.Benchmarks;

/// <summary>
/// The .NET half of bench/polyfit_compare.py: loads the points, targets and scikit-learn's coefficients
/// the script wrote (raw little-endian float64), fits with each method and thread count, and prints one
/// line per run: method, threads, best wall time of the repetitions, and the largest coefficient
/// difference relative to the largest scikit-learn coefficient (‖c − c_sk‖∞ / ‖c_sk‖∞).
/// Usage: polyfit-compare points.bin targets.bin sklearn.bin samples variables degree [repetitions]
/// </summary>
internal static class PolyfitComparison
{
    public static void Run(string[] args)
    {
        if (args.Length < 7)
        {
            Console.Error.WriteLine("usage: polyfit-compare points.bin targets.bin sklearn.bin samples variables degree [repetitions]");
            Environment.Exit(2);
        }

        double[] points = Read(args[1]);
        double[] targets = Read(args[2]);
        double[] reference = Read(args[3]);
        int n = int.Parse(args[4], CultureInfo.InvariantCulture);
        int v = int.Parse(args[5], CultureInfo.InvariantCulture);
        int degree = int.Parse(args[6], CultureInfo.InvariantCulture);
        int repetitions = args.Length > 7 ? int.Parse(args[7], CultureInfo.InvariantCulture) : 3;
        var basis = new MonomialBasis(v, degree);
        if (points.Length != n * v || targets.Length != n || reference.Length != basis.TermCount)
        {
            Console.Error.WriteLine($"sizes do not match {n} × {v} at degree {degree} ({basis.TermCount} terms)");
            Environment.Exit(2);
        }

        double scale = reference.Max(Math.Abs);

        // Warm-up on a slice so that the measured runs are fully jitted.
        int warm = Math.Min(n, 20_000);
        foreach (var method in new[] { LeastSquaresMethod.NormalEquations, LeastSquaresMethod.Qr })
        {
            SuperPlane.Fit(points.AsSpan(0, warm * v), targets.AsSpan(0, warm), basis, new SuperPlaneFitOptions { Method = method });
        }

        foreach (var (method, threads) in new[]
                 {
                     (LeastSquaresMethod.Auto, 1), (LeastSquaresMethod.NormalEquations, 1), (LeastSquaresMethod.NormalEquations, -1),
                     (LeastSquaresMethod.Qr, 1), (LeastSquaresMethod.Qr, -1),
                 })
        {
            double best = double.PositiveInfinity;
            SuperPlaneFit? fit = null;
            int reps = method == LeastSquaresMethod.Qr ? Math.Min(repetitions, 2) : repetitions;
            for (int r = 0; r < reps; r++)
            {
                var options = new SuperPlaneFitOptions { Method = method, MaxDegreeOfParallelism = threads };
                var watch = Stopwatch.StartNew();
                fit = SuperPlane.Fit(points, targets, basis, options);
                best = Math.Min(best, watch.Elapsed.TotalSeconds);
            }

            double difference = 0;
            for (int t = 0; t < basis.TermCount; t++)
            {
                difference = Math.Max(difference, Math.Abs(fit!.Plane.Coefficients[t] - reference[t]) / scale);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"result method={fit!.Method} requested={method} threads={(threads == -1 ? Environment.ProcessorCount : threads)} seconds={best:F4} maxreldiff={difference:E2} condition={fit.ConditionEstimate:G3}"));
        }
    }

    private static double[] Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var values = new double[bytes.Length / sizeof(double)];
        Buffer.BlockCopy(bytes, 0, values, 0, values.Length * sizeof(double));
        return values;
    }
}
