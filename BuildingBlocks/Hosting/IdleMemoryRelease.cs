using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Participatie.BuildingBlocks.Hosting;

/// <summary>
/// Gives the GC's spare memory back to the operating system once a service goes quiet after a burst of work. The
/// server GC keeps what a burst made it commit (after the benchmark 94-185 MB per service for live heaps of 13-20 MB,
/// mostly free space in the large object heap, which it does not compact), and an idle service hardly collects, so
/// without this the memory stays taken until the next burst. An aggressive collection compacts every generation and
/// decommits what is free; it blocks for a few milliseconds, which is why it runs only while the service is quiet.
/// </summary>
public sealed partial class IdleMemoryRelease(IConfiguration configuration, TimeProvider clock, ILogger<IdleMemoryRelease> logger)
    : PeriodicJob(PeriodFrom(configuration, "Memory:IdleCheckInterval", TimeSpan.FromSeconds(15)), clock, logger)
{
    private readonly IdleMemoryRule _rule = IdleMemoryRule.From(configuration);
    private long _allocatedAtLastRound = GC.GetTotalAllocatedBytes();
    private bool _releasedThisQuietSpell;

    protected override bool RunsAtStart => false;

    /// <summary>Collections this job made; for tests and diagnostics.</summary>
    public int Releases { get; private set; }

    protected override Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var allocated = GC.GetTotalAllocatedBytes();
        var allocatedSince = allocated - _allocatedAtLastRound;
        _allocatedAtLastRound = allocated;
        var memory = GC.GetGCMemoryInfo();
        // Free space inside the heap (fragmentation) is spare too: the large object heap's, above all.
        var liveBytes = memory.HeapSizeBytes - memory.FragmentedBytes;
        var decision = _rule.Decide(allocatedSince, Period, memory.TotalCommittedBytes, liveBytes, _releasedThisQuietSpell);
        _releasedThisQuietSpell = decision is IdleMemoryDecision.Release or IdleMemoryDecision.AlreadyReleased;
        if (decision is IdleMemoryDecision.Release)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            CLibraryAllocator.Trim();
            Releases++;
            LogReleased(Logger, memory.TotalCommittedBytes >> 20, GC.GetGCMemoryInfo().TotalCommittedBytes >> 20);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Quiet after work: gave the GC's spare memory back ({BeforeMegabytes} MB committed, now {AfterMegabytes} MB)")]
    private static partial void LogReleased(ILogger logger, long beforeMegabytes, long afterMegabytes);
}

/// <summary>
/// The C library's allocator keeps memory that native code (OpenSSL, the runtime's own allocations) freed, in arenas of
/// each thread that allocated; malloc_trim gives the free pages of every arena back. glibc only: elsewhere, nothing.
/// </summary>
internal static class CLibraryAllocator
{
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
            // A C library without it (musl): the GC's part is done all the same.
        }
    }

    // DllImport rather than LibraryImport: the signature is blittable, and LibraryImport would need unsafe code.
    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}

public enum IdleMemoryDecision
{
    /// <summary>Busy, or little to give back: nothing to do.</summary>
    Keep,

    /// <summary>Quiet, with much committed memory the heap does not use: collect aggressively.</summary>
    Release,

    /// <summary>Still the quiet spell that was already released: once per spell, whatever the GC kept after it.</summary>
    AlreadyReleased,
}

/// <summary>
/// When the GC's spare memory is worth an aggressive collection: the service allocated less than
/// <see cref="QuietBytesPerSecond"/> over the last period (an idle service still allocates a little for health checks,
/// metrics and its background loops) and the GC holds more than <see cref="SpareBytes"/> committed beyond what is live.
/// </summary>
public sealed record IdleMemoryRule(long QuietBytesPerSecond, long SpareBytes)
{
    public static IdleMemoryRule From(IConfiguration configuration) => new(
        configuration.GetValue("Memory:QuietBytesPerSecond", 2L << 20),
        configuration.GetValue("Memory:SpareBytesWorthReleasing", 16L << 20));

    /// <param name="liveBytes">What the heap held after the last collection, without its free space.</param>
    public IdleMemoryDecision Decide(long allocatedBytes, TimeSpan period, long committedBytes, long liveBytes, bool releasedThisQuietSpell)
    {
        var quiet = allocatedBytes < QuietBytesPerSecond * period.TotalSeconds;
        if (!quiet)
        {
            return IdleMemoryDecision.Keep;
        }

        if (releasedThisQuietSpell)
        {
            return IdleMemoryDecision.AlreadyReleased;
        }

        return committedBytes - liveBytes > SpareBytes ? IdleMemoryDecision.Release : IdleMemoryDecision.Keep;
    }
}
