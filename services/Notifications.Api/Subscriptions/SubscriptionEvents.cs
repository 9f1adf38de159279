using Dapper;
using Microsoft.Extensions.Options;
using Participatie.BuildingBlocks.Data;

namespace Participatie.Notifications.Subscriptions;

/// <summary>
/// Turns a domain event into a CloudEvent and a pending delivery for every subscription to it, in the consumer's
/// transaction: the delivery is recorded exactly when the message is marked handled, so nothing is lost or doubled.
/// </summary>
public sealed class SubscriptionEvents(IOptions<SubscriptionOptions> options, TimeProvider clock)
{
    private readonly CloudEvents _cloudEvents = new(options.Value);

    public string Link(string path) => _cloudEvents.Link(path);

    /// <summary>Records the event for the subscriptions of the given trajectories that listed its kind; returns how many.</summary>
    public async Task<int> EnqueueAsync(
        UnitOfWork work, EventKind kind, IReadOnlyCollection<Guid> trajectoryIds, Guid subjectId, DateTimeOffset time,
        IReadOnlyDictionary<string, object?> data, CancellationToken cancellationToken)
    {
        // Only partners that still take part in the trajectory hear of it: leaving a trajectory ends its subscriptions' deliveries.
        var subscriptionIds = (await work.Connection.QueryAsync<Guid>(new CommandDefinition(
            """
            SELECT s.id
            FROM webhook_subscriptions s
            JOIN trajectory_member_projection m ON m.trajectory_id = s.trajectory_id AND m.partner_id = s.partner_id
            WHERE s.trajectory_id = ANY(@TrajectoryIds) AND @Type = ANY(s.event_types)
            """,
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
