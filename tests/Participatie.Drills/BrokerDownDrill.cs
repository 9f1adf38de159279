using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Participatie.Drills;

/// <summary>
/// The broker stopped for 15 s while 1,000 reactions come in through the gateway: the services keep answering (the
/// events wait in each service's outbox), and when the broker is back every reaction gets exactly one receipt.
/// </summary>
public sealed class BrokerDownDrill(DrillPlatform platform)
{
    private const int Reactions = 1_000;
    private const double PerSecond = 30;
    private static readonly TimeSpan StopAfter = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Downtime = TimeSpan.FromSeconds(15);

    // Explicit: with the platform's start it takes longer than ./test.sh can give it; eng/drills.sh runs it.
    [Fact(Explicit = true)]
    [Trait("Category", "Fault")]
    public async Task Broker_stopped_for_15_seconds_during_1000_reactions_loses_and_doubles_nothing()
    {
        var world = await DrillWorld.CreateAsync(platform, "broker drill");
        using var client = platform.Gateway(world.Partner.AccessToken);
        var clock = Stopwatch.StartNew();
        var load = ReactionLoad.RunAsync(client, ReactionLoad.Reactions(world), PerSecond, Reactions, clock);

        await Task.Delay(StopAfter, TestContext.Current.CancellationToken);
        await platform.StopContainerAsync("messaging");
        var stoppedAt = clock.Elapsed;
        await Task.Delay(Downtime, TestContext.Current.CancellationToken);
        await platform.StartContainerAsync("messaging");
        var startedAt = clock.Elapsed;

        var outcomes = await load;
        var accepted = outcomes.Where(outcome => outcome.Succeeded).Select(outcome => outcome.CreatedId!.Value).ToList();
        var duringOutage = outcomes.Count(outcome => outcome.DueAt >= stoppedAt && outcome.DueAt < startedAt);
        var receiptsWait = Stopwatch.StartNew();
        var receipts = await world.AwaitReceiptsAsync(platform, accepted, TimeSpan.FromMinutes(4));
        var stored = await world.StoredReactionsAsync(platform);

        var lost = accepted.Count(reaction => !receipts.ContainsKey(reaction));
        var doubled = receipts.Count(receipt => receipt.Value > 1);
        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Broker drill: {outcomes.Count} reactions at {PerSecond}/s; broker stopped {stoppedAt.TotalSeconds:0.0}–{startedAt.TotalSeconds:0.0} s ({(startedAt - stoppedAt).TotalSeconds:0.0} s, {duringOutage} reactions sent meanwhile)")
            .Append(ReactionLoad.Summary(outcomes))
            .AppendLine(CultureInfo.InvariantCulture, $"  accepted {accepted.Count}, stored {stored.Count}, with a receipt {receipts.Count}, lost {lost}, doubled {doubled}; last receipt {receiptsWait.Elapsed.TotalSeconds:0} s after the load ended")
            .AppendLine(CultureInfo.InvariantCulture, $"  latency p50 {Percentile(outcomes, 0.5):0} ms, p99 {Percentile(outcomes, 0.99):0} ms, max {outcomes.Max(outcome => outcome.Latency.TotalMilliseconds):0} ms")
            .ToString();
        DrillReport.Write("broker-down", report);

        Assert.True(duringOutage > 0, "No reaction was sent while the broker was down.");
        Assert.All(outcomes, outcome => Assert.True(outcome.Succeeded, $"Reaction {outcome.Sequence} answered {outcome.Status}: {outcome.Failure}"));
        Assert.Equal(Reactions, accepted.Count);
        Assert.True(accepted.All(stored.Contains), "An accepted reaction is not stored.");
        Assert.Equal(0, lost);
        Assert.Equal(0, doubled);
    }

    internal static double Percentile(IReadOnlyList<RequestOutcome> outcomes, double share)
    {
        var sorted = outcomes.Select(outcome => outcome.Latency.TotalMilliseconds).Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(share * sorted.Count))];
    }
}
