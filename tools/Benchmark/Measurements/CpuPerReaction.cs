using System.Diagnostics;
using Participatie.Benchmark.Platform;

namespace Participatie.Benchmark.Measurements;

/// <summary>
/// CPU time each part of the platform spent per accepted reaction, from before the ingest run until its last
/// receipt was stored (as in shared/perf-baseline.md): where the time goes, for whoever optimises next.
/// </summary>
internal sealed class CpuPerReaction
{
    private const string LoadGenerator = "load generator (this tool)";

    private readonly BenchmarkSettings settings;
    private readonly Dictionary<string, TimeSpan> before;

    private CpuPerReaction(BenchmarkSettings settings)
    {
        this.settings = settings;
        before = Snapshot();
    }

    public static CpuPerReaction Start(BenchmarkSettings settings) => new(settings);

    /// <summary>Milliseconds of CPU per reaction by process group, the largest first, and the total; nothing without reactions.</summary>
    public IReadOnlyList<(string Process, double Milliseconds)> Stop(long reactions)
    {
        if (reactions == 0)
        {
            return [];
        }

        var after = Snapshot();
        var perGroup = after
            .Select(group => (Process: group.Key, Milliseconds: (group.Value - before.GetValueOrDefault(group.Key)).TotalMilliseconds / reactions))
            .OrderByDescending(group => group.Milliseconds)
            .ToList();
        perGroup.Add(("all of these", perGroup.Where(group => group.Process != LoadGenerator).Sum(group => group.Milliseconds)));
        return perGroup;
    }

    private Dictionary<string, TimeSpan> Snapshot()
    {
        var groups = PlatformProcesses.All(settings.Services.Keys, settings.RepositoryRoot, settings.PostgresPort, settings.RabbitMqPort)
            .ToDictionary(group => group.Key, group => group.Value.Aggregate(TimeSpan.Zero, (sum, pid) => sum + ProcFs.CpuTime(pid)));
        groups[LoadGenerator] = Process.GetCurrentProcess().TotalProcessorTime;
        return groups;
    }
}
