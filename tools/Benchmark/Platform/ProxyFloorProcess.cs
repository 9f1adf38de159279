using System.Diagnostics;
using System.Net.Sockets;
using Participatie.Benchmark.Setup;

namespace Participatie.Benchmark.Platform;

/// <summary>
/// The bare YARP proxy of <c>tools/ProxyFloor</c>, published by eng/bench.sh beside the services, started for the read
/// measurement and stopped after it. Null when it was not published (the report then says "not measured").
/// </summary>
internal sealed class ProxyFloorProcess : IDisposable
{
    private readonly Process process;

    private ProxyFloorProcess(Process process) => this.process = process;

    public static async Task<ProxyFloorProcess?> StartAsync(BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var assembly = Path.Combine(settings.RepositoryRoot, "artifacts", "bench", "published", "ProxyFloor", "ProxyFloor.dll");
        if (!File.Exists(assembly))
        {
            return null;
        }

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { assembly, "--urls", settings.ProxyFloor.ToString(), "--Target", settings.ConsultationsService.ToString() },
            RedirectStandardError = true,
        };
        var floor = new ProxyFloorProcess(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {assembly}."));
        try
        {
            await floor.WaitUntilListeningAsync(settings.ProxyFloor, cancellationToken);
            return floor;
        }
        catch
        {
            floor.Dispose();
            throw;
        }
    }

    private Task WaitUntilListeningAsync(Uri address, CancellationToken cancellationToken) =>
        Waiting.UntilAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The bare proxy stopped at once: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
                }

                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(address.Host, address.Port, cancellationToken);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(30), $"the bare proxy to listen on {address}", cancellationToken);

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }
}
