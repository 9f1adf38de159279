using MassTransit;

namespace Participatie.BuildingBlocks.Messaging;

/// <summary>How a consumer's failures are retried (configuration section <c>Messaging:Retry</c>).</summary>
public sealed class RetryOptions
{
    // Null means the default: the configuration binder would append configured values to a preset list.

    /// <summary>Waits between attempts after a fault (a deadlock, a restarting database): short, about 20 s in all.</summary>
    public TimeSpan[]? FaultIntervals { get; set; }

    /// <summary>
    /// Waits between attempts after a <see cref="RetryLaterException"/>: long enough (about ten minutes in all) for an
    /// event that travels separately to arrive, even through an outbox relay that was briefly behind.
    /// </summary>
    public TimeSpan[]? RetryLaterIntervals { get; set; }

    private static readonly TimeSpan[] DefaultFaultIntervals =
        [.. new[] { 100, 500, 1000, 2000, 5000, 10000 }.Select(milliseconds => TimeSpan.FromMilliseconds(milliseconds))];

    private static readonly TimeSpan[] DefaultRetryLaterIntervals =
        [.. new[] { 1, 2, 5, 10, 30, 60, 120, 180, 180 }.Select(seconds => TimeSpan.FromSeconds(seconds))];

    /// <summary>How long after its first delivery a message can still be tried again by these schedules.</summary>
    public TimeSpan LongestRetryWindow =>
        RetryLaterIntervalsOrDefault.Aggregate(TimeSpan.Zero, (sum, interval) => sum + interval)
        + FaultIntervalsOrDefault.Aggregate(TimeSpan.Zero, (sum, interval) => sum + interval);

    internal TimeSpan[] FaultIntervalsOrDefault => FaultIntervals is { Length: > 0 } intervals ? intervals : DefaultFaultIntervals;

    internal TimeSpan[] RetryLaterIntervalsOrDefault =>
        RetryLaterIntervals is { Length: > 0 } intervals ? intervals : DefaultRetryLaterIntervals;
}

public static class RetryConfigurationExtensions
{
    /// <summary>
    /// Two retry schedules that never overlap: the outer one takes only <see cref="RetryLaterException"/>, the inner
    /// one every other exception. A message that runs out of either goes to its queue's <c>_error</c> queue.
    /// </summary>
    /// <remarks>
    /// Retries happen in memory (the broker has no delayed-message plugin here); a waiting message holds one of the
    /// endpoint's concurrent slots for the while, which is acceptable for the rare out-of-order event.
    /// </remarks>
    public static void UseParticipatieRetries(this IConsumePipeConfigurator configurator, RetryOptions options)
    {
        configurator.UseMessageRetry(retry =>
        {
            retry.Handle<RetryLaterException>();
            retry.Intervals(options.RetryLaterIntervalsOrDefault);
        });
        configurator.UseMessageRetry(retry =>
        {
            retry.Ignore<RetryLaterException>();
            retry.Intervals(options.FaultIntervalsOrDefault);
        });
    }
}
