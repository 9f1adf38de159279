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
    : PeriodicJob(PeriodFrom(configuration, "Memory:IdleCheckInterval", CheckInterval), clock, logger)
{
    /// <summary>
    /// How often the service looks whether it is quiet: 16 s, not 15. An array pool lets its next buffer go 15 s after the
    /// last at the earliest, counted from the pool's callback after the first release's collection; checks exactly 15 s
    /// apart come a few milliseconds short of that whenever the first collection took longer than the later ones (the
    /// one after a burst does), and then the pool gave nothing back at all. The extra second is the margin.
    /// </summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(16);

    private readonly IdleMemoryRule _rule = IdleMemoryRule.From(configuration);
    private long _allocatedAtLastRound = GC.GetTotalAllocatedBytes();
    private QuietSpell _spell;

    protected override bool RunsAtStart => false;

    /// <summary>Collections this job made; for tests and diagnostics.</summary>
    public int Releases { get; private set; }

    protected override Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var allocated = GC.GetTotalAllocatedBytes();
        var allocatedSince = allocated - _allocatedAtLastRound;
        var memory = GC.GetGCMemoryInfo();
        // Free space inside the heap (fragmentation) is spare too: the large object heap's, above all.
        var liveBytes = memory.HeapSizeBytes - memory.FragmentedBytes;
        (var release, _spell) = _rule.Next(_spell, allocatedSince, Period, memory.TotalCommittedBytes, liveBytes);
        if (release)
        {
            var started = Clock.GetTimestamp();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            // The array pools let their buffers go in a callback after a full collection, on the finalizer thread: wait
            // for it and collect again, or what they let go stays until the next collection, which an idle service
            // hardly has.
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            CLibraryAllocator.Trim();
            Releases++;
            var after = GC.GetGCMemoryInfo();
            _spell = _rule.AfterRelease(_spell, after.HeapSizeBytes);
            LogReleased(Logger, memory.TotalCommittedBytes >> 20, after.TotalCommittedBytes >> 20, after.HeapSizeBytes >> 10, Clock.GetElapsedTime(started).TotalMilliseconds);
        }

        // Counted after the collection, so that what it allocated does not end the quiet spell.
        _allocatedAtLastRound = GC.GetTotalAllocatedBytes();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Quiet after work: gave the GC's spare memory back ({BeforeMegabytes} MB committed, now {AfterMegabytes} MB, {LiveKilobytes} kB live) in {Milliseconds:0} ms")]
    private static partial void LogReleased(ILogger logger, long beforeMegabytes, long afterMegabytes, long liveKilobytes, double milliseconds);
}

/// <summary>
/// How long the service has been quiet, which of its releases this spell had, what the heap held after the last one,
/// and how many releases in a row gave little back (<see cref="IdleMemoryRule.StillGivingBackBytes"/>).
/// </summary>
public readonly record struct QuietSpell(TimeSpan QuietFor, bool Released, bool ReleasedLate, int FollowUps = 0, long LiveAfterLastRelease = 0, int ReleasesInVain = 0);

/// <summary>
/// When the GC's spare memory is worth an aggressive collection. Quiet means the service allocated less than
/// <see cref="QuietBytesPerSecond"/> over the last period (an idle service still allocates a little for health checks,
/// metrics and its background loops). A quiet spell gets a release once it has lasted <see cref="FirstReleaseAfter"/>
/// (a collection takes CPU from the other processes on the machine, and a service is often quiet for a moment while
/// the platform around it is busy) if the GC holds more than <see cref="SpareBytes"/> committed beyond what is live, and
/// one more once it has lasted <see cref="LateReleaseAfter"/>:
/// the shared array pools give back a buffer only at a full collection a while after its last use (a thread's own
/// buffer at the second collection at least 30 s apart, the pool's others a minute after they were first seen), and
/// after a burst 9-24 MB of such buffers stayed in each service.
/// Then, while the pools keep giving back: at low memory pressure a pool lets go of one buffer per size and core at a
/// full collection, and of the next one 15 s later at the earliest. After the benchmark's fan-out (issue 7) the
/// notifications service kept eleven buffers of 512 kB and 1 MB (7.3 MB) that way, for good, because an idle service
/// has no other full collections. So each further check (<see cref="IdleMemoryRelease.CheckInterval"/>) releases once more
/// (<see cref="MostFollowUps"/> at most) until two releases in a row left less than <see cref="StillGivingBackBytes"/>
/// less on the heap than the one before each: two, because what an idle service allocates meanwhile moves the live
/// heap by a few hundred kB either way.
/// </summary>
public sealed record IdleMemoryRule(
    long QuietBytesPerSecond, long SpareBytes, TimeSpan FirstReleaseAfter, TimeSpan LateReleaseAfter, long StillGivingBackBytes = 256L << 10, int MostFollowUps = 16)
{
    public static IdleMemoryRule From(IConfiguration configuration) => new(
        configuration.GetValue("Memory:QuietBytesPerSecond", 2L << 20),
        configuration.GetValue("Memory:SpareBytesWorthReleasing", 16L << 20),
        configuration.GetValue("Memory:FirstReleaseAfter", TimeSpan.FromSeconds(30)),
        configuration.GetValue("Memory:LateReleaseAfter", TimeSpan.FromSeconds(90)),
        configuration.GetValue("Memory:StillGivingBackBytes", 256L << 10),
        configuration.GetValue("Memory:MostFollowUpReleases", 16));

    /// <param name="liveBytes">What the heap held after the last collection, without its free space.</param>
    /// <returns>Whether to release now, and the spell after this check (a new one when the service was busy).</returns>
    public (bool Release, QuietSpell Spell) Next(QuietSpell spell, long allocatedBytes, TimeSpan period, long committedBytes, long liveBytes)
    {
        if (allocatedBytes >= QuietBytesPerSecond * period.TotalSeconds)
        {
            return (false, default);
        }

        spell = spell with { QuietFor = spell.QuietFor + period };
        if (!spell.Released && spell.QuietFor >= FirstReleaseAfter && committedBytes - liveBytes > SpareBytes)
        {
            return (true, spell with { Released = true });
        }

        if (!spell.ReleasedLate && spell.QuietFor >= LateReleaseAfter)
        {
            return (true, spell with { Released = true, ReleasedLate = true });
        }

        if (spell.ReleasedLate && spell.FollowUps < MostFollowUps && spell.ReleasesInVain < 2)
        {
            return (true, spell with { FollowUps = spell.FollowUps + 1 });
        }

        return (false, spell);
    }

    /// <summary>The spell after a release that left <paramref name="liveBytes"/> on the heap.</summary>
    public QuietSpell AfterRelease(QuietSpell spell, long liveBytes)
    {
        var gaveBack = spell.LiveAfterLastRelease == 0 ? 0 : spell.LiveAfterLastRelease - liveBytes;
        return spell with
        {
            LiveAfterLastRelease = liveBytes,
            ReleasesInVain = gaveBack >= StillGivingBackBytes ? 0 : spell.ReleasesInVain + 1,
        };
    }
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
