using Participatie.Contracts;
using Participatie.Notifications.Domain;

namespace Participatie.UnitTests;

public class NotificationTextsTests
{
    public static TheoryData<string> AllLanguages => [.. Languages.All];

    [Fact]
    public void Every_supported_language_has_texts_and_Dutch_comes_first()
    {
        Assert.Equal(Languages.All.Order(StringComparer.Ordinal), NotificationTexts.SupportedLanguages.Order(StringComparer.Ordinal));
        Assert.Equal(Languages.Dutch, NotificationTexts.SupportedLanguages.First());
    }

    [Theory]
    [MemberData(nameof(AllLanguages))]
    public void Texts_are_complete_in_every_language(string language)
    {
        var texts = new[]
        {
            NotificationTexts.Invitation(language, "Renovatie Kolenkitbuurt", new DateOnly(2026, 12, 31)),
            NotificationTexts.Receipt(language, "Renovatie Kolenkitbuurt", new DateOnly(2026, 5, 13)),
            NotificationTexts.Answer(language, "Renovatie Kolenkitbuurt", ReactionStatuses.PartlyAdopted, "Er komt extra licht."),
        };

        foreach (var text in texts)
        {
            Assert.Equal(language, text.Language);
            Assert.DoesNotContain("{", text.Title + text.Body, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(text.Title));
        }

        Assert.Contains("Renovatie Kolenkitbuurt", texts[0].Body, StringComparison.Ordinal);
        // The receipt says by when the answer comes (the day of the month, whatever the language's month names).
        Assert.Contains("Renovatie Kolenkitbuurt", texts[1].Body, StringComparison.Ordinal);
        Assert.Contains("13", texts[1].Body, StringComparison.Ordinal);
        Assert.Contains("2026", texts[1].Body, StringComparison.Ordinal);
        Assert.Contains("Er komt extra licht.", texts[2].Body, StringComparison.Ordinal);
        // The status is translated, never shown as its code.
        Assert.DoesNotContain(ReactionStatuses.PartlyAdopted, texts[2].Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Dates_are_written_the_way_residents_read_them()
    {
        Assert.Contains("31 december 2026", NotificationTexts.Invitation(Languages.Dutch, "X", new DateOnly(2026, 12, 31)).Body, StringComparison.Ordinal);
        Assert.Contains("31 December 2026", NotificationTexts.Invitation(Languages.English, "X", new DateOnly(2026, 12, 31)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_receipt_says_by_when_the_answer_comes()
    {
        var text = NotificationTexts.Receipt(Languages.Dutch, "Renovatie", new DateOnly(2026, 5, 13));

        Assert.Equal("We hebben uw reactie ontvangen", text.Title);
        Assert.Equal("Bedankt voor uw reactie op: Renovatie. Uiterlijk 13 mei 2026 laten we u weten wat we ermee doen.", text.Body);
        Assert.Contains("13 May 2026", NotificationTexts.Receipt(Languages.English, "Renovatie", new DateOnly(2026, 5, 13)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_receipt_without_a_deadline_promises_no_date()
    {
        var text = NotificationTexts.Receipt(Languages.Dutch, "Renovatie", answerDueOn: null);

        Assert.Equal("Bedankt voor uw reactie op: Renovatie. We laten u weten wat we ermee doen.", text.Body);
    }

    [Fact]
    public void Dutch_answers_say_the_outcome_in_plain_words()
    {
        var text = NotificationTexts.Answer(Languages.Dutch, "Renovatie", ReactionStatuses.NotAdopted, "Daar is geen budget voor.");

        Assert.Equal("Antwoord op uw reactie: niet overgenomen", text.Title);
        Assert.Equal("Uw reactie op Renovatie is niet overgenomen. Uitleg: Daar is geen budget voor.", text.Body);
    }

    [Fact]
    public void An_unsupported_language_falls_back_to_Dutch()
    {
        var text = NotificationTexts.Receipt("fy", "Renovatie", new DateOnly(2026, 5, 13));

        Assert.Equal(Languages.Dutch, text.Language);
        Assert.Equal("We hebben uw reactie ontvangen", text.Title);
    }
}
