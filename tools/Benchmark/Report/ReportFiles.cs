using System.Globalization;
using System.Text;

namespace Participatie.Benchmark.Report;

/// <summary>Writes results.md (the table with how it was measured) and results.png (the chart) under artifacts/bench/.</summary>
internal static class ReportFiles
{
    public static IReadOnlyList<string> Write(BenchmarkSettings settings, BenchmarkResults results, IReadOnlyList<Figure> figures, TimeSpan took)
    {
        Directory.CreateDirectory(settings.OutputDirectory);
        var markdownPath = Path.Combine(settings.OutputDirectory, "results.md");
        var chartPath = Path.Combine(settings.OutputDirectory, "results.png");
        var when = DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

        var text = new StringBuilder();
        text.AppendLine($"# Benchmark, {when}, commit {settings.Commit}");
        text.AppendLine();
        text.AppendLine(
            $"{Environment.ProcessorCount} cores, load average when the load began {results.LoadAverageAtStart} (1, 5, 15 min); {results.SettledBeforeLoad ?? "the load began after the set-up"}; the measured runs came after {results.WarmUp?.ToString() ?? "no warm-up"}. Release build, traces sampled at 1%, " +
            $"no development proxies, rate limit lifted. Closed loop with {settings.Connections} connections, {settings.WarmUp.TotalSeconds:0} s warm-up " +
            $"and {settings.Duration.TotalSeconds:0} s measured per run; the gateway's added latency at a steady {settings.PacedReadsPerSecond} reads/s each for {settings.PacedReadsDuration.TotalSeconds:0} s, direct, gateway and bare-proxy reads taking turns. " +
            $"The measurements took {took.TotalMinutes:0.0} min.");
        text.AppendLine();
        text.Append(ResultsTable.AsMarkdown(figures));
        if (results.CpuPerReaction.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("CPU time per accepted reaction, by process, from before the ingest run until its last receipt was stored; and what each used in 5 idle seconds before it (once the machine was quiet after the set-up):");
            text.AppendLine();
            text.Append(CpuTable.AsMarkdown(results.CpuPerReaction));
        }
        if (results.EmailDelivery is { Cpu.Count: > 0 } email)
        {
            text.AppendLine();
            text.AppendLine($"CPU time per e-mail sent, by process, from opening the consultation until the last invitation was sent (load average then {email.LoadAverageAtStart}):");
            text.AppendLine();
            text.Append(CpuTable.ForMails(email.Cpu, markdown: true));
        }
        if (results.Problems.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("What went wrong:");
            text.AppendLine();
            text.AppendJoin(Environment.NewLine, results.Problems.Select(problem => $"- {problem}")).AppendLine();
        }

        text.AppendLine();
        text.AppendLine("![Each figure against its goal](results.png)");
        File.WriteAllText(markdownPath, text.ToString());
        GoalChart.Save(figures, $"Participatie benchmark {when} ({settings.Commit})", chartPath);
        return [markdownPath, chartPath];
    }
}
