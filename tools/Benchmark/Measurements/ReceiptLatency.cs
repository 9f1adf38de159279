using Participatie.Benchmark.Load;
using Participatie.Benchmark.Platform;
using Participatie.Benchmark.Setup;

namespace Participatie.Benchmark.Measurements;

/// <summary>How many receipts arrived, and how long each took from the reaction's acceptance to its stored receipt.</summary>
internal sealed record ReceiptResult(long Reactions, long Receipts, LatencyHistogram Latency);

/// <summary>
/// From a reaction accepted (its <c>submitted_at</c> in the consultations database) to the resident's receipt stored
/// (the notification's <c>created_at</c> in the notifications database), for every reaction of the ingest run. Both
/// clocks are the same machine's.
/// </summary>
internal static class ReceiptLatency
{
    private const string ReactionsSql = "SELECT id, submitted_at FROM reactions WHERE consultation_id = @p";
    private const string ReceiptsSql = "SELECT subject_id, created_at FROM notifications WHERE kind = 'reaction-received' AND trajectory_id = @p";

    /// <summary>The receipts of the consultation's reactions submitted at or after <paramref name="since"/> (all when null).</summary>
    public static async Task<ReceiptResult> MeasureAsync(
        PlatformDatabase database, BenchmarkWorld world, CancellationToken cancellationToken, DateTimeOffset? since = null)
    {
        var reactions = await database.TimesByIdAsync("consultationsdb", ReactionsSql, world.ConsultationId, cancellationToken);
        try
        {
            await Waiting.UntilAsync(
                async () => await database.CountAsync("notificationsdb", "SELECT count(*) FROM notifications WHERE kind = 'reaction-received' AND trajectory_id = @p", world.TrajectoryId, cancellationToken) >= reactions.Count,
                TimeSpan.FromMinutes(3),
                "every receipt",
                cancellationToken);
        }
        catch (TimeoutException)
        {
            // Receipts that never arrive are reported as missing rather than stopping the other measurements.
        }

        var receipts = await database.TimesByIdAsync("notificationsdb", ReceiptsSql, world.TrajectoryId, cancellationToken);
        var latency = new LatencyHistogram();
        var counted = 0;
        foreach (var (reaction, submittedAt) in reactions.Where(reaction => since is null || reaction.Value >= since))
        {
            counted++;
            if (receipts.TryGetValue(reaction, out var storedAt))
            {
                latency.RecordMilliseconds(Math.Max(0, (storedAt - submittedAt).TotalMilliseconds));
            }
        }

        return new ReceiptResult(counted, latency.Count, latency);
    }
}
