using System.Diagnostics;
using System.Globalization;

namespace Participatie.Benchmark.Platform;

/// <summary>
/// Waits until the machine is quiet before a load run: after the platform reports healthy, what starts after the
/// services (the web clients, the mail server, the SMS stand-in) and the JIT's background compilation keep both
/// cores busy for another half minute or more, and a load run started then measures the start's tail, not the
/// platform (the cold start is measured on its own).
/// </summary>
internal static class MachineQuiet
{
    /// <summary>Quiet: the machine's CPUs less busy than this, together, for <see cref="QuietWindows"/> seconds in a row.</summary>
    public const double QuietShare = 0.25;

    private const int QuietWindows = 3;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>Waits at least <paramref name="least"/> and until quiet, or at most <paramref name="most"/>; returns how long, and whether it became quiet.</summary>
    public static async Task<(TimeSpan Waited, bool Quiet)> WaitAsync(TimeSpan least, TimeSpan most, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await Task.Delay(least, cancellationToken);
        var quietInARow = 0;
        var (busy, total) = ReadCpu();
        while (watch.Elapsed < most)
        {
            await Task.Delay(Window, cancellationToken);
            var (busyNow, totalNow) = ReadCpu();
            var share = totalNow > total ? (double)(busyNow - busy) / (totalNow - total) : 1;
            (busy, total) = (busyNow, totalNow);
            quietInARow = share < QuietShare ? quietInARow + 1 : 0;
            if (quietInARow >= QuietWindows)
            {
                return (watch.Elapsed, true);
            }
        }

        return (watch.Elapsed, false);
    }

    /// <summary>Busy and total jiffies of all CPUs together (the first line of /proc/stat; idle and iowait are not busy).</summary>
    private static (long Busy, long Total) ReadCpu()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(value => long.Parse(value, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum();
        return (total - fields[3] - fields[4], total);
    }
}
