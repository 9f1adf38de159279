using Participatie.Contracts;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Texts;

namespace Participatie.UnitTests;

public class NotificationTextsTests
{
    public static TheoryData<string> AllLanguages => [.. Languages.All];

    /// <summary>The languages whose file holds every message; the others reach their readers in Dutch and English.</summary>
    public static TheoryData<string> TranslatedLanguages => [Languages.Dutch, Languages.English, Languages.Turkish, Languages.Arabic, Languages.Polish, Languages.Ukrainian];

    [Fact]
    public void Every_supported_language_has_texts_and_Dutch_comes_first()
    {
        Assert.Equal(Languages.All.Order(StringComparer.Ordinal), NotificationTexts.SupportedLanguages.Order(StringComparer.Ordinal));
        Assert.Equal(Languages.Dutch, NotificationTexts.SupportedLanguages.First());
        Assert.Contains(Languages.Somali, Languages.All);
        Assert.Contains(Languages.Tigrinya, Languages.All);
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

    [Theory]
    [MemberData(nameof(TranslatedLanguages))]
    public void A_translated_language_gets_its_own_words_without_a_notice(string language)
    {
        var text = NotificationTexts.Receipt(language, "Renovatie", new DateOnly(2026, 5, 13));
        var dutch = NotificationTexts.Receipt(Languages.Dutch, "Renovatie", new DateOnly(2026, 5, 13));

        Assert.DoesNotContain("niet vertaald", text.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(" / ", text.Title, StringComparison.Ordinal);
        Assert.Equal(language == Languages.Dutch, text.Title == dutch.Title);
    }

    [Fact]
    public void Dates_are_written_the_way_residents_read_them()
    {
        Assert.Contains("31 december 2026", NotificationTexts.Invitation(Languages.Dutch, "X", new DateOnly(2026, 12, 31)).Body, StringComparison.Ordinal);
        Assert.Contains("31 December 2026", NotificationTexts.Invitation(Languages.English, "X", new DateOnly(2026, 12, 31)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_invitation_asks_for_an_opinion_in_plain_words()
    {
        var text = NotificationTexts.Invitation(Languages.Dutch, "Nieuwe speeltuin", new DateOnly(2026, 12, 31));

        Assert.Equal("Uw mening gevraagd: Nieuwe speeltuin", text.Title);
        Assert.Equal("We willen graag weten wat u vindt. Het gaat over: Nieuwe speeltuin. U kunt reageren tot en met 31 december 2026.", text.Body);
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
        Assert.Equal("U reageerde op Renovatie. Uw reactie is niet overgenomen. Dit is de uitleg: Daar is geen budget voor.", text.Body);
    }

    [Fact]
    public void Arabic_addresses_residents_in_the_plural_so_that_it_assumes_no_gender()
    {
        var text = NotificationTexts.Receipt(Languages.Arabic, "Renovatie", new DateOnly(2026, 5, 13));

        Assert.Equal("لقد استلمنا ردّكم", text.Title);
        Assert.Contains("سنخبركم", text.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Languages.Somali, "Fariintan weli looma turjumin")]
    [InlineData(Languages.Tigrinya, "እዚ መልእኽቲ ገና")]
    public void A_language_without_a_translation_gets_Dutch_then_English_and_is_told_so(string language, string noticeInTheirLanguage)
    {
        var text = NotificationTexts.Receipt(language, "Renovatie", new DateOnly(2026, 5, 13));

        // Kept under the resident's language, so that it reaches the residents who speak it.
        Assert.Equal(language, text.Language);
        Assert.Equal("We hebben uw reactie ontvangen / We received your reaction", text.Title);
        var notice = text.Body.IndexOf(noticeInTheirLanguage, StringComparison.Ordinal);
        var dutchNotice = text.Body.IndexOf("Dit bericht is nog niet vertaald in uw taal.", StringComparison.Ordinal);
        var englishNotice = text.Body.IndexOf("This message has not been translated into your language yet.", StringComparison.Ordinal);
        var dutch = text.Body.IndexOf("Uiterlijk 13 mei 2026 laten we u weten wat we ermee doen.", StringComparison.Ordinal);
        var english = text.Body.IndexOf("By 13 May 2026 at the latest, we will tell you what we do with it.", StringComparison.Ordinal);
        Assert.True(notice == 0 && notice < dutchNotice && dutchNotice < englishNotice && englishNotice < dutch && dutch < english, text.Body);
    }

    [Fact]
    public void An_unsupported_language_falls_back_to_Dutch_and_English()
    {
        var text = NotificationTexts.Receipt("fy", "Renovatie", new DateOnly(2026, 5, 13));

        Assert.Equal(Languages.Dutch, text.Language);
        Assert.Equal("We hebben uw reactie ontvangen / We received your reaction", text.Title);
        Assert.StartsWith("Dit bericht is nog niet vertaald in uw taal.", text.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DigestFrequencies.Daily, "Uw berichten van vandaag", "Dit zijn uw nieuwe berichten van vandaag:")]
    [InlineData(DigestFrequencies.Weekly, "Uw berichten van deze week", "Dit zijn uw nieuwe berichten van deze week:")]
    public void A_digest_lists_the_titles_and_then_gives_each_message_in_full(string frequency, string title, string intro)
    {
        var items = new[]
        {
            NotificationTexts.Invitation(Languages.Dutch, "Nieuwe speeltuin", new DateOnly(2026, 12, 31)),
            PhaseTexts.For(Languages.Dutch, "Renovatie Demobuurt", TrajectoryPhases.PlanMaking),
            NotificationTexts.Answer(Languages.Dutch, "Nieuwe speeltuin", ReactionStatuses.Adopted, "De schommel komt er."),
        };

        var digest = NotificationTexts.Digest(Languages.Dutch, frequency, items);

        Assert.Equal(Languages.Dutch, digest.Language);
        Assert.Equal(title, digest.Title);
        Assert.Equal(
            string.Join("\n", [
                intro,
                .. items.Select(item => $"- {item.Title}"),
                .. items.SelectMany(item => new[] { "", item.Title, item.Body }),
            ]),
            digest.Body);
    }

    [Theory]
    [MemberData(nameof(AllLanguages))]
    public void A_digest_joins_the_messages_in_every_language(string language)
    {
        NotificationText[] items =
        [
            NotificationTexts.Receipt(language, "Nieuwe speeltuin", new DateOnly(2026, 5, 13)),
            NotificationTexts.Answer(language, "Nieuwe speeltuin", ReactionStatuses.Adopted, "De schommel komt er."),
        ];

        var digest = NotificationTexts.Digest(language, DigestFrequencies.Weekly, items);

        Assert.Equal(language, digest.Language);
        Assert.All(items, item => Assert.Contains(item.Body, digest.Body, StringComparison.Ordinal));
        Assert.DoesNotContain("{", digest.Title + digest.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_digest_not_translated_quotes_each_message_once_under_a_Dutch_and_English_title()
    {
        NotificationText[] items =
        [
            NotificationTexts.Receipt(Languages.Somali, "Nieuwe speeltuin", new DateOnly(2026, 5, 13)),
            PhaseTexts.For(Languages.Somali, "Renovatie Demobuurt", TrajectoryPhases.Execution),
        ];

        var digest = NotificationTexts.Digest(Languages.Somali, DigestFrequencies.Daily, items);

        Assert.Equal(Languages.Somali, digest.Language);
        Assert.Equal("Uw berichten van vandaag / Your messages of today", digest.Title);
        Assert.StartsWith("Fariintan weli looma turjumin", digest.Body, StringComparison.Ordinal);
        Assert.All(items, item => Assert.Single(Occurrences(digest.Body, item.Body)));
    }

    private static IEnumerable<int> Occurrences(string text, string part)
    {
        for (var index = text.IndexOf(part, StringComparison.Ordinal); index >= 0; index = text.IndexOf(part, index + 1, StringComparison.Ordinal))
        {
            yield return index;
        }
    }

    [Fact]
    public void A_digest_is_daily_or_weekly_and_joins_at_least_one_message()
    {
        var item = NotificationTexts.Receipt(Languages.Dutch, "Renovatie", null);

        Assert.Throws<ArgumentOutOfRangeException>(() => NotificationTexts.Digest(Languages.Dutch, DigestFrequencies.Immediately, [item]));
        Assert.Throws<ArgumentException>(() => NotificationTexts.Digest(Languages.Dutch, DigestFrequencies.Daily, []));
    }

    [Fact]
    public void A_partner_text_given_per_language_is_shown_in_the_residents_language()
    {
        var title = PartnerText.PerLanguage(new Dictionary<string, string> { ["nl"] = "Nieuwe speeltuin", ["tr"] = "Yeni oyun parkı" });

        Assert.Equal("Fikriniz soruluyor: Yeni oyun parkı", NotificationTexts.Invitation(Languages.Turkish, title, new DateOnly(2026, 12, 31)).Title);
        Assert.Equal("Uw mening gevraagd: Nieuwe speeltuin", NotificationTexts.Invitation(Languages.Dutch, title, new DateOnly(2026, 12, 31)).Title);
    }

    [Fact]
    public void A_partner_text_missing_in_the_residents_language_is_marked_not_translated()
    {
        var explanation = PartnerText.PerLanguage(new Dictionary<string, string> { ["nl"] = "Er komt extra licht." });

        var polish = NotificationTexts.Answer(Languages.Polish, "Renovatie", ReactionStatuses.Adopted, explanation);
        var english = NotificationTexts.Answer(Languages.English, "Renovatie", ReactionStatuses.Adopted, explanation);

        Assert.EndsWith("Dlaczego: Er komt extra licht. (jeszcze nieprzetłumaczone)", polish.Body, StringComparison.Ordinal);
        Assert.EndsWith("This is why: Er komt extra licht. (not translated yet)", english.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_partner_text_written_once_is_quoted_as_written_in_every_language() =>
        Assert.EndsWith(
            "Dlaczego: Er komt extra licht.",
            NotificationTexts.Answer(Languages.Polish, "Renovatie", ReactionStatuses.Adopted, "Er komt extra licht.").Body,
            StringComparison.Ordinal);
}
