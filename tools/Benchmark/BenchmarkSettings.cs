using System.Globalization;

namespace Participatie.Benchmark;

/// <summary>
/// Where the platform listens in benchmark mode (the AppHost's fixed, unproxied ports) and how hard to push it.
/// Every value can be given as <c>--name value</c>; the secrets come from the environment eng/bench.sh sets.
/// </summary>
internal sealed record BenchmarkSettings
{
    public Uri Gateway { get; init; } = new("http://localhost:5080");
    public Uri ConsultationsService { get; init; } = new("http://localhost:5103");

    /// <summary>Where the bare YARP proxy (tools/ProxyFloor) listens while the reads go through it.</summary>
    public Uri ProxyFloor { get; init; } = new("http://127.0.0.1:5099");

    /// <summary>The local mail server's web page and REST API (smtp4dev; AppHost/MailServer.cs).</summary>
    public Uri MailServer { get; init; } = new("http://localhost:5090");

    /// <summary>Every service's own address, for the health checks and the cold start.</summary>
    public IReadOnlyDictionary<string, Uri> Services { get; init; } = new Dictionary<string, Uri>
    {
        ["Gateway"] = new("http://localhost:5080"),
        ["Residents.Api"] = new("http://localhost:5101"),
        ["PartnerCoordination.Api"] = new("http://localhost:5102"),
        ["Consultations.Api"] = new("http://localhost:5103"),
        ["Notifications.Api"] = new("http://localhost:5104"),
    };

    public required string OperatorSecret { get; init; }
    public required string PostgresPassword { get; init; }
    public int PostgresPort { get; init; } = 5432;
    public int RabbitMqPort { get; init; } = 5672;

    /// <summary>Concurrent connections of the closed-loop runs (the baseline used wrk -c16).</summary>
    public int Connections { get; init; } = 16;

    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The steady rate (each) at which direct and gateway reads are compared for the latency the gateway adds.</summary>
    public int PacedReadsPerSecond { get; init; } = 50;

    /// <summary>
    /// How long the steady reads are measured: longer than the other runs, because the figure is the difference of two
    /// tails. Over 20 s (1,000 reads each, the p99 their tenth slowest) it swung from -5.8 to +6.1 ms between runs of
    /// the same code, as a stall of a few milliseconds that caught a handful of one side's reads decided it.
    /// </summary>
    public TimeSpan PacedReadsDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The steady rate of reactions at which the time to a receipt is measured a second time: well below what the
    /// platform accepts at most, so that the figure shows the path rather than a queue that a saturated machine
    /// builds up while every process competes for the same two cores.
    /// </summary>
    public int PacedReactionsPerSecond { get; init; } = 300;

    public int FanOutResidents { get; init; } = 100_000;

    /// <summary>Residents reached by e-mail, each sent an invitation (issue 8: 100,000 within 10 minutes).</summary>
    public int EmailResidents { get; init; } = 100_000;

    /// <summary>Only the e-mail delivery, for tuning the mail settings without the other measures' ten minutes.</summary>
    public bool OnlyEmailDelivery { get; init; }

    /// <summary>Only the reaction ingest and its receipts (for profiling that path), nothing after it.</summary>
    public bool OnlyIngest { get; init; }

    /// <summary>Only the consultation reads, direct and through the gateway (for profiling the gateway), nothing else.</summary>
    public bool OnlyReads { get; init; }

    /// <summary>Everything but the e-mail delivery (for looking at the services' memory once quiet), which comes last.</summary>
    public bool SkipEmailDelivery { get; init; }

    /// <summary>When eng/bench.sh started the AppHost (Unix milliseconds); null when the cold start is not measured.</summary>
    public DateTimeOffset? PlatformStartedAt { get; init; }

    public bool OnlyWaitUntilHealthy { get; init; }
    public string OutputDirectory { get; init; } = Path.Combine("artifacts", "bench");

    /// <summary>The checkout whose processes are measured (other checkouts on the machine may run the same services).</summary>
    public string RepositoryRoot { get; init; } = Directory.GetCurrentDirectory();

    public string Commit { get; init; } = "unknown";

    public static BenchmarkSettings FromArguments(string[] args)
    {
        var options = ParseOptions(args);
        string Option(string name, string fallback) => options.TryGetValue(name, out var value) ? value : fallback;
        int Number(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        return new BenchmarkSettings
        {
            OperatorSecret = RequiredEnvironment("BENCH_OPERATOR_SECRET"),
            PostgresPassword = RequiredEnvironment("BENCH_POSTGRES_PASSWORD"),
            Connections = Number("connections", 16),
            WarmUp = TimeSpan.FromSeconds(Number("warm-up-seconds", 5)),
            Duration = TimeSpan.FromSeconds(Number("duration-seconds", 20)),
            PacedReadsPerSecond = Number("paced-reads-per-second", 50),
            PacedReadsDuration = TimeSpan.FromSeconds(Number("paced-reads-seconds", 60)),
            PacedReactionsPerSecond = Number("paced-reactions-per-second", 300),
            FanOutResidents = Number("fan-out-residents", 100_000),
            EmailResidents = Number("email-residents", 100_000),
            OnlyEmailDelivery = options.ContainsKey("only-email-delivery"),
            OnlyIngest = options.ContainsKey("only-ingest"),
            OnlyReads = options.ContainsKey("only-reads"),
            SkipEmailDelivery = options.ContainsKey("skip-email-delivery"),
            PlatformStartedAt = options.TryGetValue("platform-started-at", out var started)
                ? DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(started, CultureInfo.InvariantCulture))
                : null,
            OnlyWaitUntilHealthy = options.ContainsKey("wait-until-healthy"),
            OutputDirectory = Option("output", Path.Combine("artifacts", "bench")),
            RepositoryRoot = Path.GetFullPath(Option("repository", Directory.GetCurrentDirectory())),
            Commit = Option("commit", "unknown"),
        };
    }

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var index = 0; index < args.Length; index++)
        {
            if (!args[index].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{args[index]}'; options are written --name value.");
            }

            var name = args[index][2..];
            var hasValue = index + 1 < args.Length && !args[index + 1].StartsWith("--", StringComparison.Ordinal);
            options[name] = hasValue ? args[++index] : "true";
        }

        return options;
    }

    private static string RequiredEnvironment(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set; run the benchmark through eng/bench.sh.");
}
