using System.Runtime.Intrinsics;

namespace SuperSpace.Simd.Tests.Basis;

[TestFixture]
public sealed class MonomialBasisTests
{
    // Written out by hand: constant, degree 1, then each degree lexicographic over the sorted
    // variable-index multiset — scikit-learn's PolynomialFeatures(3).get_feature_names_out order.
    private static readonly string[] ThreeVariablesDegreeThree =
    [
        "1",
        "x0", "x1", "x2",
        "x0^2", "x0*x1", "x0*x2", "x1^2", "x1*x2", "x2^2",
        "x0^3", "x0^2*x1", "x0^2*x2", "x0*x1^2", "x0*x1*x2", "x0*x2^2", "x1^3", "x1^2*x2", "x1*x2^2", "x2^3",
    ];

    [Test]
    public void TermsOfThreeVariablesAtDegreeThreeAreInPolynomialFeaturesOrder()
    {
        var basis = new MonomialBasis(3, 3);
        Assert.That(basis.TermCount, Is.EqualTo(20));
        var names = Enumerable.Range(0, basis.TermCount).Select(t => basis.FormatTerm(t)).ToArray();
        Assert.That(names, Is.EqualTo(ThreeVariablesDegreeThree));
    }

    [Test]
    public void WithoutConstantTheTermsShiftByOne()
    {
        var basis = new MonomialBasis(3, 3, includeConstant: false);
        Assert.That(basis.TermCount, Is.EqualTo(19));
        var names = Enumerable.Range(0, basis.TermCount).Select(t => basis.FormatTerm(t)).ToArray();
        Assert.That(names, Is.EqualTo(ThreeVariablesDegreeThree.Skip(1).ToArray()));
        Assert.That(basis.IndexOf([0, 0, 0]), Is.EqualTo(-1));
        Assert.That(basis.IndexOf([1, 0, 0]), Is.Zero);
    }

    [Test]
    public void DegreesAndNamedTerms()
    {
        var basis = new MonomialBasis(2, 3);
        string[] names = ["age", "income"];
        Assert.Multiple(() =>
        {
            Assert.That(basis.FormatTerm(0, names), Is.EqualTo("1"));
            Assert.That(basis.FormatTerm(7, names), Is.EqualTo("age^2*income"));
            Assert.That(basis.FormatTerm(9, names), Is.EqualTo("income^3"));
            Assert.That(Enumerable.Range(0, basis.TermCount).Select(basis.GetDegree), Is.EqualTo(new[] { 0, 1, 1, 2, 2, 2, 3, 3, 3, 3 }));
        });
    }

    private static IEnumerable<TestCaseData> CountGrid()
    {
        foreach (int v in new[] { 1, 2, 3, 5, 8, 10, 20 })
        {
            foreach (int d in new[] { 0, 1, 2, 3, 4, 6 })
            {
                yield return new TestCaseData(v, d);
            }
        }
    }

    [TestCaseSource(nameof(CountGrid))]
    public void CountMatchesTheFormulaAndTheEnumeration(int variableCount, int degree)
    {
        // Independent count: Pascal's rule C(n, k) = C(n − 1, k − 1) + C(n − 1, k) in a table.
        long expected = Pascal(variableCount + degree, degree);
        Assert.That(MonomialBasis.CountTerms(variableCount, degree), Is.EqualTo(expected));
        if (expected < 200_000)
        {
            var basis = new MonomialBasis(variableCount, degree);
            Assert.That(basis.TermCount, Is.EqualTo(expected));
        }
    }

    [Test]
    public void CountTermsIsExactForLargeArgumentsAndRefusesOverflow()
    {
        Assert.That(MonomialBasis.CountTerms(30, 30), Is.EqualTo(Pascal(60, 30)));
        Assert.That(MonomialBasis.CountTerms(1, 255), Is.EqualTo(256));
        Assert.That(MonomialBasis.CountTerms(1_000_000, 2), Is.EqualTo(500_001_500_001L));
        Assert.Throws<ArgumentOutOfRangeException>(() => MonomialBasis.CountTerms(100, 100));
    }

