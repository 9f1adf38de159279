using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;

namespace Participatie.ErrorQueues;

/// <summary>The error and skipped queues that hold messages, read from the broker's management API in one request.</summary>
public static class ErrorQueueList
{
    public static async Task<IReadOnlyList<QueueDepth>> ReadAsync(BrokerSettings broker, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = broker.Management, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{broker.UserName}:{broker.Password}")));
        var queues = await client.GetFromJsonAsync<QueueDepth[]>(
            $"api/queues/{Uri.EscapeDataString(broker.VirtualHost)}?columns=name,messages", cancellationToken) ?? [];
        return [.. queues
            .Where(queue => queue.Messages > 0
                && (queue.Name.EndsWith(ErrorQueueMover.ErrorSuffix, StringComparison.Ordinal) || queue.Name.EndsWith("_skipped", StringComparison.Ordinal)))
            .OrderBy(queue => queue.Name, StringComparer.Ordinal)];
    }
}

public sealed record QueueDepth(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("messages")] long Messages);
