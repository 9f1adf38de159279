using System.Globalization;

namespace Participatie.Benchmark.Setup;

internal static class BuurtCodes
{
    /// <summary>A CBS-shaped buurt code no real buurt and no earlier run uses (the 9999 range is not a municipality).</summary>
    public static string Fresh() =>
        $"BU9999{Random.Shared.Next(0, 10_000).ToString("D4", CultureInfo.InvariantCulture)}";

    /// <summary>Several fresh codes, no two alike: each measure's residents must live in a buurt of their own.</summary>
    public static IReadOnlyList<string> Fresh(int count)
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        while (codes.Count < count)
        {
            codes.Add(Fresh());
        }

        return [.. codes];
    }
}
