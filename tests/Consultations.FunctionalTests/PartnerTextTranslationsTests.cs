using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// Partners may give the texts they write for residents (a consultation's title and description, an answer's
/// explanation) in other languages besides Dutch: each translation is checked like the Dutch text, stored, read back
/// and sent on with the events, so that residents read it in their language.
/// </summary>
public sealed class PartnerTextTranslationsTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private const string DutchExplanation = "We leggen in het voorjaar een nieuw grasveld aan.";
    private const string TurkishExplanation = "İlkbaharda yeni bir çim alan yapıyoruz.";

    private readonly HttpClient _client = service.CreateClient();

    private TestTrajectory _trajectory = null!;

    public async ValueTask InitializeAsync()
    {
        var partner = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        partner.Authorize(_client);
        _trajectory = await containers.TokenServer.StartTrajectoryAsync(partner);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private object TranslatedConsultation(object? titleTranslations, object? descriptionTranslations = null) => new
    {
        trajectoryId = _trajectory.Id,
        title = "Nieuwe speeltuin",
        titleTranslations,
        description = "Waar moet de speeltuin komen?",
        descriptionTranslations,
        buurtCode = _trajectory.BuurtCode,
        closesOn = DutchToday().AddDays(30),
    };

    private async Task<string?> OutboxPayloadAsync(string messageType, string property, Guid id)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.QuerySingleOrDefaultAsync<string>(
            $"SELECT payload::text FROM outbox_messages WHERE message_type LIKE @Type AND payload->>'{property}' = @Id ORDER BY id DESC LIMIT 1",
            new { Type = $"Participatie.Contracts.{messageType}%", Id = id.ToString() });
    }

    private static Dictionary<string, string> Texts(JsonElement element) =>
        element.EnumerateObject().ToDictionary(property => property.Name, property => property.Value.GetString()!, StringComparer.Ordinal);

    [Fact]
    public async Task Translated_titles_and_descriptions_are_stored_returned_and_sent_with_the_event()
    {
        var created = await _client.PostAsJsonAsync(
            "/v1/consultations",
            TranslatedConsultation(
                new Dictionary<string, string> { ["tr"] = "  Yeni oyun parkı ", ["uk"] = "Новий дитячий майданчик" },
                new Dictionary<string, string> { ["tr"] = "Oyun parkı nereye yapılmalı?" }),
            Cancel);

        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Cancel));
        var consultation = await created.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var expectedTitles = new Dictionary<string, string> { ["tr"] = "Yeni oyun parkı", ["uk"] = "Новий дитячий майданчик" };
        Assert.Equal("Nieuwe speeltuin", consultation.Value("title"));
        Assert.Equal(expectedTitles, Texts(consultation.GetProperty("titleTranslations")));

        var read = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultation.Id()}", Cancel);
        Assert.Equal(expectedTitles, Texts(read.GetProperty("titleTranslations")));
        Assert.Equal(
            new Dictionary<string, string> { ["tr"] = "Oyun parkı nereye yapılmalı?" }, Texts(read.GetProperty("descriptionTranslations")));
        var listed = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations?buurtCode={_trajectory.BuurtCode}", Cancel);
        Assert.Equal(expectedTitles, Texts(Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("titleTranslations")));

        using var payload = JsonDocument.Parse((await OutboxPayloadAsync("ConsultationOpened", "consultationId", consultation.Id()))!);
        Assert.Equal("Nieuwe speeltuin", payload.RootElement.Value("title"));
        Assert.Equal(expectedTitles, Texts(payload.RootElement.GetProperty("titleTranslations")));
    }

    [Fact]
    public async Task A_consultation_without_translations_has_none()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);

        var read = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultation.Id()}", Cancel);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("titleTranslations").ValueKind);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("descriptionTranslations").ValueKind);
    }

    [Theory]
    [InlineData("titleTranslations", "tr", " ")]
    [InlineData("titleTranslations", "xx", "Een titel in een taal die er niet is")]
    [InlineData("titleTranslations", "nl", "Een tweede Nederlandse titel")]
    [InlineData("titleTranslations", "pl", null)]
    [InlineData("descriptionTranslations", "ar", "")]
    public async Task An_invalid_translation_is_a_400_problem_naming_its_language_and_nothing_is_stored(string field, string language, string? text)
    {
        var translations = new Dictionary<string, string?> { ["en"] = "A valid text", [language] = text };
        var body = field == "titleTranslations" ? TranslatedConsultation(translations) : TranslatedConsultation(null, translations);

        var response = await _client.PostAsJsonAsync("/v1/consultations", body, Cancel);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, $"{field}.{language}");
        Assert.Equal([$"{field}.{language}"], problem.GetProperty("errors").EnumerateObject().Select(error => error.Name));
        var page = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations?buurtCode={_trajectory.BuurtCode}", Cancel);
        Assert.Equal(0, page.GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task A_translation_longer_than_the_dutch_text_may_be_is_a_400_problem_naming_its_language()
    {
        var response = await _client.PostAsJsonAsync(
            "/v1/consultations",
            TranslatedConsultation(
                new Dictionary<string, string> { ["so"] = new('a', 201) },
                new Dictionary<string, string> { ["ti"] = new('b', 4001), ["uk"] = new('c', 4000) }),
            Cancel);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "titleTranslations.so");
        Assert.Equal(
            ["descriptionTranslations.ti", "titleTranslations.so"],
            problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_answer_with_translated_explanations_is_stored_returned_and_sent_with_the_translated_title()
    {
        var created = await _client.PostAsJsonAsync(
            "/v1/consultations", TranslatedConsultation(new Dictionary<string, string> { ["tr"] = "Yeni oyun parkı" }), Cancel);
        var consultation = await created.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());
        using (var receipt = JsonDocument.Parse((await OutboxPayloadAsync("ReactionSubmitted", "reactionId", reaction.Id()))!))
        {
            Assert.Equal("Yeni oyun parkı", receipt.RootElement.GetProperty("titleTranslations").GetProperty("tr").GetString());
        }

        var answered = await _client.PutAsJsonAsync(
            $"/v1/consultations/{consultation.Id()}/reactions/{reaction.Id()}/answer",
            new { status = "adopted", explanation = DutchExplanation, explanationTranslations = new Dictionary<string, string> { ["tr"] = TurkishExplanation } },
            Cancel);

        Assert.True(answered.StatusCode == HttpStatusCode.OK, await answered.Content.ReadAsStringAsync(Cancel));
        var expected = new Dictionary<string, string> { ["tr"] = TurkishExplanation };
        Assert.Equal(expected, Texts((await answered.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("explanationTranslations")));
        var read = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultation.Id()}/reactions/{reaction.Id()}", Cancel);
        Assert.Equal(DutchExplanation, read.Value("explanation"));
        Assert.Equal(expected, Texts(read.GetProperty("explanationTranslations")));
        using var payload = JsonDocument.Parse((await OutboxPayloadAsync("ReactionAnswered", "reactionId", reaction.Id()))!);
        Assert.Equal(DutchExplanation, payload.RootElement.Value("explanation"));
        Assert.Equal(expected, Texts(payload.RootElement.GetProperty("explanationTranslations")));
        Assert.Equal("Yeni oyun parkı", payload.RootElement.GetProperty("titleTranslations").GetProperty("tr").GetString());
    }

    [Fact]
    public async Task A_new_translation_of_the_same_answer_is_told_again_and_the_same_answer_twice_is_not()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());
        var uri = $"/v1/consultations/{consultation.Id()}/reactions/{reaction.Id()}/answer";
        var withTurkish = new { status = "adopted", explanation = DutchExplanation, explanationTranslations = new Dictionary<string, string> { ["tr"] = TurkishExplanation } };

        (await _client.PutAsJsonAsync(uri, new { status = "adopted", explanation = DutchExplanation }, Cancel)).EnsureSuccessStatusCode();
        (await _client.PutAsJsonAsync(uri, withTurkish, Cancel)).EnsureSuccessStatusCode();
        (await _client.PutAsJsonAsync(uri, withTurkish, Cancel)).EnsureSuccessStatusCode();

        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var answers = await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'Participatie.Contracts.ReactionAnswered%' AND payload->>'reactionId' = @Id",
            new { Id = reaction.Id().ToString() });
        Assert.Equal(2, answers);
    }

    [Fact]
    public async Task An_explanation_translation_is_checked_like_the_dutch_one()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());

        var response = await _client.PutAsJsonAsync(
            $"/v1/consultations/{consultation.Id()}/reactions/{reaction.Id()}/answer",
            new { status = "adopted", explanation = DutchExplanation, explanationTranslations = new Dictionary<string, string> { ["ar"] = "نعم", ["pl"] = "Tak, zrobimy to wiosną." } },
            Cancel);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "explanationTranslations.ar");
        Assert.Equal(["explanationTranslations.ar"], problem.GetProperty("errors").EnumerateObject().Select(error => error.Name));
        var read = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultation.Id()}/reactions/{reaction.Id()}", Cancel);
        Assert.Equal("received", read.Value("status"));
    }
}
