using RabbitMQ.Client;

namespace Participatie.ErrorQueues;

/// <summary>
/// Moves the messages of <c>&lt;queue&gt;_error</c> back to <c>&lt;queue&gt;</c>, one at a time: each is published with
/// its body and headers, confirmed by the broker, and only then taken off the error queue. Stopped midway, a message
/// is therefore in one queue or, at worst, in both; never in none. A message in both is handled once, because every
/// consumer drops a message id it has already handled (its inbox).
/// </summary>
public static class ErrorQueueMover
{
    public const string ErrorSuffix = "_error";

    /// <summary>The input queue a name stands for: <c>x</c> and <c>x_error</c> both mean <c>x</c>.</summary>
    public static string InputQueue(string name) =>
        name.EndsWith(ErrorSuffix, StringComparison.Ordinal) ? name[..^ErrorSuffix.Length] : name;

    /// <summary>
    /// Moves the messages that are in the error queue now (not ones that fail again meanwhile and come back, which would
    /// make this loop forever) and returns how many it moved.
    /// </summary>
    public static async Task<int> RequeueAsync(IConnection connection, string queue, TextWriter log, CancellationToken cancellationToken)
    {
        var input = InputQueue(queue);
        var errors = input + ErrorSuffix;
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);
        // Both must exist: a message published to a missing queue would be dropped by the broker.
        await channel.QueueDeclarePassiveAsync(input, cancellationToken);
        var waiting = (await channel.QueueDeclarePassiveAsync(errors, cancellationToken)).MessageCount;

        var moved = 0;
        while (moved < waiting && await channel.BasicGetAsync(errors, autoAck: false, cancellationToken) is { } message)
        {
            try
            {
                // Mandatory: should the input queue vanish meanwhile, the broker returns the message and this throws.
                await channel.BasicPublishAsync(
                    exchange: string.Empty, routingKey: input, mandatory: true, WithoutFault(message), message.Body, cancellationToken);
            }
            catch
            {
                await channel.BasicNackAsync(message.DeliveryTag, multiple: false, requeue: true, CancellationToken.None);
                throw;
            }

            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            moved++;
            await log.WriteLineAsync($"moved {message.BasicProperties.MessageId ?? "(no id)"} from {errors} to {input}");
        }

        return moved;
    }

    /// <summary>
    /// The message's properties and headers, without what MassTransit added when it gave up on it (the fault's reason,
    /// exception and host), so that the redelivery starts clean and a later failure is recorded afresh.
    /// </summary>
    public static BasicProperties WithoutFault(BasicGetResult message)
    {
        var properties = new BasicProperties(message.BasicProperties);
        if (message.BasicProperties.Headers is { } headers)
        {
            properties.Headers = headers
                .Where(header => !IsFaultHeader(header.Key))
                .ToDictionary(header => header.Key, header => header.Value);
        }

        return properties;
    }

    public static bool IsFaultHeader(string name) =>
        name.StartsWith("MT-Fault-", StringComparison.OrdinalIgnoreCase) || name.Equals("MT-Reason", StringComparison.OrdinalIgnoreCase);
}