    [TestCase(1, 7)]
    [TestCase(2, 5)]
    [TestCase(3, 3)]
    [TestCase(4, 6)]
    [TestCase(8, 4)]
    [TestCase(10, 3)]
    public void ExponentsAndIndexRoundTripForEveryTerm(int variableCount, int degree)
    {
        foreach (bool constant in new[] { true, false })
        {
            var basis = new MonomialBasis(variableCount, degree, constant);
            var exponents = new int[variableCount];
            var seen = new HashSet<string>();
            int previousDegree = 0;
            for (int t = 0; t < basis.TermCount; t++)
            {
                basis.GetExponents(t, exponents);
                Assert.That(basis.IndexOf(exponents), Is.EqualTo(t));
                Assert.That(exponents.Sum(), Is.EqualTo(basis.GetDegree(t)));
                Assert.That(basis.GetDegree(t), Is.GreaterThanOrEqualTo(previousDegree));
                previousDegree = basis.GetDegree(t);
                Assert.That(seen.Add(string.Join(",", exponents)), Is.True, "each exponent vector appears once");
            }
        }
    }

    [Test]
    public void IndexOfReturnsMinusOneAboveTheDegree()
    {
        var basis = new MonomialBasis(3, 2);
        Assert.That(basis.IndexOf([1, 1, 1]), Is.EqualTo(-1));
        Assert.That(basis.IndexOf([0, 0, 2]), Is.EqualTo(9));
    }

    [Test]
    public void TooLargeBasisThrowsWithCountAndBytes()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MonomialBasis(50, 10));
        Assert.That(ex!.Message, Does.Contain(Pascal(60, 10).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).And.Contain("bytes"));
        var budget = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MonomialBasis(40, 8)); // C(48, 8) = 377,348,994 terms: below int.MaxValue, above the table budget
        Assert.That(budget!.Message, Does.Contain("terms").And.Contain("bytes"));
    }

    [Test]
    public void BadArgumentsThrow()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MonomialBasis(0, 2));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MonomialBasis(2, -1));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MonomialBasis(2, 256));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MonomialBasis(2, 0, includeConstant: false));
            Assert.Throws<ArgumentOutOfRangeException>(() => MonomialBasis.CountTerms(0, 1));
            Assert.Throws<ArgumentOutOfRangeException>(() => MonomialBasis.CountTerms(1, -1));
        });

        var basis = new MonomialBasis(3, 2);
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => basis.GetDegree(10));
            Assert.Throws<ArgumentOutOfRangeException>(() => basis.GetDegree(-1));
            Assert.Throws<ArgumentOutOfRangeException>(() => basis.FormatTerm(10));
            Assert.Throws<ArgumentException>(() => basis.GetExponents(1, new int[2]));
            Assert.Throws<ArgumentException>(() => basis.IndexOf([1, 2]));
            Assert.Throws<ArgumentException>(() => basis.IndexOf([1, -1, 0]));
            Assert.Throws<ArgumentException>(() => basis.FormatTerm(1, ["a", "b"]));
        });
    }

    [Test]
    public void EvaluateRejectsBadShapesAndNonFiniteValuesBeforeWriting()
    {
        var basis = new MonomialBasis(3, 2);
        double[] points = [1, 2, 3, 4, 5, 6];
        var destination = new double[20];
        Array.Fill(destination, -7.0);

        Assert.Throws<ArgumentException>(() => basis.Evaluate(points.AsSpan(0, 5), destination));
        Assert.Throws<ArgumentException>(() => basis.Evaluate(points, destination.AsSpan(0, 19)));
        Assert.Throws<ArgumentException>(() => basis.Evaluate(points, new double[21]));
        Assert.Throws<ArgumentOutOfRangeException>(() => basis.Evaluate(points, destination, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => basis.Evaluate(points, destination, -2));

        points[4] = double.NaN;
        var ex = Assert.Throws<ArgumentException>(() => basis.Evaluate(points, destination));
        Assert.That(ex!.Message, Does.Contain("sample 1").And.Contain("variable 1"));
        Assert.That(ex.ParamName, Is.EqualTo("points"));
        points[4] = double.PositiveInfinity;
        Assert.Throws<ArgumentException>(() => basis.Evaluate(points, destination, 1));
        Assert.That(destination, Is.All.EqualTo(-7.0), "nothing written on failure");

        float[] floats = [1, 2, float.NegativeInfinity];
        var floatDestination = new float[10];
        var fex = Assert.Throws<ArgumentException>(() => basis.Evaluate(floats, floatDestination));
        Assert.That(fex!.Message, Does.Contain("sample 0").And.Contain("variable 2"));
    }

    [Test]
    public void ZeroSamplesIsFine()
    {
        var basis = new MonomialBasis(4, 3);
        basis.Evaluate(ReadOnlySpan<double>.Empty, Span<double>.Empty);
        basis.Evaluate(ReadOnlySpan<float>.Empty, Span<float>.Empty);
        Assert.Pass();
    }

    private static long Pascal(int n, int k)
    {
        var row = new long[k + 1];
        row[0] = 1;
        for (int i = 1; i <= n; i++)
        {
            for (int j = Math.Min(i, k); j > 0; j--)
            {
                row[j] += row[j - 1];
            }
        }

        return row[k];
    }
}

