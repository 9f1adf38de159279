using Participatie.Contracts;

namespace Participatie.Notifications.Domain;

/// <summary>
/// No e-mail or SMS reaches a resident between 21:00 and 08:00 in Amsterdam: what falls due then waits until the
/// morning. A letter or an item in the app feed disturbs no one, so they are not held.
/// </summary>
public static class QuietHours
{
    // The rules reason in Amsterdam's wall-clock time; the zone is looked up here so that Domain needs no building block.
    internal static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public static readonly TimeOnly Begins = new(21, 0);
    public static readonly TimeOnly Ends = new(8, 0);

    public static bool Apply(string channel) => channel is Channels.Email or Channels.Sms;

    public static bool Contains(DateTimeOffset moment)
    {
        var time = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(moment, Amsterdam).DateTime);
        return time >= Begins || time < Ends;
    }

    /// <summary>The end of the quiet hours <paramref name="moment"/> falls in: 08:00 the same or the next day in Amsterdam.</summary>
    public static DateTimeOffset EndAfter(DateTimeOffset moment)
    {
        var local = TimeZoneInfo.ConvertTime(moment, Amsterdam);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (TimeOnly.FromDateTime(local.DateTime) >= Begins)
        {
            day = day.AddDays(1);
        }

        return At(day, Ends);
    }

    /// <summary>A wall-clock moment in Amsterdam, in UTC (what PostgreSQL's timestamptz takes).</summary>
    internal static DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var wallClock = day.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(wallClock, Amsterdam.GetUtcOffset(wallClock)).ToUniversalTime();
    }
}

/// <summary>
/// When a failed attempt is tried again: exponential backoff from a base delay, capped, with a little jitter so that
/// a whole batch that failed together does not retry together. After the last attempt the channel has failed.
/// </summary>
public sealed record RetrySchedule(int MaximumAttempts, TimeSpan FirstDelay, TimeSpan LongestDelay)
{
    public static readonly RetrySchedule Default = new(5, TimeSpan.FromSeconds(30), TimeSpan.FromHours(1));

    public bool MayRetry(int attemptsMade) => attemptsMade < MaximumAttempts;

    /// <param name="attemptsMade">The attempts made so far, the failed one included (1 after the first).</param>
    /// <param name="jitter">A number in [0, 1) that spreads retries over up to a fifth of the delay.</param>
    public TimeSpan DelayAfter(int attemptsMade, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attemptsMade, 1);
        var exponential = FirstDelay.TotalSeconds * Math.Pow(2, Math.Min(attemptsMade - 1, 30));
        var seconds = Math.Min(exponential, LongestDelay.TotalSeconds);
        return TimeSpan.FromSeconds(seconds * (1 + (0.2 * jitter)));
    }
}

/// <summary>
/// Which notifications may wait for a digest, and when a digest goes out: daily at 08:00, weekly on Monday at 08:00
/// (Amsterdam time). A receipt and the answer to a resident's own reaction always go at once.
/// </summary>
public static class DigestSchedule
{
    public static readonly TimeOnly SendsAt = new(8, 0);

    public static readonly IReadOnlyList<string> DigestibleKinds = [NotificationKinds.ConsultationOpened, NotificationKinds.PhaseChanged];

    public static bool MayWait(string kind) => DigestibleKinds.Contains(kind, StringComparer.Ordinal);

    /// <summary>
    /// The latest digest moment at or before <paramref name="now"/>: everything a resident was given to wait before
    /// it goes out in the digest sent then. Null for <see cref="DigestFrequencies.Immediately"/>.
    /// </summary>
    public static DateTimeOffset? LastDigestMoment(string frequency, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, QuietHours.Amsterdam);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (TimeOnly.FromDateTime(local.DateTime) < SendsAt)
        {
            day = day.AddDays(-1);
        }

        return frequency switch
        {
            DigestFrequencies.Daily => QuietHours.At(day, SendsAt),
            DigestFrequencies.Weekly => QuietHours.At(day.AddDays(-(((int)day.DayOfWeek + 6) % 7)), SendsAt),
            _ => null,
        };
    }

    /// <summary>The first digest moment after <paramref name="now"/>; null for <see cref="DigestFrequencies.Immediately"/>.</summary>
    public static DateTimeOffset? NextDigestMoment(string frequency, DateTimeOffset now)
    {
        if (LastDigestMoment(frequency, now) is not { } last)
        {
            return null;
        }

        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(last, QuietHours.Amsterdam).DateTime);
        return QuietHours.At(day.AddDays(frequency == DigestFrequencies.Weekly ? 7 : 1), SendsAt);
    }
}

/// <summary>
/// Where a message goes when its channel failed for good: an e-mail that bounced or an SMS that failed goes by letter,
/// since every registered resident has a postal address. A letter and the app feed have no fallback.
/// </summary>
public static class FallbackChannel
{
    public static string? After(string failedChannel) => failedChannel is Channels.Email or Channels.Sms ? Channels.Letter : null;
}
