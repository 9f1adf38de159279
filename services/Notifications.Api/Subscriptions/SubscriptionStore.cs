using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Trajectories;

namespace Participatie.Notifications.Subscriptions;

/// <summary>A subscription row with what signing and sending need.</summary>
public sealed record SubscriptionRow
{
    public required Guid Id { get; init; }

    public required Guid PartnerId { get; init; }

    public required Guid TrajectoryId { get; init; }

    public required string CallbackUrl { get; init; }

    public string? AuthHeader { get; init; }

    public required string[] EventTypes { get; init; }

    public required string Secret { get; init; }

    public string? PreviousSecret { get; init; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public SubscriptionResponse ToResponse() =>
        new(Id, TrajectoryId, CallbackUrl, EventTypes, AuthHeader is not null, CreatedAt, PreviousSecretExpiresAt);
}

/// <summary>The subscriptions' SQL for the API; the delivery worker has its own (<see cref="WebhookDeliveryStore"/>).</summary>
public static class SubscriptionStore
{
    internal const string SelectSubscription = """
        SELECT id, partner_id AS PartnerId, trajectory_id AS TrajectoryId, callback_url AS CallbackUrl, auth_header AS AuthHeader,
               event_types AS EventTypes, secret, previous_secret AS PreviousSecret, previous_secret_expires_at AS PreviousSecretExpiresAt,
               created_at AS CreatedAt
        FROM webhook_subscriptions
        """;

    private const string SelectDelivery = """
        SELECT d.id, d.event_id AS EventId, e.type AS EventType, d.status, d.attempts, d.created_at AS CreatedAt,
               CASE WHEN d.status = 'pending' THEN d.next_attempt_at END AS NextAttemptAt, d.last_attempt_at AS LastAttemptAt,
               d.last_status_code AS LastStatusCode, d.last_error AS LastError, d.delivered_at AS DeliveredAt
        FROM webhook_deliveries d
        JOIN webhook_events e ON e.id = d.event_id
        """;

    public static async Task<SubscriptionRow> CreateAsync(
        NpgsqlConnection connection, Guid partnerId, CreateSubscriptionRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = new SubscriptionRow
        {
            Id = Guid.CreateVersion7(),
            PartnerId = partnerId,
            TrajectoryId = request.TrajectoryId,
            CallbackUrl = request.CallbackUrl!,
            AuthHeader = request.Auth,
            EventTypes = [.. request.EventTypes!.Distinct(StringComparer.Ordinal)],
            Secret = WebhookSignature.NewSecret(),
            CreatedAt = now,
        };
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO webhook_subscriptions (id, partner_id, trajectory_id, callback_url, auth_header, event_types, secret, created_at)
            VALUES (@Id, @PartnerId, @TrajectoryId, @CallbackUrl, @AuthHeader, @EventTypes, @Secret, @CreatedAt)
            """,
            row, cancellationToken: cancellationToken));
        return row;
    }

    /// <summary>The caller's subscriptions in the trajectories it still takes part in.</summary>
    public static async Task<Page<SubscriptionResponse>> ListAsync(
        NpgsqlConnection connection, Guid? partnerId, Guid? trajectoryId, PageQuery page, CancellationToken cancellationToken)
    {
        const string filter = $"""
            WHERE partner_id = @CallerPartnerId
              AND trajectory_id IN ({TrajectoryProjection.CallerTrajectories})
              AND (@TrajectoryId::uuid IS NULL OR trajectory_id = @TrajectoryId)
            """;
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            {SelectSubscription} {filter} ORDER BY created_at, id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM webhook_subscriptions {filter};
            """,
            new { CallerPartnerId = partnerId, TrajectoryId = trajectoryId, page.Offset, page.Size }, cancellationToken: cancellationToken));
        var rows = (await results.ReadAsync<SubscriptionRow>()).Select(row => row.ToResponse()).ToList();
        return page.ToPage<SubscriptionResponse>(rows, await results.ReadSingleAsync<long>());
    }

    public static Task DeleteAsync(NpgsqlConnection connection, Guid subscriptionId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM webhook_subscriptions WHERE id = @SubscriptionId", new { SubscriptionId = subscriptionId }, cancellationToken: cancellationToken));

    /// <summary>A new secret; the current one keeps signing beside it until the overlap ends (an earlier previous one stops at once).</summary>
    public static async Task<SecretRotationResponse> RotateSecretAsync(
        NpgsqlConnection connection, Guid subscriptionId, DateTimeOffset previousExpiresAt, CancellationToken cancellationToken)
    {
        var secret = WebhookSignature.NewSecret();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE webhook_subscriptions
            SET previous_secret = secret, previous_secret_expires_at = @PreviousExpiresAt, secret = @Secret
            WHERE id = @SubscriptionId
            """,
            new { SubscriptionId = subscriptionId, Secret = secret, PreviousExpiresAt = previousExpiresAt }, cancellationToken: cancellationToken));
        return new SecretRotationResponse(subscriptionId, secret, previousExpiresAt);
    }

    public static async Task<Page<DeliveryResponse>> ListDeliveriesAsync(
        NpgsqlConnection connection, Guid subscriptionId, string? status, PageQuery page, CancellationToken cancellationToken)
    {
        const string filter = "WHERE d.subscription_id = @SubscriptionId AND (@Status::text IS NULL OR d.status = @Status)";
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            {SelectDelivery} {filter} ORDER BY d.created_at DESC, d.id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM webhook_deliveries d {filter};
            """,
            new { SubscriptionId = subscriptionId, Status = status, page.Offset, page.Size }, cancellationToken: cancellationToken));
        var items = (await results.ReadAsync<DeliveryResponse>()).AsList();
        return page.ToPage<DeliveryResponse>(items, await results.ReadSingleAsync<long>());
    }

    /// <summary>
    /// Sends the delivery again from the first try, now. Clearing the lease drops the outcome of an attempt still in
    /// flight, so the replay is always sent (at least once).
    /// </summary>
    public static Task<DeliveryResponse?> ReplayAsync(
        NpgsqlConnection connection, Guid subscriptionId, Guid deliveryId, DateTimeOffset now, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<DeliveryResponse>(new CommandDefinition(
            $"""
            WITH replayed AS (
                UPDATE webhook_deliveries
                SET status = 'pending', attempts = 0, next_attempt_at = @Now, claimed_until = NULL, delivered_at = NULL
                WHERE id = @DeliveryId AND subscription_id = @SubscriptionId
                RETURNING *
            )
            SELECT d.id, d.event_id AS EventId, e.type AS EventType, d.status, d.attempts, d.created_at AS CreatedAt,
                   d.next_attempt_at AS NextAttemptAt, d.last_attempt_at AS LastAttemptAt, d.last_status_code AS LastStatusCode,
                   d.last_error AS LastError, d.delivered_at AS DeliveredAt
            FROM replayed d JOIN webhook_events e ON e.id = d.event_id
            """,
            new { SubscriptionId = subscriptionId, DeliveryId = deliveryId, Now = now }, cancellationToken: cancellationToken));
}
