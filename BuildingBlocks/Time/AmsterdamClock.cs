namespace Participatie.BuildingBlocks.Time;

/// <summary>
/// The date and time as residents and partners see them: in the Netherlands (Europe/Amsterdam, CET/CEST), whatever
/// zone the server runs in. Deadlines, closing dates and "today" follow this clock, never UTC's date.
/// Always read through a <see cref="TimeProvider"/>, so that tests can fix the moment.
/// </summary>
public static class AmsterdamClock
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    /// <summary>Today's date in Amsterdam.</summary>
    public static DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return DateOnly.FromDateTime(Now(clock).DateTime);
    }

    /// <summary>The moment now, with Amsterdam's offset (+01:00 or +02:00).</summary>
    public static DateTimeOffset Now(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return ToAmsterdam(clock.GetUtcNow());
    }

    /// <summary>The wall-clock time now in Amsterdam.</summary>
    public static TimeOnly TimeOfDay(TimeProvider clock) => TimeOnly.FromDateTime(Now(clock).DateTime);

    /// <summary>Any moment as it reads on a clock in Amsterdam.</summary>
    public static DateTimeOffset ToAmsterdam(DateTimeOffset moment) => TimeZoneInfo.ConvertTime(moment, Zone);

    /// <summary>The moment a date begins in Amsterdam (midnight there), for comparing dates with timestamps.</summary>
    public static DateTimeOffset StartOf(DateOnly date)
    {
        var midnight = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(midnight, Zone.GetUtcOffset(midnight));
    }
}
