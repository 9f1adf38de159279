using System.Globalization;

namespace Participatie.Benchmark.Setup;

internal static class BuurtCodes
{
    /// <summary>A CBS-shaped buurt code no real buurt and no earlier run uses (the 9999 range is not a municipality).</summary>
    public static string Fresh() =>
        $"BU9999{Random.Shared.Next(0, 10_000).ToString("D4", CultureInfo.InvariantCulture)}";
}
