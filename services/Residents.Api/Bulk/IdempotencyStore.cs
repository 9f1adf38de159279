using Dapper;
using Participatie.BuildingBlocks.Data;

namespace Participatie.Residents.Bulk;

/// <summary>The SQL behind Idempotency-Key: a partner's key is claimed in the registering transaction.</summary>
public static class IdempotencyStore
{
    public sealed record Earlier(byte[] RequestHash, string? Result);

    /// <summary>
    /// Claims the key in the unit of work; false when it was used before. A concurrent request with the same key
    /// waits here until the first one commits (and then finds it) or rolls back (and then claims it).
    /// </summary>
    public static async Task<bool> TryClaimAsync(
        UnitOfWork work, Guid partnerId, string key, byte[] requestHash, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO bulk_registrations (partner_id, idempotency_key, request_hash, received_at)
            VALUES (@PartnerId, @Key, @RequestHash, @ReceivedAt)
            ON CONFLICT DO NOTHING
            """,
            new { PartnerId = partnerId, Key = key, RequestHash = requestHash, ReceivedAt = receivedAt },
            work.Transaction, cancellationToken: cancellationToken)) == 1;

    public static Task<Earlier> FindAsync(UnitOfWork work, Guid partnerId, string key, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleAsync<Earlier>(new CommandDefinition(
            """
            SELECT request_hash AS RequestHash, result::text AS Result
            FROM bulk_registrations WHERE partner_id = @PartnerId AND idempotency_key = @Key
            """,
            new { PartnerId = partnerId, Key = key }, work.Transaction, cancellationToken: cancellationToken));

    public static Task SaveResultAsync(UnitOfWork work, Guid partnerId, string key, string result, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE bulk_registrations SET result = CAST(@Result AS json) WHERE partner_id = @PartnerId AND idempotency_key = @Key",
            new { PartnerId = partnerId, Key = key, Result = result }, work.Transaction, cancellationToken: cancellationToken));
}
