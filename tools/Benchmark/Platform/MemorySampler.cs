namespace Participatie.Benchmark.Platform;

/// <summary>
/// The resident memory of one process over a run: before it (idle), once warmed up (the start that counts), its
/// highest sample and where it ended.
/// </summary>
internal sealed record MemorySeries(long IdleBytes, long StartBytes, long PeakBytes, long EndBytes, int Samples)
{
    /// <summary>"Flat memory" in the sense of issue 8: the peak stays within this multiple of the start.</summary>
    public const double FlatFactor = 1.5;

    public bool IsFlat => PeakBytes <= StartBytes * FlatFactor;
}

/// <summary>
/// Samples the RSS of a few processes every few seconds while a measure runs, from /proc, so that memory that grows
/// with the number of messages shows as a peak far above the start.
/// </summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly IReadOnlyDictionary<string, Func<int?>> _processes;
    private readonly Dictionary<string, List<long>> _samples;
    private readonly Dictionary<string, int> _warmFrom = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    /// <param name="processes">Each process by name, with how to find its pid now (null: not running).</param>
    public MemorySampler(IReadOnlyDictionary<string, Func<int?>> processes)
    {
        _processes = processes;
        _samples = processes.Keys.ToDictionary(name => name, _ => new List<long>(), StringComparer.Ordinal);
        Sample();
        _sampling = SampleUntilStoppedAsync();
    }

    /// <summary>
    /// From now on the processes are warm (code compiled, pools and caches filled): the start that flat memory is
    /// judged against is the sample taken now, not the idle one before the run.
    /// </summary>
    public void MarkWarm()
    {
        lock (_samples)
        {
            foreach (var (name, samples) in _samples)
            {
                _warmFrom[name] = samples.Count;
            }

            Sample();
        }
    }

    /// <summary>Takes a last sample and returns each process's series; null for a process never found.</summary>
    public async Task<IReadOnlyDictionary<string, MemorySeries?>> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        Sample();
        return _samples.ToDictionary(
            process => process.Key,
            process => process.Value.Count == 0 ? null : new MemorySeries(
                process.Value[0],
                process.Value[Math.Min(_warmFrom.GetValueOrDefault(process.Key), process.Value.Count - 1)],
                process.Value.Max(),
                process.Value[^1],
                process.Value.Count),
            StringComparer.Ordinal);
    }

    private async Task SampleUntilStoppedAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                lock (_samples)
                {
                    Sample();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: StopAsync takes the last sample.
        }
    }

    private void Sample()
    {
        foreach (var (name, findPid) in _processes)
        {
            if (findPid() is { } pid && ProcFs.ResidentBytes(pid) is { } bytes)
            {
                _samples[name].Add(bytes);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _sampling;
        }

        _stop.Dispose();
    }
}
