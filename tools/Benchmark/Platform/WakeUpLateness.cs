using System.Diagnostics;
using Participatie.Benchmark.Load;

namespace Participatie.Benchmark.Platform;

/// <summary>
/// How late a sleeping thread wakes on this machine: a thread of its own sleeps 5 ms at a time and records by how much
/// each sleep overran. Every hop of a request (the caller, a proxy, the service, the database) waits in the kernel
/// for its turn, so at a low rate, where nothing queues, this lateness is what the tail of a request is made of; a
/// proxy in a process of its own adds two such waits (the request in, the answer back). Measured beside the steady
/// reads, in the same seconds, at a cost of 200 short wake-ups a second.
/// </summary>
internal sealed class WakeUpLateness : IDisposable
{
    private static readonly TimeSpan Sleep = TimeSpan.FromMilliseconds(5);

    private readonly LatencyHistogram lateness = new();
    private readonly Thread thread;
    private volatile bool stopping;

    private WakeUpLateness()
    {
        thread = new Thread(Run) { IsBackground = true, Name = "wake-up lateness" };
        thread.Start();
    }

    public static WakeUpLateness Start() => new();

    /// <summary>Stops sampling and returns the lateness (p50, p99) of every wake-up so far.</summary>
    public LatencyHistogram Stop()
    {
        stopping = true;
        thread.Join();
        return lateness;
    }

    private void Run()
    {
        var sleepTicks = (long)(Sleep.TotalSeconds * Stopwatch.Frequency);
        while (!stopping)
        {
            var asleep = Stopwatch.GetTimestamp();
            Thread.Sleep(Sleep);
            var due = asleep + sleepTicks;
            lateness.Record(due, Math.Max(due, Stopwatch.GetTimestamp()));
        }
    }

    public void Dispose()
    {
        if (!stopping)
        {
            Stop();
        }
    }
}
