using Participatie.Benchmark.Load;
using Participatie.Benchmark.Measurements;

namespace Participatie.Benchmark;

/// <summary>Everything one run measured; a part is null when its step did not run or failed.</summary>
internal sealed record BenchmarkResults
{
    public TimeSpan? ColdStart { get; init; }

    /// <summary>When each service became healthy during the cold start.</summary>
    public string? ColdStartOrder { get; init; }
    public LoadResult? ReactionIngest { get; init; }
    public ReceiptResult? Receipts { get; init; }

    /// <summary>Receipts of reactions sent at a steady rate (<see cref="BenchmarkSettings.PacedReactionsPerSecond"/>).</summary>
    public ReceiptResult? PacedReceipts { get; init; }

    /// <summary>The reactions sent at that steady rate, timed from when each was due.</summary>
    public LoadResult? PacedIngest { get; init; }
    public ReadResult? Reads { get; init; }
    public FanOutResult? FanOut { get; init; }
    public EmailDeliveryResult? EmailDelivery { get; init; }
    /// <summary>Each service's RSS right after the fan-out, the last of the load.</summary>
    public IReadOnlyDictionary<string, long?> ResidentBytes { get; init; } = new Dictionary<string, long?>();

    /// <summary>
    /// Each service's RSS once the machine is quiet after the load, and a little longer: what a service holds between
    /// bursts, after it gave the GC's spare memory back (<c>IdleMemoryRelease</c>).
    /// </summary>
    public IReadOnlyDictionary<string, long?> QuietResidentBytes { get; init; } = new Dictionary<string, long?>();

    public IReadOnlyList<ProcessCpu> CpuPerReaction { get; init; } = [];
    public List<string> Problems { get; } = [];

    /// <summary>/proc/loadavg when the load began: how busy the machine was with other work.</summary>
    public string LoadAverageAtStart { get; init; } = "";

    /// <summary>How long after the set-up the first load run waited for the machine to become quiet.</summary>
    public string? SettledBeforeLoad { get; init; }

    /// <summary>The warm-up before the measured runs, until the services' background compilers settled.</summary>
    public WarmUpResult? WarmUp { get; init; }
}
