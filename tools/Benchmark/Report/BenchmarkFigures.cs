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
            new("Reaction ingest p99, at a steady rate", results.PacedIngest?.P99Milliseconds, Unit.Milliseconds, Note:
                results.PacedIngest is null ? null : $"{results.PacedIngest.PerSecond:N0}/s sent at a steady rate, each timed from when it was due; p50 {results.PacedIngest.P50Milliseconds:0.0} ms"),
            new("Consultation read, direct", reads?.DirectMost.PerSecond, Unit.PerSecond, Goal.Minimum(3000), Latencies(reads?.DirectMost)),
            new("Consultation read, via gateway", reads?.GatewayMost.PerSecond, Unit.PerSecond, Goal.Minimum(3000), Latencies(reads?.GatewayMost)),
            new("Gateway keeps of direct throughput", reads?.GatewayShareOfDirect * 100, Unit.Percent, Goal.Minimum(85),
                reads?.FloorShareOfDirect is { } floorShare ? $"a bare YARP proxy keeps {floorShare * 100:0}% on this machine" : null),
            new("Consultation read, via a bare YARP proxy", reads?.FloorMost?.PerSecond, Unit.PerSecond, Note:
                reads?.FloorMost is null ? null : $"tools/ProxyFloor: one route, no authentication, rate limit, telemetry or logging; {Latencies(reads.FloorMost)}"),
            new("Gateway keeps of the bare proxy's throughput", reads?.GatewayShareOfFloor * 100, Unit.Percent, Note:
                reads?.GatewayShareOfFloor is null ? null : "what authentication, CORS, the rate limit, the retries and telemetry cost on top of proxying itself"),
            new("Gateway adds at p99", reads?.GatewayAddedP99Milliseconds, Unit.Milliseconds, Goal.Maximum(1),
                reads is null ? null : $"at a steady rate, p99 direct {reads.DirectPaced.P99Milliseconds:0.00} ms, via gateway {reads.GatewayPaced.P99Milliseconds:0.00} ms; p50 {reads.DirectPaced.P50Milliseconds:0.00} and {reads.GatewayPaced.P50Milliseconds:0.00} ms{Failures(reads.DirectPaced.Failed + reads.GatewayPaced.Failed)}{(reads.GatewayAddedP99Milliseconds < 0 ? " (below zero: less than this machine's noise)" : "")}"),
            new("A bare YARP proxy adds at p99", reads?.FloorAddedP99Milliseconds, Unit.Milliseconds, Note:
                reads is null ? null : FloorLatencyNote(reads)),
            new("Reaction → receipt stored p50, at full ingest", receipts?.Latency.PercentileMilliseconds(50), Unit.Milliseconds),
            new("Reaction → receipt stored p99, at full ingest", receipts?.Latency.PercentileMilliseconds(99), Unit.Milliseconds, Goal.Maximum(1000),
                receipts is null ? null : $"{receipts.Receipts:N0} receipts of {receipts.Reactions:N0} reactions, during the closed-loop ingest run that saturates both cores"),
            new("Reaction → receipt stored p50, at a steady rate", results.PacedReceipts?.Latency.PercentileMilliseconds(50), Unit.Milliseconds),
            new("Reaction → receipt stored p99, at a steady rate", results.PacedReceipts?.Latency.PercentileMilliseconds(99), Unit.Milliseconds, Goal.Maximum(1000),
                results.PacedReceipts is null ? null : $"{results.PacedReceipts.Receipts:N0} receipts of {results.PacedReceipts.Reactions:N0} reactions sent at a steady rate (--paced-reactions-per-second)"),
            new($"Bulk registration of {fanOut?.Residents ?? 100_000:N0} residents via gateway", fanOut?.BulkRegistration?.TotalSeconds, Unit.Seconds, Goal.Maximum(120),
                fanOut?.Problem),
            new($"Notifications service knows the {fanOut?.Residents ?? 100_000:N0}", fanOut?.RecipientsKnown?.TotalSeconds, Unit.Seconds, Note:
                "from the first bulk request until the notifications service has every resident (a thousand to a ResidentsRegistered event)"),
            new($"Invitation fan-out to {fanOut?.Residents ?? 100_000:N0} residents", fanOut?.FanOut?.TotalSeconds, Unit.Seconds, Goal.Maximum(60),
                fanOut is null ? null : fanOut.FanOut is null ? $"{fanOut.InvitationsStored:N0} stored" : "from opening the consultation until every invitation is stored"),
            new("Cold start (second run) to all healthy", results.ColdStart?.TotalSeconds, Unit.Seconds, Goal.Maximum(30), results.ColdStartOrder),
        };
        figures.AddRange(results.ResidentBytes.Select(service =>
            new Figure($"RSS {service.Key} after the load, once quiet", results.QuietResidentBytes.GetValueOrDefault(service.Key) / Megabyte, Unit.Megabytes, Goal.Maximum(200),
                service.Value is null ? "process not found" : $"right after the fan-out {service.Value / Megabyte:N0} MB")));
        figures.AddRange(EmailDelivery(results.EmailDelivery));
        return figures;
    }

    private static string FloorLatencyNote(ReadResult reads)
    {
        var wakeUps = $"a sleeping thread woke p50 {reads.WakeUpLateness.PercentileMilliseconds(50) * 1000:0} µs, p99 {reads.WakeUpLateness.PercentileMilliseconds(99) * 1000:0} µs late in the same seconds; a proxy adds two such wake-ups";
        return reads.FloorPaced is null
            ? $"not measured (tools/ProxyFloor is published by eng/bench.sh); {wakeUps}"
            : $"the same steady reads through tools/ProxyFloor, taking turns with the others: p99 {reads.FloorPaced.P99Milliseconds:0.00} ms, p50 {reads.FloorPaced.P50Milliseconds:0.00} ms; {wakeUps}";
    }

    /// <summary>Issue 8: 100,000 invitations by e-mail within 10 minutes, with flat memory.</summary>
    private static IEnumerable<Figure> EmailDelivery(EmailDeliveryResult? email)
    {
        var residents = email?.Residents ?? 100_000;
        yield return new($"E-mail invitations to {residents:N0} residents, all sent", email?.Elapsed?.TotalSeconds, Unit.Seconds, Goal.Maximum(600),
            email is null ? null
            : email.Problem ?? $"from opening the consultation until the mail server accepted every invitation (status sent); all stored after {email.InvitationsStored?.TotalSeconds:0.0} s");
        yield return new("E-mail rate", email?.PerSecond, Unit.PerSecond, Note:
            email is null ? null : $"{email.Sent:N0} sent ÷ the time from opening the consultation");
        yield return new("E-mails failed or bounced", email is null ? null : email.Failed + email.Bounced, Unit.Count, Goal.Maximum(0),
            email is null ? null : $"{email.Failed:N0} failed, {email.Bounced:N0} bounced; {ArrivalCheck(email)}");
        yield return Memory("Notifications.Api", email?.NotificationsMemory);
        yield return Memory("smtp4dev", email?.MailServerMemory);
    }

    /// <summary>Flat memory: the peak stays within 1.5× the RSS once a tenth of the mails were sent (warmed up).</summary>
    private static Figure Memory(string process, MemorySeries? memory) =>
        new($"RSS {process} during the e-mails, peak", memory?.PeakBytes / Megabyte, Unit.Megabytes,
            memory is null ? null : Goal.Maximum(memory.StartBytes * MemorySeries.FlatFactor / Megabyte),
            memory is null ? "process not found"
            : $"idle before {memory.IdleBytes / Megabyte:N1} MB, start (a tenth sent) {memory.StartBytes / Megabyte:N1} MB, end {memory.EndBytes / Megabyte:N1} MB, {memory.Samples} samples every 2 s; flat means a peak within {MemorySeries.FlatFactor}× the start: {(memory.IsFlat ? "flat" : "not flat")}");

    private static string ArrivalCheck(EmailDeliveryResult email) =>
        email.MailServerStored is not { } stored ? "the mail server's count could not be read"
        : $"counted as accepted by SMTP (the service records sent on the server's 250); smtp4dev keeps only its newest mails and holds {stored:N0}, the newest {(email.NewestMailIsOurs == true ? "to" : "not to")} this run's residents";

    private static string Failures(long failed) => failed == 0 ? "" : $"; {failed:N0} failed";

    private static string? Latencies(Load.LoadResult? run) =>
        run is null ? null
        : run.Succeeded == 0 ? $"every request failed{Failures(run.Failed)}"
        : $"p50 {run.P50Milliseconds:0.0} ms, p99 {run.P99Milliseconds:0.0} ms{Failures(run.Failed)}";
}
