using System.Globalization;
using System.Text.Json.Serialization;

namespace Participatie.Contracts;

/// <summary>
/// A published count of residents, homes or what they did (reactions, votes, registrations, messages). A count of 1 to 4
/// could point at the few residents behind it, so it is never shown: <c>count</c> is null, <c>fewerThanFive</c> true and
/// <c>display</c> "&lt; 5". Zero is shown as 0 (knowing that nobody is behind a count points at nobody), and so is 5 or
/// more, unless it is hidden to protect a small count that could be worked out from it (<see cref="SmallCountSuppression"/>):
/// then <c>count</c> is null, <c>fewerThanFive</c> false and <c>display</c> "hidden". A shown count of residents the reader
/// does not see one by one is rounded to 5 (<see cref="CountRounding.ToFive"/>). One JSON shape everywhere:
/// <c>{"count": 12, "fewerThanFive": false, "display": "12"}</c> or <c>{"count": null, "fewerThanFive": true, "display": "&lt; 5"}</c>.
/// </summary>
public sealed record SmallCount
{
    public const int Threshold = 5;

    public const string FewerThanFiveDisplay = "< 5";

    public const string HiddenDisplay = "hidden";

    /// <summary>For the OpenAPI descriptions and the README.</summary>
    public const string Rule =
        "Counts of residents, homes and what they did are published as {count, fewerThanFive, display}: counts of 1 to 4 are never "
        + "shown (count null, fewerThanFive true, display \"< 5\"); 0 and 5 or more are shown (display the number), unless a hidden "
        + "count could be worked out from the shown ones (by subtraction from a total, or from two breakdowns together): then the next "
        + "smallest count is hidden too (count null, fewerThanFive false, display \"hidden\"). Counts of residents the caller does not "
        + "see one by one and can ask for again at any time (reach, the residents' aggregates, delivery counts) are rounded to the "
        + "nearest multiple of 5 (5 to 7 is 5), so that one resident more or less does not show as a change of 1. Shares and rates "
        + "are worked out from the published counts, and are null over a hidden one.";

    /// <summary>The number, or null when it is not shown.</summary>
    public long? Count { get; init; }

    public required bool FewerThanFive { get; init; }

    /// <summary>What to print: the number, "&lt; 5", or "hidden".</summary>
    public required string Display { get; init; }

    /// <summary>Whether the number is withheld (for whatever reason).</summary>
    [JsonIgnore]
    public bool IsHidden => Count is null;

    public static bool IsSmall(long count) => count is > 0 and < Threshold;

    /// <summary>A count on its own: shown unless it is 1 to 4.</summary>
    public static SmallCount Of(long count, CountRounding rounding = CountRounding.Exact) => IsSmall(count) ? Hidden(count) : Shown(count, rounding);

    public static SmallCount Shown(long count, CountRounding rounding = CountRounding.Exact)
    {
        var published = rounding == CountRounding.ToFive ? RoundedToFive(count) : count;
        return new() { Count = published, FewerThanFive = false, Display = published.ToString(CultureInfo.InvariantCulture) };
    }

    /// <summary>
    /// The nearest multiple of 5 (5 is odd, so there is no tie), and 5 for 5 to 7: 12 and 11 are both 10, so a resident
    /// joining or leaving there changes nothing shown; 0 stays 0 and 1 to 4 are never shown anyway.
    /// </summary>
    public static long RoundedToFive(long count) =>
        count < Threshold ? count : (count + (Threshold / 2)) / Threshold * Threshold;

    public static SmallCount Hidden(long count) => IsSmall(count)
        ? new() { Count = null, FewerThanFive = true, Display = FewerThanFiveDisplay }
        : new() { Count = null, FewerThanFive = false, Display = HiddenDisplay };

    /// <summary>A share or rate computed over counts; null when one of them is hidden, since it would reveal it.</summary>
    public static double? Ratio(SmallCount part, SmallCount whole, double value) => part.IsHidden || whole.IsHidden ? null : value;

    /// <summary>
    /// A share or rate of the counts as published (to 4 decimals): over exact counts it would give a rounded count away
    /// (7/15 and 8/15 name the 15); null when either is hidden, 0 over a whole of 0.
    /// </summary>
    public static double? Share(SmallCount part, SmallCount whole)
    {
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(whole);
        return part.Count is not { } shownPart || whole.Count is not { } shownWhole ? null
            : shownWhole == 0 ? 0
            : Math.Round((double)shownPart / shownWhole, 4);
    }
}

/// <summary>How the counts that stay shown are published.</summary>
public enum CountRounding
{
    /// <summary>As counted: records the reader sees one by one anyway, or a result that must be checkable.</summary>
    Exact,

    /// <summary>
    /// Counts of a population the reader does not see one by one, which it can ask for again at any time: 5 or more to
    /// the nearest multiple of 5, so that one resident joining or leaving shows as no change, or at most as a step of 5.
    /// </summary>
    ToFive,
}

