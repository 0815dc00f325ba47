using System.Globalization;
using SuperSpace.Simd;

namespace SuperSpace.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        string command = args.Length > 0 ? args[0] : "help";
        switch (command)
        {
            case "demo":
                return Demo();
            case "help":
            case "--help":
            case "-h":
                Console.WriteLine("usage: superspace <command>\n\ncommands:\n  demo    print a small Super Space and evaluate it at one point\n  help    this text");
                return 0;
            default:
                Console.Error.WriteLine($"superspace: unknown command '{command}' (try 'superspace help').");
                return 2;
        }
    }

    private static int Demo()
    {
        var basis = new MonomialBasis(variableCount: 3, degree: 3);
        double[] point = [0.5, -2.0, 3.0];
        var values = new double[basis.TermCount];
        basis.Evaluate(point, values);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"The Super Space of 3 variables truncated at degree 3: {basis.TermCount} monomials, evaluated at x = ({point[0]}, {point[1]}, {point[2]})."));
        Console.WriteLine();
        Console.WriteLine("  term  degree  monomial      value");
        for (int t = 0; t < basis.TermCount; t++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {t,4}  {basis.GetDegree(t),6}  {basis.FormatTerm(t),-12}  {values[t],8:G6}"));
        }

        return 0;
    }
}
