namespace Participatie.Benchmark.Platform;

/// <summary>
/// CPU time of the runtime's background compiler threads (".NET Tiered Compilation Worker", which /proc shortens to
/// 15 characters) in the given processes: the code the services run hot is compiled again, optimised, while they
/// take load, and until that has settled a load run measures the compiler as much as the platform.
/// </summary>
internal static class TieredCompilation
{
    private const string ThreadName = ".NET Tiered Com";

    /// <summary>CPU ticks of each compiler thread now, by thread id (unique on the machine).</summary>
    public static IReadOnlyDictionary<int, long> Snapshot(IEnumerable<int> pids) =>
        pids.SelectMany(pid => ProcFs.ThreadTicks(pid, ThreadName)).ToDictionary(thread => thread.Tid, thread => thread.Ticks);

    /// <summary>
    /// What the compiler threads used between two snapshots. A worker thread ends after it has been idle a while and a
    /// new one starts when there is work again, so the threads are compared one by one: a new one counts from nothing,
    /// one that ended had been idle.
    /// </summary>
    public static TimeSpan Between(IReadOnlyDictionary<int, long> before, IReadOnlyDictionary<int, long> after) =>
        TimeSpan.FromSeconds(after.Sum(thread => thread.Value - before.GetValueOrDefault(thread.Key)) / ProcFs.TicksPerSecond);
}