/// <summary>
/// Which counts of a set are hidden (<see cref="SmallCount.Rule"/>): the small ones, and then, until none follows, more:
/// the counts of a group (its total included) add up, and every published figure bounds the others (a "&lt; 5" is 1 to
/// 4, a "hidden" one 5 or more), so a hidden count can follow exactly from what is shown, from one group or from several
/// together (one hidden in a group; two "&lt; 5" that add up to 2; a "&lt; 5" and a "hidden" that add up to 6). While any
/// hidden count follows, the smallest other count above zero of one of its groups is hidden too, or else that group's
/// total. What follows is found by narrowing each hidden count's range group by group until nothing changes: the bounds
/// a reader could work out, though not every bound a reader with a linear-programming solver could.
/// </summary>
public sealed class SmallCountSuppression
{
    // Far above any count, yet sums of a few thousand of them cannot overflow.
    private const long Unbounded = long.MaxValue / 1_000_000;

    private const int MaxPasses = 1_000;

    private readonly long[] _counts;
    private readonly bool[] _hidden;
    private readonly List<(int Total, int[] Members)> _groups = [];

    /// <param name="counts">All counts; by default index 0 is the total that each group adds up to.</param>
    public SmallCountSuppression(IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        _counts = [.. counts];
        _hidden = [.. _counts.Select(SmallCount.IsSmall)];
    }

    /// <summary>A group of counts (by index, its total not among them) that adds up to the count at <paramref name="total"/>.</summary>
    public SmallCountSuppression Group(IEnumerable<int> members, int total = 0)
    {
        _groups.Add((total, [.. members]));
        return this;
    }

    public SmallCount[] Apply(CountRounding rounding = CountRounding.Exact)
    {
        while (ThoseThatFollow().Any(HideOneMoreBeside))
        {
        }

        return [.. _counts.Select((count, index) => _hidden[index] ? SmallCount.Hidden(count) : SmallCount.Shown(count, rounding))];
    }

    /// <summary>Counts that add up to <paramref name="total"/> as one group: the total first, then the parts.</summary>
    public static (SmallCount Total, SmallCount[] Parts) OneGroup(long total, IReadOnlyList<long> parts, CountRounding rounding = CountRounding.Exact)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var shown = new SmallCountSuppression([total, .. parts]).Group(Enumerable.Range(1, parts.Count)).Apply(rounding);
        return (shown[0], shown[1..]);
    }

    /// <summary>
    /// The range in which each count lies for a reader who sees what is shown: a shown count is itself, a "&lt; 5" 1 to 4,
    /// a "hidden" one 5 or more; then each group narrows its counts (a total lies between the sums of its members'
    /// bounds, a member between the total's bounds less the others' sums) until no range changes.
    /// </summary>
    private (long Low, long High)[] RangesAsShown()
    {
        var ranges = _counts
            .Select((count, index) => !_hidden[index] ? (Low: count, High: count)
                : SmallCount.IsSmall(count) ? (Low: 1L, High: SmallCount.Threshold - 1L)
                : (Low: (long)SmallCount.Threshold, High: Unbounded))
            .ToArray();
        // Narrowing converges quickly on real tables; the cap only guards against a slow crawl of huge ranges.
        for (var (changed, pass) = (true, 0); changed && pass < MaxPasses; pass++)
        {
            changed = false;
            foreach (var (total, members) in _groups)
            {
                var low = members.Sum(index => ranges[index].Low);
                var unbounded = members.Count(index => ranges[index].High == Unbounded);
                var boundedHigh = members.Where(index => ranges[index].High != Unbounded).Sum(index => ranges[index].High);
                changed |= Narrow(ranges, total, low, unbounded > 0 ? Unbounded : boundedHigh);
                foreach (var member in members)
                {
                    var (memberLow, memberHigh) = ranges[member];
                    var othersHigh = unbounded - (memberHigh == Unbounded ? 1 : 0) > 0 ? Unbounded
                        : boundedHigh - (memberHigh == Unbounded ? 0 : memberHigh);
                    changed |= Narrow(ranges, member, ranges[total].Low - othersHigh, ranges[total].High - (low - memberLow));
                }
            }
        }

        return ranges;
    }

    private static bool Narrow((long Low, long High)[] ranges, int index, long low, long high)
    {
        // Anything near the unbounded end is still unbounded (an unbounded total less a few counts).
        var narrowed = (Math.Max(ranges[index].Low, low), high >= Unbounded / 2 ? ranges[index].High : Math.Min(ranges[index].High, high));
        if (narrowed == ranges[index])
        {
            return false;
        }

        ranges[index] = narrowed;
        return true;
    }

    /// <summary>The hidden counts whose value follows from what is shown.</summary>
    private List<int> ThoseThatFollow()
    {
        var ranges = RangesAsShown();
        return [.. Enumerable.Range(0, _counts.Length).Where(index => _hidden[index] && ranges[index].Low == ranges[index].High)];
    }

    /// <summary>
    /// Hides one more count in a group of <paramref name="follows"/>, the group with the fewest hidden first (the one that
    /// gives it away): its smallest other count above zero, or else its total.
    /// </summary>
    private bool HideOneMoreBeside(int follows)
    {
        foreach (var (total, members) in _groups
            .Where(group => group.Total == follows || group.Members.Contains(follows))
            .OrderBy(group => group.Members.Count(index => _hidden[index]) + (_hidden[group.Total] ? 1 : 0)))
        {
            // Zero is shown even so: knowing that nobody is behind it points at nobody.
            var next = members.Where(index => !_hidden[index] && _counts[index] > 0).OrderBy(index => _counts[index]).Cast<int?>().FirstOrDefault()
                ?? (_hidden[total] ? null : total);
            if (next is { } index)
            {
                _hidden[index] = true;
                return true;
            }
        }

        return false;
    }
}
