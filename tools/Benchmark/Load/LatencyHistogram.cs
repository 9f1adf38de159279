using System.Diagnostics;
using HdrHistogram;

namespace Participatie.Benchmark.Load;

/// <summary>
/// Latencies in microseconds with three significant digits (HdrHistogram), written by many workers at once, so that
/// the tail (p99) is exact enough without keeping every sample.
/// </summary>
internal sealed class LatencyHistogram
{
    private const long HighestMicroseconds = 120_000_000;

    private readonly HistogramBase histogram = HistogramFactory.With64BitBucketSize()
        .WithValuesFrom(1)
        .WithValuesUpTo(HighestMicroseconds)
        .WithPrecisionOf(3)
        .WithThreadSafeWrites()
        .Create();

    public long Count => histogram.TotalCount;

    public void Record(long startTimestamp, long endTimestamp) =>
        histogram.RecordValue(Math.Clamp(
            (endTimestamp - startTimestamp) * 1_000_000 / Stopwatch.Frequency, 1, HighestMicroseconds));

    public void RecordMilliseconds(double milliseconds) =>
        histogram.RecordValue(Math.Clamp((long)(milliseconds * 1000), 1, HighestMicroseconds));

    public double PercentileMilliseconds(double percentile) =>
        Count == 0 ? double.NaN : histogram.GetValueAtPercentile(percentile) / 1000.0;
}
