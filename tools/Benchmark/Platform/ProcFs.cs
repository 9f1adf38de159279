using System.Globalization;

namespace Participatie.Benchmark.Platform;

/// <summary>What /proc tells about the machine's processes: command line, parent, memory and CPU time.</summary>
internal static class ProcFs
{
    internal sealed record ProcessInfo(int Pid, int ParentPid, string CommandLine);

    /// <summary>utime, stime, cutime and cstime: fields 14 to 17 of proc(5), counted here from the state (field 3) as 0.</summary>
    private static readonly int[] CpuTimeFields = [11, 12, 13, 14];

    /// <summary>Clock ticks per second of /proc/[pid]/stat (USER_HZ, 100 on Linux).</summary>
    public const double TicksPerSecond = 100;

    public static IReadOnlyList<ProcessInfo> Processes() =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out _))
            .Select(name => int.Parse(name!, CultureInfo.InvariantCulture))
            .Select(pid => ReadStatFields(pid) is { } stat ? new ProcessInfo(pid, int.Parse(stat[1], CultureInfo.InvariantCulture), ReadText($"/proc/{pid}/cmdline")) : null)
            .OfType<ProcessInfo>()];

    /// <summary>The process runs the program itself (its executable or its assembly), not a build or a <c>dotnet run</c> that names its project.</summary>
    public static bool RunsProgram(ProcessInfo process, string program) =>
        process.CommandLine.Split('\0', StringSplitOptions.RemoveEmptyEntries).Take(2).Any(argument =>
            argument.EndsWith($"/{program}", StringComparison.Ordinal) || argument.EndsWith($"/{program}.dll", StringComparison.Ordinal));

    /// <summary>
    /// CPU time of the process and of its children that ended and were waited for (a PostgreSQL backend that
    /// closed its connection, for one), so that summing over live processes counts every tick once.
    /// </summary>
    public static TimeSpan CpuTime(int pid)
    {
        if (ReadStatFields(pid) is not { } stat)
        {
            return TimeSpan.Zero;
        }

        var ticks = CpuTimeFields.Sum(index => long.Parse(stat[index], CultureInfo.InvariantCulture));
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    public static long? ResidentBytes(int pid)
    {
        var line = ReadText($"/proc/{pid}/status").Split('\n').FirstOrDefault(line => line.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kilobytes is null ? null : long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>
    /// CPU ticks (utime and stime) of each of the process's threads with the given name (as /proc shortens it, to 15
    /// characters), by thread id; none when the process has ended.
    /// </summary>
    public static IEnumerable<(int Tid, long Ticks)> ThreadTicks(int pid, string name)
    {
        IEnumerable<string> tasks;
        try
        {
            tasks = [.. Directory.EnumerateDirectories($"/proc/{pid}/task")];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var task in tasks)
        {
            if (ReadText(Path.Combine(task, "comm")).TrimEnd('\n') == name && ReadStatFields(Path.Combine(task, "stat")) is { } stat)
            {
                yield return (int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture),
                    long.Parse(stat[CpuTimeFields[0]], CultureInfo.InvariantCulture) + long.Parse(stat[CpuTimeFields[1]], CultureInfo.InvariantCulture));
            }
        }
    }

    private static string[]? ReadStatFields(int pid) => ReadStatFields($"/proc/{pid}/stat");

    /// <summary>The fields of a stat file after the command name (which may hold spaces): [0] is the state, [1] the parent.</summary>
    private static string[]? ReadStatFields(string path)
    {
        var stat = ReadText(path);
        var afterName = stat.LastIndexOf(')');
        return afterName < 0 ? null : stat[(afterName + 2)..].Split(' ');
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
