using System.Globalization;
using System.Text;

namespace Participatie.Benchmark.Report;

/// <summary>CPU milliseconds per reaction by process, in the shape of shared/perf-baseline.md.</summary>
internal static class CpuTable
{
    public static string ForTerminal(IReadOnlyList<(string Process, double Milliseconds)> rows)
    {
        if (rows.Count == 0)
        {
            return "";
        }

        var width = rows.Max(row => row.Process.Length);
        var text = new StringBuilder().AppendLine("CPU per accepted reaction:");
        foreach (var (process, milliseconds) in rows)
        {
            text.AppendLine($"  {process.PadRight(width)}  {Milliseconds(milliseconds),8} ms");
        }

        return text.ToString();
    }

    public static string AsMarkdown(IReadOnlyList<(string Process, double Milliseconds)> rows)
    {
        var text = new StringBuilder().AppendLine("| process | ms CPU per reaction |").AppendLine("|---|---|");
        foreach (var (process, milliseconds) in rows)
        {
            text.AppendLine($"| {process} | {Milliseconds(milliseconds)} |");
        }

        return text.ToString();
    }

    private static string Milliseconds(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
