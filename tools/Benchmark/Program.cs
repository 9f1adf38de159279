using Participatie.Benchmark;

// eng/bench.sh starts the platform in benchmark mode and then runs this against it; see the README, "Benchmark".
var settings = BenchmarkSettings.FromArguments(args);
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, stop) =>
{
    stop.Cancel = true;
    cancellation.Cancel();
};

return settings.OnlyWaitUntilHealthy
    ? await BenchmarkRun.WaitUntilHealthyAsync(settings, cancellation.Token)
    : await BenchmarkRun.RunAsync(settings, cancellation.Token);
