using System.Diagnostics;
using Participatie.Benchmark.Measurements;
using Participatie.Benchmark.Platform;
using Participatie.Benchmark.Report;
using Participatie.Benchmark.Setup;

namespace Participatie.Benchmark;

/// <summary>
/// The benchmark's steps in order: cold start, set-up, reaction ingest and its receipts, reads, the fan-out, the
/// memory of each service after all that load, and last the e-mail delivery. A step that fails is reported and the
/// others still run.
/// </summary>
internal static class BenchmarkRun
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6);

    public static async Task<int> WaitUntilHealthyAsync(BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var healthyAt = await PlatformHealth.WaitUntilHealthyAsync(settings.Services, StartTimeout, cancellationToken);
        Say(DescribeStart(settings, healthyAt) ?? "all services healthy");
        return 0;
    }

    public static async Task<int> RunAsync(BenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var healthyAt = await PlatformHealth.WaitUntilHealthyAsync(settings.Services, StartTimeout, cancellationToken);
        var results = new BenchmarkResults
        {
            ColdStart = healthyAt.Values.Max() - settings.PlatformStartedAt,
            ColdStartOrder = DescribeStart(settings, healthyAt),
            LoadAverageAtStart = LoadAverage.Read(),
        };
        Say(results.ColdStartOrder ?? "all services healthy");

        var database = new PlatformDatabase(settings.PostgresPort, settings.PostgresPassword);
        var world = await BenchmarkWorldSetup.CreateAsync(settings, database, cancellationToken);
        Say($"set up: trajectory {world.TrajectoryId}, consultation {world.ConsultationId}, fan-out buurt {world.FanOutBuurtCode}, e-mail buurt {world.EmailBuurtCode}");

        // The set-up's events, what starts after the services and the JIT's background work settle first.
        var (settled, quiet) = await MachineQuiet.WaitAsync(SettleAtLeast, SettleAtMost, cancellationToken);
        results = results with { SettledBeforeLoad = DescribeSettled(settled, quiet) };
        Say($"the load begins: {results.SettledBeforeLoad}");

        if (!settings.OnlyEmailDelivery)
        {
            results = await StepAsync(results, "warm-up", async () =>
            {
                var warmUp = await WarmUp.RunAsync(settings, world, cancellationToken);
                Say($"warmed up: {warmUp}");
                // The warm-up's receipts and whatever it set going end before the first measured run.
                await MachineQuiet.WaitAsync(TimeSpan.FromSeconds(3), SettleAtMost, cancellationToken);
                return results with { WarmUp = warmUp };
            });
        }

        if (!settings.OnlyEmailDelivery && !settings.OnlyReads)
        {
            results = await StepAsync(results, "reaction ingest", async () =>
            {
                var cpu = await CpuPerReaction.StartAsync(settings, cancellationToken);
                var since = DateTimeOffset.UtcNow;
                var ingest = await ReactionIngest.RunAsync(settings, world, cancellationToken);
                Say($"reactions through the gateway: {ingest}");
                var receipts = await ReceiptLatency.MeasureAsync(database, world, cancellationToken, since);
                Say($"receipts: {receipts.Receipts} of {receipts.Reactions}, p50 {receipts.Latency.PercentileMilliseconds(50):0} ms, p99 {receipts.Latency.PercentileMilliseconds(99):0} ms");
                return results with { ReactionIngest = ingest, Receipts = receipts, CpuPerReaction = cpu.Stop(receipts.Reactions) };
            });
            results = await StepAsync(results, "receipts at a steady rate", async () =>
            {
                var since = DateTimeOffset.UtcNow;
                var paced = await ReactionIngest.RunPacedAsync(settings, world, cancellationToken);
                var receipts = await ReceiptLatency.MeasureAsync(database, world, cancellationToken, since);
                Say($"reactions at a steady {settings.PacedReactionsPerSecond}/s: {paced}; receipts: {receipts.Receipts} of {receipts.Reactions}, p50 {receipts.Latency.PercentileMilliseconds(50):0} ms, p99 {receipts.Latency.PercentileMilliseconds(99):0} ms");
                return results with { PacedIngest = paced, PacedReceipts = receipts };
            });
        }

        if (!settings.OnlyEmailDelivery && !settings.OnlyIngest)
        {
            results = await StepAsync(results, "consultation read", async () =>
                results with { Reads = await ConsultationRead.RunAsync(settings, world, Say, cancellationToken) });
        }

        if (!settings.OnlyEmailDelivery && !settings.OnlyIngest && !settings.OnlyReads)
        {
            results = await StepAsync(results, "invitation fan-out", async () =>
                results with { FanOut = await InvitationFanOut.RunAsync(settings, world, database, Say, cancellationToken) });
            results = results with { ResidentBytes = ServiceProcesses.ResidentBytes(settings.Services.Keys, settings.RepositoryRoot) };
            // The services check every 16 s whether they are quiet and release twice in a quiet spell, the second
            // time after 90 s (IdleMemoryRelease): wait for the machine to be quiet, then for both.
            await MachineQuiet.WaitAsync(SettleAtLeast, SettleAtMost, cancellationToken);
            await Task.Delay(IdleMemoryChecks, cancellationToken);
            results = results with { QuietResidentBytes = ServiceProcesses.ResidentBytes(settings.Services.Keys, settings.RepositoryRoot) };
            Say($"memory once quiet: {string.Join(", ", results.QuietResidentBytes.Select(service => $"{service.Key} {service.Value >> 20} MB"))}");
        }

        // Last, after the memory figures above: 100,000 mails would leave their mark on the notifications service's.
        if (!settings.OnlyIngest && !settings.OnlyReads && !settings.SkipEmailDelivery)
        {
            results = await StepAsync(results, "e-mail delivery", async () =>
                results with { EmailDelivery = await EmailDelivery.RunAsync(settings, world, database, Say, cancellationToken) });
        }

        results.Problems.AddRange(FirstFailures(results));
        var figures = BenchmarkFigures.From(results);
        Console.WriteLine();
        Console.WriteLine(ResultsTable.ForTerminal(figures));
        Console.WriteLine(CpuTable.ForTerminal(results.CpuPerReaction));
        Console.WriteLine(CpuTable.ForMails(results.EmailDelivery?.Cpu ?? [], markdown: false));
        results.Problems.ForEach(problem => Say($"problem: {problem}"));
        var written = ReportFiles.Write(settings, results, figures, total.Elapsed);
        Say($"written: {string.Join(", ", written)}");
        return 0;
    }

    private static async Task<BenchmarkResults> StepAsync(BenchmarkResults results, string step, Func<Task<BenchmarkResults>> measure)
    {
        try
        {
            return await measure();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Say($"{step} failed: {exception.Message}");
            results.Problems.Add($"{step}: {exception.Message}");
            return results;
        }
    }

    private static readonly TimeSpan SettleAtLeast = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SettleAtMost = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan IdleMemoryChecks = TimeSpan.FromSeconds(110);

    private static string DescribeSettled(TimeSpan settled, bool quiet) =>
        quiet
            ? $"the machine was quiet (under {MachineQuiet.QuietShare:P0} busy) {settled.TotalSeconds:0} s after the set-up"
            : $"the machine was still busy {settled.TotalSeconds:0} s after the set-up; the load began anyway";

    /// <summary>When each service became healthy, counted from the AppHost's start, in order.</summary>
    private static string? DescribeStart(BenchmarkSettings settings, IReadOnlyDictionary<string, DateTimeOffset> healthyAt) =>
        settings.PlatformStartedAt is not { } started ? null
        : "healthy after " + string.Join(", ", healthyAt.OrderBy(service => service.Value).Select(service => $"{service.Key} {(service.Value - started).TotalSeconds:0.0} s"));

    /// <summary>The first refused request of each load run, so that a regression can be traced from the report.</summary>
    private static IEnumerable<string> FirstFailures(BenchmarkResults results) =>
        new (string Run, Load.LoadResult? Result)[]
        {
            ("reaction ingest", results.ReactionIngest),
            ("read, direct", results.Reads?.DirectMost),
            ("read, via gateway", results.Reads?.GatewayMost),
            ("read, via a bare YARP proxy", results.Reads?.FloorMost),
        }
        .Where(run => run.Result?.FirstFailure is not null)
        .Select(run => $"{run.Run}: {run.Result!.Failed:N0} requests failed, the first with {run.Result.FirstFailure}");

    internal static void Say(string message) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
