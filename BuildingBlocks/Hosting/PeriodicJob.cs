using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Participatie.BuildingBlocks.Hosting;

/// <summary>
/// A background loop that does one round of work at start and then once every period. A round that throws is logged
/// and the next round tries again, so one bad round never stops the loop; stopping the host ends it without an error.
/// Waiting goes through the <see cref="TimeProvider"/>, so a test can move time instead of sleeping.
/// </summary>
/// <example>
/// <code>
/// public sealed class ReminderJob(IConfiguration configuration, TimeProvider clock, ILogger&lt;ReminderJob&gt; logger)
///     : PeriodicJob(PeriodFrom(configuration, "Reminders:Interval", TimeSpan.FromMinutes(5)), clock, logger)
/// {
///     protected override Task RunOnceAsync(CancellationToken cancellationToken) => ...;
/// }
/// </code>
/// </example>
public abstract partial class PeriodicJob : BackgroundService
{
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private long _completedRounds;
    private long _failedRounds;

    protected PeriodicJob(TimeSpan period, TimeProvider clock, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        Period = period;
        _clock = clock;
        _logger = logger;
    }

    public TimeSpan Period { get; }

    /// <summary>The clock the job waits on; jobs read the time from it too.</summary>
    protected TimeProvider Clock => _clock;

    protected ILogger Logger => _logger;

    /// <summary>Rounds that finished without an exception; for tests and diagnostics.</summary>
    public long CompletedRounds => Interlocked.Read(ref _completedRounds);

    /// <summary>Rounds that threw; each was logged and the loop went on.</summary>
    public long FailedRounds => Interlocked.Read(ref _failedRounds);

    /// <summary>Whether the first round runs at start (the default) or only after the first period.</summary>
    protected virtual bool RunsAtStart => true;

    /// <summary>Reads a period such as "00:05:00" from configuration, or the fallback when it is not set.</summary>
    public static TimeSpan PeriodFrom(IConfiguration configuration, string key, TimeSpan fallback)
    {
        var period = configuration.GetValue<TimeSpan?>(key) ?? fallback;
        return period > TimeSpan.Zero
            ? period
            : throw new InvalidOperationException($"Setting '{key}' must be a positive time span, not '{period}'.");
    }

    /// <summary>One round of the job's work.</summary>
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Leave StartAsync at once: the host must not wait for the first round before it serves requests.
        await Task.Yield();
        using var timer = new PeriodicTimer(Period, _clock);
        try
        {
            if (!RunsAtStart && !await timer.WaitForNextTickAsync(stoppingToken))
            {
                return;
            }

            do
            {
                await RunRoundAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a round cut short is done again at the next start.
        }
    }

    private async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunOnceAsync(stoppingToken);
            Interlocked.Increment(ref _completedRounds);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // The database or the broker is away: the next round does whatever this one missed.
            Interlocked.Increment(ref _failedRounds);
            LogRoundFailed(_logger, exception, GetType().Name, Period);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A round of {Job} failed; the next round, in {Period}, tries again")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception, string job, TimeSpan period);
}
