using System.ComponentModel.DataAnnotations;
using Participatie.Contracts;

namespace Participatie.Consultations.Domain;

/// <summary>One resident a consultation concerns, by the attributes reach is measured on, and whether they reacted.</summary>
public sealed record ConcernedResident(string Language, string AgeBand, string Tenure, string BuurtCode, bool Responded);

/// <summary>
/// A group of residents (for example everyone who prefers Turkish) against the consultation's respondents. Its counts
/// follow <see cref="SmallCount.Rule"/>, rounded to 5 (a partner sees neither the residents of a buurt nor who reacted
/// one by one, and may ask again after every registration or reaction); its shares and rates are worked out from the
/// published counts, and are null over a hidden one, since multiplying it back would give the count. Whether the group
/// is under-represented is worked out from the real counts: that is about the group, not about who is in it.
/// </summary>
public sealed record ReachGroup(
    [AllowedValues("language", "ageBand", "tenure", "buurtCode")] string Dimension,
    string Value,
    SmallCount Residents,
    SmallCount Respondents,
    double? ShareOfResidents,
    double? ShareOfRespondents,
    double? ResponseRate,
    bool Underrepresented);

public sealed record ReachReport(SmallCount Residents, SmallCount Respondents, double? ResponseRate, IReadOnlyList<ReachGroup> Groups);

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

    /// <summary>What a reach group's dimension can be (the OpenAPI document's enum).</summary>
    public static readonly IReadOnlyList<string> DimensionNames = [.. Dimensions.Select(dimension => dimension.Name)];

    public static ReachReport Analyse(IReadOnlyCollection<ConcernedResident> residents)
    {
        var total = residents.Count;
        var respondents = residents.Count(resident => resident.Responded);
        var groups = Dimensions
            .SelectMany(dimension => residents
                .GroupBy(dimension.Of, StringComparer.Ordinal)
                .OrderBy(group => group.Key, StringComparer.Ordinal)
                .Select(group => (Dimension: dimension.Name, Value: group.Key, Residents: group.Count(), Respondents: group.Count(resident => resident.Responded))))
            .ToList();

        // The groups of one dimension add up to the total, so a hidden group could be worked out from the others:
        // each dimension is a group of the suppression, once for the residents and once for the respondents.
        var byDimension = Dimensions
            .Select(dimension => groups.Select((group, index) => (group, index)).Where(pair => pair.group.Dimension == dimension.Name).Select(pair => 1 + pair.index))
            .ToList();
        var shownResidents = Suppress(total, groups.Select(group => (long)group.Residents), byDimension);
        var shownRespondents = Suppress(respondents, groups.Select(group => (long)group.Respondents), byDimension);

        return new ReachReport(
            shownResidents[0],
            shownRespondents[0],
            SmallCount.Share(shownRespondents[0], shownResidents[0]),
            [.. groups.Select((group, index) => Group(group.Dimension, group.Value, group.Residents, group.Respondents, total, respondents, shownResidents, shownRespondents, index + 1))]);
    }

    private static SmallCount[] Suppress(long total, IEnumerable<long> parts, IEnumerable<IEnumerable<int>> groups)
    {
        var suppression = new SmallCountSuppression([total, .. parts]);
        foreach (var group in groups)
        {
            suppression.Group(group);
        }

        return suppression.Apply(CountRounding.ToFive);
    }

    private static ReachGroup Group(
        string dimension, string value, int residents, int respondents, int totalResidents, int totalRespondents,
        SmallCount[] shownResidents, SmallCount[] shownRespondents, int index)
    {
        var shareOfResidents = Ratio(residents, totalResidents);
        var shareOfRespondents = Ratio(respondents, totalRespondents);
        // With nobody reacting yet there is nothing to compare; flag nobody rather than everybody.
        var underrepresented = totalRespondents > 0 && shareOfRespondents < UnderrepresentedBelow * shareOfResidents;
        var (groupResidents, groupRespondents) = (shownResidents[index], shownRespondents[index]);
        return new ReachGroup(
            dimension,
            value,
            groupResidents,
            groupRespondents,
            SmallCount.Share(groupResidents, shownResidents[0]),
            SmallCount.Share(groupRespondents, shownRespondents[0]),
            SmallCount.Share(groupRespondents, groupResidents),
            underrepresented);
    }

    private static double Ratio(int part, int whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 4);
}
