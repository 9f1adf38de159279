namespace Participatie.Benchmark.Setup;

/// <summary>
/// What the benchmark set up for itself through the gateway: one partner leading a trajectory over three fresh buurten,
/// a consultation in the first with a few residents to react, the second buurt kept for the fan-out and a third for
/// the e-mail delivery.
/// </summary>
internal sealed record BenchmarkWorld(
    string AccessToken,
    Guid TrajectoryId,
    Guid ConsultationId,
    IReadOnlyList<Guid> ReactingResidents,
    string FanOutBuurtCode,
    string EmailBuurtCode);
