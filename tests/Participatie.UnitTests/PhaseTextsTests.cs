using Participatie.Contracts;
using Participatie.Notifications.Texts;

namespace Participatie.UnitTests;

public class PhaseTextsTests
{
    public static TheoryData<string> AllLanguages => [.. Languages.All];

    [Theory]
    [MemberData(nameof(AllLanguages))]
    public void Every_phase_has_its_own_words_in_every_language(string language)
    {
        var texts = TrajectoryPhases.All.Select(phase => PhaseTexts.For(language, "Renovatie Kolenkitbuurt", phase)).ToList();

        Assert.All(texts, text => Assert.Equal(language, text.Language));
        Assert.All(texts, text => Assert.Contains("Renovatie Kolenkitbuurt", text.Body, StringComparison.Ordinal));
        Assert.Equal(TrajectoryPhases.All.Count, texts.Select(text => text.Body).Distinct(StringComparer.Ordinal).Count());
        // Codes such as "plan-making" are never shown as they are.
        Assert.DoesNotContain(texts, text => text.Body.Contains(TrajectoryPhases.PlanMaking, StringComparison.Ordinal));
    }

    [Fact]
    public void Dutch_comes_first_and_reads_plainly() =>
        Assert.Equal(
            "Er is nieuws over Renovatie Kolenkitbuurt. Nu begint de fase: het besluit nemen. We houden u op de hoogte. Is er iets te kiezen? Dan vragen we wat u vindt.",
            PhaseTexts.For(Languages.Dutch, "Renovatie Kolenkitbuurt", TrajectoryPhases.Decision).Body);
}
