using System.Diagnostics;
using Participatie.Benchmark.Load;
using Participatie.Benchmark.Platform;
using Participatie.Benchmark.Setup;

namespace Participatie.Benchmark.Measurements;

/// <summary>How long the warm-up ran, and the CPU the services' background compilers used in it and in its last round.</summary>
internal sealed record WarmUpResult(TimeSpan Took, int Rounds, TimeSpan CompilerCpu, TimeSpan LastRoundCompilerCpu, bool Settled)
{
    public override string ToString() =>
        $"a warm-up of {Took.TotalSeconds:0} s ({Rounds} rounds of reactions and reads) in which the services' background " +
        $"compilers used {CompilerCpu.TotalSeconds:0.0} s of CPU, " +
        (Settled
            ? $"{LastRoundCompilerCpu.TotalSeconds:0.00} s in its last round"
            : $"still {LastRoundCompilerCpu.TotalSeconds:0.00} s in its last round when it gave up");
}

/// <summary>
/// Reactions and reads, as the measured runs send them, until the services' background compilers have settled: at
/// a start the code a service runs hot is compiled again, optimised (tiered compilation), for as long as new paths
/// get hot, and a first ingest run measured that (measured: consultations 4.2 ms of CPU per reaction in the first
/// run after a start, 1.6 ms in the second; 133 and 256 reactions/s). A platform that runs for weeks pays this once;
/// the cold start is timed on its own. Nothing of the warm-up is counted.
/// </summary>
internal static class WarmUp
{
    private static readonly TimeSpan RoundLength = TimeSpan.FromSeconds(4);

    /// <summary>Settled: the compilers of all services together used less than this in a round (under 5% of a core).</summary>
    private static readonly TimeSpan SettledCompilerCpu = RoundLength * 0.05;

    private const int LeastRounds = 2;
    private const int MostRounds = 30;

    public static async Task<WarmUpResult> RunAsync(BenchmarkSettings settings, BenchmarkWorld world, CancellationToken cancellationToken)
    {
        var took = Stopwatch.StartNew();
        using var gateway = new LoadClient(settings.Gateway, settings.Connections, world.AccessToken);
        using var direct = new LoadClient(settings.ConsultationsService, settings.Connections, world.AccessToken);
        var reactions = ReactionIngest.Requests(world);
        var reads = ConsultationRead.Requests(world);
        var readConnections = Math.Max(1, settings.Connections / 2);
        var total = TimeSpan.Zero;
        var round = TimeSpan.Zero;
        var rounds = 0;
        while (rounds < MostRounds)
        {
            rounds++;
            var before = CompilerThreads(settings);
            // Half a round each: the ingest path, then the read path straight and through the gateway.
            await ClosedLoopLoad.RunAsync(gateway, reactions, settings.Connections, TimeSpan.Zero, RoundLength / 2, cancellationToken);
            await ClosedLoopLoad.RunAsync(direct, reads, readConnections, TimeSpan.Zero, RoundLength / 4, cancellationToken);
            await ClosedLoopLoad.RunAsync(gateway, reads, readConnections, TimeSpan.Zero, RoundLength / 4, cancellationToken);
            round = TieredCompilation.Between(before, CompilerThreads(settings));
            total += round;
            if (rounds >= LeastRounds && round < SettledCompilerCpu)
            {
                return new WarmUpResult(took.Elapsed, rounds, total, round, Settled: true);
            }
        }

        return new WarmUpResult(took.Elapsed, rounds, total, round, Settled: false);
    }

    private static IReadOnlyDictionary<int, long> CompilerThreads(BenchmarkSettings settings) =>
        TieredCompilation.Snapshot(PlatformProcesses.Services(settings.Services.Keys, settings.RepositoryRoot).Values.SelectMany(pids => pids));
}
