namespace Participatie.Benchmark.Platform;

internal static class LoadAverage
{
    /// <summary>The 1, 5 and 15 minute load averages, to tell a busy machine from a slow platform.</summary>
    public static string Read()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
