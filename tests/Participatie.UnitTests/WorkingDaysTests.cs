using Participatie.Consultations.Domain;
using Participatie.Contracts;

namespace Participatie.UnitTests;

public class WorkingDaysTests
{
    private static DateOnly Date(int year, int month, int day) => new(year, month, day);

    [Theory]
    [InlineData(2024, 3, 31)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 5)]
    [InlineData(2027, 3, 28)]
    [InlineData(2038, 4, 25)]
    [InlineData(2285, 3, 22)]
    public void Easter_Sunday_follows_the_Gregorian_computus(int year, int month, int day) =>
        Assert.Equal(Date(year, month, day), WorkingDays.EasterSunday(year));

    [Fact]
    public void A_deadline_skips_the_weekend()
    {
        // Friday 9 January 2026: the next working day is Monday.
        Assert.Equal(Date(2026, 1, 12), WorkingDays.Add(Date(2026, 1, 9), 1));
        Assert.Equal(Date(2026, 1, 13), WorkingDays.Add(Date(2026, 1, 8), 3));
    }

    [Fact]
    public void A_reaction_received_in_the_weekend_counts_from_Monday()
    {
        Assert.Equal(Date(2026, 1, 12), WorkingDays.Add(Date(2026, 1, 10), 1));
        Assert.Equal(Date(2026, 1, 12), WorkingDays.Add(Date(2026, 1, 11), 1));
    }

    [Fact]
    public void A_deadline_skips_Koningsdag_on_Monday_27_April_2026() =>
        Assert.Equal(Date(2026, 4, 28), WorkingDays.Add(Date(2026, 4, 24), 1));

    [Fact]
    public void Koningsdag_2025_was_on_Saturday_26_April_because_27_April_was_a_Sunday()
    {
        Assert.True(WorkingDays.IsPublicHoliday(Date(2025, 4, 26)));
        Assert.False(WorkingDays.IsPublicHoliday(Date(2025, 4, 27)));
        Assert.Equal(Date(2025, 4, 26), Assert.Single(WorkingDays.PublicHolidays(2025), holiday => holiday.Name == "Koningsdag").Date);
        // On a Saturday it costs no working day: Friday 25 April 2025 plus one is Monday 28 April.
        Assert.Equal(Date(2025, 4, 28), WorkingDays.Add(Date(2025, 4, 25), 1));
    }

    [Fact]
    public void A_deadline_skips_Good_Friday_and_Easter_2026()
    {
        Assert.True(WorkingDays.IsPublicHoliday(Date(2026, 4, 3)));
        Assert.True(WorkingDays.IsPublicHoliday(Date(2026, 4, 5)));
        Assert.True(WorkingDays.IsPublicHoliday(Date(2026, 4, 6)));
        // Thursday 2 April: Friday, the weekend and Monday are all off.
        Assert.Equal(Date(2026, 4, 7), WorkingDays.Add(Date(2026, 4, 2), 1));
    }

    [Fact]
    public void A_deadline_skips_Bevrijdingsdag_every_year()
    {
        Assert.Equal(Date(2026, 5, 6), WorkingDays.Add(Date(2026, 5, 4), 1));
        Assert.True(WorkingDays.IsPublicHoliday(Date(2027, 5, 5)));
    }

    [Fact]
    public void A_deadline_skips_Ascension_Day_on_14_May_2026()
    {
        Assert.True(WorkingDays.IsPublicHoliday(Date(2026, 5, 14)));
        Assert.Equal(Date(2026, 5, 15), WorkingDays.Add(Date(2026, 5, 13), 1));
    }

    [Fact]
    public void A_deadline_skips_Whit_Monday_on_25_May_2026()
    {
        Assert.True(WorkingDays.IsPublicHoliday(Date(2026, 5, 24)));
        Assert.True(WorkingDays.IsPublicHoliday(Date(2026, 5, 25)));
        Assert.Equal(Date(2026, 5, 26), WorkingDays.Add(Date(2026, 5, 22), 1));
    }

    [Fact]
    public void A_deadline_skips_Christmas_2026_and_New_Year()
    {
        // Christmas Day is a Friday, Boxing Day a Saturday: Thursday 24 December plus one is Monday 28 December.
        Assert.Equal(Date(2026, 12, 28), WorkingDays.Add(Date(2026, 12, 24), 1));
        Assert.Equal(Date(2026, 12, 29), WorkingDays.Add(Date(2026, 12, 24), 2));
        // New Year's Day 2027 is a Friday.
        Assert.Equal(Date(2027, 1, 4), WorkingDays.Add(Date(2026, 12, 31), 1));
    }

    [Fact]
    public void Fifteen_working_days_from_Monday_20_April_2026_skip_Koningsdag_and_Bevrijdingsdag() =>
        // 21-24 April (4), 28-30 April and 1 May (8), 4 May (9), 6-8 May (12), 11-13 May (15).
        Assert.Equal(Date(2026, 5, 13), AnswerDeadlines.DueOn(Date(2026, 4, 20), AnswerDeadlines.DefaultWorkingDays));

    [Fact]
    public void Fifteen_working_days_without_holidays_are_three_weeks() =>
        Assert.Equal(Date(2026, 1, 26), WorkingDays.Add(Date(2026, 1, 5), 15));

    [Fact]
    public void A_year_has_eleven_public_holidays_in_date_order()
    {
        var holidays = WorkingDays.PublicHolidays(2026);

        Assert.Equal(11, holidays.Count);
        Assert.Equal(holidays.OrderBy(holiday => holiday.Date), holidays);
        Assert.Equal(
            [Date(2026, 1, 1), Date(2026, 4, 3), Date(2026, 4, 5), Date(2026, 4, 6), Date(2026, 4, 27), Date(2026, 5, 5),
             Date(2026, 5, 14), Date(2026, 5, 24), Date(2026, 5, 25), Date(2026, 12, 25), Date(2026, 12, 26)],
            holidays.Select(holiday => holiday.Date));
    }

    [Fact]
    public void Zero_working_days_is_the_day_itself_and_a_negative_number_is_refused()
    {
        Assert.Equal(Date(2026, 1, 10), WorkingDays.Add(Date(2026, 1, 10), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkingDays.Add(Date(2026, 1, 10), -1));
    }

    [Theory]
    [InlineData(ReactionStatuses.Received, true)]
    [InlineData(ReactionStatuses.UnderConsideration, true)]
    [InlineData(ReactionStatuses.Adopted, false)]
    [InlineData(ReactionStatuses.PartlyAdopted, false)]
    [InlineData(ReactionStatuses.NotAdopted, false)]
    public void A_reaction_is_overdue_after_its_due_day_until_it_has_an_outcome(string status, bool overdueAfterwards)
    {
        var dueOn = Date(2026, 5, 13);

        Assert.False(AnswerDeadlines.IsOverdue(dueOn, status, today: dueOn));
        Assert.Equal(overdueAfterwards, AnswerDeadlines.IsOverdue(dueOn, status, today: dueOn.AddDays(1)));
    }
}
