using Participatie.Consultations.Domain;

namespace Participatie.UnitTests;

public class ReachAnalysisTests
{
    [Fact]
    public void A_group_far_below_its_share_of_residents_is_flagged()
    {
        // 10 residents: 6 prefer Dutch, 4 Turkish. 4 Dutch-speaking residents reacted, nobody Turkish-speaking.
        var residents = Enumerable.Range(0, 6).Select(i => Resident("nl", responded: i < 4))
            .Concat(Enumerable.Range(0, 4).Select(_ => Resident("tr", responded: false)))
            .ToList();

        var report = ReachAnalysis.Analyse(residents);

        Assert.Equal(10, report.Residents);
        Assert.Equal(4, report.Respondents);
        Assert.Equal(0.4, report.ResponseRate);
        var turkish = Assert.Single(report.Groups, group => group is { Dimension: "language", Value: "tr" });
        Assert.Equal((4, 0, 0.4, 0.0, true), (turkish.Residents, turkish.Respondents, turkish.ShareOfResidents, turkish.ShareOfRespondents, turkish.Underrepresented));
        var dutch = Assert.Single(report.Groups, group => group is { Dimension: "language", Value: "nl" });
        Assert.Equal((6, 4, 0.6, 1.0, false), (dutch.Residents, dutch.Respondents, dutch.ShareOfResidents, dutch.ShareOfRespondents, dutch.Underrepresented));
    }

    [Fact]
    public void Exactly_half_its_share_is_not_yet_far_below()
    {
        // Group "a": 50% of residents, 25% of respondents: exactly half its share, not flagged; "b" is over-represented.
        var residents = new List<ConcernedResident>
        {
            Resident("a", true), Resident("a", false), Resident("b", true), Resident("b", true),
            Resident("a", false), Resident("a", false), Resident("b", true), Resident("b", false),
        };

        var a = Assert.Single(ReachAnalysis.Analyse(residents).Groups, group => group is { Dimension: "language", Value: "a" });

        Assert.Equal(0.5, a.ShareOfResidents);
        Assert.Equal(0.25, a.ShareOfRespondents);
        Assert.False(a.Underrepresented);
    }

    [Fact]
    public void Before_anyone_reacts_nobody_is_flagged()
    {
        var report = ReachAnalysis.Analyse([Resident("nl", false), Resident("tr", false)]);

        Assert.Equal(0, report.Respondents);
        Assert.DoesNotContain(report.Groups, group => group.Underrepresented);
    }

    [Fact]
    public void Every_dimension_is_reported()
    {
        var report = ReachAnalysis.Analyse([Resident("nl", true)]);

        Assert.Equal(["ageBand", "buurtCode", "language", "tenure"], report.Groups.Select(group => group.Dimension).Order(StringComparer.Ordinal));
    }

    private static ConcernedResident Resident(string language, bool responded) =>
        new(language, "45-64", "tenant", "BU03630001", responded);
}
