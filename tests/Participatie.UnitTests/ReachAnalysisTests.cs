using Participatie.Consultations.Domain;
using Participatie.Contracts;

namespace Participatie.UnitTests;

public class ReachAnalysisTests
{
    [Fact]
    public void A_group_far_below_its_share_of_residents_is_flagged()
    {
        // 20 residents: 15 prefer Dutch, 5 Turkish. 10 Dutch-speaking residents reacted, nobody Turkish-speaking.
        var residents = Enumerable.Range(0, 15).Select(i => Resident("nl", responded: i < 10))
            .Concat(Enumerable.Range(0, 5).Select(_ => Resident("tr", responded: false)))
            .ToList();

        var report = ReachAnalysis.Analyse(residents);

        Assert.Equal((20L, 10L), (report.Residents.Count, report.Respondents.Count));
        Assert.Equal(0.5, report.ResponseRate);
        var turkish = Assert.Single(report.Groups, group => group is { Dimension: "language", Value: "tr" });
        Assert.Equal((5L, 0L, 0.25, 0.0, true), (turkish.Residents.Count, turkish.Respondents.Count, turkish.ShareOfResidents, turkish.ShareOfRespondents, turkish.Underrepresented));
        var dutch = Assert.Single(report.Groups, group => group is { Dimension: "language", Value: "nl" });
        Assert.Equal((15L, 10L, 0.75, 1.0, false), (dutch.Residents.Count, dutch.Respondents.Count, dutch.ShareOfResidents, dutch.ShareOfRespondents, dutch.Underrepresented));
    }

    [Fact]
    public void Exactly_half_its_share_is_not_yet_far_below()
    {
        // Group "a": 50% of residents, 25% of respondents: exactly half its share, not flagged; "b" is over-represented.
        var residents = Enumerable.Range(0, 20).Select(i => Resident("a", responded: i < 5))
            .Concat(Enumerable.Range(0, 20).Select(i => Resident("b", responded: i < 15)))
            .ToList();

        var a = Assert.Single(ReachAnalysis.Analyse(residents).Groups, group => group is { Dimension: "language", Value: "a" });

        Assert.Equal(0.5, a.ShareOfResidents);
        Assert.Equal(0.25, a.ShareOfRespondents);
        Assert.False(a.Underrepresented);
    }

    [Fact]
    public void Before_anyone_reacts_nobody_is_flagged()
    {
        var report = ReachAnalysis.Analyse([Resident("nl", false), Resident("tr", false)]);

        Assert.Equal(0, report.Respondents.Count);
        Assert.DoesNotContain(report.Groups, group => group.Underrepresented);
    }

    [Fact]
    public void Every_dimension_is_reported()
    {
        var report = ReachAnalysis.Analyse([Resident("nl", true)]);

        Assert.Equal(["ageBand", "buurtCode", "language", "tenure"], report.Groups.Select(group => group.Dimension).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_group_of_fewer_than_five_is_not_counted_nor_given_away_by_its_shares_or_the_other_groups()
    {
        // 12 residents: 9 Dutch-speaking (6 reacted), 3 Arabic-speaking (1 reacted).
        var residents = Enumerable.Range(0, 9).Select(i => Resident("nl", responded: i < 6))
            .Concat(Enumerable.Range(0, 3).Select(i => Resident("ar", responded: i < 1)))
            .ToList();

        var report = ReachAnalysis.Analyse(residents);

        var arabic = Assert.Single(report.Groups, group => group is { Dimension: "language", Value: "ar" });
        Assert.Equal((SmallCount.FewerThanFiveDisplay, SmallCount.FewerThanFiveDisplay), (arabic.Residents.Display, arabic.Respondents.Display));
        Assert.Equal(((double?)null, (double?)null, (double?)null), (arabic.ShareOfResidents, arabic.ShareOfRespondents, arabic.ResponseRate));
        // 12 - 9 = 3: the Dutch-speaking group is hidden too, though it is not small; so are its 6 respondents (7 - 6 = 1).
        var dutch = Assert.Single(report.Groups, group => group is { Dimension: "language", Value: "nl" });
        Assert.Equal((SmallCount.HiddenDisplay, false), (dutch.Residents.Display, dutch.Residents.FewerThanFive));
        Assert.Null(dutch.Respondents.Count);
        // The totals are shown, rounded to 5: 12 residents as 10, 7 respondents as 5.
        Assert.Equal((10L, 5L), (report.Residents.Count, report.Respondents.Count));
        // The flag is still worked out from the real counts (1 of 7 respondents against 3 of 12 residents is not below half).
        Assert.False(arabic.Underrepresented);
        Assert.DoesNotContain(
            report.Groups.SelectMany(group => new[] { group.Residents.Count, group.Respondents.Count }),
            count => count is > 0 and < SmallCount.Threshold);
    }

    [Fact]
    public void One_resident_more_changes_nothing_the_report_shows_when_the_rounded_counts_stay()
    {
        // 21 Dutch-speaking and 9 Turkish-speaking residents, then a tenth Turkish-speaking one registers (30 to 31).
        var before = Enumerable.Range(0, 21).Select(i => Resident("nl", responded: i < 11))
            .Concat(Enumerable.Range(0, 9).Select(i => Resident("tr", responded: i < 6)))
            .ToList();
        List<ConcernedResident> after = [.. before, Resident("tr", responded: false)];

        var (shownBefore, shownAfter) = (ReachAnalysis.Analyse(before), ReachAnalysis.Analyse(after));

        Assert.Equal(30L, shownBefore.Residents.Count);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(shownBefore), System.Text.Json.JsonSerializer.Serialize(shownAfter));
    }

    [Fact]
    public void The_shares_give_away_no_more_than_the_rounded_counts()
    {
        // 14 residents, 6 of them Turkish-speaking: 6/14 (0.4286) would name both; published are 5 of 15.
        var residents = Enumerable.Range(0, 8).Select(_ => Resident("nl", responded: false))
            .Concat(Enumerable.Range(0, 6).Select(_ => Resident("tr", responded: false)))
            .ToList();

        var turkish = Assert.Single(ReachAnalysis.Analyse(residents).Groups, group => group is { Dimension: "language", Value: "tr" });

        Assert.Equal((5L, 0.3333), (turkish.Residents.Count, turkish.ShareOfResidents));
    }

    private static ConcernedResident Resident(string language, bool responded) =>
        new(language, "45-64", "tenant", "BU03630001", responded);
}
