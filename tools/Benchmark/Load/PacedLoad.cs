using System.Diagnostics;

namespace Participatie.Benchmark.Load;

/// <summary>
/// A steady rate well below saturation, so that the latency shows the work of one request rather than queueing.
/// Several targets take turns within one run, so that whatever else the machine does at that moment weighs on each
/// of them alike. Each request is timed from when it was due, not from when it left, so a stall is not hidden
/// (coordinated omission).
/// </summary>
internal static class PacedLoad
{
    /// <summary>Sends <paramref name="perSecond"/> requests a second to each client; one result per client, in order.</summary>
    public static async Task<IReadOnlyList<LoadResult>> RunAsync(
        IReadOnlyList<LoadClient> clients, Func<HttpRequestMessage> newRequest, int perSecond, TimeSpan warmUp, TimeSpan duration, CancellationToken cancellationToken)
    {
        var tallies = clients.Select(_ => new LoadTally()).ToArray();
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var rate = perSecond * clients.Count;
        var total = (long)((warmUp + duration).TotalSeconds * rate);
        var interval = Stopwatch.Frequency / (double)rate;
        var inFlight = new List<Task>();

        for (long sent = 0; sent < total; sent++)
        {
            var due = start + (long)(sent * interval);
            while (Stopwatch.GetTimestamp() < due)
            {
                await Task.Delay(1, cancellationToken);
            }

            var target = (int)(sent % clients.Count);
            inFlight.Add(clients[target].SendAsync(newRequest, tallies[target], due, () => due >= measureFrom, cancellationToken));
        }

        await Task.WhenAll(inFlight);
        return [.. tallies.Select(tally => tally.ToResult(duration))];
    }
}
