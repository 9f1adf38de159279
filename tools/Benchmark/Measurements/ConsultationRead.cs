using Participatie.Benchmark.Load;
using Participatie.Benchmark.Platform;
using Participatie.Benchmark.Setup;

namespace Participatie.Benchmark.Measurements;

/// <summary>
/// One consultation read straight from the consultations service and through the gateway, once as fast as each
/// goes (throughput) and once at a steady rate below saturation, taking turns (the latency the gateway adds to one request).
/// Both ways also through a bare YARP proxy (<see cref="ProxyFloorProcess"/>): what a proxy of its own costs on this
/// machine before the gateway does anything, the floor under the gateway's share of direct reads and under the
/// latency it adds; and, during the steady reads, how late a sleeping thread wakes (<see cref="WakeUpLateness"/>).
/// </summary>
internal sealed record ReadResult(
    LoadResult DirectMost, LoadResult GatewayMost, LoadResult DirectPaced, LoadResult GatewayPaced, LoadResult? FloorMost,
    LoadResult? FloorPaced, LatencyHistogram WakeUpLateness)
{
    public double GatewayShareOfDirect => GatewayMost.PerSecond / DirectMost.PerSecond;
    public double? FloorShareOfDirect => FloorMost?.PerSecond / DirectMost.PerSecond;
    public double? GatewayShareOfFloor => GatewayMost.PerSecond / FloorMost?.PerSecond;
    public double GatewayAddedP99Milliseconds => GatewayPaced.P99Milliseconds - DirectPaced.P99Milliseconds;
    public double? FloorAddedP99Milliseconds => FloorPaced?.P99Milliseconds - DirectPaced.P99Milliseconds;
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

        using var floorProcess = await ProxyFloorProcess.StartAsync(settings, cancellationToken);
        using var floor = floorProcess is null ? null : new LoadClient(settings.ProxyFloor, settings.Connections, world.AccessToken);
        var floorMost = floor is null ? null : await ClosedLoopLoad.RunAsync(floor, read, settings.Connections, settings.WarmUp, settings.Duration, cancellationToken);
        report(floorMost is null
            ? "read, bare YARP proxy: not measured (tools/ProxyFloor is published by eng/bench.sh)"
            : $"read, bare YARP proxy, as fast as it goes: {floorMost}");

        // The bare proxy takes its turn in the steady reads too: the latency any proxy adds here, beside the gateway's.
        LoadClient[] targets = floor is null ? [direct, gateway] : [direct, gateway, floor];
        using var wakeUps = WakeUpLateness.Start();
        var paced = await PacedLoad.RunAsync(targets, read, settings.PacedReadsPerSecond, settings.WarmUp, settings.PacedReadsDuration, cancellationToken);
        var lateness = wakeUps.Stop();
        report($"read, direct, {settings.PacedReadsPerSecond}/s: {paced[0]}");
        report($"read, gateway, {settings.PacedReadsPerSecond}/s (taking turns with the direct reads): {paced[1]}");
        if (floor is not null)
        {
            report($"read, bare YARP proxy, {settings.PacedReadsPerSecond}/s (taking turns with them): {paced[2]}");
        }

        report($"a sleeping thread woke meanwhile p50 {lateness.PercentileMilliseconds(50) * 1000:0} µs, p99 {lateness.PercentileMilliseconds(99) * 1000:0} µs late ({lateness.Count:N0} wake-ups)");
        return new ReadResult(directMost, gatewayMost, paced[0], paced[1], floorMost, floor is null ? null : paced[2], lateness);
    }

    /// <summary>The benchmark's consultation, read.</summary>
    public static Func<HttpRequestMessage> Requests(BenchmarkWorld world)
    {
        var path = new Uri($"/v1/consultations/{world.ConsultationId}", UriKind.Relative);
        return () => new HttpRequestMessage(HttpMethod.Get, path);
    }
}
