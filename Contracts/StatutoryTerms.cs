namespace Participatie.Contracts;

/// <summary>
/// The Algemene termijnenwet for terms set by law (the Overlegwet's, the 8 weeks of art. 7:220 BW): a term that ends
/// on a Saturday, Sunday or generally recognised holiday ends on the next day that is none of these (art. 1), and a
/// term of three days or more holds at least two such days (art. 2). The holidays are those of art. 3 plus the days
/// the government declares equal to them, which the operator keeps in partner coordination's table
/// (<c>declared_holidays</c>). In the contracts, beside <c>AddressKeys</c>, so that every service counts a statutory
/// term alike and its domain rules depend on no infrastructure. The platform's own answer promise to residents
/// (consultations' working days) is no statutory term and does not use this.
/// </summary>
public static class StatutoryTerms
{
    /// <summary>The last day of a term of <paramref name="days"/> days that starts the day after <paramref name="from"/>.</summary>
    public static DateOnly End(DateOnly from, int days, IReadOnlySet<DateOnly> declaredHolidays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        ArgumentNullException.ThrowIfNull(declaredHolidays);
        var end = from.AddDays(days);
        while (!IsWorkingDay(end, declaredHolidays))
        {
            end = end.AddDays(1);
        }

        // Art. 2: a term of at least three days is lengthened until it holds two working days (a 3-day term from a Friday).
        while (days >= 3 && WorkingDaysBetween(from, end, declaredHolidays) < 2)
        {
            end = end.AddDays(1);
        }

        return end;
    }

    public static bool IsWorkingDay(DateOnly date, IReadOnlySet<DateOnly> declaredHolidays) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsHoliday(date) && !declaredHolidays.Contains(date);

    /// <summary>
    /// The generally recognised holidays of art. 3: Nieuwjaarsdag, Tweede Paasdag, Hemelvaartsdag, Tweede Pinksterdag,
    /// Koningsdag, 5 mei and both Christmas days. Goede Vrijdag is not one (unlike the platform's working days).
    /// </summary>
    public static bool IsHoliday(DateOnly date)
    {
        var easter = EasterSunday(date.Year);
        var kingsDay = new DateOnly(date.Year, 4, 27);
        DateOnly[] holidays =
        [
            new(date.Year, 1, 1),
            easter.AddDays(1),
            easter.AddDays(39),
            easter.AddDays(50),
            // Koningsdag is celebrated on the Saturday before when 27 April is a Sunday.
            kingsDay.DayOfWeek == DayOfWeek.Sunday ? kingsDay.AddDays(-1) : kingsDay,
            new(date.Year, 5, 5),
            new(date.Year, 12, 25),
            new(date.Year, 12, 26),
        ];
        return holidays.Contains(date);
    }

    /// <summary>Easter Sunday in the Gregorian calendar (the anonymous algorithm, as given by Meeus).</summary>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }

    private static int WorkingDaysBetween(DateOnly from, DateOnly end, IReadOnlySet<DateOnly> declaredHolidays)
    {
        var count = 0;
        for (var day = from.AddDays(1); day <= end; day = day.AddDays(1))
        {
            if (IsWorkingDay(day, declaredHolidays))
            {
                count++;
            }
        }

        return count;
    }
}
