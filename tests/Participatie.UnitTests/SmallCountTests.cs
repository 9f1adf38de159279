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
}
