using System.Globalization;

namespace Participatie.Benchmark.Platform;

/// <summary>
/// CPU time of the runtime's background compiler threads (".NET Tiered Compilation Worker", which /proc shortens to
/// 15 characters) in the given processes: the code the services run hot is compiled again, optimised, while they
/// take load, and until that has settled a load run measures the compiler as much as the platform.
/// </summary>
internal static class TieredCompilation
{
    private const string ThreadName = ".NET Tiered Com";

    /// <summary>Clock ticks per second of /proc/[pid]/task/[tid]/stat (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>CPU ticks of each compiler thread now, by thread id (unique on the machine).</summary>
    public static IReadOnlyDictionary<int, long> Snapshot(IEnumerable<int> pids)
    {
        var threads = new Dictionary<int, long>();
        foreach (var pid in pids)
        {
            AddCompilerThreads(pid, threads);
        }

        return threads;
    }

    /// <summary>
    /// What the compiler threads used between two snapshots. A worker thread ends after it has been idle a while and a
    /// new one starts when there is work again, so the threads are compared one by one: a new one counts from nothing,
    /// one that ended had been idle.
    /// </summary>
    public static TimeSpan Between(IReadOnlyDictionary<int, long> before, IReadOnlyDictionary<int, long> after) =>
        TimeSpan.FromSeconds(after.Sum(thread => thread.Value - before.GetValueOrDefault(thread.Key)) / TicksPerSecond);

    private static void AddCompilerThreads(int pid, Dictionary<int, long> threads)
    {
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') != ThreadName)
                {
                    continue;
                }

                // utime and stime: fields 14 and 15 of proc(5), after the name in parentheses (which may hold spaces).
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] =
                    long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The process or the thread ended meanwhile: it compiles nothing more.
        }
    }
}
