using System.Text.Json;
using Participatie.Contracts;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Texts;

namespace Participatie.UnitTests;

/// <summary>The texts residents read: plain Dutch at B1, every placeholder provided, a missing translation told.</summary>
public class TextCatalogTests
{
    private static readonly DateTimeOffset MeetingStart = new(2030, 6, 12, 17, 0, 0, TimeSpan.Zero);

    /// <summary>Every Dutch message, with the values a real one has.</summary>
    public static TheoryData<string, string> DutchMessages()
    {
        var messages = new List<(string Name, NotificationText Text)>
        {
            ("invitation", NotificationTexts.Invitation(Languages.Dutch, "Nieuwe speeltuin", new DateOnly(2026, 12, 31))),
            ("receipt", NotificationTexts.Receipt(Languages.Dutch, "Nieuwe speeltuin", null)),
            ("receipt with deadline", NotificationTexts.Receipt(Languages.Dutch, "Nieuwe speeltuin", new DateOnly(2026, 5, 13))),
            ("meeting reminder", MeetingTexts.For(Languages.Dutch, "Nieuwe speeltuin", "Buurthuis De Meeuw", MeetingStart, MeetingStart.AddHours(2))),
        };
        messages.Add(("sign-in code", Notifications.SignIn.SignInTexts.SignInCode(Languages.Dutch, Channels.Email, "482916", MeetingStart, MeetingStart.AddMinutes(10))));
        messages.Add(("sign-in code by letter", Notifications.SignIn.SignInTexts.SignInCode(Languages.Dutch, Channels.Letter, "K7QM-3XRD-9HTW", MeetingStart, MeetingStart.AddDays(30))));
        messages.Add(("contact confirmation", Notifications.SignIn.SignInTexts.ContactConfirmation(Languages.Dutch, "731904", MeetingStart, MeetingStart.AddMinutes(15))));
        messages.AddRange(ReactionStatuses.Answers.Select(status =>
            ($"answer {status}", NotificationTexts.Answer(Languages.Dutch, "Nieuwe speeltuin", status, "De schommel komt bij de zandbak. Daar is de meeste ruimte."))));
        messages.AddRange(TrajectoryPhases.All.Select(phase => ($"phase {phase}", PhaseTexts.For(Languages.Dutch, "Renovatie Demobuurt", phase))));
        var items = messages.Select(message => message.Text).Take(3).ToArray();
        messages.AddRange(TextShapes.DigestFrequencies.Select(frequency => ($"digest {frequency}", NotificationTexts.Digest(Languages.Dutch, frequency, items))));
        // The notice on an untranslated message, in Dutch.
        var fallback = NotificationTexts.Receipt(Languages.Somali, "Nieuwe speeltuin", null).Body;
        messages.Add(("fallback notice", new NotificationText(Languages.Dutch, "", fallback.Split('\n')[1])));

        var data = new TheoryData<string, string>();
        foreach (var (name, text) in messages)
        {
            data.Add(name, $"{text.Title}\n{text.Body}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DutchMessages))]
    public void Every_Dutch_message_reads_at_B1(string message, string text)
    {
        var check = TextCheck.Check(text, Languages.Dutch);

        Assert.True(check.MeetsB1, $"{message} scores {check.Score:0.0} (needs {Readability.B1MinimumScore}): {text}");
    }

    [Theory]
    [MemberData(nameof(DutchMessages))]
    public void No_Dutch_message_uses_officialese(string message, string text) =>
        Assert.True(
            Officialese.Find(text).Count == 0,
            $"{message}: {string.Join(", ", Officialese.Find(text).Select(found => $"'{found.Found}' (write '{found.Alternative}')"))}");

    [Fact]
    public void The_Dutch_file_has_every_key_and_none_is_officialese()
    {
        var dutch = LanguageFile(Languages.Dutch);

        Assert.Equal(TextShapes.Samples.Keys.Order(StringComparer.Ordinal), dutch.Keys.Order(StringComparer.Ordinal));
        Assert.All(dutch, pair => Assert.Empty(Officialese.Find(pair.Value)));
    }

    [Fact]
    public void Every_translation_shows_the_same_placeholders_as_the_Dutch_text()
    {
        // Sample values are "[name]": what a template shows of its model can be read from its output.
        var catalog = TextCatalog.Default;
        var differences = new List<string>();
        foreach (var language in catalog.Languages)
        {
            foreach (var (key, sample) in TextShapes.Samples.Where(pair => catalog.Has(language, pair.Key)))
            {
                var shown = Placeholders(catalog.Render(language, key, sample));
                var inDutch = Placeholders(catalog.Render(Languages.Dutch, key, sample));
                if (!shown.SetEquals(inDutch))
                {
                    differences.Add($"{language} '{key}': {string.Join(", ", shown)} where Dutch shows {string.Join(", ", inDutch)}");
                }
            }
        }

        Assert.Empty(differences);
    }

    private static HashSet<string> Placeholders(string rendered) =>
        [.. System.Text.RegularExpressions.Regex.Matches(rendered, @"\[(\w+)\]").Select(match => match.Groups[1].Value)];

    [Fact]
    public void The_service_loads_every_language_file() =>
        Assert.Equal(Languages.All, TextCatalog.Default.Languages);

    [Fact]
    public void A_template_with_a_placeholder_its_model_does_not_provide_stops_the_catalog()
    {
        var files = LanguageFiles();
        files[Languages.Turkish] = WithText(files[Languages.Turkish], TextShapes.ReceiptBody, "{{ consultationTitle }} için teşekkürler, {{ residentName }}.");

        var failure = Assert.Throws<InvalidOperationException>(() => TextCatalog.FromJson(files));

        Assert.Contains($"tr: '{TextShapes.ReceiptBody}' uses a placeholder its model does not provide", failure.Message, StringComparison.Ordinal);
        Assert.Contains("residentName", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_that_lacks_a_placeholder_its_template_uses_fails_to_render()
    {
        var catalog = TextCatalog.FromJson(LanguageFiles());

        Assert.ThrowsAny<Exception>(() => catalog.Compose(Languages.Dutch, _ => new TextMessage(
            TextShapes.ReceiptTitle, TextShapes.ReceiptBodyWithDeadline, NotificationTexts.Values(("consultationTitle", "Renovatie")))));
    }

    [Fact]
    public void An_unknown_key_or_a_template_that_does_not_parse_stops_the_catalog()
    {
        var files = LanguageFiles();
        files[Languages.Polish] = WithText(files[Languages.Polish], "receipt.tilte", "Otrzymaliśmy");
        files[Languages.Ukrainian] = WithText(files[Languages.Ukrainian], TextShapes.ReceiptTitle, "{{ consultationTitle");

        var failure = Assert.Throws<InvalidOperationException>(() => TextCatalog.FromJson(files));

        Assert.Contains("pl: 'receipt.tilte' is not a known text.", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"uk: '{TextShapes.ReceiptTitle}' does not parse", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dutch_and_English_must_be_complete_because_every_message_falls_back_to_them()
    {
        var files = LanguageFiles();
        files[Languages.English] = Without(files[Languages.English], TextShapes.AnswerBody);

        var failure = Assert.Throws<InvalidOperationException>(() => TextCatalog.FromJson(files));

        Assert.Contains($"en: '{TextShapes.AnswerBody}' is missing", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_language_file_that_lacks_a_key_sends_that_message_in_Dutch_and_English_and_says_so()
    {
        var files = LanguageFiles();
        files[Languages.Turkish] = Without(files[Languages.Turkish], TextShapes.ReceiptBody);
        var catalog = TextCatalog.FromJson(files);
        TextMessage Receipt(TextScope scope) => new(TextShapes.ReceiptTitle, TextShapes.ReceiptBody, NotificationTexts.Values(("consultationTitle", "Renovatie")));
        TextMessage Invitation(TextScope scope) =>
            new(TextShapes.InvitationTitle, TextShapes.InvitationBody, NotificationTexts.Values(("consultationTitle", "Renovatie"), ("closesOn", scope.Date(new DateOnly(2026, 12, 31)))));

        var receipt = catalog.Compose(Languages.Turkish, Receipt);
        var invitation = catalog.Compose(Languages.Turkish, Invitation);

        Assert.Equal(Languages.Turkish, receipt.Language);
        Assert.Equal("We hebben uw reactie ontvangen / We received your reaction", receipt.Title);
        Assert.Equal(
            string.Join("\n", [
                "Bu mesaj henüz dilinize çevrilmedi. Aşağıda Felemenkçe ve İngilizce olarak okuyabilirsiniz.",
                "Dit bericht is nog niet vertaald in uw taal. Hieronder leest u het in het Nederlands en in het Engels.",
                "This message has not been translated into your language yet. Below you can read it in Dutch and in English.",
                "",
                "Bedankt voor uw reactie op: Renovatie. We laten u weten wat we ermee doen.",
                "",
                "Thank you for your reaction to: Renovatie. We will tell you what we do with it.",
            ]),
            receipt.Body);
        // The other messages stay in Turkish, with the date as Turkish readers write it.
        Assert.Equal("Fikriniz soruluyor: Renovatie", invitation.Title);
        Assert.Contains("31 Aralık 2026", invitation.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_word_missing_in_a_language_makes_its_message_fall_back_too()
    {
        var files = LanguageFiles();
        files[Languages.Polish] = Without(files[Languages.Polish], TextShapes.ReactionStatus(ReactionStatuses.Adopted));
        var catalog = TextCatalog.FromJson(files);

        var answer = catalog.Compose(Languages.Polish, scope => new TextMessage(TextShapes.AnswerTitle, TextShapes.AnswerBody, NotificationTexts.Values(
            ("consultationTitle", "Renovatie"),
            ("status", scope.Word(TextShapes.ReactionStatus(ReactionStatuses.Adopted), ReactionStatuses.Adopted)),
            ("explanation", "Er komt licht."))));

        Assert.Equal("Antwoord op uw reactie: overgenomen / Answer to your reaction: adopted", answer.Title);
    }

    private static Dictionary<string, string> LanguageFiles() =>
        Languages.All.ToDictionary(language => language, language => JsonSerializer.Serialize(LanguageFile(language)), StringComparer.Ordinal);

    private static Dictionary<string, string> LanguageFile(string language)
    {
        using var stream = typeof(TextCatalog).Assembly.GetManifestResourceStream($"Participatie.Notifications.Texts.{language}.json")
            ?? throw new InvalidOperationException($"No embedded file for {language}.");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(stream)!;
    }

    private static string WithText(string json, string key, string text)
    {
        var texts = JsonSerializer.Deserialize<Dictionary<string, string>>(json)!;
        texts[key] = text;
        return JsonSerializer.Serialize(texts);
    }

    private static string Without(string json, string key)
    {
        var texts = JsonSerializer.Deserialize<Dictionary<string, string>>(json)!;
        Assert.True(texts.Remove(key));
        return JsonSerializer.Serialize(texts);
    }
}
