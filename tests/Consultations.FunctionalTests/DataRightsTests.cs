using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.Contracts;
using Participatie.Testing;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// Data rights in consultations: an export request is answered with everything held on the resident's id, and an
/// erasure unlinks the resident from their reactions, registrations and answers (which stay, and stay counted),
/// forgets their profile, keeps it forgotten, and is confirmed once.
/// </summary>
public sealed class DataRightsTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private readonly HttpClient _client = service.CreateClient();
    private TestTrajectory _trajectory = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string Database => containers.Postgres.GetConnectionString();

    public async ValueTask InitializeAsync()
    {
        var lead = await containers.TokenServer.RegisterPartnerAsync("municipality");
        lead.Authorize(_client);
        _trajectory = await containers.TokenServer.StartTrajectoryAsync(lead);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_export_part_holds_the_resident_s_reactions_registrations_and_answers_and_erasure_unlinks_them_once()
    {
        var residentId = Guid.NewGuid();
        var neighbourId = await containers.NewResidentInAsync(_trajectory.BuurtCode);
        var bus = service.Services.GetRequiredService<IBus>();
        await bus.Publish(new ResidentRegistered(residentId, _trajectory.BuurtCode, Languages.Turkish, Channels.Email, DateTimeOffset.UtcNow, "25-44", Tenures.Tenant), Cancel);
        await using var database = new NpgsqlConnection(Database);
        // The service takes entries only for residents it knows: the registration arrives first.
        await Eventually.MatchesAsync(
            () => database.ExecuteScalarAsync<int>("SELECT count(*) FROM residents_concerned WHERE resident_id = @Id", new { Id = residentId }),
            count => count == 1,
            "the resident's profile to arrive");
        var consultationId = (await _client.OpenConsultationAsync(_trajectory)).Id();
        var reactionId = (await _client.SubmitReactionAsync(containers, consultationId, residentId, "Meer groen op het plein")).Id();
        var neighbourReactionId = (await _client.SubmitReactionAsync(containers, consultationId, neighbourId, "Meer bankjes")).Id();
        var answered = await _client.AnswerAsync(consultationId, reactionId, ReactionStatuses.PartlyAdopted, "Er komen vier bomen.");
        Assert.True(answered.IsSuccessStatusCode, await answered.Content.ReadAsStringAsync(Cancel));
        var meetingId = await PlanMeetingAsync(consultationId);
        Assert.Equal(HttpStatusCode.Created, (await _client.PostAsJsonAsync(
            $"/v1/consultations/{consultationId}/meetings/{meetingId}/registrations", new { residentId }, Cancel)).StatusCode);
        await SetPollAsync(consultationId);
        Assert.Equal(HttpStatusCode.Created, (await _client.PostAsJsonAsync(
            $"/v1/consultations/{consultationId}/poll/responses", new { residentId, channel = "meeting", language = "tr", optionId = "zon" }, Cancel)).StatusCode);

        // Export: one part, from this service, with all of it.
        var exportId = Guid.NewGuid();
        await bus.Publish(new ResidentDataExportRequested(exportId, residentId, DateTimeOffset.UtcNow), Cancel);
        var part = await Eventually.MatchesAsync(
            () => database.QuerySingleOrDefaultAsync<string?>(
                "SELECT payload::text FROM outbox_messages WHERE message_type LIKE 'Participatie.Contracts.ResidentDataExported,%' AND payload->>'exportId' = @Id",
                new { Id = exportId.ToString() }),
            payload => payload is not null,
            "the export part");
        var message = JsonDocument.Parse(part!).RootElement;
        Assert.Equal(DataHoldingServices.Consultations, message.GetProperty("service").GetString());
        var data = JsonDocument.Parse(message.GetProperty("dataJson").GetString()!).RootElement;
        var reaction = Assert.Single(data.GetProperty("reactions").EnumerateArray());
        Assert.Equal("Meer groen op het plein", reaction.GetProperty("text").GetString());
        Assert.Equal(ReactionStatuses.PartlyAdopted, reaction.GetProperty("status").GetString());
        Assert.Equal(
            [ReactionStatuses.Received, ReactionStatuses.PartlyAdopted],
            reaction.GetProperty("statusHistory").EnumerateArray().Select(change => change.GetProperty("status").GetString()));
        Assert.Equal(meetingId, Assert.Single(data.GetProperty("meetingRegistrations").EnumerateArray()).GetProperty("meetingId").GetGuid());
        Assert.Contains("zon", Assert.Single(data.GetProperty("pollAnswers").EnumerateArray()).GetProperty("answers").GetRawText(), StringComparison.Ordinal);
        Assert.Empty(data.GetProperty("questionnaireAnswers").EnumerateArray());
        Assert.Equal("25-44", Assert.Single(data.GetProperty("profile").EnumerateArray()).GetProperty("ageBand").GetString());

        // Erasure, confirmed in the transaction of the work.
        var erasureId = await service.EraseResidentAsync(containers, residentId);
        Assert.Equal(0, await database.ExecuteScalarAsync<int>(
            """
            SELECT (SELECT count(*) FROM reactions WHERE resident_id = @Id) + (SELECT count(*) FROM meeting_registrations WHERE resident_id = @Id)
                 + (SELECT count(*) FROM questionnaire_responses WHERE resident_id = @Id) + (SELECT count(*) FROM residents_concerned WHERE resident_id = @Id)
                 + (SELECT count(*) FROM consultation_audience WHERE resident_id = @Id)
            """,
            new { Id = residentId }));
        // The copy of the data in the export part waiting in the outbox goes too.
        Assert.Equal(0, await database.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'Participatie.Contracts.ResidentDataExported,%' AND payload->>'exportId' = @Id",
            new { Id = exportId.ToString() }));
        // The reaction keeps its text, outcome and history; the registration and the vote stay counted.
        var kept = await database.QuerySingleAsync<(string Text, string Status, Guid ResidentId, int Changes)>(
            "SELECT text, status, resident_id, (SELECT count(*)::int FROM reaction_status_changes WHERE reaction_id = r.id) FROM reactions r WHERE id = @Id",
            new { Id = reactionId });
        Assert.Equal(("Meer groen op het plein", ReactionStatuses.PartlyAdopted, 2), (kept.Text, kept.Status, kept.Changes));
        Assert.NotEqual(residentId, kept.ResidentId);
        Assert.Equal(neighbourId, await database.ExecuteScalarAsync<Guid>("SELECT resident_id FROM reactions WHERE id = @Id", new { Id = neighbourReactionId }));
        Assert.Equal(1, await database.ExecuteScalarAsync<int>("SELECT count(*) FROM meeting_registrations WHERE meeting_id = @Id", new { Id = meetingId }));
        var results = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultationId}/poll/results", Cancel);
        Assert.Equal("< 5", results.GetProperty("voteCount").GetProperty("display").GetString());
        Assert.Equal(1, await database.ExecuteScalarAsync<int>("SELECT count(*) FROM questionnaire_responses r JOIN questionnaires q ON q.id = r.questionnaire_id WHERE q.consultation_id = @Id AND q.kind = 'poll'", new { Id = consultationId }));

        // The same erasure again under another message id changes nothing and is not confirmed twice; a late
        // registration event does not bring the profile back.
        var repeat = Guid.NewGuid();
        var late = Guid.NewGuid();
        await bus.Publish(new ResidentErased(erasureId, residentId, DateTimeOffset.UtcNow), context => context.MessageId = repeat, Cancel);
        await bus.Publish(new ResidentRegistered(residentId, _trajectory.BuurtCode, Languages.Turkish, Channels.Email, DateTimeOffset.UtcNow), context => context.MessageId = late, Cancel);
        await Eventually.MatchesAsync(
            () => database.ExecuteScalarAsync<int>("SELECT count(*) FROM inbox_messages WHERE message_id = ANY(@Ids)", new { Ids = new[] { repeat, late } }),
            count => count == 2,
            "both repeats to be handled");
        Assert.Equal(1, await containers.ErasureConfirmationsAsync(erasureId));
        Assert.Equal(0, await database.ExecuteScalarAsync<int>("SELECT count(*) FROM residents_concerned WHERE resident_id = @Id", new { Id = residentId }));
    }

    [Fact]
    public async Task A_partner_can_link_no_new_reaction_registration_or_answer_to_an_erased_resident()
    {
        var erasedId = Guid.NewGuid();
        var consultationId = (await _client.OpenConsultationAsync(_trajectory)).Id();
        var neighbourId = await containers.NewResidentOfAsync(consultationId);
        var meetingId = await PlanMeetingAsync(consultationId);
        await SetPollAsync(consultationId);
        await SetQuestionnaireAsync(consultationId);
        await using var database = new NpgsqlConnection(Database);
        await service.EraseResidentAsync(containers, erasedId);

        var path = $"/v1/consultations/{consultationId}";
        object[] Bodies(Guid residentId) =>
        [
            new { residentId, text = "Meer groen op het plein" },
            new { residentId },
            new { residentId, optionId = "zon" },
            new { residentId, answers = new[] { new { questionId = "groen", optionId = "bomen" } } },
        ];
        string[] routes = ["reactions", $"meetings/{meetingId}/registrations", "poll/responses", "questionnaire/responses"];
        foreach (var (route, body) in routes.Zip(Bodies(erasedId)))
        {
            var refused = await (await _client.PostAsJsonAsync($"{path}/{route}", body, Cancel)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "residentId");
            // Refused for the erasure, not merely as a resident the service does not know (its profile is gone).
            Assert.Contains("erased", refused.GetProperty("errors").GetProperty("residentId")[0].GetString(), StringComparison.Ordinal);
        }

        // The same requests for a resident who was not erased go through.
        foreach (var (route, body) in routes.Zip(Bodies(neighbourId)))
        {
            using var response = await _client.PostAsJsonAsync($"{path}/{route}", body, Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{route}: {await response.Content.ReadAsStringAsync(Cancel)}");
        }

        Assert.Equal(0, await database.ExecuteScalarAsync<int>(
            """
            SELECT (SELECT count(*) FROM reactions WHERE resident_id = @Id) + (SELECT count(*) FROM meeting_registrations WHERE resident_id = @Id)
                 + (SELECT count(*) FROM questionnaire_responses WHERE resident_id = @Id)
            """,
            new { Id = erasedId }));
    }

    private async Task<Guid> PlanMeetingAsync(Guid consultationId)
    {
        var startsAt = DateTimeOffset.UtcNow.AddDays(7);
        var response = await _client.PostAsJsonAsync(
            $"/v1/consultations/{consultationId}/meetings",
            new { place = "Buurthuis De Meeuw", startsAt, endsAt = startsAt.AddHours(2), capacity = 40 },
            Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).Id();
    }

    private async Task SetQuestionnaireAsync(Guid consultationId)
    {
        static Dictionary<string, string> InAll(string text) => Languages.All.ToDictionary(language => language, _ => text);
        var response = await _client.PutAsJsonAsync(
            $"/v1/consultations/{consultationId}/questionnaire",
            new
            {
                questions = new[]
                {
                    new
                    {
                        id = "groen",
                        type = "multiple-choice",
                        texts = InAll("Wat wilt u op het plein?"),
                        options = new[] { new { id = "bomen", texts = InAll("Meer bomen") }, new { id = "speeltuin", texts = InAll("Een speeltuin") } },
                    },
                },
            },
            Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
    }

    private async Task SetPollAsync(Guid consultationId)
    {
        static Dictionary<string, string> InAll(string text) => Languages.All.ToDictionary(language => language, _ => text);
        var response = await _client.PutAsJsonAsync(
            $"/v1/consultations/{consultationId}/poll",
            new
            {
                texts = InAll("Welke naam krijgt het plein?"),
                options = new[] { new { id = "meeuw", texts = InAll("Meeuwplein") }, new { id = "zon", texts = InAll("Zonneplein") } },
            },
            Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
    }
}
