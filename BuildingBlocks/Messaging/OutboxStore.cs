using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Data;

namespace Participatie.BuildingBlocks.Messaging;

/// <summary>The SQL behind the outbox table, in one place.</summary>
internal static class OutboxStore
{
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    public static async Task InsertAsync<TMessage>(UnitOfWork unitOfWork, TMessage message, CancellationToken cancellationToken)
        where TMessage : class
    {
        const string sql = """
            INSERT INTO outbox_messages (id, message_type, payload)
            VALUES (@Id, @MessageType, CAST(@Payload AS jsonb))
            """;
        var messageType = typeof(TMessage);
        await unitOfWork.Connection.ExecuteAsync(new CommandDefinition(
            sql,
            new
            {
                // Version 7 ids sort by time, which keeps the index and the logs readable.
                Id = Guid.CreateVersion7(),
                MessageType = TypeName(messageType),
                Payload = JsonSerializer.Serialize(message, messageType, SerializerOptions),
            },
            unitOfWork.Transaction,
            cancellationToken: cancellationToken));
    }

    public static async Task<IReadOnlyList<PendingMessage>> LockPendingAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, int batchSize, CancellationToken cancellationToken)
    {
        // SKIP LOCKED lets several instances of a service relay side by side without publishing a message twice.
        const string sql = """
            SELECT id AS Id, message_type AS MessageType, payload::text AS Payload
            FROM outbox_messages
            WHERE published_at IS NULL
            ORDER BY sequence
            LIMIT @BatchSize
            FOR UPDATE SKIP LOCKED
            """;
        var rows = await connection.QueryAsync<PendingMessage>(new CommandDefinition(
            sql, new { BatchSize = batchSize }, transaction, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public static Task MarkPublishedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox_messages SET published_at = now(), attempts = attempts + 1 WHERE id = ANY(@Ids)",
            new { Ids = ids.ToArray() }, transaction, cancellationToken: cancellationToken));

    public static Task MarkFailedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string error, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox_messages SET attempts = attempts + 1, last_error = @Error WHERE id = @Id",
            new { Id = id, Error = error }, transaction, cancellationToken: cancellationToken));

    public static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    internal sealed record PendingMessage(Guid Id, string MessageType, string Payload);
}
