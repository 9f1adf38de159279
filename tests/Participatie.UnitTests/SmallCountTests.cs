using System.Text.Json;
using Participatie.Contracts;

namespace Participatie.UnitTests;

public class SmallCountTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void A_count_of_one_to_four_is_shown_as_fewer_than_five(long count)
    {
        var shown = SmallCount.Of(count);

        Assert.Equal(((long?)null, true, "< 5"), (shown.Count, shown.FewerThanFive, shown.Display));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(1234)]
    public void Zero_and_five_or_more_are_shown_as_they_are(long count)
    {
        var shown = SmallCount.Of(count);

        Assert.Equal(((long?)count, false, count.ToString(System.Globalization.CultureInfo.InvariantCulture)), (shown.Count, shown.FewerThanFive, shown.Display));
    }

    [Fact]
    public void Its_json_is_one_shape_with_count_fewer_than_five_and_display()
    {
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        Assert.Equal("""{"count":null,"fewerThanFive":true,"display":"< 5"}""", JsonSerializer.Serialize(SmallCount.Of(3), web).Replace("\\u003C", "<", StringComparison.Ordinal));
        Assert.Equal("""{"count":12,"fewerThanFive":false,"display":"12"}""", JsonSerializer.Serialize(SmallCount.Of(12), web));
    }

    [Fact]
    public void A_count_that_would_give_a_hidden_one_away_by_subtraction_is_hidden_too()
    {
        // 20 = 3 + 8 + 9: with 3 hidden, 20 - 8 - 9 would give it away, so the smallest other count (8) goes as well.
        var (total, parts) = SmallCountSuppression.OneGroup(20, [3, 8, 9]);

        Assert.Equal(20, total.Count);
        Assert.Equal(["< 5", "hidden", "9"], parts.Select(part => part.Display));
    }

    [Fact]
    public void With_no_other_count_above_zero_the_total_is_hidden()
    {
        // 7 = 7 + 0 ... the total itself: hiding nothing else would leave 3 = 3 + 0 readable from the total.
        var (total, parts) = SmallCountSuppression.OneGroup(3 + 0, [3, 0]);
        Assert.Equal(("< 5", "< 5", "0"), (total.Display, parts[0].Display, parts[1].Display));

        var (bigTotal, bigParts) = SmallCountSuppression.OneGroup(9, [4, 5]);
        Assert.Equal(("9", "< 5", "hidden"), (bigTotal.Display, bigParts[0].Display, bigParts[1].Display));
    }

    [Fact]
    public void Groups_with_their_own_totals_hide_until_none_has_exactly_one_hidden()
    {
        // Two consultations (7 and 3 reactions, 10 in all); per status the first has 6 received and 1 adopted, the
        // second 3 received: received 9 in all, adopted 1 in all.
        long[] counts = [10, 9, 1, 7, 6, 1, 3, 3, 0];
        var shown = new SmallCountSuppression(counts)
            .Group([1, 2])                // the statuses add up to the overall total
            .Group([3, 6])                // and so do the consultations
            .Group([4, 7], total: 1)      // received, per consultation
            .Group([5, 8], total: 2)      // adopted, per consultation
            .Group([4, 5], total: 3)      // the first consultation's statuses
            .Group([7, 8], total: 6)      // the second's
            .Apply();

        // No group is left with exactly one hidden count, so none can be worked out.
        int[][] groups = [[0, 1, 2], [0, 3, 6], [1, 4, 7], [2, 5, 8], [3, 4, 5], [6, 7, 8]];
        Assert.All(groups, group => Assert.NotEqual(1, group.Count(index => shown[index].Count is null)));
        Assert.All(shown.Zip(counts), pair => Assert.True(pair.First.Count is null || pair.First.Count == pair.Second));
        Assert.DoesNotContain(shown, count => count.Count is > 0 and < SmallCount.Threshold);
    }

    [Fact]
    public void A_hidden_count_that_follows_from_the_bounds_of_the_others_is_protected_too()
    {
        // 6 = 1 + 5: with 1 and 5 hidden, "< 5" is 1 to 4 and "hidden" 5 or more, so only 1 + 5 adds up to 6: the total goes too.
        var (total, parts) = SmallCountSuppression.OneGroup(6, [1, 5]);
        Assert.Equal(("hidden", "< 5", "hidden"), (total.Display, parts[0].Display, parts[1].Display));

        // 10 = 1 + 1 + 8: two hidden counts of 1 to 4 that add up to 2 can only be 1 and 1, so the 8 goes as well.
        var (ten, tenParts) = SmallCountSuppression.OneGroup(10, [1, 1, 8]);
        Assert.Equal(("10", "< 5", "< 5", "hidden"), (ten.Display, tenParts[0].Display, tenParts[1].Display, tenParts[2].Display));
    }

    [Fact]
    public void No_sum_of_a_published_breakdown_recovers_a_hidden_count()
    {
        // Every breakdown of a total into three parts of 0 to 11: whatever is hidden has at least two values that agree
        // with everything shown, a "< 5" being 1 to 4 and a "hidden" one 5 or more, as a reader would reason.
        var values = Enumerable.Range(0, 12).Select(value => (long)value).ToList();
        foreach (var (a, b, c) in values.SelectMany(a => values.SelectMany(b => values.Select(c => (a, b, c)))))
        {
            long[] counts = [a + b + c, a, b, c];
            var shown = new SmallCountSuppression(counts).Group([1, 2, 3]).Apply();

            var agreeing = Candidates(shown, 1, 40)
                .Select(parts => (long[])[parts[1] + parts[2] + parts[3], parts[1], parts[2], parts[3]])
                .Where(candidate => Agrees(shown[0], candidate[0]))
                .ToList();

            Assert.Contains(agreeing, candidate => candidate.SequenceEqual(counts));
            Assert.All(Enumerable.Range(0, counts.Length).Where(index => shown[index].IsHidden), index =>
                Assert.True(agreeing.Select(candidate => candidate[index]).Distinct().Count() > 1, $"{string.Join(" = ", counts)} + ...: count {index} follows"));
        }
    }

    [Fact]
    public void Two_breakdowns_of_the_same_total_together_recover_no_hidden_count()
    {
        // As reach publishes them: by language and by tenure, both adding up to the one total.
        var values = Enumerable.Range(0, 10).Select(value => (long)value).ToList();
        foreach (var (a, b, c) in values.SelectMany(a => values.SelectMany(b => values.Select(c => (a, b, c)))).Where(abc => abc.a + abc.b - abc.c is >= 0 and < 10))
        {
            long[] counts = [a + b, a, b, c, a + b - c];
            var shown = new SmallCountSuppression(counts).Group([1, 2]).Group([3, 4]).Apply();

            var agreeing = Candidates(shown[..4], 1, 25)
                .Select(parts => (long[])[parts[1] + parts[2], parts[1], parts[2], parts[3], parts[1] + parts[2] - parts[3]])
                .Where(candidate => Agrees(shown[0], candidate[0]) && Agrees(shown[4], candidate[4]))
                .ToList();

            Assert.All(Enumerable.Range(0, counts.Length).Where(index => shown[index].IsHidden), index =>
                Assert.True(agreeing.Select(candidate => candidate[index]).Distinct().Count() > 1, $"{string.Join(", ", counts)}: count {index} follows"));
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 5)]
    [InlineData(7, 5)]
    [InlineData(8, 10)]
    [InlineData(12, 10)]
    [InlineData(13, 15)]
    [InlineData(1234, 1235)]
    public void A_count_of_people_is_published_to_the_nearest_five(long count, long published)
    {
        Assert.Equal(published, SmallCount.Of(count, CountRounding.ToFive).Count);
        Assert.Equal(count, SmallCount.Of(count).Count);
    }

    [Fact]
    public void One_person_more_or_less_never_shows_as_a_change_of_one()
    {
        for (long count = SmallCount.Threshold; count < 500; count++)
        {
            var change = SmallCount.Of(count + 1, CountRounding.ToFive).Count - SmallCount.Of(count, CountRounding.ToFive).Count;

            Assert.True(change is 0 or SmallCount.Threshold, $"{count} to {count + 1} shows as {change}");
        }

        // 11 residents then 12: the breakdown published is the same.
        var before = SmallCountSuppression.OneGroup(11, [8, 3], CountRounding.ToFive);
        var after = SmallCountSuppression.OneGroup(12, [8, 4], CountRounding.ToFive);
        Assert.Equal(before.Total, after.Total);
        Assert.Equal(before.Parts, after.Parts);
    }

    [Fact]
    public void A_share_is_worked_out_from_the_published_counts()
    {
        // 7 of 14 would be 0.5 as well, but 6 of 14 (0.4286) would name both counts; 5 of 15 names nothing.
        Assert.Equal(0.3333, SmallCount.Share(SmallCount.Of(6, CountRounding.ToFive), SmallCount.Of(14, CountRounding.ToFive)));
        Assert.Null(SmallCount.Share(SmallCount.Of(3), SmallCount.Of(14)));
        Assert.Equal(0, SmallCount.Share(SmallCount.Of(0), SmallCount.Of(0)));
    }

    /// <summary>
    /// Every set of counts a reader could take to be behind what is shown from index <paramref name="from"/> on, up to
    /// <paramref name="upTo"/> each (the ones before it are worked out by the caller and left 0 here).
    /// </summary>
    private static IEnumerable<long[]> Candidates(IReadOnlyList<SmallCount> shown, int from, long upTo) =>
        shown.Skip(from).Aggregate(
            (IEnumerable<long[]>)[new long[from]],
            (candidates, count) => candidates.SelectMany(candidate => Possible(count, upTo).Select(value => (long[])[.. candidate, value])));

    private static bool Agrees(SmallCount shown, long value) =>
        shown.Count is { } count ? value == count
        : shown.FewerThanFive ? SmallCount.IsSmall(value)
        : value >= SmallCount.Threshold;

    private static IEnumerable<long> Possible(SmallCount count, long upTo) =>
        count.Count is { } shown ? [shown]
        : count.FewerThanFive ? [1, 2, 3, 4]
        : Enumerable.Range(SmallCount.Threshold, (int)upTo - SmallCount.Threshold + 1).Select(value => (long)value);
}
