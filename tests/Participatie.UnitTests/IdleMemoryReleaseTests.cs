using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Participatie.BuildingBlocks.Hosting;

namespace Participatie.UnitTests;

public class IdleMemoryRuleTests
{
    private const long MB = 1 << 20;
    private static readonly IdleMemoryRule Rule = new(QuietBytesPerSecond: 2 * MB, SpareBytes: 16 * MB, FirstReleaseAfter: TimeSpan.FromSeconds(30), LateReleaseAfter: TimeSpan.FromSeconds(90));
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(15);

    [Fact]
    public void A_service_quiet_for_half_a_minute_with_much_spare_memory_releases_it()
    {
        var (first, spell) = Rule.Next(default, 5 * MB, Period, committedBytes: 180 * MB, liveBytes: 20 * MB);
        Assert.False(first);

        var (second, after) = Rule.Next(spell, 5 * MB, Period, committedBytes: 180 * MB, liveBytes: 20 * MB);

        Assert.True(second);
        Assert.Equal(new QuietSpell(2 * Period, Released: true, ReleasedLate: false), after);
    }

    [Fact]
    public void A_busy_service_keeps_its_memory_for_the_work_at_hand_and_its_quiet_spell_ends()
    {
        var quiet = new QuietSpell(TimeSpan.FromMinutes(5), Released: true, ReleasedLate: true);

        Assert.Equal((false, default(QuietSpell)), Rule.Next(quiet, 31 * MB, Period, committedBytes: 180 * MB, liveBytes: 20 * MB));
    }

    [Fact]
    public void Little_spare_memory_is_not_worth_a_collection_until_the_spell_is_long()
    {
        var spell = new QuietSpell(TimeSpan.FromSeconds(45), Released: false, ReleasedLate: false);

        var (release, after) = Rule.Next(spell, 0, Period, committedBytes: 30 * MB, liveBytes: 20 * MB);

        Assert.False(release);
        Assert.Equal(spell with { QuietFor = TimeSpan.FromSeconds(60) }, after);
    }

    [Fact]
    public void A_quiet_spell_is_released_after_half_a_minute_and_once_more_when_the_pools_let_go()
    {
        // The heap holds the same after every release: nothing to follow up.
        var releases = QuietFor(Rule, checks: 20, liveAfterRelease: _ => 20 * MB);

        Assert.Equal([30, 90], releases);
    }

    [Fact]
    public void After_the_late_release_it_releases_again_while_the_pools_keep_giving_buffers_back()
    {
        // What the heap holds after each release: the pools let one buffer go per collection, then none.
        long[] liveAfter = [30 * MB, 29 * MB, 28 * MB + 512 * 1024, 28 * MB + 480 * 1024, 28 * MB + 470 * 1024, 28 * MB + 460 * 1024];

        var releases = QuietFor(Rule, checks: 20, liveAfterRelease: release => liveAfter[release]);

        // 90 s gave back 1 MB and 105 s 512 kB; 120 s and 135 s 32 and 10 kB, two in vain, which ends it.
        Assert.Equal([30, 90, 105, 120, 135], releases);
    }

    [Fact]
    public void The_follow_up_releases_are_bounded_even_if_the_heap_keeps_shrinking()
    {
        var releases = QuietFor(Rule with { MostFollowUps = 3 }, checks: 40, liveAfterRelease: release => (100 - release) * MB);

        Assert.Equal(2 + 3, releases.Count);
    }

    [Fact]
    public void Work_ends_the_follow_ups_with_the_spell()
    {
        var giving = new QuietSpell(TimeSpan.FromSeconds(105), Released: true, ReleasedLate: true, FollowUps: 1, LiveAfterLastRelease: 20 * MB, ReleasesInVain: 0);

        Assert.True(Rule.Next(giving, 0, Period, committedBytes: 40 * MB, liveBytes: 20 * MB).Release);
        Assert.Equal((false, default(QuietSpell)), Rule.Next(giving, 31 * MB, Period, committedBytes: 40 * MB, liveBytes: 20 * MB));
    }

    /// <summary>A quiet spell of so many checks; returns the seconds of quiet at each release.</summary>
    /// <param name="liveAfterRelease">What the heap holds after the release with this index (0 for the first).</param>
    private static List<double> QuietFor(IdleMemoryRule rule, int checks, Func<int, long> liveAfterRelease)
    {
        var releases = new List<double>();
        QuietSpell spell = default;
        for (var check = 0; check < checks; check++)
        {
            (var release, spell) = rule.Next(spell, 0, Period, committedBytes: 180 * MB, liveBytes: 20 * MB);
            if (release)
            {
                spell = rule.AfterRelease(spell, liveAfterRelease(releases.Count));
                releases.Add(spell.QuietFor.TotalSeconds);
            }
        }

        return releases;
    }
}

/// <summary>Alone, because it measures the process's GC, which tests running beside it would change.</summary>
[CollectionDefinition(nameof(IdleMemoryReleaseTests), DisableParallelization = true)]
public sealed class IdleMemoryReleaseCollection;

[Collection(nameof(IdleMemoryReleaseTests))]
public class IdleMemoryReleaseTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_quiet_service_gives_the_memory_a_burst_left_behind_back_once()
    {
        LeaveLargeObjectGarbage(megabytes: 96);
        // An ordinary full collection, as a busy service has after its burst: the arrays are gone from the heap, but the
        // GC keeps their memory committed. Without one the GC's last figures could still count them as live.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
        var committedBefore = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Memory:IdleCheckInterval"] = "00:00:00.2",
            ["Memory:FirstReleaseAfter"] = "00:00:00.4",
            // Whatever the test host allocates meanwhile counts as quiet.
            ["Memory:QuietBytesPerSecond"] = (1L << 30).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Memory:SpareBytesWorthReleasing"] = (16L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        using var job = new IdleMemoryRelease(configuration, TimeProvider.System, NullLogger<IdleMemoryRelease>.Instance);

        await job.StartAsync(Cancel);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (job.CompletedRounds < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Cancel);
        }

        await job.StopAsync(Cancel);

        Assert.True(job.CompletedRounds >= 4, $"Only {job.CompletedRounds} rounds in 10 s.");
        // The late release is a minute and a half away.
        Assert.Equal(1, job.Releases);
        var committedAfter = GC.GetGCMemoryInfo().TotalCommittedBytes;
        Assert.True(committedAfter < committedBefore - (32L << 20),
            $"Committed {committedBefore >> 20} MB before the release and {committedAfter >> 20} MB after it.");
    }

    /// <summary>Large arrays that are garbage at once: the GC keeps their memory committed until it collects.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LeaveLargeObjectGarbage(int megabytes)
    {
        var keep = new List<byte[]>();
        for (var i = 0; i < megabytes; i++)
        {
            var block = new byte[1 << 20];
            block[^1] = 1;
            keep.Add(block);
        }

        GC.KeepAlive(keep);
    }
}
