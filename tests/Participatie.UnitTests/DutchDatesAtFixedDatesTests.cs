using Participatie.Consultations.Domain;

namespace Participatie.UnitTests;

/// <summary>
/// The date rules at fixed dates, each expected date written out by hand from a calendar (never computed with the
/// rule under test): the Dutch public holidays of 2025, deadlines across them, and the meeting reminder's day before.
/// </summary>
public class DutchDatesAtFixedDatesTests
{
    private static readonly TimeZoneInfo Netherlands = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private static DateOnly Date(int year, int month, int day) => new(year, month, day);

    /// <summary>A moment on a clock in Amsterdam (summer or winter time as it was then).</summary>
    private static DateTimeOffset Amsterdam(int year, int month, int day, int hour, int minute = 0)
    {
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Netherlands.GetUtcOffset(local));
    }

    [Fact]
    public void The_public_holidays_of_2025_are_the_eleven_on_the_calendar()
    {
        Assert.Equal(
            [
                Date(2025, 1, 1),   // Nieuwjaarsdag, Wednesday
                Date(2025, 4, 18),  // Goede Vrijdag
                Date(2025, 4, 20),  // Eerste Paasdag
                Date(2025, 4, 21),  // Tweede Paasdag (Easter Monday)
                Date(2025, 4, 26),  // Koningsdag, Saturday: 27 April 2025 is a Sunday
                Date(2025, 5, 5),   // Bevrijdingsdag, Monday
                Date(2025, 5, 29),  // Hemelvaartsdag (Ascension), Thursday
                Date(2025, 6, 8),   // Eerste Pinksterdag
                Date(2025, 6, 9),   // Tweede Pinksterdag (Whit Monday)
                Date(2025, 12, 25), // Eerste Kerstdag, Thursday
                Date(2025, 12, 26), // Tweede Kerstdag, Friday
            ],
            WorkingDays.PublicHolidays(2025).Select(holiday => holiday.Date));
    }

    [Theory]
    [InlineData(2025, 26)]
    [InlineData(2031, 26)]
    [InlineData(2036, 26)]
    [InlineData(2026, 27)]
    [InlineData(2027, 27)]
    public void Kings_Day_is_27_April_or_the_Saturday_before_when_that_is_a_Sunday(int year, int day)
    {
        Assert.True(WorkingDays.IsPublicHoliday(Date(year, 4, day)));
        Assert.False(WorkingDays.IsPublicHoliday(Date(year, 4, day == 26 ? 27 : 26)));
        Assert.False(WorkingDays.IsPublicHoliday(Date(year, 4, 28)));
    }

    [Theory]
    // Thursday before Easter: Good Friday, the weekend and Easter Monday are off.
    [InlineData(2025, 4, 17, 1, 2025, 4, 22)]
    // Easter Monday itself counts from Tuesday.
    [InlineData(2025, 4, 21, 1, 2025, 4, 22)]
    // Friday 25 April: King's Day on Saturday costs no working day.
    [InlineData(2025, 4, 25, 1, 2025, 4, 28)]
    // A Friday before a holiday weekend: Liberation Day is Monday 5 May.
    [InlineData(2025, 5, 2, 1, 2025, 5, 6)]
    // Ascension Thursday 29 May.
    [InlineData(2025, 5, 28, 1, 2025, 5, 30)]
    [InlineData(2025, 5, 28, 2, 2025, 6, 2)]
    // A Friday before a holiday weekend: Whit Monday is 9 June.
    [InlineData(2025, 6, 6, 1, 2025, 6, 10)]
    // Christmas on Thursday and Friday, then the weekend.
    [InlineData(2025, 12, 24, 1, 2025, 12, 29)]
    // New Year's Day 2026 is a Thursday.
    [InlineData(2025, 12, 31, 1, 2026, 1, 2)]
    // Fifteen from Thursday 17 April: 22-25 April (4), 28 April-2 May (9), 6-9 May (13), 12-13 May (15).
    [InlineData(2025, 4, 17, 15, 2025, 5, 13)]
    // Fifteen from Friday 2 May: 6-9 May (4), 12-16 May (9), 19-23 May (14), 26 May (15).
    [InlineData(2025, 5, 2, 15, 2025, 5, 26)]
    // Fifteen from Friday 23 May: 26-28 May (3), 30 May (4), 2-6 June (9), 10-13 June (13), 16-17 June (15).
    [InlineData(2025, 5, 23, 15, 2025, 6, 17)]
    public void An_answer_is_due_the_working_days_after_the_day_it_arrived(
        int year, int month, int day, int workingDays, int dueYear, int dueMonth, int dueDay) =>
        Assert.Equal(Date(dueYear, dueMonth, dueDay), AnswerDeadlines.DueOn(Date(year, month, day), workingDays));

    [Fact]
    public void A_reaction_due_on_Tuesday_22_April_2025_is_overdue_from_Wednesday_on()
    {
        Assert.False(AnswerDeadlines.IsOverdue(Date(2025, 4, 22), "received", Date(2025, 4, 22)));
        Assert.True(AnswerDeadlines.IsOverdue(Date(2025, 4, 22), "received", Date(2025, 4, 23)));
        Assert.True(AnswerDeadlines.IsOverdue(Date(2025, 4, 22), "under-consideration", Date(2025, 4, 23)));
        Assert.False(AnswerDeadlines.IsOverdue(Date(2025, 4, 22), "adopted", Date(2025, 4, 23)));
    }

    [Fact]
    public void A_meetings_reminder_is_due_from_a_day_before_its_start_until_it_starts()
    {
        // A bewonersavond on Friday 18 April 2025 at 19:30 in Amsterdam.
        var startsAt = Amsterdam(2025, 4, 18, 19, 30);

        Assert.False(MeetingRules.IsReminderDue(startsAt, Amsterdam(2025, 4, 17, 19, 29)));
        Assert.True(MeetingRules.IsReminderDue(startsAt, Amsterdam(2025, 4, 17, 19, 30)));
        Assert.True(MeetingRules.IsReminderDue(startsAt, Amsterdam(2025, 4, 18, 19, 29)));
        Assert.False(MeetingRules.IsReminderDue(startsAt, Amsterdam(2025, 4, 18, 19, 30)));
    }

    [Fact]
    public void Across_the_change_to_summer_time_the_day_before_is_24_hours_before()
    {
        // Sunday 30 March 2025, 19:30 summer time; the clocks went forward at 02:00 that night. Twenty-four hours
        // earlier is Saturday 29 March, 18:30 winter time (both 17:30 UTC).
        var startsAt = Amsterdam(2025, 3, 30, 19, 30);

        Assert.False(MeetingRules.IsReminderDue(startsAt, Amsterdam(2025, 3, 29, 18, 29)));
        Assert.True(MeetingRules.IsReminderDue(startsAt, Amsterdam(2025, 3, 29, 18, 30)));
    }
}
