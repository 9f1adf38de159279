using System.Globalization;
using System.Text;
using Participatie.Benchmark.Measurements;

namespace Participatie.Benchmark.Report;

/// <summary>CPU per reaction by process, in the shape of shared/perf-baseline.md, with what each uses idle.</summary>
internal static class CpuTable
{
    private const string PerReaction = "ms CPU per reaction";
    private const string Idle = "idle, % of a core";

    public static string ForTerminal(IReadOnlyList<ProcessCpu> rows)
    {
        if (rows.Count == 0)
        {
            return "";
        }

        var width = rows.Max(row => row.Process.Length);
        var text = new StringBuilder().AppendLine($"  {"".PadRight(width)}  {PerReaction}  {Idle}");
        foreach (var row in rows)
        {
            text.AppendLine($"  {row.Process.PadRight(width)}  {Number(row.MillisecondsPerReaction),19}  {Number(row.IdlePercentOfCore),17}");
        }

        return text.ToString();
    }

    public static string AsMarkdown(IReadOnlyList<ProcessCpu> rows)
    {
        var text = new StringBuilder().AppendLine($"| process | {PerReaction} | {Idle} |").AppendLine("|---|---|---|");
        foreach (var row in rows)
        {
            text.AppendLine($"| {row.Process} | {Number(row.MillisecondsPerReaction)} | {Number(row.IdlePercentOfCore)} |");
        }

        return text.ToString();
    }

    private static string Number(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
