using System.Globalization;

namespace Participatie.Benchmark.Platform;

/// <summary>
/// The resident memory (RSS, from /proc) of each service process of this checkout: the processes whose command line
/// names the service's build output under the repository.
/// </summary>
internal static class ServiceProcesses
{
    public static IReadOnlyDictionary<string, long?> ResidentBytes(IEnumerable<string> services, string repositoryRoot)
    {
        var processes = Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out _))
            .Select(pid => (Pid: pid!, CommandLine: ReadCommandLine(pid!)))
            .Where(process => process.CommandLine.Contains(repositoryRoot, StringComparison.Ordinal))
            .ToList();
        return services.ToDictionary(
            service => service,
            service => processes
                .Where(process => NamesService(process.CommandLine, service))
                .Select(process => ReadResidentBytes(process.Pid))
                .Max());
    }

    /// <summary>The service's own executable or assembly, not a <c>dotnet run</c> or build process that mentions its project.</summary>
    private static bool NamesService(string commandLine, string service) =>
        commandLine.Split('\0', StringSplitOptions.RemoveEmptyEntries).Take(2).Any(argument =>
            argument.EndsWith($"/{service}", StringComparison.Ordinal) || argument.EndsWith($"/{service}.dll", StringComparison.Ordinal));

    private static string ReadCommandLine(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
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

    private static long? ReadResidentBytes(string pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(line => line.StartsWith("VmRSS:", StringComparison.Ordinal));
            var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return kilobytes is null ? null : long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
