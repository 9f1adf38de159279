using System.Text.Json;

namespace Participatie.BuildingBlocks.Messaging;

/// <summary>
/// An event to be inserted into the outbox by the caller's own statement, next to the change it announces (a
/// data-modifying CTE outside a unit of work, such as the consultations service's reaction writer). Its properties are the
/// parameters <see cref="InsertSelect"/> names, so the entry can be added to the statement's parameters as it is.
/// </summary>
public sealed record OutboxEntry(Guid OutboxId, string OutboxMessageType, string OutboxPayload)
{
    /// <summary>The insert without a <c>FROM</c>: as it is for a unit of work's event, or with one appended (for example
    /// <c>FROM inserted</c>) so that the event is written exactly when the change is.</summary>
    public const string InsertSelect =
        "INSERT INTO outbox_messages (id, message_type, payload) SELECT @OutboxId, @OutboxMessageType, CAST(@OutboxPayload AS jsonb)";

    /// <summary>The type name the relay reads a <typeparamref name="TMessage"/> back by, for an entry composed in SQL.</summary>
    public static string MessageTypeOf<TMessage>()
        where TMessage : class =>
        OutboxStore.TypeName(typeof(TMessage));

    /// <summary>The entry for a message; its version 7 id sorts by time, which keeps the index and the logs readable.</summary>
    public static OutboxEntry For<TMessage>(TMessage message)
        where TMessage : class =>
        new(
            Guid.CreateVersion7(),
            MessageTypeOf<TMessage>(),
            JsonSerializer.Serialize(message, OutboxStore.SerializerOptions));
}
