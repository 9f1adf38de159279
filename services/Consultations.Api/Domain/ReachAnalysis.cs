namespace Participatie.Consultations.Domain;

/// <summary>One resident a consultation concerns, by the attributes reach is measured on, and whether they reacted.</summary>
public sealed record ConcernedResident(string Language, string AgeBand, string Tenure, string BuurtCode, bool Responded);

/// <summary>A group of residents (for example everyone who prefers Turkish) against the consultation's respondents.</summary>
public sealed record ReachGroup(
    string Dimension,
    string Value,
    int Residents,
    int Respondents,
    double ShareOfResidents,
    double ShareOfRespondents,
    double ResponseRate,
    bool Underrepresented);

public sealed record ReachReport(int Residents, int Respondents, double ResponseRate, IReadOnlyList<ReachGroup> Groups);

/// <summary>
/// Who are we missing: for each language, age band, tenure and buurt, the group's share of the respondents against
/// its share of the residents concerned. A group is flagged when its share of respondents is less than half its share
/// of residents, so that partners can try another channel or a meeting in the buurt.
/// </summary>
public static class ReachAnalysis
{
    public const double UnderrepresentedBelow = 0.5;

    public static readonly IReadOnlyList<(string Name, Func<ConcernedResident, string> Of)> Dimensions =
    [
        ("language", resident => resident.Language),
        ("ageBand", resident => resident.AgeBand),
        ("tenure", resident => resident.Tenure),
        ("buurtCode", resident => resident.BuurtCode),
    ];

    public static ReachReport Analyse(IReadOnlyCollection<ConcernedResident> residents)
    {
        var total = residents.Count;
        var respondents = residents.Count(resident => resident.Responded);
        var groups = Dimensions
            .SelectMany(dimension => residents
                .GroupBy(dimension.Of, StringComparer.Ordinal)
                .OrderBy(group => group.Key, StringComparer.Ordinal)
                .Select(group => Group(dimension.Name, group.Key, group.Count(), group.Count(resident => resident.Responded), total, respondents)))
            .ToList();
        return new ReachReport(total, respondents, Ratio(respondents, total), groups);
    }

    private static ReachGroup Group(string dimension, string value, int residents, int respondents, int totalResidents, int totalRespondents)
    {
        var shareOfResidents = Ratio(residents, totalResidents);
        var shareOfRespondents = Ratio(respondents, totalRespondents);
        // With nobody reacting yet there is nothing to compare; flag nobody rather than everybody.
        var underrepresented = totalRespondents > 0 && shareOfRespondents < UnderrepresentedBelow * shareOfResidents;
        return new ReachGroup(dimension, value, residents, respondents, shareOfResidents, shareOfRespondents, Ratio(respondents, residents), underrepresented);
    }

    private static double Ratio(int part, int whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 4);
}
