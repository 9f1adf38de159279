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

    /// <summary>CPU per mail of the e-mail delivery, by process: which part of the platform (or the mail server) limits the rate.</summary>
    public static string ForMails(IReadOnlyList<MailCpu> rows, bool markdown)
    {
        if (rows.Count == 0)
        {
            return "";
        }

        const string PerMail = "ms CPU per mail";
        const string Busy = "cores busy on average";
        var text = new StringBuilder();
        if (markdown)
        {
            text.AppendLine($"| process | {PerMail} | {Busy} |").AppendLine("|---|---|---|");
            rows.ToList().ForEach(row => text.AppendLine($"| {row.Process} | {Number(row.MillisecondsPerMail)} | {Number(row.CoresBusy)} |"));
            return text.ToString();
        }

        var width = rows.Max(row => row.Process.Length);
        text.AppendLine($"  {"".PadRight(width)}  {PerMail}  {Busy}");
        rows.ToList().ForEach(row => text.AppendLine($"  {row.Process.PadRight(width)}  {Number(row.MillisecondsPerMail),15}  {Number(row.CoresBusy),21}"));
        return text.ToString();
    }

    private static string Number(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
