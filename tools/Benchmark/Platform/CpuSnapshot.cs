using System.Diagnostics;

namespace Participatie.Benchmark.Platform;

/// <summary>CPU time used so far by each group of the platform's processes (and by this tool), for differences over a span.</summary>
internal sealed class CpuSnapshot
{
    public const string LoadGenerator = "load generator (this tool)";

    private readonly Dictionary<string, TimeSpan> used;

    private CpuSnapshot(Dictionary<string, TimeSpan> used) => this.used = used;

    public static CpuSnapshot Take(BenchmarkSettings settings)
    {
        var used = PlatformProcesses.All(settings.Services.Keys, settings.RepositoryRoot, settings.PostgresPort, settings.RabbitMqPort, settings.MailServer.Port)
            .ToDictionary(group => group.Key, group => group.Value.Aggregate(TimeSpan.Zero, (sum, pid) => sum + ProcFs.CpuTime(pid)));
        used[LoadGenerator] = Process.GetCurrentProcess().TotalProcessorTime;
        return new CpuSnapshot(used);
    }

    /// <summary>CPU time each group used since the earlier snapshot.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Since(CpuSnapshot earlier) =>
        used.ToDictionary(group => group.Key, group => group.Value - earlier.used.GetValueOrDefault(group.Key));
}