[TestFixture]
[Category("Simd")]
public sealed class MonomialBasisEvaluateTests
{
    private static readonly int MaxSamples = (3 * Vector512<double>.Count) + 1;

    private static IEnumerable<TestCaseData> Shapes()
    {
        foreach ((int v, int d) in new[] { (1, 5), (2, 4), (3, 3), (4, 3), (5, 2), (8, 4), (9, 3), (17, 2), (3, 0), (6, 1) })
        {
            yield return new TestCaseData(v, d, true);
            if (d > 0)
            {
                yield return new TestCaseData(v, d, false);
            }
        }
    }

    [TestCaseSource(nameof(Shapes))]
    public void DoubleMatchesProductOfPowersForEverySampleCount(int variableCount, int degree, bool includeConstant)
    {
        var basis = new MonomialBasis(variableCount, degree, includeConstant);
        var reference = ReferenceExponents(basis);
        var random = new Random(1234 + variableCount);
        for (int samples = 0; samples <= MaxSamples; samples++)
        {
            var points = new double[samples * variableCount];
            for (int i = 0; i < points.Length; i++)
            {
                points[i] = (random.NextDouble() * 4) - 2;
            }

            var actual = new double[samples * basis.TermCount];
            basis.Evaluate(points, actual, 1);
            for (int s = 0; s < samples; s++)
            {
                for (int t = 0; t < basis.TermCount; t++)
                {
                    double expected = 1;
                    for (int j = 0; j < variableCount; j++)
                    {
                        expected *= Math.Pow(points[(s * variableCount) + j], reference[t][j]);
                    }

                    // A product of D factors (each Math.Pow correctly rounded to ≤ 1 ulp for small
                    // integer powers) differs from the chained product by a few ulps of the result.
                    double ulp = Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected);
                    double tolerance = 4 * Math.Max(degree, 1) * ulp;
                    Assert.That(actual[(s * basis.TermCount) + t], Is.EqualTo(expected).Within(tolerance),
                        $"sample {s} of {samples}, term {basis.FormatTerm(t)}");
                }
            }
        }
    }

    [TestCaseSource(nameof(Shapes))]
    public void FloatMatchesProductOfPowersForEverySampleCount(int variableCount, int degree, bool includeConstant)
    {
        var basis = new MonomialBasis(variableCount, degree, includeConstant);
        var reference = ReferenceExponents(basis);
        var random = new Random(99 + variableCount);
        int maxSamples = (3 * Vector512<float>.Count) + 1;
        for (int samples = 0; samples <= maxSamples; samples++)
        {
            var points = new float[samples * variableCount];
            for (int i = 0; i < points.Length; i++)
            {
                points[i] = (float)((random.NextDouble() * 4) - 2);
            }

            var actual = new float[samples * basis.TermCount];
            basis.Evaluate(points, actual);
            for (int s = 0; s < samples; s++)
            {
                for (int t = 0; t < basis.TermCount; t++)
                {
                    // Reference in double: the float chain of D multiplies has relative error ≤ D·2⁻²⁴ (plus one rounding).
                    double expected = 1;
                    for (int j = 0; j < variableCount; j++)
                    {
                        expected *= Math.Pow(points[(s * variableCount) + j], reference[t][j]);
                    }

                    double tolerance = (Math.Max(degree, 1) + 1) * Math.Pow(2, -24) * Math.Abs(expected);
                    Assert.That(actual[(s * basis.TermCount) + t], Is.EqualTo(expected).Within(tolerance),
                        $"sample {s} of {samples}, term {basis.FormatTerm(t)}");
                }
            }
        }
    }

    [TestCase(8, 4, 5000)]
    [TestCase(3, 6, 777)]
    [TestCase(11, 3, 1001)]
    public void ParallelResultIsIdenticalToSingleThreaded(int variableCount, int degree, int samples)
    {
        var basis = new MonomialBasis(variableCount, degree);
        var random = new Random(7);
        var points = Enumerable.Range(0, samples * variableCount).Select(_ => random.NextDouble() - 0.5).ToArray();
        var single = new double[samples * basis.TermCount];
        var parallel = new double[samples * basis.TermCount];
        var auto = new double[samples * basis.TermCount];
        basis.Evaluate(points, single, 1);
        basis.Evaluate(points, parallel, -1);
        basis.Evaluate(points, auto);
        Assert.That(parallel, Is.EqualTo(single));
        Assert.That(auto, Is.EqualTo(single));

        var floatPoints = points.Select(p => (float)p).ToArray();
        var floatSingle = new float[single.Length];
        var floatParallel = new float[single.Length];
        basis.Evaluate(floatPoints, floatSingle, 1);
        basis.Evaluate(floatPoints, floatParallel, -1);
        Assert.That(floatParallel, Is.EqualTo(floatSingle));
    }

    [Test]
    public void SingleThreadedEvaluateAllocatesNothing()
    {
        var basis = new MonomialBasis(8, 4);
        var points = new double[257 * 8];
        for (int i = 0; i < points.Length; i++)
        {
            points[i] = i * 1e-3;
        }

        var destination = new double[257 * basis.TermCount];
        basis.Evaluate(points, destination, 1); // warm up: JIT and the pool's first rent
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            basis.Evaluate(points, destination, 1);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero);
    }

    [TestCase(3, 3, true, 5)]
    [TestCase(4, 4, false, 8)]
    [TestCase(8, 3, true, 16)]
    [TestCase(1, 6, true, 3)]
    public void TileIsTheTransposeOfTheRowMajorOutput(int variableCount, int degree, bool includeConstant, int samples)
    {
        var basis = new MonomialBasis(variableCount, degree, includeConstant);
        var random = new Random(5);
        var points = Enumerable.Range(0, samples * variableCount).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var rows = new double[samples * basis.TermCount];
        basis.Evaluate(points, rows, 1);

        const int stride = 16;
        var tile = new double[basis.TermCount * stride];
        Array.Fill(tile, double.NaN);
        basis.Evaluator.EvaluateTile(points, tile, stride);
        for (int t = 0; t < basis.TermCount; t++)
        {
            for (int s = 0; s < stride; s++)
            {
                double expected = s < samples ? rows[(s * basis.TermCount) + t] : (basis.GetDegree(t) == 0 ? 1.0 : 0.0);
                Assert.That(tile[(t * stride) + s], Is.EqualTo(expected), $"term {t}, sample {s}");
            }
        }
    }

    private static int[][] ReferenceExponents(MonomialBasis basis)
    {
        // Independent enumeration: all exponent vectors of total degree ≤ D, sorted by degree, then
        // by the sorted variable-index multiset lexicographically.
        int v = basis.VariableCount;
        var all = new List<int[]>();
        void Recurse(int[] prefix, int j, int remaining)
        {
            if (j == v)
            {
                all.Add((int[])prefix.Clone());
                return;
            }

            for (int e = 0; e <= remaining; e++)
            {
                prefix[j] = e;
                Recurse(prefix, j + 1, remaining - e);
            }
        }

        Recurse(new int[v], 0, basis.Degree);
        static string Key(int[] e) => string.Join(",", e.SelectMany((c, j) => Enumerable.Repeat(j.ToString("D3", System.Globalization.CultureInfo.InvariantCulture), c)));
        var ordered = all
            .Where(e => basis.IncludesConstant || e.Sum() > 0)
            .OrderBy(e => e.Sum())
            .ThenBy(Key, StringComparer.Ordinal)
            .ToArray();
        Assert.That(ordered, Has.Length.EqualTo(basis.TermCount));
        return ordered;
    }
}
