using Participatie.Contracts;

namespace Participatie.Consultations.Summaries;

/// <summary>The reaction counts of one consultation as counted: in total, per status, without a theme, per theme.</summary>
internal sealed record CountedReactions(long Total, IReadOnlyList<KeyValuePair<string, long>> PerStatus, long Unthemed, IReadOnlyList<long> PerTheme);

/// <summary>The same counts as published (<see cref="SmallCount.Rule"/>).</summary>
internal sealed record ShownReactions(SmallCount Total, IReadOnlyDictionary<string, SmallCount> PerStatus, SmallCount Unthemed, IReadOnlyList<SmallCount> PerTheme);

/// <summary>
/// Hides the small reaction counts of one or more consultations, and what they could be worked out from, as one whole:
/// a consultation's statuses add up to its total and so do its themes with its unthemed reactions; with several
/// consultations their totals, their counts per status and their unthemed counts add up to the overall ones too.
/// </summary>
internal static class SummaryCounts
{
    public static (ShownReactions Overall, IReadOnlyList<ShownReactions> PerConsultation) Suppress(
        IReadOnlyList<CountedReactions> consultations, IReadOnlyList<string> statuses)
    {
        long Status(CountedReactions counted, string status) =>
            counted.PerStatus.Where(pair => pair.Key == status).Sum(pair => pair.Value);

        // Index 0 the overall total, then the overall statuses, the overall unthemed; then per consultation its total,
        // its statuses, its unthemed and its themes.
        var counts = new List<long> { consultations.Sum(counted => counted.Total) };
        counts.AddRange(statuses.Select(status => consultations.Sum(counted => Status(counted, status))));
        counts.Add(consultations.Sum(counted => counted.Unthemed));
        var overallUnthemed = statuses.Count + 1;
        var starts = new List<int>();
        foreach (var counted in consultations)
        {
            starts.Add(counts.Count);
            counts.Add(counted.Total);
            counts.AddRange(statuses.Select(status => Status(counted, status)));
            counts.Add(counted.Unthemed);
            counts.AddRange(counted.PerTheme);
        }

        var suppression = new SmallCountSuppression(counts)
            .Group(Enumerable.Range(1, statuses.Count))
            .Group(starts)
            .Group([overallUnthemed, .. consultations.SelectMany((counted, c) => Enumerable.Range(starts[c] + statuses.Count + 2, counted.PerTheme.Count))]);
        for (var s = 0; s < statuses.Count; s++)
        {
            suppression.Group(starts.Select(start => start + 1 + s), total: 1 + s);
        }

        suppression.Group(starts.Select(start => start + 1 + statuses.Count), total: overallUnthemed);
        for (var c = 0; c < consultations.Count; c++)
        {
            var start = starts[c];
            suppression
                .Group(Enumerable.Range(start + 1, statuses.Count), total: start)
                .Group(Enumerable.Range(start + 1 + statuses.Count, 1 + consultations[c].PerTheme.Count), total: start);
        }

        var shown = suppression.Apply();
        ShownReactions At(int start, int themes) => new(
            shown[start],
            statuses.Select((status, s) => (status, s)).ToDictionary(pair => pair.status, pair => shown[start + 1 + pair.s], StringComparer.Ordinal),
            shown[start + 1 + statuses.Count],
            [.. Enumerable.Range(start + statuses.Count + 2, themes).Select(index => shown[index])]);
        return (At(0, 0), [.. consultations.Select((counted, c) => At(starts[c], counted.PerTheme.Count))]);
    }
}
