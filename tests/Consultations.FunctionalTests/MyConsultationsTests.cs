using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.MyRequests;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// A resident's own part in consultations under /v1/me, with their own token: what is open for their address, in their
/// language; reacting and reading what became of it; meetings, questionnaires and polls. Another resident's data and
/// a consultation that is not for them are 404; partner and resident tokens never cross over (403).
/// </summary>
public sealed class MyConsultationsTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private HttpClient _partner = null!;
    private Guid _partnerId;
    private TestTrajectory _trajectory = null!;

    public async ValueTask InitializeAsync()
    {
        var partner = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        _partnerId = partner.PartnerId;
        _partner = partner.Authorize(service.CreateClient());
        _trajectory = await containers.TokenServer.StartTrajectoryAsync(partner);
    }

    public ValueTask DisposeAsync()
    {
        _partner.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_resident_sees_the_consultations_for_their_address_in_their_language_and_nothing_else()
    {
        using var fatma = await service.ResidentAsync(containers, _trajectory.BuurtCode, Languages.Turkish, registeredBy: _partnerId);
        using var elsewhere = await service.ResidentAsync(containers, _trajectory.BuurtCodes[1], Languages.Dutch);
        using var unknown = service.ResidentClient(containers, Guid.NewGuid());
        var forBuurt = await _partner.OpenTranslatedConsultationAsync(_trajectory);
        var block = TenHomesWith("1021 AB", 3);
        var forBlockWithFatma = await _partner.OpenTranslatedConsultationAsync(_trajectory, block);
        var forBlockWithoutFatma = await _partner.OpenTranslatedConsultationAsync(_trajectory, TenHomesWith("1021 AB", 5));
        // Whom the residents service says lives at the block's addresses; the other block's audience is someone else.
        await service.Services.GetRequiredService<IBus>().Publish(
            new ConsultationAudienceResolved(forBlockWithFatma, _trajectory.Id, [fatma.Id]), Cancel);
        await service.Services.GetRequiredService<IBus>().Publish(
            new ConsultationAudienceResolved(forBlockWithoutFatma, _trajectory.Id, [Guid.NewGuid()]), Cancel);
        using var meeting = await _partner.PostAsJsonAsync($"/v1/consultations/{forBuurt}/meetings", new
        {
            place = "Buurthuis De Meeuw", startsAt = DateTimeOffset.UtcNow.AddDays(7), endsAt = DateTimeOffset.UtcNow.AddDays(7).AddHours(2), capacity = 40,
        }, Cancel);
        var meetingId = (await meeting.JsonAsync(HttpStatusCode.Created)).Id();

        var list = await Eventually.MatchesAsync(
            () => fatma.Client.GetFromJsonAsync<JsonElement>("/v1/me/consultations?pageSize=100", Cancel),
            page => page.Items().Count == 2,
            "both consultations for Fatma's address");

        var buurt = Assert.Single(list.Items(), item => item.Id() == forBuurt);
        Assert.Equal("Yeni oyun parkı", buurt.Value("title"));
        Assert.Equal("Oyun parkı nereye yapılmalı?", buurt.Value("description"));
        Assert.Equal("tr", buurt.Value("textLanguage"));
        Assert.True(buurt.GetProperty("inMyLanguage").GetBoolean());
        Assert.True(buurt.GetProperty("isOpen").GetBoolean());
        Assert.False(buurt.GetProperty("reacted").GetBoolean());
        var listedMeeting = Assert.Single(buurt.GetProperty("meetings").EnumerateArray());
        Assert.Equal(meetingId, listedMeeting.Id());
        Assert.Equal("available", listedMeeting.Value("availability"));
        Assert.False(listedMeeting.TryGetProperty("placesLeft", out _));
        Assert.False(listedMeeting.GetProperty("registered").GetBoolean());
        Assert.Contains(list.Items(), item => item.Id() == forBlockWithFatma);
        Assert.DoesNotContain(list.Items(), item => item.Id() == forBlockWithoutFatma);

        // A consultation not for them does not exist for them; nor for a resident of another buurt.
        await (await fatma.Client.GetAsync($"/v1/me/consultations/{forBlockWithoutFatma}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await elsewhere.Client.GetAsync($"/v1/me/consultations/{forBuurt}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await elsewhere.Client.GetFromJsonAsync<JsonElement>("/v1/me/consultations", Cancel)).Items());
        // Not in the projection yet: an empty list, not an error.
        Assert.Empty((await unknown.GetFromJsonAsync<JsonElement>("/v1/me/consultations", Cancel)).Items());

        var one = await fatma.Client.GetFromJsonAsync<JsonElement>($"/v1/me/consultations/{forBuurt}", Cancel);
        Assert.Equal("Yeni oyun parkı", one.Value("title"));
    }

    [Fact]
    public async Task A_consultation_without_a_translation_into_the_residents_language_is_shown_in_Dutch_and_marked()
    {
        using var oksana = await service.ResidentAsync(containers, _trajectory.BuurtCode, Languages.Ukrainian);
        var consultationId = await _partner.OpenTranslatedConsultationAsync(_trajectory);

        var one = await oksana.Client.GetFromJsonAsync<JsonElement>($"/v1/me/consultations/{consultationId}", Cancel);

        Assert.Equal("Nieuwe speeltuin", one.Value("title"));
        Assert.Equal("nl", one.Value("textLanguage"));
        Assert.False(one.GetProperty("inMyLanguage").GetBoolean());
    }

    [Fact]
    public async Task A_resident_reacts_and_reads_every_step_of_the_answer_in_their_language_and_nobody_else_can()
    {
        using var fatma = await service.ResidentAsync(containers, _trajectory.BuurtCode, Languages.Turkish, registeredBy: _partnerId);
        using var neighbour = await service.ResidentAsync(containers, _trajectory.BuurtCode, Languages.Dutch);
        var consultationId = await _partner.OpenTranslatedConsultationAsync(_trajectory);

        using var submitted = await fatma.Client.PostAsJsonAsync(
            $"/v1/me/consultations/{consultationId}/reactions", new { text = "Graag een schaduwrijke plek." }, Cancel);
        var reaction = await submitted.JsonAsync(HttpStatusCode.Created);
        var reactionId = reaction.Id();
        Assert.Equal($"/v1/me/reactions/{reactionId}", submitted.Headers.Location?.OriginalString);
        Assert.Equal("received", reaction.Value("status"));
        Assert.Equal("tr", reaction.Value("language"));
        Assert.Equal("Yeni oyun parkı", reaction.Value("consultationTitle"));

        // The partner sees it as any reaction, of Fatma, and the same receipt went out through the outbox.
        var seen = await _partner.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultationId}/reactions/{reactionId}", Cancel);
        Assert.Equal(fatma.Id, seen.GetProperty("residentId").GetGuid());
        Assert.Equal("online", seen.Value("channel"));
        Assert.Equal(1, await ScalarAsync<int>(
            containers,
            "SELECT count(*)::int FROM outbox_messages WHERE message_type LIKE '%ReactionSubmitted%' AND payload->>'reactionId' = @Id",
            new { Id = reactionId.ToString() }));

        using var considering = await _partner.PutAsJsonAsync($"/v1/consultations/{consultationId}/reactions/{reactionId}/answer", new
        {
            status = "under-consideration",
            explanation = "We bekijken waar bomen kunnen komen.",
            explanationTranslations = new Dictionary<string, string> { ["tr"] = "Ağaçların nereye dikilebileceğine bakıyoruz." },
        }, Cancel);
        await considering.JsonAsync(HttpStatusCode.OK);
        using var adopted = await _partner.PutAsJsonAsync($"/v1/consultations/{consultationId}/reactions/{reactionId}/answer", new
        {
            status = "adopted",
            explanation = "Er komen drie bomen bij de speeltuin.",
            explanationTranslations = new Dictionary<string, string> { ["tr"] = "Oyun parkının yanına üç ağaç dikilecek." },
        }, Cancel);
        await adopted.JsonAsync(HttpStatusCode.OK);

        var mine = await fatma.Client.GetFromJsonAsync<JsonElement>($"/v1/me/reactions/{reactionId}", Cancel);
        Assert.Equal("adopted", mine.Value("status"));
        Assert.Equal("Oyun parkının yanına üç ağaç dikilecek.", mine.Value("explanation"));
        Assert.Equal("tr", mine.Value("explanationLanguage"));
        var history = mine.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["received", "under-consideration", "adopted"], history.Select(step => step.Value("status")));
        Assert.Equal("Ağaçların nereye dikilebileceğine bakıyoruz.", history[1].Value("explanation"));
        Assert.Equal("tr", history[1].Value("explanationLanguage"));
        Assert.False(mine.TryGetProperty("residentId", out _));

        var list = await fatma.Client.GetFromJsonAsync<JsonElement>("/v1/me/reactions", Cancel);
        Assert.Equal(reactionId, Assert.Single(list.Items()).Id());
        var consultation = await fatma.Client.GetFromJsonAsync<JsonElement>($"/v1/me/consultations/{consultationId}", Cancel);
        Assert.True(consultation.GetProperty("reacted").GetBoolean());

        // The neighbour takes part in the same consultation, but Fatma's reaction is not theirs.
        await (await neighbour.Client.GetAsync($"/v1/me/reactions/{reactionId}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await neighbour.Client.GetFromJsonAsync<JsonElement>("/v1/me/reactions", Cancel)).Items());
        Assert.False((await neighbour.Client.GetFromJsonAsync<JsonElement>($"/v1/me/consultations/{consultationId}", Cancel))
            .GetProperty("reacted").GetBoolean());
    }

    [Fact]
    public async Task A_reaction_is_checked_as_on_the_partner_path_and_only_to_a_consultation_for_the_resident()
    {
        using var fatma = await service.ResidentAsync(containers, _trajectory.BuurtCode, Languages.Turkish, registeredBy: _partnerId);
        using var elsewhere = await service.ResidentAsync(containers, _trajectory.BuurtCodes[1]);
        var consultationId = await _partner.OpenTranslatedConsultationAsync(_trajectory);
        var path = $"/v1/me/consultations/{consultationId}/reactions";

        await (await fatma.Client.PostAsJsonAsync(path, new { text = " " }, Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest, "text");
        await (await fatma.Client.PostAsJsonAsync(path, new { text = "Ja", language = "fr" }, Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest, "language");
        // Refused before the body is read: an outsider learns nothing, not even that its body was wrong.
        await (await elsewhere.Client.PostAsJsonAsync(path, new { text = " " }, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);

        await ExecuteAsync(containers, "UPDATE consultations SET closes_on = @Yesterday WHERE id = @Id", new { Yesterday = DutchToday().AddDays(-1), Id = consultationId });
        await (await fatma.Client.PostAsJsonAsync(path, new { text = "Te laat?" }, Cancel)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "consultationId");
    }

    [Fact]
    public async Task A_resident_registers_for_a_meeting_and_cancels_and_cannot_touch_another_residents_registration()
    {
        using var fatma = await service.ResidentAsync(containers, _trajectory.BuurtCode, Languages.Turkish, registeredBy: _partnerId);
        using var neighbour = await service.ResidentAsync(containers, _trajectory.BuurtCode);
        using var elsewhere = await service.ResidentAsync(containers, _trajectory.BuurtCodes[1]);
        var consultationId = await _partner.OpenTranslatedConsultationAsync(_trajectory);
        using var created = await _partner.PostAsJsonAsync($"/v1/consultations/{consultationId}/meetings", new
        {
            place = "Buurthuis De Meeuw", startsAt = DateTimeOffset.UtcNow.AddDays(3), endsAt = DateTimeOffset.UtcNow.AddDays(3).AddHours(2), capacity = 1,
        }, Cancel);
        var meetingId = (await created.JsonAsync(HttpStatusCode.Created)).Id();
        var path = $"/v1/me/meetings/{meetingId}/registration";

        await (await fatma.Client.PutAsync(path, null, Cancel)).JsonAsync(HttpStatusCode.Created);
        await (await fatma.Client.PutAsync(path, null, Cancel)).JsonAsync(HttpStatusCode.OK);
        var listed = Assert.Single((await fatma.Client.GetFromJsonAsync<JsonElement>("/v1/me/meetings", Cancel)).Items());
        Assert.True(listed.GetProperty("registered").GetBoolean());
        Assert.Equal("full", listed.Value("availability"));
        var registrations = await _partner.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultationId}/meetings/{meetingId}/registrations", Cancel);
        Assert.Equal(fatma.Id, Assert.Single(registrations.Items()).GetProperty("residentId").GetGuid());

        // The one place is taken: the meeting rules hold for residents too.
        await (await neighbour.Client.PutAsync(path, null, Cancel)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "capacity");
        // The neighbour cannot cancel Fatma's registration: they have none of their own.
        await (await neighbour.Client.DeleteAsync(path, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.False(Assert.Single((await neighbour.Client.GetFromJsonAsync<JsonElement>("/v1/me/meetings", Cancel)).Items())
            .GetProperty("registered").GetBoolean());
        await (await elsewhere.Client.PutAsync(path, null, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await elsewhere.Client.GetFromJsonAsync<JsonElement>("/v1/me/meetings", Cancel)).Items());

        Assert.Equal(HttpStatusCode.NoContent, (await fatma.Client.DeleteAsync(path, Cancel)).StatusCode);
        await (await fatma.Client.DeleteAsync(path, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await neighbour.Client.PutAsync(path, null, Cancel)).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_resident_answers_the_questionnaire_and_the_poll_in_their_language_and_reads_only_their_own_answers()
    {
        using var fatma = await service.ResidentAsync(containers, _trajectory.BuurtCode, Languages.Turkish, registeredBy: _partnerId);
        using var neighbour = await service.ResidentAsync(containers, _trajectory.BuurtCode);
        using var elsewhere = await service.ResidentAsync(containers, _trajectory.BuurtCodes[1]);
        var consultationId = await _partner.OpenTranslatedConsultationAsync(_trajectory);
        var questionnaire = await (await _partner.PutAsJsonAsync($"/v1/consultations/{consultationId}/questionnaire", new
        {
            questions = new object[]
            {
                new
                {
                    id = "groen", type = "multiple-choice", texts = InAll("Wat wilt u op het plein?"),
                    options = new[] { new { id = "bomen", texts = InAll("Meer bomen") }, new { id = "speeltuin", texts = InAll("Een speeltuin") } },
                },
                new { id = "wensen", type = "open", texts = InAll("Wat wilt u nog kwijt?") },
            },
        }, Cancel)).JsonAsync(HttpStatusCode.Created);
        var poll = await (await _partner.PutAsJsonAsync($"/v1/consultations/{consultationId}/poll", new
        {
            texts = InAll("Welke naam?"),
            options = new[] { new { id = "meeuw", texts = InAll("Meeuwplein") }, new { id = "zon", texts = InAll("Zonneplein") } },
        }, Cancel)).JsonAsync(HttpStatusCode.Created);
        var questionnairePath = $"/v1/me/questionnaires/{questionnaire.Id()}";
        var pollPath = $"/v1/me/polls/{poll.Id()}";

        var read = await fatma.Client.GetFromJsonAsync<JsonElement>(questionnairePath, Cancel);
        var first = read.GetProperty("questions")[0];
        Assert.Equal("[tr] Wat wilt u op het plein?", first.Value("text"));
        Assert.Equal("[tr] Meer bomen", first.GetProperty("options")[0].Value("text"));
        Assert.Equal(JsonValueKind.Null, read.GetProperty("myAnswers").ValueKind);

        var answers = new { answers = new object[] { new { questionId = "groen", optionId = "bomen" }, new { questionId = "wensen", text = "Bankjes" } } };
        await (await fatma.Client.PostAsJsonAsync($"{questionnairePath}/responses", answers, Cancel)).JsonAsync(HttpStatusCode.Created);
        var changed = new { answers = new object[] { new { questionId = "groen", optionId = "speeltuin" } } };
        await (await fatma.Client.PostAsJsonAsync($"{questionnairePath}/responses", changed, Cancel)).JsonAsync(HttpStatusCode.OK);
        var wrong = new { answers = new object[] { new { questionId = "groen", optionId = "parkeren" } } };
        await (await fatma.Client.PostAsJsonAsync($"{questionnairePath}/responses", wrong, Cancel))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "answers[0].optionId");
        var mine = await fatma.Client.GetFromJsonAsync<JsonElement>(questionnairePath, Cancel);
        Assert.Equal("speeltuin", Assert.Single(mine.GetProperty("myAnswers").EnumerateArray()).Value("optionId"));
        // The neighbour reads the questionnaire, but not Fatma's answers.
        Assert.Equal(JsonValueKind.Null, (await neighbour.Client.GetFromJsonAsync<JsonElement>(questionnairePath, Cancel)).GetProperty("myAnswers").ValueKind);
        var results = await _partner.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultationId}/questionnaire/results", Cancel);
        Assert.Equal("< 5", results.GetProperty("responseCount").GetProperty("display").GetString());

        Assert.Equal("[tr] Welke naam?", (await fatma.Client.GetFromJsonAsync<JsonElement>(pollPath, Cancel)).Value("text"));
        await (await fatma.Client.PostAsJsonAsync($"{pollPath}/responses", new { optionId = "zon" }, Cancel)).JsonAsync(HttpStatusCode.Created);
        await (await fatma.Client.PostAsJsonAsync($"{pollPath}/responses", new { optionId = "maan" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "optionId");
        Assert.Equal("zon", (await fatma.Client.GetFromJsonAsync<JsonElement>(pollPath, Cancel)).Value("myChoice"));
        Assert.Equal(JsonValueKind.Null, (await neighbour.Client.GetFromJsonAsync<JsonElement>(pollPath, Cancel)).GetProperty("myChoice").ValueKind);

        // A questionnaire id is not a poll id, and neither exists for a resident of another buurt.
        await (await fatma.Client.GetAsync($"/v1/me/polls/{questionnaire.Id()}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await elsewhere.Client.GetAsync(questionnairePath, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await elsewhere.Client.PostAsJsonAsync($"{pollPath}/responses", new { optionId = "zon" }, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);

        var listed = await fatma.Client.GetFromJsonAsync<JsonElement>($"/v1/me/consultations/{consultationId}", Cancel);
        Assert.True(listed.GetProperty("questionnaire").GetProperty("answered").GetBoolean());
        Assert.Equal(poll.Id(), listed.GetProperty("poll").Id());
    }

    [Fact]
    public async Task A_residents_open_answers_carry_the_language_they_were_written_in_by_default_their_own()
    {
        using var fatma = await service.ResidentAsync(containers, _trajectory.BuurtCode, Languages.Turkish, registeredBy: _partnerId);
        using var neighbour = await service.ResidentAsync(containers, _trajectory.BuurtCode, Languages.Dutch);
        var consultationId = await _partner.OpenTranslatedConsultationAsync(_trajectory);
        var questionnaire = await (await _partner.PutAsJsonAsync($"/v1/consultations/{consultationId}/questionnaire", new
        {
            questions = new object[] { new { id = "wensen", type = "open", texts = InAll("Wat wilt u nog kwijt?") } },
        }, Cancel)).JsonAsync(HttpStatusCode.Created);
        var path = $"/v1/me/questionnaires/{questionnaire.Id()}";
        static object Open(string text, string? language = null) =>
            language is null
                ? new { answers = new[] { new { questionId = "wensen", text } } }
                : new { answers = new[] { new { questionId = "wensen", text } }, language };

        // Without a language the answer is taken to be in the resident's own; a named one is kept.
        var inTurkish = await (await fatma.Client.PostAsJsonAsync($"{path}/responses", Open("Daha fazla bank"), Cancel)).JsonAsync(HttpStatusCode.Created);
        var inPolish = await (await neighbour.Client.PostAsJsonAsync($"{path}/responses", Open("Więcej ławek", Languages.Polish), Cancel))
            .JsonAsync(HttpStatusCode.Created);
        await (await neighbour.Client.PostAsJsonAsync($"{path}/responses", Open("Plus de bancs", "fr"), Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest, "language");

        Assert.Equal(Languages.Turkish, inTurkish.Value("language"));
        Assert.Equal(Languages.Polish, inPolish.Value("language"));
        Assert.Equal(Languages.Turkish, (await fatma.Client.GetFromJsonAsync<JsonElement>(path, Cancel)).Value("myAnswersLanguage"));

        // Fatma writes her answer again, now in Dutch: the language follows the text.
        var inDutch = await (await fatma.Client.PostAsJsonAsync($"{path}/responses", Open("Meer bankjes", Languages.Dutch), Cancel)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(Languages.Dutch, inDutch.Value("language"));

        // The partner sees each open answer with the language to translate it from.
        var results = await _partner.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultationId}/questionnaire/results", Cancel);
        var openAnswers = results.GetProperty("questions")[0].GetProperty("openAnswers").EnumerateArray()
            .Select(answer => (answer.Value("text"), answer.Value("language")))
            .Order()
            .ToList();
        Assert.Equal([("Meer bankjes", Languages.Dutch), ("Więcej ławek", Languages.Polish)], openAnswers);
    }

    [Fact]
    public async Task A_resident_reads_the_summary_of_a_consultation_and_trajectory_they_were_invited_to_in_their_language()
    {
        using var fatma = await service.ResidentAsync(containers, _trajectory.BuurtCode, Languages.Turkish, registeredBy: _partnerId);
        using var elsewhere = await service.ResidentAsync(containers, _trajectory.BuurtCodes[1]);
        var consultationId = await _partner.OpenTranslatedConsultationAsync(_trajectory);
        var reactionId = (await _partner.SubmitReactionAsync(containers, consultationId, fatma.Id)).Id();
        var theme = await (await _partner.PostAsJsonAsync(
            $"/v1/consultations/{consultationId}/themes", new { title = "Schaduw", description = "Bomen en parasols" }, Cancel)).JsonAsync(HttpStatusCode.Created);
        await (await _partner.PostAsJsonAsync($"/v1/consultations/{consultationId}/themes/{theme.Id()}/reactions", new { reactionIds = new[] { reactionId } }, Cancel))
            .JsonAsync(HttpStatusCode.OK);
        await (await _partner.PutAsJsonAsync($"/v1/consultations/{consultationId}/themes/{theme.Id()}/answer", new
        {
            status = "adopted",
            explanation = "Er komen drie bomen bij de speeltuin.",
            explanationTranslations = new Dictionary<string, string> { ["tr"] = "Oyun parkının yanına üç ağaç dikilecek." },
        }, Cancel)).JsonAsync(HttpStatusCode.OK);

        var summary = await fatma.Client.GetFromJsonAsync<JsonElement>($"/v1/me/summaries/consultations/{consultationId}", Cancel);
        Assert.Equal("Yeni oyun parkı", summary.Value("title"));
        Assert.True(summary.GetProperty("reactionCount").GetProperty("fewerThanFive").GetBoolean());
        var decision = Assert.Single(summary.GetProperty("themes").EnumerateArray()).GetProperty("decision");
        Assert.Equal("Oyun parkının yanına üç ağaç dikilecek.", decision.Value("explanation"));
        Assert.Equal("tr", decision.Value("explanationLanguage"));
        Assert.DoesNotContain(fatma.Id.ToString(), summary.GetRawText(), StringComparison.Ordinal);

        var trajectory = await fatma.Client.GetFromJsonAsync<JsonElement>($"/v1/me/summaries/trajectories/{_trajectory.Id}", Cancel);
        Assert.Equal(consultationId, Assert.Single(trajectory.GetProperty("consultations").EnumerateArray()).GetProperty("consultationId").GetGuid());

        await (await elsewhere.Client.GetAsync($"/v1/me/summaries/consultations/{consultationId}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await elsewhere.Client.GetAsync($"/v1/me/summaries/trajectories/{_trajectory.Id}", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_public_summary_of_a_closed_consultation_shows_no_small_counts_and_none_while_it_is_open()
    {
        var consultationId = await _partner.OpenTranslatedConsultationAsync(_trajectory);
        for (var i = 0; i < 6; i++)
        {
            var reaction = await _partner.SubmitReactionAsync(containers, consultationId);
            if (i < 2)
            {
                using var answered = await _partner.AnswerAsync(consultationId, reaction.Id(), "not-adopted", "Daar is geen ruimte voor op het plein.");
                await answered.JsonAsync(HttpStatusCode.OK);
            }
        }

        using var anonymous = service.CreateClient();
        var path = $"/v1/public/consultations/{consultationId}/summary";
        await (await anonymous.GetAsync(path, Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);

        await ExecuteAsync(containers, "UPDATE consultations SET closes_on = @Yesterday WHERE id = @Id", new { Yesterday = DutchToday().AddDays(-1), Id = consultationId });
        var summary = await (await anonymous.GetAsync(path, Cancel)).JsonAsync(HttpStatusCode.OK);
        var turkish = await (await anonymous.GetAsync($"{path}?language=tr", Cancel)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("Nieuwe speeltuin", summary.Value("title"));
        Assert.Equal("Yeni oyun parkı", turkish.Value("title"));
        Assert.Equal(6, summary.GetProperty("reactions").GetProperty("count").GetInt32());
        var perStatus = summary.GetProperty("reactionsPerStatus");
        // 4 received and 2 not adopted: too few to show; none adopted: zero is shown.
        foreach (var status in new[] { "received", "not-adopted" })
        {
            Assert.Equal(JsonValueKind.Null, perStatus.GetProperty(status).GetProperty("count").ValueKind);
            Assert.True(perStatus.GetProperty(status).GetProperty("fewerThanFive").GetBoolean());
        }

        Assert.Equal(0, perStatus.GetProperty("adopted").GetProperty("count").GetInt32());
        Assert.False(perStatus.GetProperty("adopted").GetProperty("fewerThanFive").GetBoolean());
        Assert.DoesNotContain("residentId", summary.GetRawText(), StringComparison.Ordinal);
        await (await anonymous.GetAsync($"{path}?language=fr", Cancel)).AssertProblemAsync(HttpStatusCode.BadRequest, "language");
        await (await anonymous.GetAsync($"/v1/public/consultations/{Guid.NewGuid()}/summary", Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_single_small_count_in_the_public_summary_cannot_be_worked_out_by_subtracting_the_others_from_the_total()
    {
        var consultationId = await _partner.OpenTranslatedConsultationAsync(_trajectory);
        for (var i = 0; i < 7; i++)
        {
            var reaction = await _partner.SubmitReactionAsync(containers, consultationId);
            if (i < 2)
            {
                using var answered = await _partner.AnswerAsync(consultationId, reaction.Id(), "not-adopted", "Daar is geen ruimte voor op het plein.");
                await answered.JsonAsync(HttpStatusCode.OK);
            }
        }

        await ExecuteAsync(containers, "UPDATE consultations SET closes_on = @Yesterday WHERE id = @Id", new { Yesterday = DutchToday().AddDays(-1), Id = consultationId });
        using var anonymous = service.CreateClient();
        var summary = await (await anonymous.GetAsync($"/v1/public/consultations/{consultationId}/summary", Cancel)).JsonAsync(HttpStatusCode.OK);

        // 7 in all: 2 not adopted (too few to show) and 5 received. Were the 5 shown, 7 - 5 would give the 2 away.
        Assert.Equal(7, summary.GetProperty("reactions").GetProperty("count").GetInt32());
        var perStatus = summary.GetProperty("reactionsPerStatus");
        Assert.True(perStatus.GetProperty("not-adopted").GetProperty("fewerThanFive").GetBoolean());
        Assert.Equal(JsonValueKind.Null, perStatus.GetProperty("received").GetProperty("count").ValueKind);
        Assert.False(perStatus.GetProperty("received").GetProperty("fewerThanFive").GetBoolean());
        Assert.Equal(0, perStatus.GetProperty("adopted").GetProperty("count").GetInt32());
        var hidden = perStatus.EnumerateObject().Count(status => status.Value.GetProperty("count").ValueKind == JsonValueKind.Null);
        Assert.Equal(2, hidden);
        // No themes: the unthemed reactions are all of them, shown as the total is.
        Assert.Equal(7, summary.GetProperty("unthemedReactions").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Resident_and_partner_tokens_never_cross_over()
    {
        using var fatma = await service.ResidentAsync(containers, _trajectory.BuurtCode, Languages.Turkish, registeredBy: _partnerId);
        var consultationId = await _partner.OpenTranslatedConsultationAsync(_trajectory);
        using var anonymous = service.CreateClient();

        string[] myRoutes =
        [
            "/v1/me/consultations", $"/v1/me/consultations/{consultationId}", "/v1/me/reactions", "/v1/me/meetings",
            "/v1/me/support-measurements", $"/v1/me/summaries/consultations/{consultationId}", $"/v1/me/summaries/trajectories/{_trajectory.Id}",
        ];
        foreach (var route in myRoutes)
        {
            await (await _partner.GetAsync(route, Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
            await (await anonymous.GetAsync(route, Cancel)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        await (await _partner.PostAsJsonAsync($"/v1/me/consultations/{consultationId}/reactions", new { text = "Namens?" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.Forbidden);

        string[] partnerRoutes =
        [
            "/v1/consultations", $"/v1/consultations/{consultationId}", $"/v1/consultations/{consultationId}/reactions",
            $"/v1/consultations/{consultationId}/summary", "/v1/support-measurements",
        ];
        foreach (var route in partnerRoutes)
        {
            await (await fatma.Client.GetAsync(route, Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        await (await fatma.Client.PostAsJsonAsync($"/v1/consultations/{consultationId}/reactions", new { residentId = Guid.NewGuid(), text = "Als iemand anders" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_resident_sees_whether_a_meeting_has_room_but_never_how_many_registered()
    {
        using var fatma = await service.ResidentAsync(containers, _trajectory.BuurtCode, Languages.Turkish);
        var consultationId = await _partner.OpenTranslatedConsultationAsync(_trajectory);
        using var created = await _partner.PostAsJsonAsync($"/v1/consultations/{consultationId}/meetings", new
        {
            place = "Buurthuis De Meeuw", startsAt = DateTimeOffset.UtcNow.AddDays(3), endsAt = DateTimeOffset.UtcNow.AddDays(3).AddHours(2), capacity = 6,
        }, Cancel);
        var meetingId = (await created.JsonAsync(HttpStatusCode.Created)).Id();
        async Task<JsonElement> SeenAsync() =>
            Assert.Single((await fatma.Client.GetFromJsonAsync<JsonElement>("/v1/me/meetings", Cancel)).Items());
        async Task<JsonElement> SeenWithConsultationAsync() => Assert.Single(
            (await fatma.Client.GetFromJsonAsync<JsonElement>($"/v1/me/consultations/{consultationId}", Cancel)).GetProperty("meetings").EnumerateArray());
        async Task RegisterAsync(int residents)
        {
            for (var i = 0; i < residents; i++)
            {
                using var registered = await _partner.PostAsJsonAsync(
                    $"/v1/consultations/{consultationId}/meetings/{meetingId}/registrations",
                    new { residentId = await containers.NewResidentOfAsync(consultationId) }, Cancel);
                await registered.JsonAsync(HttpStatusCode.Created);
            }
        }

        var empty = await SeenAsync();
        await RegisterAsync(1);
        var afterOne = await SeenAsync();
        await RegisterAsync(1);
        var afterTwo = await SeenAsync();
        var afterTwoWithConsultation = await SeenWithConsultationAsync();
        await RegisterAsync(4);
        var full = await SeenAsync();

        // Capacity 6: one registration leaves 5 (no different from none), two leave 4, six leave none.
        Assert.Equal(["available", "available", "fewPlaces", "fewPlaces", "full"], new[] { empty, afterOne, afterTwo, afterTwoWithConsultation, full }.Select(meeting => meeting.Value("availability")));
        foreach (var meeting in new[] { empty, afterOne, afterTwo, afterTwoWithConsultation, full })
        {
            Assert.False(meeting.TryGetProperty("placesLeft", out _), meeting.GetRawText());
            Assert.False(meeting.TryGetProperty("capacity", out _), meeting.GetRawText());
        }
    }

    /// <summary>A text in every supported language (the language code in front, so that tests can tell them apart).</summary>
    private static Dictionary<string, string> InAll(string text) =>
        Languages.All.ToDictionary(language => language, language => $"[{language}] {text}");
}
