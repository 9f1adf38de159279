using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Participatie.BuildingBlocks.Data;

namespace Participatie.Notifications.Subscriptions;

/// <summary>
/// Turns a domain event into a CloudEvent and a pending delivery for every subscription to it, in the consumer's
/// transaction: the delivery is recorded exactly when the message is marked handled, so nothing is lost or doubled.
/// </summary>
/// <summary>An event as the subscriptions of <paramref name="TrajectoryIds"/> hear it.</summary>
public sealed record SubscriptionEvent(
    EventKind Kind, IReadOnlyCollection<Guid> TrajectoryIds, Guid SubjectId, DateTimeOffset Time, IReadOnlyDictionary<string, object?> Data);

public sealed class SubscriptionEvents(IOptions<SubscriptionOptions> options, NpgsqlDataSource database, TimeProvider clock)
{
    private const string ListenersSql =
        """
        FROM webhook_subscriptions s
        JOIN trajectory_member_projection m ON m.trajectory_id = s.trajectory_id AND m.partner_id = s.partner_id
        WHERE s.trajectory_id = ANY(@TrajectoryIds) AND @Type = ANY(s.event_types)
        """;

    private readonly CloudEvents _cloudEvents = new(options.Value);

    public string Link(string path) => _cloudEvents.Link(path);

    /// <summary>Whether any subscription of the given trajectories listed the kind: one read, outside any transaction.</summary>
    public async Task<bool> AnyListenerAsync(EventKind kind, IReadOnlyCollection<Guid> trajectoryIds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"SELECT EXISTS (SELECT 1 {ListenersSql})", new { TrajectoryIds = trajectoryIds.ToArray(), kind.Type }, cancellationToken: cancellationToken));
    }

    /// <summary>Which of the trajectories have a subscription that listed the kind: one read for a batch of events.</summary>
    public async Task<IReadOnlySet<Guid>> ListenedTrajectoriesAsync(EventKind kind, IReadOnlyCollection<Guid> trajectoryIds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var listened = await connection.QueryAsync<Guid>(new CommandDefinition(
            $"SELECT DISTINCT s.trajectory_id {ListenersSql}", new { TrajectoryIds = trajectoryIds.ToArray(), kind.Type }, cancellationToken: cancellationToken));
        return listened.ToHashSet();
    }

    /// <summary>Records the event for the subscriptions of its trajectories that listed its kind; returns how many.</summary>
    public async Task<int> EnqueueAsync(UnitOfWork work, SubscriptionEvent subscriptionEvent, CancellationToken cancellationToken)
    {
        var (kind, trajectoryIds, subjectId, time, data) = subscriptionEvent;
        // Only partners that still take part in the trajectory hear of it: leaving a trajectory ends its subscriptions' deliveries.
        var subscriptionIds = (await work.Connection.QueryAsync<Guid>(new CommandDefinition(
            $"SELECT s.id {ListenersSql}",
            new { TrajectoryIds = trajectoryIds.ToArray(), kind.Type }, work.Transaction, cancellationToken: cancellationToken))).AsList();
        if (subscriptionIds.Count == 0)
        {
            return 0;
        }

        var eventId = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var body = _cloudEvents.Serialize(eventId, kind, subjectId, time, data);
        return await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO webhook_events (id, type, body, created_at) VALUES (@EventId, @Type, @Body, @Now);
            INSERT INTO webhook_deliveries (id, subscription_id, event_id, status, next_attempt_at, created_at)
            SELECT gen_random_uuid(), subscription_id, @EventId, 'pending', @Now, @Now
            FROM unnest(@SubscriptionIds) AS subscription_id
            ON CONFLICT DO NOTHING;
            """,
            new { EventId = eventId, kind.Type, Body = body, Now = now, SubscriptionIds = subscriptionIds.ToArray() },
            work.Transaction, cancellationToken: cancellationToken)) - 1;
    }
}
