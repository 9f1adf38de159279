namespace Participatie.Consultations.Domain;

/// <summary>Today as residents see it: consultations close at the end of the day in the Netherlands.</summary>
public static class DutchCalendar
{
    private static readonly TimeZoneInfo Netherlands = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public static DateOnly Today(TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Netherlands).DateTime);

    public static bool IsOpen(DateOnly closesOn, TimeProvider clock) => Today(clock) <= closesOn;
}
