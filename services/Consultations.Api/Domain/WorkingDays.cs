using Participatie.Contracts;

namespace Participatie.Consultations.Domain;

/// <summary>
/// Dutch working days: Monday to Friday, except the public holidays. A resident is promised an answer within a number
/// of working days, so weekends and holidays, when partner staff are off, must not eat into the time they have.
/// </summary>
public static class WorkingDays
{
    /// <summary>
    /// The date that is <paramref name="workingDays"/> working days after <paramref name="from"/>: the day itself does
    /// not count (a reaction received on Friday afternoon has not had a working day yet).
    /// </summary>
    public static DateOnly Add(DateOnly from, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var date = from;
        for (var counted = 0; counted < workingDays;)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date))
            {
                counted++;
            }
        }

        return date;
    }

    public static bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsPublicHoliday(date);

    public static bool IsPublicHoliday(DateOnly date) => PublicHolidays(date.Year).Any(holiday => holiday.Date == date);

    /// <summary>The Dutch public holidays of a year, in date order, with their Dutch names.</summary>
    public static IReadOnlyList<PublicHoliday> PublicHolidays(int year)
    {
        var easter = EasterSunday(year);
        var kingsDay = new DateOnly(year, 4, 27);
        return
        [
            new(new DateOnly(year, 1, 1), "Nieuwjaarsdag"),
            new(easter.AddDays(-2), "Goede Vrijdag"),
            new(easter, "Eerste Paasdag"),
            new(easter.AddDays(1), "Tweede Paasdag"),
            // Koningsdag moves to the Saturday before when 27 April is a Sunday.
            new(kingsDay.DayOfWeek == DayOfWeek.Sunday ? kingsDay.AddDays(-1) : kingsDay, "Koningsdag"),
            // Bevrijdingsdag is a national holiday every year, but many collective agreements give the day off only in
            // lustrum years (2025, 2030, ...). We treat it as a holiday every year: a deadline a day later than needed
            // costs a resident little, a deadline that counts a day staff may not work breaks a promise.
            new(new DateOnly(year, 5, 5), "Bevrijdingsdag"),
            new(easter.AddDays(39), "Hemelvaartsdag"),
            new(easter.AddDays(49), "Eerste Pinksterdag"),
            new(easter.AddDays(50), "Tweede Pinksterdag"),
            new(new DateOnly(year, 12, 25), "Eerste Kerstdag"),
            new(new DateOnly(year, 12, 26), "Tweede Kerstdag"),
        ];
    }

    /// <summary>Easter Sunday, as the statutory terms reckon it (one algorithm for the whole platform).</summary>
    public static DateOnly EasterSunday(int year) => StatutoryTerms.EasterSunday(year);
}

public sealed record PublicHoliday(DateOnly Date, string Name);
