using System.Diagnostics;

namespace Participatie.Benchmark.Platform;

/// <summary>Waits until every service and the gateway answer their health check (which they do only once their database and the broker are there).</summary>
internal static class PlatformHealth
{
    /// <summary>When each service first answered its health check.</summary>
    public static async Task<IReadOnlyDictionary<string, DateTimeOffset>> WaitUntilHealthyAsync(IReadOnlyDictionary<string, Uri> services, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var waitingFor = services.ToDictionary();
        var healthyAt = new Dictionary<string, DateTimeOffset>();
        while (waitingFor.Count > 0)
        {
            foreach (var (name, address) in waitingFor.ToList())
            {
                if (await IsHealthyAsync(client, new Uri(address, "/health"), cancellationToken))
                {
                    waitingFor.Remove(name);
                    healthyAt[name] = DateTimeOffset.UtcNow;
                }
            }

            if (waitingFor.Count > 0)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new TimeoutException($"Not healthy after {timeout.TotalSeconds:0} s: {string.Join(", ", waitingFor.Keys)}.");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }

        return healthyAt;
    }

    private static async Task<bool> IsHealthyAsync(HttpClient client, Uri health, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(health, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
