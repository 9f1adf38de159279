using System.Diagnostics.Metrics;
using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Hosting;

namespace Participatie.Notifications.Delivery;

/// <summary>
/// What operators see on the dashboard: notifications per channel and status, the age of the oldest pending one, and
/// the attempts made. The counts come from a snapshot of the database taken every few seconds, so that every
/// instance reports the same figures and a scrape never queries the database.
/// </summary>
public sealed class DeliveryMetrics
{
    public const string MeterName = "Participatie.Notifications";

    private readonly Counter<long> _attempts;
    private volatile Snapshot _snapshot = new([], null);

    public DeliveryMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _attempts = meter.CreateCounter<long>("participatie.notifications.attempts", description: "Delivery attempts by channel and outcome");
        meter.CreateObservableGauge("participatie.notifications", ObserveCounts, description: "Notifications by channel and status");
        meter.CreateObservableGauge("participatie.notifications.oldest_pending_age", ObserveOldestPending, unit: "s",
            description: "Age of the oldest notification that is due and still pending");
    }

    public void Attempted(string channel, SendResult result, int count = 1) =>
        _attempts.Add(count, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("outcome", result.ToString()));

    internal void Update(Snapshot snapshot) => _snapshot = snapshot;

    private IEnumerable<Measurement<long>> ObserveCounts() =>
        _snapshot.Counts.Select(count => new Measurement<long>(count.Count,
            new KeyValuePair<string, object?>("channel", count.Channel), new KeyValuePair<string, object?>("status", count.Status)));

    private double ObserveOldestPending() => _snapshot.OldestPendingAgeSeconds ?? 0;

    internal sealed record Snapshot(IReadOnlyList<ChannelStatusCount> Counts, double? OldestPendingAgeSeconds);
}

public sealed record ChannelStatusCount
{
    public required string Channel { get; init; }

    public required string Status { get; init; }

    public required long Count { get; init; }
}

/// <summary>Takes the snapshot behind <see cref="DeliveryMetrics"/>.</summary>
public sealed class DeliveryMetricsJob(NpgsqlDataSource database, DeliveryMetrics metrics, TimeProvider clock, ILogger<DeliveryMetricsJob> logger)
    : PeriodicJob(TimeSpan.FromSeconds(10), clock, logger)
{
    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var counts = await connection.QueryAsync<ChannelStatusCount>(new CommandDefinition(
            "SELECT channel, status, count(*) AS Count FROM notifications GROUP BY channel, status",
            cancellationToken: cancellationToken));
        var oldestDue = await connection.QuerySingleOrDefaultAsync<DateTimeOffset?>(new CommandDefinition(
            "SELECT min(coalesce(next_attempt_at, created_at)) FROM notifications WHERE status = 'pending' AND channel <> 'letter' AND coalesce(next_attempt_at, created_at) <= @Now",
            new { Now = Clock.GetUtcNow() }, cancellationToken: cancellationToken));
        metrics.Update(new DeliveryMetrics.Snapshot([.. counts], oldestDue is { } due ? (Clock.GetUtcNow() - due).TotalSeconds : null));
    }
}
