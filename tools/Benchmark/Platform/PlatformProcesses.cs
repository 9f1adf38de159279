using System.Diagnostics;
using System.Globalization;

namespace Participatie.Benchmark.Platform;

/// <summary>
/// The processes the platform runs on this machine, grouped the way the baseline (shared/perf-baseline.md) reports
/// them: each service, the dashboard, DCP, the AppHost, PostgreSQL and RabbitMQ (every process of their containers),
/// Docker's port proxies and the local mail server. Other checkouts' processes and other engineers' containers are left out.
/// </summary>
internal static class PlatformProcesses
{
    /// <summary>Each service's own process (not the <c>dotnet run</c> that DCP starts it with).</summary>
    public static Dictionary<string, List<int>> Services(IEnumerable<string> services, string repositoryRoot) =>
        Services(ProcFs.Processes(), services, repositoryRoot);

    /// <summary>
    /// The local mail server's own process (smtp4dev, not the <c>dotnet tool run</c> that starts it), told from other
    /// checkouts' and tests' by the web port it was given.
    /// </summary>
    public static int? MailServer(int webPort) => MailServer(ProcFs.Processes(), webPort);

    private static int? MailServer(IReadOnlyList<ProcFs.ProcessInfo> processes, int webPort) =>
        processes
            .Where(process => ProcFs.RunsProgram(process, "Rnwood.Smtp4dev")
                && process.CommandLine.Contains($"--urls=http://localhost:{webPort.ToString(CultureInfo.InvariantCulture)}\0", StringComparison.Ordinal))
            .Select(process => (int?)process.Pid)
            .FirstOrDefault();

    public static Dictionary<string, List<int>> All(IEnumerable<string> services, string repositoryRoot, int postgresPort, int rabbitMqPort, int mailServerWebPort)
    {
        var processes = ProcFs.Processes();
        var groups = Services(processes, services, repositoryRoot);
        void Add(string group, IEnumerable<int> pids) => groups[group] = [.. pids];

        // smtp4dev and the `dotnet tool run` above it, which only waits for it.
        var mailServer = MailServer(processes, mailServerWebPort);
        Add("smtp4dev (mail server)", processes.Where(process => process.Pid == mailServer
            || (process.CommandLine.Contains("smtp4dev", StringComparison.Ordinal) && processes.Any(child => child.Pid == mailServer && child.ParentPid == process.Pid)))
            .Select(process => process.Pid));

        Add("Aspire dashboard", processes.Where(process => process.CommandLine.Contains("Aspire.Dashboard", StringComparison.Ordinal)).Select(process => process.Pid));
        Add("dcp (orchestrator)", processes.Where(process => process.CommandLine.Contains("aspire.hosting.orchestration", StringComparison.Ordinal)).Select(process => process.Pid));
        Add("AppHost", processes.Where(process => ProcFs.RunsProgram(process, "Participatie.AppHost") && process.CommandLine.Contains(repositoryRoot, StringComparison.Ordinal)).Select(process => process.Pid));
        Add("postgres", ContainerProcesses(processes, postgresPort));
        Add("RabbitMQ", ContainerProcesses(processes, rabbitMqPort));
        Add("docker-proxy", processes.Where(process =>
            process.CommandLine.Contains("docker-proxy", StringComparison.Ordinal)
            && (process.CommandLine.Contains($"-host-port\0{postgresPort}\0", StringComparison.Ordinal)
                || process.CommandLine.Contains($"-host-port\0{rabbitMqPort}\0", StringComparison.Ordinal))).Select(process => process.Pid));
        return groups;
    }

    private static Dictionary<string, List<int>> Services(IReadOnlyList<ProcFs.ProcessInfo> processes, IEnumerable<string> services, string repositoryRoot) =>
        services.ToDictionary(
            service => service,
            service => processes
                .Where(process => process.CommandLine.Contains(repositoryRoot, StringComparison.Ordinal) && ProcFs.RunsProgram(process, service))
                .Select(process => process.Pid)
                .ToList());

    /// <summary>Every process of the container that publishes the port: its main process and all below it.</summary>
    private static IEnumerable<int> ContainerProcesses(IReadOnlyList<ProcFs.ProcessInfo> processes, int port)
    {
        var containerId = Docker($"ps -q --filter publish={port.ToString(CultureInfo.InvariantCulture)}").Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (containerId is null || !int.TryParse(Docker($"inspect -f {{{{.State.Pid}}}} {containerId}").Trim(), out var root))
        {
            return [];
        }

        var tree = new HashSet<int> { root };
        bool grew;
        do
        {
            grew = false;
            foreach (var process in processes.Where(process => tree.Contains(process.ParentPid) && tree.Add(process.Pid)))
            {
                grew = true;
            }
        }
        while (grew);
        return tree;
    }

    private static string Docker(string arguments)
    {
        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = docker.StandardOutput.ReadToEnd();
            docker.WaitForExit();
            return docker.ExitCode == 0 ? output : "";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }
}
