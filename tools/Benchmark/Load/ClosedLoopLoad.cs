using System.Diagnostics;

namespace Participatie.Benchmark.Load;

/// <summary>
/// As many requests as the platform takes: each connection sends its next request as soon as the previous one is
/// answered (like wrk). Gives the most it can do per second; the latency then includes the queueing at that load.
/// Requests during the warm-up (JIT, connection set-up, pools) are sent but not counted.
/// </summary>
internal static class ClosedLoopLoad
{
    public static async Task<LoadResult> RunAsync(
        LoadClient client, Func<HttpRequestMessage> newRequest, int connections, TimeSpan warmUp, TimeSpan duration, CancellationToken cancellationToken)
    {
        var tally = new LoadTally();
        var measureFrom = Stopwatch.GetTimestamp() + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var measureUntil = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        async Task WorkAsync()
        {
            while (Stopwatch.GetTimestamp() is var start && start < measureUntil)
            {
                await client.SendAsync(newRequest, tally, start, () => start >= measureFrom && Stopwatch.GetTimestamp() <= measureUntil, cancellationToken);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(WorkAsync, cancellationToken)));
        return tally.ToResult(duration);
    }
}
