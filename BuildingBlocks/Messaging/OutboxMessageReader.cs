using System.Collections.Concurrent;
using System.Text.Json;

namespace Participatie.BuildingBlocks.Messaging;

/// <summary>
/// Reads an outbox row back into the message it was written from. A row that cannot be read (its type no longer
/// exists, or its payload does not fit the type) will never be publishable, so the relay sets it aside rather than
/// holding every later row behind it.
/// </summary>
public static class OutboxMessageReader
{
    public sealed record Result(Type? MessageType, object? Message, string? Error)
    {
        public bool IsReadable => Error is null;
    }

    // Resolving a name (Type.GetType parses it and looks the assembly up) is done once per message type; only names
    // that resolved are kept, so the cache holds no more than the service's own message types.
    private static readonly ConcurrentDictionary<string, Type> Types = new(StringComparer.Ordinal);

    public static Result Read(Guid id, string messageType, string payload)
    {
        var type = Types.TryGetValue(messageType, out var known) ? known : Resolve(messageType);
        if (type is null)
        {
            return new Result(null, null, $"Outbox message {id} names an unknown message type '{messageType}'.");
        }

        try
        {
            var message = JsonSerializer.Deserialize(payload, type, OutboxStore.SerializerOptions);
            return message is null
                ? new Result(type, null, $"Outbox message {id} has an empty payload.")
                : new Result(type, message, null);
        }
        catch (JsonException exception)
        {
            return new Result(type, null, $"Outbox message {id} cannot be read as {type.Name}: {exception.Message}");
        }
        catch (NotSupportedException exception)
        {
            return new Result(type, null, $"Outbox message {id} cannot be read as {type.Name}: {exception.Message}");
        }
    }

    private static Type? Resolve(string messageType)
    {
        var type = Type.GetType(messageType, throwOnError: false);
        if (type is not null)
        {
            Types.TryAdd(messageType, type);
        }

        return type;
    }
}
