using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Participatie.BuildingBlocks.Hosting;

namespace Participatie.UnitTests;

public class PeriodicJobTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_round_that_throws_is_logged_and_the_next_round_still_runs()
    {
        using var job = new CountingJob(TimeSpan.FromMilliseconds(20), failFirstRounds: 1);
        await job.StartAsync(Cancel);

        await WaitUntilAsync(() => job.CompletedRounds >= 2, "two good rounds after a failed one");
        Assert.Equal(1, job.FailedRounds);
        await job.StopAsync(Cancel);
    }

    [Fact]
    public async Task Stopping_ends_the_loop_without_an_error_even_in_the_middle_of_a_round()
    {
        using var job = new CountingJob(TimeSpan.FromMilliseconds(20), roundTakes: TimeSpan.FromHours(1));
        await job.StartAsync(Cancel);
        await WaitUntilAsync(() => job.RoundsStarted >= 1, "the first round to start");

        await job.StopAsync(Cancel);

        Assert.True(job.ExecuteTask!.IsCompletedSuccessfully, $"The loop ended as {job.ExecuteTask.Status}.");
        Assert.Equal(0, job.FailedRounds);
    }

    [Fact]
    public async Task The_first_round_runs_at_start_and_the_next_only_after_the_period()
    {
        using var job = new CountingJob(TimeSpan.FromHours(1));
        await job.StartAsync(Cancel);

        await WaitUntilAsync(() => job.CompletedRounds == 1, "the round at start");
        await Task.Delay(300, Cancel);
        Assert.Equal(1, job.CompletedRounds);
        await job.StopAsync(Cancel);
    }

    [Fact]
    public async Task A_job_that_does_not_run_at_start_waits_for_the_period()
    {
        using var job = new CountingJob(TimeSpan.FromHours(1), runsAtStart: false);
        await job.StartAsync(Cancel);

        await Task.Delay(300, Cancel);
        Assert.Equal(0, job.RoundsStarted);
        await job.StopAsync(Cancel);
        Assert.True(job.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public void The_period_comes_from_configuration_or_the_fallback()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Jobs:Interval"] = "00:00:30", ["Jobs:Zero"] = "00:00:00" })
            .Build();

        Assert.Equal(TimeSpan.FromSeconds(30), PeriodicJob.PeriodFrom(configuration, "Jobs:Interval", TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.FromHours(1), PeriodicJob.PeriodFrom(configuration, "Jobs:Missing", TimeSpan.FromHours(1)));
        Assert.Throws<InvalidOperationException>(() => PeriodicJob.PeriodFrom(configuration, "Jobs:Zero", TimeSpan.FromHours(1)));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited in vain for {what}.");
            }

            await Task.Delay(10, Cancel);
        }
    }

    private sealed class CountingJob(TimeSpan period, int failFirstRounds = 0, TimeSpan? roundTakes = null, bool runsAtStart = true)
        : PeriodicJob(period, TimeProvider.System, NullLogger.Instance)
    {
        private int _roundsStarted;

        public int RoundsStarted => Volatile.Read(ref _roundsStarted);

        protected override bool RunsAtStart => runsAtStart;

        protected override async Task RunOnceAsync(CancellationToken cancellationToken)
        {
            var round = Interlocked.Increment(ref _roundsStarted);
            if (roundTakes is { } duration)
            {
                await Task.Delay(duration, cancellationToken);
            }

            if (round <= failFirstRounds)
            {
                throw new InvalidOperationException("The database is away.");
            }
        }
    }
}
