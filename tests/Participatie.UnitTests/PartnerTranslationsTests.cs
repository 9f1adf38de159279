using System.Text.Json;
using MassTransit.Serialization;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Consultations.Consultations;
using Participatie.Contracts;
using Participatie.Notifications.Texts;

namespace Participatie.UnitTests;

/// <summary>Partner-written texts per language: old messages without them, the rules that keep them, and how residents read them.</summary>
public class PartnerTranslationsTests
{
    private const string AnsweredBeforeTranslations = """
        {"reactionId":"0190a6d2-0000-7000-8000-000000000001","consultationId":"0190a6d2-0000-7000-8000-000000000002",
         "trajectoryId":"0190a6d2-0000-7000-8000-000000000003","residentId":"0190a6d2-0000-7000-8000-000000000004",
         "consultationTitle":"Speeltuin","status":"adopted","explanation":"Er komt een speeltuin.","answeredAt":"2026-05-01T10:00:00Z"}
        """;

    [Fact]
    public void A_message_published_before_translations_existed_reads_with_none_through_the_broker_serializer()
    {
        var answered = JsonSerializer.Deserialize<ReactionAnswered>(AnsweredBeforeTranslations, SystemTextJsonMessageSerializer.Options)!;

        Assert.Equal("Er komt een speeltuin.", answered.Explanation);
        Assert.Null(answered.TitleTranslations);
        Assert.Null(answered.ExplanationTranslations);
    }

    [Fact]
    public void A_message_in_the_outbox_from_before_translations_still_reads()
    {
        var read = OutboxMessageReader.Read(
            Guid.NewGuid(), "Participatie.Contracts.ReactionAnswered, Participatie.Contracts", AnsweredBeforeTranslations);

        Assert.True(read.IsReadable, read.Error);
        Assert.Null(Assert.IsType<ReactionAnswered>(read.Message).ExplanationTranslations);
    }

    [Fact]
    public void A_resident_reads_their_language_and_a_missing_one_is_the_dutch_text_marked_not_translated()
    {
        var title = PartnerText.WithTranslations("Nieuwe speeltuin", new Dictionary<string, string> { [Languages.Turkish] = "Yeni oyun parkı" });

        Assert.StartsWith("Fikriniz soruluyor: Yeni oyun parkı", NotificationTexts.Invitation(Languages.Turkish, title, new DateOnly(2030, 1, 31)).Title, StringComparison.Ordinal);
        Assert.Equal(
            "Prosimy o Twoją opinię: Nieuwe speeltuin (jeszcze nieprzetłumaczone)",
            NotificationTexts.Invitation(Languages.Polish, title, new DateOnly(2030, 1, 31)).Title);
        Assert.Equal("Uw mening gevraagd: Nieuwe speeltuin", NotificationTexts.Invitation(Languages.Dutch, title, new DateOnly(2030, 1, 31)).Title);
    }

    [Fact]
    public void Without_translations_the_text_is_quoted_as_written_and_not_marked()
    {
        var title = PartnerText.WithTranslations("Nieuwe speeltuin", null);

        Assert.Equal("Prosimy o Twoją opinię: Nieuwe speeltuin", NotificationTexts.Invitation(Languages.Polish, title, new DateOnly(2030, 1, 31)).Title);
    }

    [Fact]
    public void Translations_are_kept_trimmed_and_none_is_null()
    {
        Assert.Equal(
            new Dictionary<string, string> { ["tr"] = "Yeni oyun parkı" },
            PartnerTranslations.Normalize(new Dictionary<string, string?> { ["tr"] = "  Yeni oyun parkı " }));
        Assert.Null(PartnerTranslations.Normalize(new Dictionary<string, string?>()));
        Assert.True(PartnerTranslations.AreEqual(null, new Dictionary<string, string>()));
        Assert.False(PartnerTranslations.AreEqual(null, new Dictionary<string, string> { ["tr"] = "Evet" }));
        Assert.False(PartnerTranslations.AreEqual(
            new Dictionary<string, string> { ["tr"] = "Evet" }, new Dictionary<string, string> { ["tr"] = "Evet, ilkbaharda" }));
    }
}
