using Participatie.Benchmark.Load;
using Participatie.Benchmark.Platform;
using Participatie.Benchmark.Setup;

namespace Participatie.Benchmark.Measurements;

/// <summary>
/// One consultation read straight from the consultations service and through the gateway, once as fast as each
/// goes (throughput) and once at a steady rate below saturation, the two taking turns (the latency the gateway adds to one request).
/// As fast as it goes also through a bare YARP proxy (<see cref="ProxyFloorProcess"/>): what a proxy of its own costs on
/// this machine before the gateway does anything, which is the most the gateway's share of direct reads could be.
/// </summary>
internal sealed record ReadResult(LoadResult DirectMost, LoadResult GatewayMost, LoadResult DirectPaced, LoadResult GatewayPaced, LoadResult? FloorMost)
{
    public double GatewayShareOfDirect => GatewayMost.PerSecond / DirectMost.PerSecond;
    public double? FloorShareOfDirect => FloorMost?.PerSecond / DirectMost.PerSecond;
    public double? GatewayShareOfFloor => GatewayMost.PerSecond / FloorMost?.PerSecond;
    public double GatewayAddedP99Milliseconds => GatewayPaced.P99Milliseconds - DirectPaced.P99Milliseconds;
}

internal static class ConsultationRead
{
    public static async Task<ReadResult> RunAsync(BenchmarkSettings settings, BenchmarkWorld world, Action<string> report, CancellationToken cancellationToken)
    {
        var read = Requests(world);
        using var direct = new LoadClient(settings.ConsultationsService, settings.Connections, world.AccessToken);
        using var gateway = new LoadClient(settings.Gateway, settings.Connections, world.AccessToken);

        var directMost = await ClosedLoopLoad.RunAsync(direct, read, settings.Connections, settings.WarmUp, settings.Duration, cancellationToken);
        report($"read, direct, as fast as it goes: {directMost}");
        var gatewayMost = await ClosedLoopLoad.RunAsync(gateway, read, settings.Connections, settings.WarmUp, settings.Duration, cancellationToken);
        report($"read, gateway, as fast as it goes: {gatewayMost}");
        var floorMost = await ReadThroughBareProxyAsync(settings, world, read, cancellationToken);
        report(floorMost is null
            ? "read, bare YARP proxy: not measured (tools/ProxyFloor is published by eng/bench.sh)"
            : $"read, bare YARP proxy, as fast as it goes: {floorMost}");

        var paced = await PacedLoad.RunAsync([direct, gateway], read, settings.PacedReadsPerSecond, settings.WarmUp, settings.PacedReadsDuration, cancellationToken);
        report($"read, direct, {settings.PacedReadsPerSecond}/s: {paced[0]}");
        report($"read, gateway, {settings.PacedReadsPerSecond}/s (taking turns with the direct reads): {paced[1]}");

        return new ReadResult(directMost, gatewayMost, paced[0], paced[1], floorMost);
    }

    private static async Task<LoadResult?> ReadThroughBareProxyAsync(BenchmarkSettings settings, BenchmarkWorld world, Func<HttpRequestMessage> read, CancellationToken cancellationToken)
    {
        using var floor = await ProxyFloorProcess.StartAsync(settings, cancellationToken);
        if (floor is null)
        {
            return null;
        }

        using var client = new LoadClient(settings.ProxyFloor, settings.Connections, world.AccessToken);
        return await ClosedLoopLoad.RunAsync(client, read, settings.Connections, settings.WarmUp, settings.Duration, cancellationToken);
    }

    /// <summary>The benchmark's consultation, read.</summary>
    public static Func<HttpRequestMessage> Requests(BenchmarkWorld world)
    {
        var path = new Uri($"/v1/consultations/{world.ConsultationId}", UriKind.Relative);
        return () => new HttpRequestMessage(HttpMethod.Get, path);
    }
}
