using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Data;

namespace Participatie.BuildingBlocks.Messaging;

/// <summary>The SQL behind the outbox table, in one place.</summary>
internal static class OutboxStore
{
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    // Any constant works: advisory locks are per database, and each service has a database of its own.
    private const long ClaimLockKey = 0x4F5554424F58;

    public static Task InsertAsync<TMessage>(UnitOfWork unitOfWork, TMessage message, CancellationToken cancellationToken)
        where TMessage : class =>
        unitOfWork.Connection.ExecuteAsync(new CommandDefinition(
            OutboxEntry.InsertSelect, OutboxEntry.For(message), unitOfWork.Transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Inserts many messages of one type with one statement (arrays unnested on the server), keeping their order.
    /// </summary>
    public static async Task InsertManyAsync<TMessage>(
        UnitOfWork unitOfWork, IReadOnlyList<TMessage> messages, CancellationToken cancellationToken)
        where TMessage : class
    {
        if (messages.Count == 0)
        {
            return;
        }

        var ids = new Guid[messages.Count];
        var payloads = new string[messages.Count];
        for (var index = 0; index < messages.Count; index++)
        {
            ids[index] = Guid.CreateVersion7();
            payloads[index] = JsonSerializer.Serialize(messages[index], SerializerOptions);
        }

        // WITH ORDINALITY + ORDER BY: the identity column (sequence) follows the list's order.
        await unitOfWork.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outbox_messages (id, message_type, payload)
            SELECT m.id, @MessageType, CAST(m.payload AS jsonb)
            FROM unnest(@Ids, @Payloads) WITH ORDINALITY AS m(id, payload, position)
            ORDER BY m.position
            """,
            new { MessageType = TypeName(typeof(TMessage)), Ids = ids, Payloads = payloads },
            unitOfWork.Transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Claims the next pending messages, oldest first, for <paramref name="lease"/>, in one short transaction.
    /// Claims are taken one instance at a time (an advisory lock, skipped when another instance holds it), and
    /// nothing is claimed while another instance's lease on earlier rows holds: that keeps the order per service.
    /// </summary>
    public static async Task<IReadOnlyList<PendingMessage>> ClaimAsync(
        NpgsqlDataSource dataSource, Guid relayId, int batchSize, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var mayClaim = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT pg_try_advisory_xact_lock(@Key)", new { Key = ClaimLockKey }, transaction, cancellationToken: cancellationToken));
        if (!mayClaim)
        {
            return [];
        }

        // SKIP LOCKED: a row being marked right now by another instance is not waited for.
        var head = (await connection.QueryAsync<PendingRow>(new CommandDefinition(
            """
            SELECT id AS Id, message_type AS MessageType, payload::text AS Payload,
                   COALESCE(locked_until > now() AND locked_by IS DISTINCT FROM @RelayId, false) AS LeasedByOther
            FROM outbox_messages
            WHERE published_at IS NULL AND set_aside_at IS NULL
            ORDER BY sequence
            LIMIT @BatchSize
            FOR UPDATE SKIP LOCKED
            """,
            new { RelayId = relayId, BatchSize = batchSize }, transaction, cancellationToken: cancellationToken))).AsList();
        var claimed = head.TakeWhile(row => !row.LeasedByOther).Select(row => new PendingMessage(row.Id, row.MessageType, row.Payload)).ToList();
        if (claimed.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE outbox_messages SET locked_until = now() + @Lease, locked_by = @RelayId, attempts = attempts + 1
                WHERE id = ANY(@Ids)
                """,
                new { Lease = lease, RelayId = relayId, Ids = claimed.Select(message => message.Id).ToArray() },
                transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    /// <summary>
    /// Records what became of a claimed batch in one short transaction: published rows are marked, unreadable rows set
    /// aside with their error, the failed row keeps its error, and the lease on the rest is given up.
    /// </summary>
    public static async Task CompleteAsync(NpgsqlDataSource dataSource, Guid relayId, BatchOutcome outcome, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox_messages SET published_at = now(), locked_until = NULL, locked_by = NULL WHERE id = ANY(@Published);
            UPDATE outbox_messages o SET set_aside_at = now(), last_error = a.error, locked_until = NULL, locked_by = NULL
            FROM unnest(@SetAsideIds, @SetAsideErrors) AS a(id, error) WHERE o.id = a.id;
            UPDATE outbox_messages SET last_error = @FailedError WHERE id = @FailedId;
            UPDATE outbox_messages SET locked_until = NULL, locked_by = NULL
            WHERE id = ANY(@Claimed) AND locked_by = @RelayId AND published_at IS NULL;
            """,
            new
            {
                Published = outcome.Published.ToArray(),
                SetAsideIds = outcome.SetAside.Select(row => row.Id).ToArray(),
                SetAsideErrors = outcome.SetAside.Select(row => row.Error).ToArray(),
                FailedId = outcome.Failed?.Id,
                FailedError = outcome.Failed?.Error,
                Claimed = outcome.Claimed.ToArray(),
                RelayId = relayId,
            },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    // A name is computed once per type: Assembly.GetName() reads the assembly's metadata into a new AssemblyName on
    // every call, and the reaction writer asks for one per reaction (1.2% of the consultations service's CPU in ingest).
    private static readonly ConcurrentDictionary<Type, string> TypeNames = new();

    public static string TypeName(Type type) =>
        TypeNames.GetOrAdd(type, static messageType => $"{messageType.FullName}, {messageType.Assembly.GetName().Name}");

    internal sealed record PendingMessage(Guid Id, string MessageType, string Payload);

    private sealed record PendingRow(Guid Id, string MessageType, string Payload, bool LeasedByOther);

    internal sealed record BatchOutcome(
        IReadOnlyList<Guid> Claimed, IReadOnlyList<Guid> Published, IReadOnlyList<(Guid Id, string Error)> SetAside, (Guid Id, string Error)? Failed);
}
