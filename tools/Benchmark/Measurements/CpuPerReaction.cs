using Participatie.Benchmark.Platform;

namespace Participatie.Benchmark.Measurements;

/// <summary>One process group's CPU: per accepted reaction, and while the platform had nothing to do.</summary>
internal sealed record ProcessCpu(string Process, double MillisecondsPerReaction, double IdlePercentOfCore);

/// <summary>
/// CPU time each part of the platform spent per accepted reaction, from before the ingest run until its last
/// receipt was stored (as in shared/perf-baseline.md), beside what it spends idle (background loops, polling):
/// where the time goes, for whoever optimises next.
/// </summary>
internal sealed class CpuPerReaction
{
    public const string Total = "all but the load generator";

    private static readonly TimeSpan IdleSpan = TimeSpan.FromSeconds(5);

    private readonly BenchmarkSettings settings;
    private readonly IReadOnlyDictionary<string, TimeSpan> idle;
    private readonly CpuSnapshot before;

    private CpuPerReaction(BenchmarkSettings settings, IReadOnlyDictionary<string, TimeSpan> idle)
    {
        this.settings = settings;
        this.idle = idle;
        before = CpuSnapshot.Take(settings);
    }

    /// <summary>
    /// Measures a few idle seconds (the run has waited for a quiet machine, <see cref="MachineQuiet"/>), then starts
    /// counting.
    /// </summary>
    public static async Task<CpuPerReaction> StartAsync(BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var idleStart = CpuSnapshot.Take(settings);
        await Task.Delay(IdleSpan, cancellationToken);
        return new CpuPerReaction(settings, CpuSnapshot.Take(settings).Since(idleStart));
    }

    /// <summary>Each group, the most per reaction first, and the total; nothing without reactions.</summary>
    public IReadOnlyList<ProcessCpu> Stop(long reactions)
    {
        if (reactions == 0)
        {
            return [];
        }

        var rows = CpuSnapshot.Take(settings).Since(before)
            .Select(group => new ProcessCpu(
                group.Key,
                group.Value.TotalMilliseconds / reactions,
                idle.GetValueOrDefault(group.Key) / IdleSpan * 100))
            .OrderByDescending(row => row.MillisecondsPerReaction)
            .ToList();
        var platform = rows.Where(row => row.Process != CpuSnapshot.LoadGenerator).ToList();
        rows.Add(new ProcessCpu(Total, platform.Sum(row => row.MillisecondsPerReaction), platform.Sum(row => row.IdlePercentOfCore)));
        return rows;
    }
}
