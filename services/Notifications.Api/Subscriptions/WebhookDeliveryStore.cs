using Dapper;
using Npgsql;

namespace Participatie.Notifications.Subscriptions;

/// <summary>A delivery claimed for one attempt, with what the attempt needs.</summary>
public sealed record ClaimedDelivery
{
    public required Guid Id { get; init; }

    public required Guid EventId { get; init; }

    public required int Attempts { get; init; }

    public required DateTimeOffset ClaimedUntil { get; init; }

    public required string Body { get; init; }

    public required string CallbackUrl { get; init; }

    public string? AuthHeader { get; init; }

    public required string Secret { get; init; }

    public string? PreviousSecret { get; init; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; init; }
}

/// <summary>The delivery worker's SQL: claim what is due across subscriptions, record how each attempt went.</summary>
public sealed class WebhookDeliveryStore(NpgsqlDataSource database)
{
    /// <summary>
    /// Claims due deliveries across every subscription, at most <paramref name="perSubscription"/> in flight per
    /// subscription (those of earlier rounds still in flight count), oldest due first. SKIP LOCKED: another worker's
    /// claim, or a slow one, never makes this one wait. The claim counts as an attempt and leases the row until
    /// <paramref name="claimedUntil"/>, after which a worker that died mid-attempt leaves it to another.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(
        int limit, int perSubscription, DateTimeOffset now, DateTimeOffset claimedUntil, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var claimed = await connection.QueryAsync<ClaimedDelivery>(new CommandDefinition(
            """
            WITH in_flight AS (
                SELECT subscription_id, count(*) AS attempts
                FROM webhook_deliveries
                WHERE status = 'pending' AND claimed_until >= @Now
                GROUP BY subscription_id
            ),
            ranked AS (
                SELECT d.id, d.next_attempt_at,
                       row_number() OVER (PARTITION BY d.subscription_id ORDER BY d.next_attempt_at, d.id) AS place,
                       coalesce(f.attempts, 0) AS busy
                FROM webhook_deliveries d
                JOIN webhook_subscriptions s ON s.id = d.subscription_id
                -- A partner that left the trajectory gets nothing more of it, retries included (they wait should it return).
                JOIN trajectory_member_projection m ON m.trajectory_id = s.trajectory_id AND m.partner_id = s.partner_id
                LEFT JOIN in_flight f ON f.subscription_id = d.subscription_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= @Now AND (d.claimed_until IS NULL OR d.claimed_until < @Now)
            ),
            candidates AS (
                SELECT id FROM ranked WHERE place + busy <= @PerSubscription ORDER BY next_attempt_at, id LIMIT @Limit
            ),
            locked AS (
                SELECT d.id FROM webhook_deliveries d
                WHERE d.id IN (SELECT id FROM candidates)
                  AND d.status = 'pending' AND (d.claimed_until IS NULL OR d.claimed_until < @Now)
                FOR UPDATE SKIP LOCKED
            ),
            claimed AS (
                UPDATE webhook_deliveries d
                SET claimed_until = @ClaimedUntil, attempts = d.attempts + 1, last_attempt_at = @Now
                FROM locked
                WHERE d.id = locked.id
                RETURNING d.id, d.event_id, d.attempts, d.subscription_id
            )
            SELECT c.id, c.event_id AS EventId, c.attempts, @ClaimedUntil AS ClaimedUntil, e.body, s.callback_url AS CallbackUrl,
                   s.auth_header AS AuthHeader, s.secret, s.previous_secret AS PreviousSecret, s.previous_secret_expires_at AS PreviousSecretExpiresAt
            FROM claimed c
            JOIN webhook_events e ON e.id = c.event_id
            JOIN webhook_subscriptions s ON s.id = c.subscription_id
            """,
            new { Now = now, ClaimedUntil = claimedUntil, PerSubscription = perSubscription, Limit = limit },
            cancellationToken: cancellationToken));
        return claimed.AsList();
    }

    /// <summary>
    /// Records an attempt's outcome, unless the lease is no longer this attempt's (a replay cleared it, or it ran out
    /// and another worker took the row): then the newer claim decides.
    /// </summary>
    public async Task RecordAsync(
        ClaimedDelivery delivery, string status, DateTimeOffset? nextAttemptAt, DateTimeOffset now, int? statusCode, string? error,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE webhook_deliveries
            SET status = @Status, claimed_until = NULL, next_attempt_at = coalesce(@NextAttemptAt, next_attempt_at),
                last_status_code = @StatusCode, last_error = @Error,
                delivered_at = CASE WHEN @Status = 'delivered' THEN @Now ELSE delivered_at END
            WHERE id = @Id AND claimed_until = @ClaimedUntil
            """,
            new { delivery.Id, delivery.ClaimedUntil, Status = status, NextAttemptAt = nextAttemptAt, Now = now, StatusCode = statusCode, Error = error },
            cancellationToken: cancellationToken));
    }
}
