using System.Diagnostics;
using System.Globalization;
using System.Text;
using Participatie.Testing;

namespace Participatie.Drills;

/// <summary>
/// One of the two replicas of the notifications service killed (SIGKILL, no goodbye) while a burst of reactions is
/// being turned into receipts: the broker hands the messages it had not acknowledged to the other replica, and the
/// consumers' inbox makes every reaction end with exactly one receipt.
/// </summary>
public sealed class ReplicaKillDrill(DrillPlatform platform)
{
    // A burst faster than two replicas turn into receipts (they keep up with ~300/s), so that a backlog waits on the
    // queue while they consume and the kill cannot come after the last message (1,000 at 250/s were gone too soon).
    private const int Reactions = 3_000;
    private const double PerSecond = 500;

    /// <summary>The queue of ReactionSubmitted for the notifications service (MassTransit's kebab-case endpoint name).</summary>
    private const string ReceiptQueuePrefix = "notifications-";
    private const string ReceiptQueueSuffix = "reaction-submitted";

    // Explicit: with the platform's start it takes longer than ./test.sh can give it; eng/drills.sh runs it.
    [Fact(Explicit = true)]
    [Trait("Category", "Fault")]
    public async Task A_replica_killed_mid_consume_leaves_every_reaction_with_exactly_one_receipt()
    {
        var world = await DrillWorld.CreateAsync(platform, "replica drill");
        var queues = new BrokerQueues(platform);
        var replicas = platform.ReplicaProcesses("notifications");
        Assert.Equal(DrillPlatform.NotificationsReplicas, replicas.Count);
        // Both replicas consume the receipts' queue (the management API's figures lag a few seconds behind the broker).
        var before = await Eventually.MatchesAsync(
            () => queues.FindAsync(ReceiptQueuePrefix, ReceiptQueueSuffix),
            queue => queue.Consumers == DrillPlatform.NotificationsReplicas,
            "both notifications replicas to consume the receipts' queue",
            TimeSpan.FromSeconds(90));

        using var client = platform.Gateway(world.Partner.AccessToken);
        var clock = Stopwatch.StartNew();
        var load = ReactionLoad.RunAsync(client, ReactionLoad.Reactions(world), PerSecond, Reactions, clock);

        // Mid-consume, on live figures (the broker's own and the receipts stored so far): receipts are being written, and
        // messages wait on the queue beside those handed out, so each replica holds a full prefetch of unacknowledged ones.
        var atKill = await MidConsumeAsync(world, queues, load);
        Assert.True(
            IsMidConsume(atKill),
            $"The kill never came: the burst was consumed before the replicas were seen busy with it (last seen {atKill.Receipts} receipts, {atKill.Queue}).");
        var victim = replicas[0];
        using (var process = Process.GetProcessById(victim.Pid))
        {
            process.Kill(); // SIGKILL on Linux: no graceful stop, no acknowledgement of what it holds.
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(10)), $"Replica {victim.InstanceId} (pid {victim.Pid}) did not die.");
        }

        var killedAt = clock.Elapsed;
        var receiptsAfterKill = (await world.ReceiptsPerReactionAsync(platform)).Count;
        var outcomes = await load;
        var accepted = outcomes.Where(outcome => outcome.Succeeded).Select(outcome => outcome.CreatedId!.Value).ToList();
        var receipts = await world.AwaitReceiptsAsync(platform, accepted, TimeSpan.FromMinutes(4));
        // The management API's counters are sampled (every 5 s by default): a redelivery shows there a while later.
        QueueState after;
        try
        {
            after = await Eventually.MatchesAsync(
                () => queues.FindAsync(ReceiptQueuePrefix, ReceiptQueueSuffix),
                queue => queue.Redelivered > before.Redelivered,
                "the broker's counters to show the redelivery",
                TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            after = await queues.FindAsync(ReceiptQueuePrefix, ReceiptQueueSuffix);
        }
        var lost = accepted.Count(reaction => !receipts.ContainsKey(reaction));
        var doubled = receipts.Count(receipt => receipt.Value > 1);

        var restarted = await platform.RestartReplicaAsync("notifications", victim.InstanceId);
        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Replica drill: {outcomes.Count} reactions at {PerSecond}/s; notifications replica {victim.InstanceId} (pid {victim.Pid}) killed at {killedAt.TotalSeconds:0.0} s with {atKill.Receipts} receipts written and, live, {atKill.Queue.Unacknowledged} messages unacknowledged, {atKill.Queue.Ready} ready on {atKill.Queue.Name} ({atKill.Queue.Consumers} consumers); {receiptsAfterKill} receipts right after the kill")
            .Append(ReactionLoad.Summary(outcomes))
            .AppendLine(CultureInfo.InvariantCulture, $"  accepted {accepted.Count}, with a receipt {receipts.Count}, lost {lost}, doubled {doubled}; redelivered by the broker {after.Redelivered - before.Redelivered}")
            .AppendLine(CultureInfo.InvariantCulture, $"  the killed replica started again: {restarted}")
            .ToString();
        DrillReport.Write("replica-kill", report);

        Assert.All(outcomes, outcome => Assert.True(outcome.Succeeded, $"Reaction {outcome.Sequence} answered {outcome.Status}: {outcome.Failure}"));
        // Receipts were still to be written when it died, and the kill took messages with it that the broker then
        // handed out again: the drill hit a replica mid-consume, not an idle one.
        Assert.True(receiptsAfterKill < accepted.Count, $"Every receipt was written before the kill ({receiptsAfterKill} of {accepted.Count}): nothing was consumed mid-kill.");
        Assert.True(after.Redelivered > before.Redelivered, "The broker redelivered nothing: the killed replica held no message.");
        Assert.Equal(0, lost);
        Assert.Equal(0, doubled);
        Assert.Equal(accepted.Count, receipts.Count);
    }

    private static bool IsMidConsume((int Receipts, QueueState Queue) state) =>
        state.Receipts >= Reactions / 20 && state.Queue is { Unacknowledged: > 0, Ready: > 0 };

    /// <summary>
    /// Polls the live figures until the replicas are busy with the burst: at least a twentieth of the receipts written
    /// and messages both handed out and waiting. Gives up, returning the last figures, once every accepted reaction has
    /// its receipt (the moment has passed) or after two minutes.
    /// </summary>
    private async Task<(int Receipts, QueueState Queue)> MidConsumeAsync(DrillWorld world, BrokerQueues queues, Task<IReadOnlyList<RequestOutcome>> load)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var receipts = world.ReceiptsPerReactionAsync(platform);
            var queue = queues.FindLiveAsync(ReceiptQueuePrefix, ReceiptQueueSuffix);
            (int Receipts, QueueState Queue) state = ((await receipts).Count, await queue);
            if (IsMidConsume(state))
            {
                return state;
            }

            var allAnswered = load.IsCompletedSuccessfully && state.Receipts >= load.Result.Count(outcome => outcome.Succeeded);
            if (allAnswered || waited.Elapsed > TimeSpan.FromMinutes(2))
            {
                return state;
            }
        }
    }
}
