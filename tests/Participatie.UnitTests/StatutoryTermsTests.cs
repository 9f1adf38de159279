using Participatie.Contracts;

namespace Participatie.UnitTests;

/// <summary>The Algemene termijnenwet: statutory terms that end on a weekend or holiday end on the next working day.</summary>
public class StatutoryTermsTests
{
    private static readonly IReadOnlySet<DateOnly> NoneDeclared = new HashSet<DateOnly>();

    [Fact]
    public void A_term_ending_on_a_weekday_that_is_no_holiday_stays() =>
        Assert.Equal(new DateOnly(2027, 3, 17), StatutoryTerms.End(new DateOnly(2027, 3, 3), 14, NoneDeclared));

    [Fact]
    public void Fourteen_days_from_Friday_12_December_2025_end_on_Monday_29_December_not_on_Tweede_Kerstdag() =>
        Assert.Equal(new DateOnly(2025, 12, 29), StatutoryTerms.End(new DateOnly(2025, 12, 12), 14, NoneDeclared));

    [Theory]
    [InlineData(2027, 1, 2, 2027, 1, 4)] // Saturday → Monday
    [InlineData(2027, 1, 3, 2027, 1, 4)] // Sunday → Monday
    [InlineData(2027, 3, 29, 2027, 3, 30)] // Tweede Paasdag 2027
    [InlineData(2026, 5, 5, 2026, 5, 6)] // 5 mei, every year under art. 3
    [InlineData(2027, 5, 6, 2027, 5, 7)] // Hemelvaartsdag 2027
    [InlineData(2027, 5, 17, 2027, 5, 18)] // Tweede Pinksterdag 2027
    [InlineData(2027, 4, 27, 2027, 4, 28)] // Koningsdag
    [InlineData(2025, 4, 26, 2025, 4, 28)] // Koningsdag 2025 on Saturday 26 April (27 April was a Sunday)
    [InlineData(2026, 12, 25, 2026, 12, 28)] // Kerst on Friday and Saturday, then Sunday
    [InlineData(2026, 1, 1, 2026, 1, 2)] // Nieuwjaarsdag
    public void A_term_ending_on_a_weekend_or_holiday_ends_on_the_next_working_day(int year, int month, int day, int endYear, int endMonth, int endDay)
    {
        var unmoved = new DateOnly(year, month, day);

        Assert.Equal(new DateOnly(endYear, endMonth, endDay), StatutoryTerms.End(unmoved.AddDays(-14), 14, NoneDeclared));
    }

    [Fact]
    public void Goede_Vrijdag_is_no_holiday_under_the_act() =>
        // Unlike the platform's own working days: Good Friday 26 March 2027 ends a statutory term.
        Assert.Equal(new DateOnly(2027, 3, 26), StatutoryTerms.End(new DateOnly(2027, 3, 12), 14, NoneDeclared));

    [Fact]
    public void A_day_the_operator_declared_equal_to_a_holiday_is_skipped()
    {
        var declared = new HashSet<DateOnly> { new(2027, 3, 17) };

        Assert.Equal(new DateOnly(2027, 3, 18), StatutoryTerms.End(new DateOnly(2027, 3, 3), 14, declared));
    }

    [Fact]
    public void A_three_day_term_holds_at_least_two_working_days()
    {
        // From Friday 5 March 2027: Saturday, Sunday and Monday hold one working day, so the term runs to Tuesday (art. 2).
        Assert.Equal(new DateOnly(2027, 3, 9), StatutoryTerms.End(new DateOnly(2027, 3, 5), 3, NoneDeclared));
        // From Wednesday: Thursday, Friday, Saturday → Monday by art. 1, and it holds two working days.
        Assert.Equal(new DateOnly(2027, 3, 8), StatutoryTerms.End(new DateOnly(2027, 3, 3), 3, NoneDeclared));
        // From Monday: Thursday, untouched.
        Assert.Equal(new DateOnly(2027, 3, 4), StatutoryTerms.End(new DateOnly(2027, 3, 1), 3, NoneDeclared));
    }
}
