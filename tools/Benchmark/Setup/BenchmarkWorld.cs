namespace Participatie.Benchmark.Setup;

/// <summary>
/// What the benchmark set up for itself through the gateway: one partner leading a trajectory over two fresh buurten,
/// a consultation in the first with a few residents to react, and the second buurt kept for the fan-out.
/// </summary>
internal sealed record BenchmarkWorld(
    string AccessToken,
    Guid TrajectoryId,
    Guid ConsultationId,
    IReadOnlyList<Guid> ReactingResidents,
    string FanOutBuurtCode);
