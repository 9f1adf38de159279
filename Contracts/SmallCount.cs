using System.Globalization;
using System.Text.Json.Serialization;

namespace Participatie.Contracts;

/// <summary>
/// A published count of residents, homes or what they did (reactions, votes, registrations, messages). A count of 1 to 4
/// could point at the few residents behind it, so it is never shown: <c>count</c> is null, <c>fewerThanFive</c> true and
/// <c>display</c> "&lt; 5". Zero is shown as 0 (knowing that nobody is behind a count points at nobody), and so is 5 or
/// more, unless it is hidden to protect a small count that could be worked out from it (<see cref="SmallCountSuppression"/>):
/// then <c>count</c> is null, <c>fewerThanFive</c> false and <c>display</c> "hidden". One JSON shape everywhere:
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
        + "shown (count null, fewerThanFive true, display \"< 5\"); 0 and 5 or more are shown as they are (display the number), "
        + "unless a count adds up with others to a shown total so that a hidden one could be worked out by subtraction: then the "
        + "next smallest count is hidden too (count null, fewerThanFive false, display \"hidden\"). Shares and rates over a hidden "
        + "count are null.";

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
    public static SmallCount Of(long count) => IsSmall(count) ? Hidden(count) : Shown(count);

    public static SmallCount Shown(long count) =>
        new() { Count = count, FewerThanFive = false, Display = count.ToString(CultureInfo.InvariantCulture) };

    public static SmallCount Hidden(long count) => IsSmall(count)
        ? new() { Count = null, FewerThanFive = true, Display = FewerThanFiveDisplay }
        : new() { Count = null, FewerThanFive = false, Display = HiddenDisplay };

    /// <summary>A share or rate computed over counts; null when one of them is hidden, since it would reveal it.</summary>
    public static double? Ratio(SmallCount part, SmallCount whole, double value) => part.IsHidden || whole.IsHidden ? null : value;
}

/// <summary>
/// Which counts of a set are hidden (<see cref="SmallCount.Rule"/>): the small ones, and then, group by group until
/// nothing changes, a second one in any group (its total included) that has exactly one hidden: the smallest other
/// count above zero, or else the group's total. Hiding a count in one group can leave another group with exactly one
/// hidden (a count can be in several), hence the repetition.
/// </summary>
public sealed class SmallCountSuppression
{
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

    public SmallCount[] Apply()
    {
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (total, members) in _groups)
            {
                if (members.Count(index => _hidden[index]) + (_hidden[total] ? 1 : 0) != 1)
                {
                    continue;
                }

                // Zero is shown even so: knowing that nobody is behind it points at nobody.
                var next = members.Where(index => !_hidden[index] && _counts[index] > 0).OrderBy(index => _counts[index]).Cast<int?>().FirstOrDefault()
                    ?? (_hidden[total] ? null : total);
                if (next is { } index)
                {
                    _hidden[index] = true;
                    changed = true;
                }
            }
        }

        return [.. _counts.Select((count, index) => _hidden[index] ? SmallCount.Hidden(count) : SmallCount.Shown(count))];
    }

    /// <summary>Counts that add up to <paramref name="total"/> as one group: the total first, then the parts.</summary>
    public static (SmallCount Total, SmallCount[] Parts) OneGroup(long total, IReadOnlyList<long> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var shown = new SmallCountSuppression([total, .. parts]).Group(Enumerable.Range(1, parts.Count)).Apply();
        return (shown[0], shown[1..]);
    }
}
