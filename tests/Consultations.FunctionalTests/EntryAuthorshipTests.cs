using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.MyRequests;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// Issue 11, part 6: reactions, answers and registrations record the partner and client that entered them; a resident
/// outside the consultation's audience gets 422; a partner never replaces what another partner entered (409).
/// </summary>
public sealed class EntryAuthorshipTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private readonly HttpClient _lead = service.CreateClient();
    private readonly HttpClient _contributor = service.CreateClient();
    private TestPartner _leadPartner = null!;
    private TestPartner _contributorPartner = null!;
    private TestTrajectory _trajectory = null!;

    private TokenServer Tokens => containers.TokenServer;

    public async ValueTask InitializeAsync()
    {
        _leadPartner = await Tokens.RegisterPartnerAsync("municipality");
        _leadPartner.Authorize(_lead);
        _trajectory = await Tokens.StartTrajectoryAsync(_leadPartner);
        _contributorPartner = await Tokens.RegisterPartnerAsync("social-institution");
        _contributorPartner.Authorize(_contributor);
        await Tokens.SetMemberAsync(_leadPartner, _trajectory.Id, _contributorPartner.PartnerId, TrajectoryRoles.Contributor);
    }

    public ValueTask DisposeAsync()
    {
        _lead.Dispose();
        _contributor.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_reaction_records_the_partner_and_client_that_entered_it_and_one_from_outside_the_buurt_gets_422()
    {
        var consultation = await _lead.OpenConsultationAsync(_trajectory, _trajectory.BuurtCodes[0]);
        using var inside = await service.ResidentAsync(containers, _trajectory.BuurtCodes[0]);
        // The trajectory's other buurt: inside the trajectory, outside this consultation's audience.
        using var otherBuurt = await service.ResidentAsync(containers, _trajectory.BuurtCodes[1]);

        var reaction = await _contributor.SubmitReactionAsync(containers, consultation.Id(), inside.Id);
        var refused = await _contributor.PostAsJsonAsync(
            $"/v1/consultations/{consultation.Id()}/reactions", new { residentId = otherBuurt.Id, text = "Ik woon hier niet." }, Cancel);

        await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "residentId");
        var author = await ScalarAsync<string>(
            containers,
            "SELECT entered_by_partner_id::text || ' ' || entered_by_client_id || ' ' || coalesce(entered_by_staff_id::text, '-') FROM reactions WHERE id = @Id",
            new { Id = reaction.Id() });
        Assert.Equal($"{_contributorPartner.PartnerId} {_contributorPartner.ClientId} -", author);
        Assert.Equal(0, await ScalarAsync<int>(
            containers, "SELECT count(*)::int FROM reactions WHERE consultation_id = @Id AND resident_id = @ResidentId", new { Id = consultation.Id(), ResidentId = otherBuurt.Id }));
    }

    [Fact]
    public async Task Answers_one_partner_entered_are_replaced_by_that_partner_or_the_resident_and_another_partner_gets_409()
    {
        var consultation = await _lead.OpenConsultationAsync(_trajectory, _trajectory.BuurtCodes[0]);
        var poll = await _lead.PutAsJsonAsync($"/v1/consultations/{consultation.Id()}/poll", new
        {
            texts = Languages.All.ToDictionary(language => language, language => $"[{language}] Bomen of speeltuin?"),
            options = new[]
            {
                new { id = "bomen", texts = Languages.All.ToDictionary(language => language, language => $"[{language}] Bomen") },
                new { id = "speeltuin", texts = Languages.All.ToDictionary(language => language, language => $"[{language}] Speeltuin") },
            },
        }, Cancel);
        Assert.True(poll.IsSuccessStatusCode, await poll.Content.ReadAsStringAsync(Cancel));
        using var resident = await service.ResidentAsync(containers, _trajectory.BuurtCodes[0]);
        using var outsider = await service.ResidentAsync(containers, _trajectory.BuurtCodes[1]);
        Task<HttpResponseMessage> ChooseAsync(HttpClient partner, Guid residentId, string optionId) => partner.PostAsJsonAsync(
            $"/v1/consultations/{consultation.Id()}/poll/responses", new { residentId, channel = "paper-form", optionId }, Cancel);

        Assert.Equal(HttpStatusCode.Created, (await ChooseAsync(_contributor, resident.Id, "bomen")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ChooseAsync(_contributor, resident.Id, "speeltuin")).StatusCode);
        var overwrite = await ChooseAsync(_lead, resident.Id, "bomen");
        var outside = await ChooseAsync(_contributor, outsider.Id, "bomen");

        await overwrite.AssertProblemAsync(HttpStatusCode.Conflict, "residentId");
        await outside.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "residentId");
        Assert.Equal(
            $"{_contributorPartner.PartnerId} {_contributorPartner.ClientId} speeltuin",
            await ScalarAsync<string>(
                containers,
                """
                SELECT r.entered_by_partner_id::text || ' ' || r.entered_by_client_id || ' ' || (CASE WHEN r.answers::text LIKE '%speeltuin%' THEN 'speeltuin' ELSE 'bomen' END)
                FROM questionnaire_responses r JOIN questionnaires q ON q.id = r.questionnaire_id
                WHERE q.consultation_id = @Id AND r.resident_id = @ResidentId
                """,
                new { Id = consultation.Id(), ResidentId = resident.Id }));
    }

    [Fact]
    public async Task A_registration_one_partner_entered_is_not_passed_off_as_anothers_and_an_outsider_gets_422()
    {
        var consultation = await _lead.OpenConsultationAsync(_trajectory, _trajectory.BuurtCodes[0]);
        var starts = DateTimeOffset.UtcNow.AddDays(7);
        var planned = await _lead.PostAsJsonAsync(
            $"/v1/consultations/{consultation.Id()}/meetings", new { place = "Buurthuis", startsAt = starts, endsAt = starts.AddHours(2), capacity = 10 }, Cancel);
        Assert.True(planned.StatusCode == HttpStatusCode.Created, await planned.Content.ReadAsStringAsync(Cancel));
        var meetingId = (await planned.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Cancel)).Id();
        using var resident = await service.ResidentAsync(containers, _trajectory.BuurtCodes[0]);
        using var outsider = await service.ResidentAsync(containers, _trajectory.BuurtCodes[1]);
        Task<HttpResponseMessage> RegisterAsync(HttpClient partner, Guid residentId) => partner.PostAsJsonAsync(
            $"/v1/consultations/{consultation.Id()}/meetings/{meetingId}/registrations", new { residentId }, Cancel);

        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(_contributor, resident.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RegisterAsync(_contributor, resident.Id)).StatusCode);
        await (await RegisterAsync(_lead, resident.Id)).AssertProblemAsync(HttpStatusCode.Conflict, "residentId");
        await (await RegisterAsync(_contributor, outsider.Id)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "residentId");

        Assert.Equal(
            $"{_contributorPartner.PartnerId} {_contributorPartner.ClientId}",
            await ScalarAsync<string>(
                containers,
                "SELECT registered_by_partner_id::text || ' ' || registered_by_client_id FROM meeting_registrations WHERE meeting_id = @MeetingId AND resident_id = @ResidentId",
                new { MeetingId = meetingId, ResidentId = resident.Id }));
    }

    [Fact]
    public async Task A_resident_the_service_has_not_heard_of_gets_422_for_every_entry_until_their_registration_arrives()
    {
        var consultation = await _lead.OpenConsultationAsync(_trajectory, _trajectory.BuurtCodes[0]);
        var path = $"/v1/consultations/{consultation.Id()}";
        var starts = DateTimeOffset.UtcNow.AddDays(7);
        var planned = await _lead.PostAsJsonAsync(
            $"{path}/meetings", new { place = "Buurthuis", startsAt = starts, endsAt = starts.AddHours(2), capacity = 10 }, Cancel);
        Assert.True(planned.StatusCode == HttpStatusCode.Created, await planned.Content.ReadAsStringAsync(Cancel));
        var meetingId = (await planned.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Cancel)).Id();
        var poll = await _lead.PutAsJsonAsync($"{path}/poll", new
        {
            texts = Languages.All.ToDictionary(language => language, language => $"[{language}] Bomen of speeltuin?"),
            options = new[]
            {
                new { id = "bomen", texts = Languages.All.ToDictionary(language => language, language => $"[{language}] Bomen") },
                new { id = "speeltuin", texts = Languages.All.ToDictionary(language => language, language => $"[{language}] Speeltuin") },
            },
        }, Cancel);
        Assert.True(poll.IsSuccessStatusCode, await poll.Content.ReadAsStringAsync(Cancel));
        var questionnaire = await _lead.PutAsJsonAsync($"{path}/questionnaire", new
        {
            questions = new[] { new { id = "wensen", type = "open", texts = Languages.All.ToDictionary(language => language, language => $"[{language}] Wensen?") } },
        }, Cancel);
        Assert.True(questionnaire.IsSuccessStatusCode, await questionnaire.Content.ReadAsStringAsync(Cancel));
        var unheardOf = Guid.NewGuid();
        (string Route, object Body)[] entries =
        [
            ("reactions", new { residentId = unheardOf, text = "Meer groen." }),
            ($"meetings/{meetingId}/registrations", new { residentId = unheardOf }),
            ("poll/responses", new { residentId = unheardOf, channel = "paper-form", optionId = "bomen" }),
            ("questionnaire/responses", new { residentId = unheardOf, channel = "paper-form", answers = new[] { new { questionId = "wensen", text = "Bankjes" } } }),
        ];

        foreach (var (route, body) in entries)
        {
            var refused = await (await _contributor.PostAsJsonAsync($"{path}/{route}", body, Cancel))
                .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "residentId");
            // Says what to do: the resident may have been registered a moment ago, so the partner tries again later.
            Assert.Contains("not known to this service yet", refused.GetProperty("errors").GetProperty("residentId")[0].GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(0, await ScalarAsync<int>(
            containers,
            """
            SELECT (SELECT count(*) FROM reactions WHERE resident_id = @Id) + (SELECT count(*) FROM meeting_registrations WHERE resident_id = @Id)
                 + (SELECT count(*) FROM questionnaire_responses WHERE resident_id = @Id)
            """,
            new { Id = unheardOf }));

        // Once the residents service's ResidentRegistered for them has arrived, the same entries go through.
        await service.Services.GetRequiredService<MassTransit.IBus>().Publish(
            new ResidentRegistered(unheardOf, _trajectory.BuurtCodes[0], Languages.Dutch, Channels.Letter, DateTimeOffset.UtcNow, "25-44", Tenures.Tenant), Cancel);
        await Eventually.MatchesAsync(
            () => ScalarAsync<int>(containers, "SELECT count(*)::int FROM residents_concerned WHERE resident_id = @Id", new { Id = unheardOf }),
            count => count == 1,
            "the registration to reach the consultations service");
        foreach (var (route, body) in entries)
        {
            using var accepted = await _contributor.PostAsJsonAsync($"{path}/{route}", body, Cancel);
            Assert.True(accepted.StatusCode == HttpStatusCode.Created, $"{route}: {await accepted.Content.ReadAsStringAsync(Cancel)}");
        }
    }
}
