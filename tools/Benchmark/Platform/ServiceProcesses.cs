namespace Participatie.Benchmark.Platform;

/// <summary>The resident memory (RSS, from /proc) of each service process of this checkout.</summary>
internal static class ServiceProcesses
{
    public static IReadOnlyDictionary<string, long?> ResidentBytes(IEnumerable<string> services, string repositoryRoot)
    {
        var processes = PlatformProcesses.Services(services, repositoryRoot);
        return services.ToDictionary(service => service, service => processes[service].Select(ProcFs.ResidentBytes).Max());
    }
}
