namespace Participatie.Benchmark.Load;

/// <summary>What one load run measured: successful requests per second and their latency, and what failed.</summary>
internal sealed record LoadResult(long Succeeded, long Failed, TimeSpan Measured, LatencyHistogram Latency, string? FirstFailure)
{
    public double PerSecond => Succeeded / Measured.TotalSeconds;
    public double P50Milliseconds => Latency.PercentileMilliseconds(50);
    public double P99Milliseconds => Latency.PercentileMilliseconds(99);

    public override string ToString() =>
        $"{PerSecond:0}/s, p50 {P50Milliseconds:0.0} ms, p99 {P99Milliseconds:0.0} ms ({Succeeded} ok, {Failed} failed{(FirstFailure is null ? "" : $"; first failure: {FirstFailure}")})";
}
