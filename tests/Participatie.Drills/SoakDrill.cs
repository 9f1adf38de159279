using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Participatie.Drills;

/// <summary>
/// Ten minutes at half the benchmark's reaction ingest (~770/s measured, so 380/s here), open loop through the
/// gateway, with the resident memory of every service process and the gateway sampled every 5 s: memory is flat when
/// the last minute's mean is within 15% of the second minute's (the first is warm-up). The curve is drawn to
/// artifacts/drills/soak-rss.png. Explicit: ./test.sh skips it, eng/drills.sh runs it. DRILL_SOAK_RATE and
/// DRILL_SOAK_MINUTES change rate and length for a try-out.
/// </summary>
public sealed class SoakDrill(DrillPlatform platform)
{
    private const double FlatTolerance = 0.15;
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);

    [Fact(Explicit = true)]
    [Trait("Category", "Soak")]
    public async Task Ten_minutes_at_half_the_benchmark_load_keep_memory_flat()
    {
        var cancel = TestContext.Current.CancellationToken;
        var perSecond = double.Parse(Environment.GetEnvironmentVariable("DRILL_SOAK_RATE") ?? "380", CultureInfo.InvariantCulture);
        var duration = TimeSpan.FromMinutes(double.Parse(Environment.GetEnvironmentVariable("DRILL_SOAK_MINUTES") ?? "10", CultureInfo.InvariantCulture));
        var world = await DrillWorld.CreateAsync(platform, "soak");
        using var client = platform.Gateway(world.Partner.AccessToken, connections: 256);

        var samples = new Dictionary<string, List<(double Minutes, double Megabytes)>>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var sampling = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(SampleEvery);
            do
            {
                foreach (var (process, pid) in platform.PlatformProcesses())
                {
                    if (ResidentMegabytes(pid) is { } megabytes)
                    {
                        (samples.TryGetValue(process, out var list) ? list : samples[process] = []).Add((clock.Elapsed.TotalMinutes, megabytes));
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stopSampling.Token).AsTask().ContinueWith(tick => !tick.IsCanceled && tick.Result, TaskScheduler.Default));
        }, cancel);

        var outcomes = await ReactionLoad.RunAsync(client, ReactionLoad.Reactions(world), perSecond, (int)(duration.TotalSeconds * perSecond), clock, keepIds: false);
        var loadTime = clock.Elapsed;
        await stopSampling.CancelAsync();
        await sampling;

        var minutes = duration.TotalMinutes;
        var verdicts = samples.ToDictionary(
            process => process.Key,
            process =>
            {
                var second = Mean(process.Value, 1, 2);
                var last = Mean(process.Value, minutes - 1, minutes);
                return (Second: second, Last: last, Flat: last <= second * (1 + FlatTolerance) && last >= second * (1 - FlatTolerance));
            },
            StringComparer.Ordinal);
        var chart = Path.Combine(DrillReport.Directory, "soak-rss.png");
        RssChart.Save(
            samples.ToDictionary(entry => entry.Key, entry => (IReadOnlyList<(double, double)>)entry.Value, StringComparer.Ordinal),
            $"Soak: {perSecond:0} reactions/s for {minutes:0} min through the gateway",
            chart);

        var failed = outcomes.Where(outcome => !outcome.Succeeded).ToList();
        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Soak drill: {outcomes.Count} reactions due at {perSecond:0}/s over {duration.TotalMinutes:0} min; sent and answered in {loadTime.TotalSeconds:0} s ({outcomes.Count / loadTime.TotalSeconds:0}/s)")
            .Append(ReactionLoad.Summary(outcomes))
            .AppendLine(CultureInfo.InvariantCulture, $"  latency p50 {BrokerDownDrill.Percentile(outcomes, 0.5):0} ms, p99 {BrokerDownDrill.Percentile(outcomes, 0.99):0} ms, max {outcomes.Max(outcome => outcome.Latency.TotalMilliseconds):0} ms")
            .AppendLine(CultureInfo.InvariantCulture, $"  RSS every {SampleEvery.TotalSeconds:0} s, mean of minute 2 -> mean of the last minute (flat: within {FlatTolerance:P0}); chart {chart}");
        foreach (var (process, verdict) in verdicts.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"  {process,-26} {verdict.Second,7:0} MB -> {verdict.Last,7:0} MB ({(verdict.Last / verdict.Second) - 1,6:+0.0%;-0.0%}) {(verdict.Flat ? "flat" : "NOT FLAT")}, peak {samples[process].Max(sample => sample.Megabytes):0} MB");
        }

        DrillReport.Write("soak", report.ToString());
        Assert.True(failed.Count == 0, $"{failed.Count} of {outcomes.Count} reactions failed; first: {failed.FirstOrDefault()}");
        Assert.NotEmpty(verdicts);
        Assert.All(verdicts, verdict => Assert.True(verdict.Value.Flat, $"{verdict.Key}: {verdict.Value.Second:0} MB in minute 2, {verdict.Value.Last:0} MB in the last minute."));
    }

    private static double Mean(List<(double Minutes, double Megabytes)> samples, double fromMinute, double toMinute)
    {
        var window = samples.Where(sample => sample.Minutes >= fromMinute && sample.Minutes < toMinute).Select(sample => sample.Megabytes).ToList();
        return window.Count == 0 ? double.NaN : window.Average();
    }

    /// <summary>VmRSS of /proc/[pid]/status, in MB; null for a process that is gone.</summary>
    private static double? ResidentMegabytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(line => line.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
