using Participatie.Contracts;

namespace Participatie.Notifications.Texts;

/// <summary>
/// How a text reads: its counts; for Dutch also the Flesch–Douma score, whether that meets B1, and the officialese in
/// it. Other languages get their counts only: the formula and the list are Dutch.
/// </summary>
public sealed record TextCheckResult(
    string Language,
    TextCounts Counts,
    double? Score,
    bool? MeetsB1,
    IReadOnlyList<OfficialeseFinding> Officialese);

public static class TextCheck
{
    public static TextCheckResult Check(string text, string language)
    {
        var counts = Readability.Count(text);
        if (language != Languages.Dutch)
        {
            return new TextCheckResult(language, counts, Score: null, MeetsB1: null, Officialese: []);
        }

        var score = counts.Words == 0 ? (double?)null : Readability.FleschDouma(counts);
        return new TextCheckResult(language, counts, score, score is { } value ? value >= Readability.B1MinimumScore : null, Officialese.Find(text));
    }
}
