namespace Participatie.Consultations.Domain;

/// <summary>How a tenant votes on a renovation proposal: one vote per rental home.</summary>
public static class SupportVoteChoices
{
    public const string Agree = "agree";
    public const string Disagree = "disagree";

    public static readonly IReadOnlyList<string> All = [Agree, Disagree];
}

/// <summary>Whether a support measurement still takes votes.</summary>
public static class SupportMeasurementStatuses
{
    public const string Open = "open";
    public const string Closed = "closed";

    public static readonly IReadOnlyList<string> All = [Open, Closed];
}

/// <summary>Why a home is left out of the count: the law counts the tenants' homes only.</summary>
public static class SupportHomeExclusionReasons
{
    public const string Vacant = "vacant";
    public const string OwnerOccupied = "owner-occupied";

    public static readonly IReadOnlyList<string> All = [Vacant, OwnerOccupied];
}

/// <summary>The counts of a support measurement and what they mean under art. 7:220 BW.</summary>
public sealed record SupportTally(
    int Homes, int Votes, int Agreeing, int Disagreeing, decimal ResponseRate, decimal AgreeingShare, bool ThresholdMet)
{
    public int NotVoted => Homes - Votes;
}

/// <summary>
/// The draagvlakmeting (art. 7:220 BW): a renovation proposal to a complex of at least 10 homes is deemed reasonable
/// when at least 70% of the tenants agree, one vote per rental home. Agreement is counted out of all homes of the
/// complex, not out of the votes cast: a home that does not vote counts against the proposal.
/// </summary>
public static class SupportMeasurementRules
{
    /// <summary>The law's presumption applies only to a complex of at least this many homes.</summary>
    public const int MinimumHomes = 10;

    /// <summary>Far above any real complex; keeps one request, and its letters, of a sane size.</summary>
    public const int MaximumHomes = 5000;

    public const int ThresholdPercent = 70;

    /// <summary>
    /// A tenant who disagrees can ask the court to judge the proposal within 8 weeks of the written notice of the
    /// result (art. 7:220 lid 3 BW), a statutory term that ends on a working day (Algemene termijnenwet).
    /// </summary>
    public const int CourtPeriodDays = 8 * 7;

    /// <summary>The last day a tenant can go to court, for a notice given on <paramref name="noticeDate"/> (Amsterdam).</summary>
    public static DateOnly CourtPeriodEnd(DateOnly noticeDate, IReadOnlySet<DateOnly> declaredHolidays) =>
        Participatie.Contracts.StatutoryTerms.End(noticeDate, CourtPeriodDays, declaredHolidays);

    /// <summary>Why these home keys cannot form a complex, or null when they can.</summary>
    public static string? CheckComplex(IReadOnlyCollection<string> homeKeys)
    {
        if (homeKeys.Count < MinimumHomes)
        {
            return $"A complex has at least {MinimumHomes} homes; {homeKeys.Count} were given.";
        }

        if (homeKeys.Count > MaximumHomes)
        {
            return $"A support measurement covers at most {MaximumHomes} homes; {homeKeys.Count} were given.";
        }

        var duplicates = homeKeys.GroupBy(key => key, StringComparer.Ordinal).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        return duplicates.Count == 0
            ? null
            : $"Every home has one vote, so each appears once; given more than once: {string.Join(", ", duplicates.Take(10))}.";
    }

    public static SupportTally Tally(int homes, int agreeing, int disagreeing)
    {
        // The complex has at least MinimumHomes homes, but vacant and owner-occupied ones are left out of the count.
        ArgumentOutOfRangeException.ThrowIfNegative(homes);
        ArgumentOutOfRangeException.ThrowIfNegative(agreeing);
        ArgumentOutOfRangeException.ThrowIfNegative(disagreeing);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(agreeing + disagreeing, homes, nameof(agreeing));

        var votes = agreeing + disagreeing;
        return new SupportTally(
            homes,
            votes,
            agreeing,
            disagreeing,
            Share(votes, homes),
            Share(agreeing, homes),
            // In integers: a share such as 7/10 must not miss the threshold through rounding.
            homes > 0 && (long)agreeing * 100 >= (long)ThresholdPercent * homes);
    }

    /// <summary>
    /// The share to 4 decimals, cut off rather than rounded: a share shown as 0.7000 is never one that missed the
    /// threshold (6999.5 of 10000 would otherwise round up to it).
    /// </summary>
    private static decimal Share(int part, int whole) => whole == 0 ? 0m : Math.Round((decimal)part / whole, 4, MidpointRounding.ToZero);
}
