using Participatie.Benchmark.Measurements;
using Participatie.Benchmark.Platform;

namespace Participatie.Benchmark.Report;

/// <summary>The figures issues 7 and 8 ask for, each with its goal on this 2-core machine.</summary>
internal static class BenchmarkFigures
{
    private const double Megabyte = 1024 * 1024;

    public static IReadOnlyList<Figure> From(BenchmarkResults results)
    {
        var ingest = results.ReactionIngest;
        var receipts = results.Receipts;
        var reads = results.Reads;
        var fanOut = results.FanOut;
        var figures = new List<Figure>
        {
            new("Reaction ingest via gateway", ingest?.PerSecond, Unit.PerSecond, Goal.Minimum(1500), ingest is null || ingest.Failed == 0 ? null : $"{ingest.Failed:N0} failed"),
            new("Reaction ingest p50", ingest?.P50Milliseconds, Unit.Milliseconds),
            new("Reaction ingest p99", ingest?.P99Milliseconds, Unit.Milliseconds, Goal.Maximum(30)),
            new("Consultation read, direct", reads?.DirectMost.PerSecond, Unit.PerSecond, Goal.Minimum(3000), Latencies(reads?.DirectMost)),
            new("Consultation read, via gateway", reads?.GatewayMost.PerSecond, Unit.PerSecond, Goal.Minimum(3000), Latencies(reads?.GatewayMost)),
            new("Gateway keeps of direct throughput", reads?.GatewayShareOfDirect * 100, Unit.Percent, Goal.Minimum(85)),
            new("Gateway adds at p99", reads?.GatewayAddedP99Milliseconds, Unit.Milliseconds, Goal.Maximum(1),
                reads is null ? null : $"at a steady rate, p99 direct {reads.DirectPaced.P99Milliseconds:0.00} ms, via gateway {reads.GatewayPaced.P99Milliseconds:0.00} ms; p50 {reads.DirectPaced.P50Milliseconds:0.00} and {reads.GatewayPaced.P50Milliseconds:0.00} ms{Failures(reads.DirectPaced.Failed + reads.GatewayPaced.Failed)}{(reads.GatewayAddedP99Milliseconds < 0 ? " (below zero: less than this machine's noise)" : "")}"),
            new("Reaction → receipt stored p50", receipts?.Latency.PercentileMilliseconds(50), Unit.Milliseconds),
            new("Reaction → receipt stored p99", receipts?.Latency.PercentileMilliseconds(99), Unit.Milliseconds, Goal.Maximum(1000),
                receipts is null ? null : $"{receipts.Receipts:N0} receipts of {receipts.Reactions:N0} reactions, during the ingest run"),
            new($"Bulk registration of {fanOut?.Residents ?? 100_000:N0} residents via gateway", fanOut?.BulkRegistration?.TotalSeconds, Unit.Seconds, Goal.Maximum(120),
                fanOut?.Problem),
            new($"Notifications service knows the {fanOut?.Residents ?? 100_000:N0}", fanOut?.RecipientsKnown?.TotalSeconds, Unit.Seconds, Note:
                "from the first bulk request until the notifications service has every resident (a thousand to a ResidentsRegistered event)"),
            new($"Invitation fan-out to {fanOut?.Residents ?? 100_000:N0} residents", fanOut?.FanOut?.TotalSeconds, Unit.Seconds, Goal.Maximum(60),
                fanOut is null ? null : fanOut.FanOut is null ? $"{fanOut.InvitationsStored:N0} stored" : "from opening the consultation until every invitation is stored"),
            new("Cold start (second run) to all healthy", results.ColdStart?.TotalSeconds, Unit.Seconds, Goal.Maximum(30), results.ColdStartOrder),
        };
        figures.AddRange(results.ResidentBytes.Select(service =>
            new Figure($"RSS {service.Key} after the load", service.Value / Megabyte, Unit.Megabytes, Goal.Maximum(200), service.Value is null ? "process not found" : null)));
        return figures;
    }

    private static string Failures(long failed) => failed == 0 ? "" : $"; {failed:N0} failed";

    private static string? Latencies(Load.LoadResult? run) =>
        run is null ? null
        : run.Succeeded == 0 ? $"every request failed{Failures(run.Failed)}"
        : $"p50 {run.P50Milliseconds:0.0} ms, p99 {run.P99Milliseconds:0.0} ms{Failures(run.Failed)}";
}
