using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Participatie.Drills;

/// <summary>
/// PostgreSQL stopped for 15 s under load through the gateway: meanwhile every answer that is not a success is 503
/// problem+json with Retry-After (never 500), nothing that was acknowledged with a 2xx is lost, and every request is
/// answered with a 2xx again within 30 s of the database's return.
/// </summary>
public sealed class DatabaseDownDrill(DrillPlatform platform)
{
    private const double PerSecond = 20;
    private static readonly TimeSpan StopAfter = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Downtime = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(30);

    /// <summary>The load goes on this long after the database's return: the recovery limit and as long again to show it holds.</summary>
    private static readonly TimeSpan LoadAfterReturn = TimeSpan.FromSeconds(45);

    /// <summary>Per 5 s of sending time: how many requests got which status, and their slowest answer.</summary>
    private static string Timeline(IReadOnlyList<RequestOutcome> outcomes)
    {
        var text = new StringBuilder("  per 5 s sent (status×count, slowest answer):\n");
        foreach (var bucket in outcomes.GroupBy(outcome => (int)(outcome.DueAt.TotalSeconds / 5)).OrderBy(group => group.Key))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {bucket.Key * 5,3}–{(bucket.Key + 1) * 5,3} s: {string.Join(' ', bucket.GroupBy(outcome => outcome.Status).OrderBy(group => group.Key).Select(group => $"{group.Key}×{group.Count()}"))}, slowest {bucket.Max(outcome => outcome.Latency.TotalSeconds):0.0} s");
        }

        return text.ToString();
    }

    // Explicit: with the platform's start it takes longer than ./test.sh can give it; eng/drills.sh runs it.
    [Fact(Explicit = true)]
    [Trait("Category", "Fault")]
    public async Task PostgreSQL_stopped_for_15_seconds_answers_503_with_Retry_After_and_loses_nothing_acknowledged()
    {
        var world = await DrillWorld.CreateAsync(platform, "database drill");
        using var client = platform.Gateway(world.Partner.AccessToken);
        var count = (int)((StopAfter + Downtime + LoadAfterReturn).TotalSeconds * PerSecond);
        var clock = Stopwatch.StartNew();
        var load = ReactionLoad.RunAsync(client, ReactionLoad.ReactionsAndReads(world), PerSecond, count, clock);

        await Task.Delay(StopAfter, TestContext.Current.CancellationToken);
        await platform.StopContainerAsync("postgres");
        var stoppedAt = clock.Elapsed;
        await Task.Delay(Downtime, TestContext.Current.CancellationToken);
        await platform.StartContainerAsync("postgres");
        var returnedAt = clock.Elapsed;

        var outcomes = await load;
        var failed = outcomes.Where(outcome => !outcome.Succeeded).ToList();
        // Recovery is judged by when a request was sent: one sent into the outage may be answered after the return.
        var lastFailure = failed.Count == 0 ? (TimeSpan?)null : failed.Max(outcome => outcome.DueAt);
        var acknowledged = outcomes.Where(outcome => outcome.Succeeded && outcome.CreatedId is not null).Select(outcome => outcome.CreatedId!.Value).ToList();
        var stored = await world.StoredReactionsAsync(platform);
        var receipts = await world.AwaitReceiptsAsync(platform, acknowledged, TimeSpan.FromMinutes(3));
        var lost = acknowledged.Count(reaction => !stored.Contains(reaction));
        var withoutReceipt = acknowledged.Count(reaction => !receipts.ContainsKey(reaction));
        var doubled = receipts.Count(receipt => receipt.Value > 1);
        var not503 = failed.Where(outcome => outcome.Status != 503 || outcome.ContentType != "application/problem+json" || !outcome.HasRetryAfter).ToList();

        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Database drill: {outcomes.Count} requests at {PerSecond}/s (3 reactions to 1 read); PostgreSQL stopped {stoppedAt.TotalSeconds:0.0}–{returnedAt.TotalSeconds:0.0} s")
            .Append(ReactionLoad.Summary(outcomes))
            .AppendLine(CultureInfo.InvariantCulture, $"  failures that were not 503 problem+json with Retry-After: {not503.Count}{(not503.Count == 0 ? "" : $" (first: {not503[0].Status} {not503[0].ContentType} retry-after={not503[0].HasRetryAfter} {not503[0].Failure})")}")
            .AppendLine(CultureInfo.InvariantCulture, $"  last failed request sent at {lastFailure?.TotalSeconds ?? 0:0.0} s: {(lastFailure is { } last ? (last - returnedAt).TotalSeconds : 0):0.0} s after the database's return (limit {RecoveryLimit.TotalSeconds:0} s)")
            .Append(Timeline(outcomes))
            .AppendLine(CultureInfo.InvariantCulture, $"  reactions acknowledged {acknowledged.Count}, lost {lost}; without a receipt {withoutReceipt}, doubled receipts {doubled}")
            .ToString();
        DrillReport.Write("database-down", report);

        Assert.True(failed.Count > 0 || outcomes.Any(outcome => outcome.DueAt >= stoppedAt && outcome.DueAt < returnedAt), "No request fell in the outage.");
        Assert.True(not503.Count == 0, $"{not503.Count} answers during the outage were not 503 problem+json with Retry-After; first: {not503.FirstOrDefault()}");
        Assert.Equal(0, lost);
        Assert.Equal(0, withoutReceipt);
        Assert.Equal(0, doubled);
        Assert.True(lastFailure is null || lastFailure <= returnedAt + RecoveryLimit, $"A request sent {(lastFailure!.Value - returnedAt).TotalSeconds:0.0} s after the database returned still failed.");
        Assert.Contains(outcomes, outcome => outcome.Succeeded && outcome.DueAt > returnedAt + RecoveryLimit);
    }
}
