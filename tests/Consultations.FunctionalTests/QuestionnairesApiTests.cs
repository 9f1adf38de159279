using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// Questionnaires and polls of a consultation: every text in every supported language, one response per resident,
/// results counted without showing who answered what.
/// </summary>
public sealed class QuestionnairesApiTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private readonly HttpClient _client = service.CreateClient();

    private TestPartner _lead = null!;

    private TestTrajectory _trajectory = null!;

    private TokenServer Tokens => containers.TokenServer;

    public async ValueTask InitializeAsync()
    {
        _lead = await Tokens.RegisterPartnerAsync("municipality");
        _lead.Authorize(_client);
        _trajectory = await Tokens.StartTrajectoryAsync(_lead);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A text in every supported language (the language code in front, so that tests can tell them apart).</summary>
    private static Dictionary<string, string> InAll(string text, params string[] except) =>
        Languages.All.Except(except).ToDictionary(language => language, language => $"[{language}] {text}");

    private static object[] Questions(params string[] missingLanguages) =>
    [
        new
        {
            id = "groen",
            type = "multiple-choice",
            texts = InAll("Wat wilt u op het plein?"),
            options = new[]
            {
                new { id = "bomen", texts = InAll("Meer bomen") },
                new { id = "speeltuin", texts = InAll("Een speeltuin") },
            },
        },
        new { id = "wensen", type = "open", texts = InAll("Wat wilt u nog kwijt?", missingLanguages) },
    ];

    private async Task<Guid> ConsultationWithQuestionnaireAsync()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var set = await _client.PutAsJsonAsync($"/v1/consultations/{consultation.Id()}/questionnaire", new { questions = Questions() }, Cancel);
        Assert.True(set.StatusCode == HttpStatusCode.Created, await set.Content.ReadAsStringAsync(Cancel));
        return consultation.Id();
    }

    private Task<HttpResponseMessage> AnswerAsync(Guid consultationId, Guid residentId, string language, params object[] answers) =>
        _client.PostAsJsonAsync(
            $"/v1/consultations/{consultationId}/questionnaire/responses",
            new { residentId, channel = "paper-form", language, answers }, Cancel);

    [Fact]
    public async Task Residents_answer_once_each_and_the_results_count_options_and_list_open_answers_without_residents()
    {
        var consultationId = await ConsultationWithQuestionnaireAsync();
        var (fatma, piet) = (await containers.NewResidentOfAsync(consultationId), await containers.NewResidentOfAsync(consultationId));

        var first = await AnswerAsync(consultationId, fatma, Languages.Turkish, new { questionId = "groen", optionId = "bomen" });
        var changed = await AnswerAsync(
            consultationId, fatma, Languages.Turkish, new { questionId = "groen", optionId = "speeltuin" }, new { questionId = "wensen", text = "Bankjes" });
        var other = await AnswerAsync(consultationId, piet, Languages.Dutch, new { questionId = "groen", optionId = "speeltuin" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        var questionnaire = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultationId}/questionnaire", Cancel);
        Assert.Equal("[uk] Wat wilt u op het plein?", questionnaire.GetProperty("questions")[0].GetProperty("texts").GetProperty("uk").GetString());
        var body = await _client.GetStringAsync(new Uri($"/v1/consultations/{consultationId}/questionnaire/results", UriKind.Relative), Cancel);
        var results = JsonDocument.Parse(body).RootElement;
        // Two residents answered: counts of 1 to 4 are shown as "< 5", zero as it is.
        Assert.Equal("< 5", results.GetProperty("responseCount").GetProperty("display").GetString());
        var options = results.GetProperty("questions")[0].GetProperty("options").EnumerateArray()
            .ToDictionary(option => option.GetProperty("optionId").GetString()!, option => option.GetProperty("count").GetProperty("display").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["bomen"] = "0", ["speeltuin"] = "< 5" }, options);
        var open = Assert.Single(results.GetProperty("questions")[1].GetProperty("openAnswers").EnumerateArray());
        Assert.Equal("Bankjes", open.GetProperty("text").GetString());
        Assert.Equal("tr", open.GetProperty("language").GetString());
        Assert.DoesNotContain(fatma.ToString(), body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(piet.ToString(), body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_question_missing_a_language_or_with_repeated_option_ids_is_a_422_problem_naming_the_field()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var path = $"/v1/consultations/{consultation.Id()}/questionnaire";
        object[] repeated =
        [
            new
            {
                id = "groen", type = "multiple-choice", texts = InAll("Wat?"),
                options = new[] { new { id = "ja", texts = InAll("Ja") }, new { id = "ja", texts = InAll("Nee", Languages.Dutch) } },
            },
        ];

        var missingArabic = await _client.PutAsJsonAsync(path, new { questions = Questions(Languages.Arabic) }, Cancel);
        var repeatedOption = await _client.PutAsJsonAsync(path, new { questions = repeated }, Cancel);
        var none = await _client.PutAsJsonAsync(path, new { questions = Array.Empty<object>() }, Cancel);

        var problem = await missingArabic.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "questions[1].texts");
        Assert.Contains("ar", problem.GetProperty("errors").GetProperty("questions[1].texts")[0].GetString(), StringComparison.Ordinal);
        await repeatedOption.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "questions[0].options[1].id");
        await repeatedOption.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "questions[0].options[1].texts");
        await none.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "questions");
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(new Uri(path, UriKind.Relative), Cancel)).StatusCode);
    }

    [Fact]
    public async Task Answers_to_unknown_questions_or_options_are_a_422_problem_and_answered_questions_stay()
    {
        var consultationId = await ConsultationWithQuestionnaireAsync();

        var unknownOption = await AnswerAsync(consultationId, await containers.NewResidentOfAsync(consultationId), Languages.Dutch, new { questionId = "groen", optionId = "parkeren" });
        var unknownQuestion = await AnswerAsync(consultationId, await containers.NewResidentOfAsync(consultationId), Languages.Dutch, new { questionId = "fietsen", text = "Ja" });
        var emptyOpen = await AnswerAsync(consultationId, await containers.NewResidentOfAsync(consultationId), Languages.Dutch, new { questionId = "wensen", text = " " });
        var badLanguage = await AnswerAsync(consultationId, await containers.NewResidentOfAsync(consultationId), "fr", new { questionId = "groen", optionId = "bomen" });
        await AnswerAsync(consultationId, await containers.NewResidentOfAsync(consultationId), Languages.Dutch, new { questionId = "groen", optionId = "bomen" });
        var change = await _client.PutAsJsonAsync($"/v1/consultations/{consultationId}/questionnaire", new { questions = Questions() }, Cancel);

        await unknownOption.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "answers[0].optionId");
        await unknownQuestion.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "answers[0].questionId");
        await emptyOpen.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "answers[0].text");
        await badLanguage.AssertProblemAsync(HttpStatusCode.BadRequest, "language");
        await change.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "questions");
    }

    [Fact]
    public async Task A_poll_counts_one_vote_per_resident_per_option()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var path = $"/v1/consultations/{consultation.Id()}/poll";
        var poll = new
        {
            texts = InAll("Welke naam krijgt het plein?"),
            options = new[] { new { id = "meeuw", texts = InAll("Meeuwplein") }, new { id = "zon", texts = InAll("Zonneplein") } },
        };
        var resident = await containers.NewResidentOfAsync(consultation.Id());

        var set = await _client.PutAsJsonAsync(path, poll, Cancel);
        var vote = await _client.PostAsJsonAsync($"{path}/responses", new { residentId = resident, channel = "meeting", language = "pl", optionId = "meeuw" }, Cancel);
        var revote = await _client.PostAsJsonAsync($"{path}/responses", new { residentId = resident, optionId = "zon" }, Cancel);
        var other = await _client.PostAsJsonAsync($"{path}/responses", new { residentId = await containers.NewResidentOfAsync(consultation.Id()), optionId = "zon" }, Cancel);
        var unknown = await _client.PostAsJsonAsync($"{path}/responses", new { residentId = await containers.NewResidentOfAsync(consultation.Id()), optionId = "maan" }, Cancel);
        var missingPolish = await _client.PutAsJsonAsync(
            $"/v1/consultations/{(await _client.OpenConsultationAsync(_trajectory)).Id()}/poll",
            new { poll.options, texts = InAll("Welke naam?", Languages.Polish) }, Cancel);

        Assert.Equal(HttpStatusCode.Created, set.StatusCode);
        Assert.Equal(HttpStatusCode.Created, vote.StatusCode);
        Assert.Equal(HttpStatusCode.OK, revote.StatusCode);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        await unknown.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "optionId");
        await missingPolish.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "texts");
        var results = await _client.GetFromJsonAsync<JsonElement>($"{path}/results", Cancel);
        Assert.True(results.GetProperty("voteCount").GetProperty("fewerThanFive").GetBoolean());
        var counts = results.GetProperty("options").EnumerateArray()
            .ToDictionary(option => option.GetProperty("optionId").GetString()!, option => option.GetProperty("count").GetProperty("display").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["meeuw"] = "0", ["zon"] = "< 5" }, counts);
        var read = await _client.GetFromJsonAsync<JsonElement>(path, Cancel);
        Assert.Equal("[nl] Welke naam krijgt het plein?", read.GetProperty("texts").GetProperty("nl").GetString());
    }

    [Fact]
    public async Task Outsiders_do_not_see_questionnaires_and_observers_cannot_set_or_answer_them()
    {
        var consultationId = await ConsultationWithQuestionnaireAsync();
        var outsider = (await Tokens.RegisterPartnerAsync("housing-corporation")).Authorize(service.CreateClient());
        var observerPartner = await Tokens.RegisterPartnerAsync("social-institution");
        await Tokens.SetMemberAsync(_lead, _trajectory.Id, observerPartner.PartnerId, TrajectoryRoles.Observer);
        using var observer = observerPartner.Authorize(service.CreateClient());
        var path = $"/v1/consultations/{consultationId}";
        var answer = new { residentId = await containers.NewResidentOfAsync(consultationId), answers = new[] { new { questionId = "groen", optionId = "bomen" } } };

        var outsiderReads = await outsider.GetAsync(new Uri($"{path}/questionnaire/results", UriKind.Relative), Cancel);
        var outsiderAnswers = await outsider.PostAsJsonAsync($"{path}/questionnaire/responses", answer, Cancel);
        var outsiderPoll = await outsider.PutAsJsonAsync($"{path}/poll", new { texts = InAll("?"), options = Array.Empty<object>() }, Cancel);
        var observerSets = await observer.PutAsJsonAsync($"{path}/questionnaire", new { questions = Questions() }, Cancel);
        var observerPoll = await observer.PutAsJsonAsync($"{path}/poll", new { texts = InAll("?"), options = Array.Empty<object>() }, Cancel);
        var observerAnswers = await observer.PostAsJsonAsync($"{path}/questionnaire/responses", answer, Cancel);
        var observerReads = await observer.GetAsync(new Uri($"{path}/questionnaire/results", UriKind.Relative), Cancel);
        outsider.Dispose();

        await outsiderReads.AssertProblemAsync(HttpStatusCode.NotFound);
        await outsiderAnswers.AssertProblemAsync(HttpStatusCode.NotFound);
        await outsiderPoll.AssertProblemAsync(HttpStatusCode.NotFound);
        await observerSets.AssertProblemAsync(HttpStatusCode.Forbidden);
        await observerPoll.AssertProblemAsync(HttpStatusCode.Forbidden);
        await observerAnswers.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, observerReads.StatusCode);
    }
}
