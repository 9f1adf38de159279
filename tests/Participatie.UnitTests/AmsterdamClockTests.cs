using Participatie.BuildingBlocks.Time;

namespace Participatie.UnitTests;

public class AmsterdamClockTests
{
    [Theory]
    // Winter (CET, +01:00): half past eleven at night in UTC is already tomorrow in Amsterdam.
    [InlineData("2025-01-14T23:30:00Z", "2025-01-15", "00:30")]
    [InlineData("2025-01-14T22:59:00Z", "2025-01-14", "23:59")]
    // Summer (CEST, +02:00): ten at night in UTC is midnight in Amsterdam.
    [InlineData("2025-07-01T22:00:00Z", "2025-07-02", "00:00")]
    [InlineData("2025-07-01T21:59:00Z", "2025-07-01", "23:59")]
    // The night the clocks go forward (30 March 2025, 02:00 CET becomes 03:00 CEST).
    [InlineData("2025-03-30T01:30:00Z", "2025-03-30", "03:30")]
    public void Today_and_the_time_are_Amsterdams(string utc, string expectedDate, string expectedTime)
    {
        var clock = new FixedClock(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateOnly.Parse(expectedDate, System.Globalization.CultureInfo.InvariantCulture), AmsterdamClock.Today(clock));
        Assert.Equal(TimeOnly.Parse(expectedTime, System.Globalization.CultureInfo.InvariantCulture), AmsterdamClock.TimeOfDay(clock));
    }

    [Fact]
    public void Now_carries_Amsterdams_offset_and_is_the_same_moment()
    {
        var moment = new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.Zero);
        var now = AmsterdamClock.Now(new FixedClock(moment));

        Assert.Equal(TimeSpan.FromHours(2), now.Offset);
        Assert.Equal(moment, now);
    }

    [Fact]
    public void A_day_starts_at_midnight_in_Amsterdam()
    {
        Assert.Equal(new DateTimeOffset(2025, 1, 15, 0, 0, 0, TimeSpan.FromHours(1)), AmsterdamClock.StartOf(new DateOnly(2025, 1, 15)));
        Assert.Equal(new DateTimeOffset(2025, 7, 2, 0, 0, 0, TimeSpan.FromHours(2)), AmsterdamClock.StartOf(new DateOnly(2025, 7, 2)));
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 22, 0, 0, TimeSpan.Zero), AmsterdamClock.StartOf(new DateOnly(2025, 7, 2)).ToUniversalTime());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
