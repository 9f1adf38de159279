using System.Net;

namespace Participatie.Benchmark.Load;

/// <summary>Counts the answers of one run as the workers record them.</summary>
internal sealed class LoadTally
{
    private long succeeded;
    private long failed;
    private string? firstFailure;

    public LatencyHistogram Latency { get; } = new();

    public void Succeed(long startTimestamp, long endTimestamp)
    {
        Interlocked.Increment(ref succeeded);
        Latency.Record(startTimestamp, endTimestamp);
    }

    public void Fail(HttpStatusCode? status, string detail)
    {
        Interlocked.Increment(ref failed);
        Interlocked.CompareExchange(ref firstFailure, status is null ? detail : $"{(int)status} {Truncate(detail)}", null);
    }

    public LoadResult ToResult(TimeSpan measured) =>
        new(Interlocked.Read(ref succeeded), Interlocked.Read(ref failed), measured, Latency, firstFailure);

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300];
}
