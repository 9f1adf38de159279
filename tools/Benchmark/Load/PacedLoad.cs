using System.Diagnostics;

namespace Participatie.Benchmark.Load;

/// <summary>
/// A steady rate well below saturation, so that the latency shows the work of one request rather than queueing.
/// Each request is timed from when it was due, not from when it left, so a stall is not hidden (coordinated
/// omission).
/// </summary>
internal static class PacedLoad
{
    public static async Task<LoadResult> RunAsync(
        LoadClient client, Func<HttpRequestMessage> newRequest, int perSecond, TimeSpan warmUp, TimeSpan duration, CancellationToken cancellationToken)
    {
        var tally = new LoadTally();
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var total = (long)((warmUp + duration).TotalSeconds * perSecond);
        var interval = Stopwatch.Frequency / (double)perSecond;
        var inFlight = new List<Task>();

        for (long sent = 0; sent < total; sent++)
        {
            var due = start + (long)(sent * interval);
            while (Stopwatch.GetTimestamp() < due)
            {
                await Task.Delay(1, cancellationToken);
            }

            inFlight.Add(client.SendAsync(newRequest, tally, due, () => due >= measureFrom, cancellationToken));
        }

        await Task.WhenAll(inFlight);
        return tally.ToResult(duration);
    }
}
