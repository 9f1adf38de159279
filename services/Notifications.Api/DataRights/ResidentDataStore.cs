using Dapper;
using Participatie.BuildingBlocks.Data;

namespace Participatie.Notifications.DataRights;

/// <summary>
/// What this service holds on a resident, for an export and for an erasure. The two lists name the same tables: a
/// feature that stores something by resident id adds it to both.
/// </summary>
public static class ResidentDataStore
{
    /// <summary>One JSON object of named arrays: every notification with its way to the resident, and the profile.</summary>
    private const string ExportSql =
        """
        SELECT jsonb_build_object(
            'notifications', coalesce((
                SELECT jsonb_agg(jsonb_build_object(
                    'id', n.id, 'kind', n.kind, 'title', n.title, 'body', n.body, 'language', n.language,
                    'channel', n.channel, 'status', n.status, 'createdAt', n.created_at, 'sentAt', n.sent_at,
                    'completedAt', n.completed_at, 'readAt', n.read_at, 'fallbackFor', n.fallback_for, 'digestId', n.digest_id,
                    'deliveryEvents', coalesce((
                        SELECT jsonb_agg(jsonb_build_object(
                            'occurredAt', e.occurred_at, 'attempt', e.attempt, 'channel', e.channel, 'event', e.event, 'detail', e.detail) ORDER BY e.id)
                        FROM delivery_events e WHERE e.notification_id = n.id), '[]'::jsonb)) ORDER BY n.created_at, n.id)
                FROM notifications n WHERE n.resident_id = @ResidentId), '[]'::jsonb),
            'profile', coalesce((
                SELECT jsonb_agg(jsonb_build_object(
                    'buurtCode', r.buurt_code, 'preferredLanguage', r.preferred_language, 'preferredChannel', r.preferred_channel,
                    'digestFrequency', r.digest_frequency, 'registeredAt', r.registered_at))
                FROM recipients r WHERE r.resident_id = @ResidentId), '[]'::jsonb))::text
        """;

    /// <summary>
    /// Deletes every notification of the resident (the app feed is the same rows), their delivery events and their
    /// place in a print batch's list, and the recipient row. A notification being sent right now has nothing left to
    /// record its outcome on (the worker's updates find no row), and a fallback for it is dropped by the trigger.
    /// The printed batches themselves (one PDF for many residents) are not rewritten.
    /// </summary>
    private const string EraseSql =
        """
        DELETE FROM delivery_events WHERE notification_id IN (SELECT id FROM notifications WHERE resident_id = @ResidentId);
        DELETE FROM letter_batch_letters WHERE notification_id IN (SELECT id FROM notifications WHERE resident_id = @ResidentId);
        DELETE FROM notifications WHERE resident_id = @ResidentId;
        DELETE FROM recipients WHERE resident_id = @ResidentId;
        -- This service's export parts still in its outbox (relayed ones are kept a week for housekeeping) copy the data.
        DELETE FROM outbox_messages
        WHERE message_type LIKE 'Participatie.Contracts.ResidentDataExported,%' AND payload->>'residentId' = @ResidentId::text;
        """;

    public static async Task<string> ExportAsync(UnitOfWork work, Guid residentId, CancellationToken cancellationToken) =>
        (await work.Connection.ExecuteScalarAsync<string>(new CommandDefinition(
            ExportSql, new { ResidentId = residentId }, work.Transaction, cancellationToken: cancellationToken)))!;

    /// <summary>
    /// Erases what is held on the resident; false when they were erased before (the same erasure sent again under
    /// another message id), so that the caller confirms once.
    /// </summary>
    public static async Task<bool> EraseAsync(UnitOfWork work, Guid residentId, Guid erasureId, DateTimeOffset erasedAt, CancellationToken cancellationToken)
    {
        // Exclusive: inserts of notifications and recipients (the triggers of 0010) wait, or are waited for.
        await work.Connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtext('resident-erasure'))", transaction: work.Transaction, cancellationToken: cancellationToken));
        var first = await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO erased_residents (resident_id, erasure_id, erased_at) VALUES (@ResidentId, @ErasureId, @ErasedAt)
            ON CONFLICT DO NOTHING
            """,
            new { ResidentId = residentId, ErasureId = erasureId, ErasedAt = erasedAt }, work.Transaction, cancellationToken: cancellationToken)) == 1;
        if (first)
        {
            await work.Connection.ExecuteAsync(new CommandDefinition(
                EraseSql, new { ResidentId = residentId }, work.Transaction, cancellationToken: cancellationToken));
        }

        return first;
    }
}
