using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Participatie.Drills;

/// <summary>A queue as the broker's management API counts it at one moment.</summary>
public sealed record QueueState(string Name, int Consumers, long Ready, long Unacknowledged, long Redelivered);

/// <summary>The broker's management API, read with the broker's own administrator (the AppHost's messaging user).</summary>
public sealed class BrokerQueues(DrillPlatform platform)
{
    public async Task<IReadOnlyList<QueueState>> ListAsync()
    {
        using var client = await ClientAsync();
        using var response = await client.GetAsync(new Uri("api/queues/%2F", UriKind.Relative), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return [.. json.RootElement.EnumerateArray().Select(Read)];
    }

    /// <summary>The one queue whose name starts with <paramref name="prefix"/> and ends with <paramref name="suffix"/>.</summary>
    public async Task<QueueState> FindAsync(string prefix, string suffix) =>
        (await ListAsync()).Single(queue => queue.Name.StartsWith(prefix, StringComparison.Ordinal) && queue.Name.EndsWith(suffix, StringComparison.Ordinal));

    /// <summary>
    /// The queue's figures as the broker holds them now (<c>rabbitmqctl list_queues</c> in its container asks the queue
    /// itself), unlike the management API's, which are sampled every 5 s and so may describe a burst already consumed.
    /// The redelivery counter exists only in the management API: it is 0 here.
    /// </summary>
    public async Task<QueueState> FindLiveAsync(string prefix, string suffix)
    {
        var output = await platform.ExecAsync(
            "messaging", "rabbitmqctl", "list_queues", "--quiet", "--no-table-headers", "name", "consumers", "messages_ready", "messages_unacknowledged");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .Where(fields => fields.Length == 4 && fields[0].StartsWith(prefix, StringComparison.Ordinal) && fields[0].EndsWith(suffix, StringComparison.Ordinal))
            .Select(fields => new QueueState(fields[0], int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[2], CultureInfo.InvariantCulture), long.Parse(fields[3], CultureInfo.InvariantCulture), 0))
            .Single();
    }

    private static QueueState Read(JsonElement queue) => new(
        queue.GetProperty("name").GetString()!,
        (int)Number(queue, "consumers"),
        Number(queue, "messages_ready"),
        Number(queue, "messages_unacknowledged"),
        queue.TryGetProperty("message_stats", out var stats) ? Number(stats, "redeliver") : 0);

    private static long Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    private async Task<HttpClient> ClientAsync()
    {
        var broker = new Uri(await platform.ConnectionStringAsync("messaging"));
        var credentials = broker.UserInfo.Split(':', 2).Select(Uri.UnescapeDataString).ToArray();
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = platform.Endpoint("messaging", "management") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials[0]}:{credentials[1]}")));
        return client;
    }
}
