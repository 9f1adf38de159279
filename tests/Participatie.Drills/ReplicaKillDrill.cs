using System.Diagnostics;
using System.Globalization;
using System.Text;
using Participatie.Testing;

namespace Participatie.Drills;

/// <summary>
/// One of the two replicas of the notifications service killed (SIGKILL, no goodbye) while a burst of reactions is
/// being turned into receipts: the broker hands the messages it had not acknowledged to the other replica, and the
/// receipts' unique index (a batch writes what is not there yet) makes every reaction end with exactly one receipt.
/// </summary>
public sealed class ReplicaKillDrill(DrillPlatform platform)
{
    // A burst long enough that the replicas, held still for its first third, work through a backlog when the kill comes
    // (1,000 at 250/s were gone too soon).
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

        // Receipts taken in batches keep up with any burst the gateway takes on this machine, so no backlog forms by
        // itself and the kill found the replicas idle. Both are held still (SIGSTOP, as a long pause would) while a third
        // of the burst arrives; the victim alone goes on until it has written a twentieth of the receipts, and is held
        // again: mid-consume, on the broker's own figures, with a backlog ready and messages handed out and unacknowledged.
        var victim = replicas[0];
        var other = replicas[1];
        (int Receipts, QueueState Queue) atKill;
        await SignalAsync("STOP", victim.Pid, other.Pid);
        try
        {
            await UntilAsync(async () => (await queues.FindLiveAsync(ReceiptQueuePrefix, ReceiptQueueSuffix)).Ready >= Reactions / 3, load);
            await SignalAsync("CONT", victim.Pid);
            await UntilAsync(async () => (await world.ReceiptsPerReactionAsync(platform)).Count >= Reactions / 20);
            await SignalAsync("STOP", victim.Pid);
            atKill = ((await world.ReceiptsPerReactionAsync(platform)).Count, await queues.FindLiveAsync(ReceiptQueuePrefix, ReceiptQueueSuffix));
            Assert.True(
                IsMidConsume(atKill),
                $"The kill never came: the victim was not seen busy with the burst ({atKill.Receipts} receipts, {atKill.Queue}).");
            using var process = Process.GetProcessById(victim.Pid);
            process.Kill(); // SIGKILL, held or not: no graceful stop, no acknowledgement of what it holds.
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(10)), $"Replica {victim.InstanceId} (pid {victim.Pid}) did not die.");
        }
        finally
        {
            await SignalAsync("CONT", other.Pid);
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

    /// <summary>Waits until the condition holds, the given task (if any) has ended, or a minute has passed.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, Task? orUntil = null)
    {
        var waited = Stopwatch.StartNew();
        while (orUntil?.IsCompleted != true && waited.Elapsed < TimeSpan.FromMinutes(1) && !await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken);
        }
    }

    private static async Task SignalAsync(string signal, params int[] pids)
    {
        using var kill = Process.Start("kill", [$"-{signal}", .. pids.Select(pid => pid.ToString(CultureInfo.InvariantCulture))]);
        await kill.WaitForExitAsync(CancellationToken.None);
        Assert.True(kill.ExitCode == 0, $"kill -{signal} failed with exit code {kill.ExitCode}.");
    }

    private static bool IsMidConsume((int Receipts, QueueState Queue) state) =>
        state.Receipts >= Reactions / 20 && state.Queue is { Unacknowledged: > 0, Ready: > 0 };
}
