using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.Consultations.Domain;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.AnswerWorkflowRequests;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// Every reaction gets a deadline when it arrives: the trajectory's number of working days (15 unless its lead or a
/// co-owner sets otherwise) after the day it was received, which the reaction and the resident's receipt event show.
/// </summary>
public sealed class AnswerDeadlineTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
    private readonly HttpClient _client = service.CreateClient();

    private TestPartner _lead = null!;

    private TestTrajectory _trajectory = null!;

    private TokenServer Tokens => containers.TokenServer;

    public async ValueTask InitializeAsync()
    {
        _lead = await Tokens.RegisterPartnerAsync("housing-corporation");
        _lead.Authorize(_client);
        _trajectory = await Tokens.StartTrajectoryAsync(_lead);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<HttpClient> MemberClientAsync(string? role)
    {
        var partner = await Tokens.RegisterPartnerAsync("municipality");
        if (role is not null)
        {
            await Tokens.SetMemberAsync(_lead, _trajectory.Id, partner.PartnerId, role);
        }

        return partner.Authorize(service.CreateClient());
    }

    private Task<JsonElement> SettingsAsync() =>
        _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/trajectories/{_trajectory.Id}/settings", Cancel);

    private async Task<string> SubmittedEventAsync(Guid reactionId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.QuerySingleAsync<string>(
            """
            SELECT payload::text FROM outbox_messages
            WHERE message_type LIKE 'Participatie.Contracts.ReactionSubmitted%' AND payload->>'reactionId' = @ReactionId
            """,
            new { ReactionId = reactionId.ToString() });
    }

    [Fact]
    public async Task A_reaction_is_due_fifteen_working_days_after_the_day_it_arrived_unless_the_trajectory_says_otherwise()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);

        var settings = await SettingsAsync();
        var reaction = await _client.SubmitReactionAsync(consultation.Id());

        Assert.Equal(15, settings.GetProperty("answerWorkingDays").GetInt32());
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("updatedAt").ValueKind);
        var expected = AnswerDeadlines.DueOn(DutchToday(), 15);
        Assert.Equal(expected, reaction.Date("answerDueOn"));
        Assert.Equal(expected, (await _client.GetReactionAsync(consultation.Id(), reaction.Id())).Date("answerDueOn"));
        Assert.Equal(expected, JsonDocument.Parse(await SubmittedEventAsync(reaction.Id())).RootElement.Date("answerDueOn"));
    }

    [Fact]
    public async Task The_deadline_follows_the_trajectory_setting_and_a_later_change_does_not_move_given_deadlines()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);

        var set = await _client.SetAnswerWorkingDaysAsync(_trajectory.Id, 5);
        var early = await _client.SubmitReactionAsync(consultation.Id());
        Assert.Equal(HttpStatusCode.OK, (await _client.SetAnswerWorkingDaysAsync(_trajectory.Id, 30)).StatusCode);
        var late = await _client.SubmitReactionAsync(consultation.Id());

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var body = await set.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(5, body.GetProperty("answerWorkingDays").GetInt32());
        Assert.Equal(_trajectory.Id, body.GetProperty("trajectoryId").GetGuid());
        Assert.Equal(AnswerDeadlines.DueOn(DutchToday(), 5), early.Date("answerDueOn"));
        Assert.Equal(AnswerDeadlines.DueOn(DutchToday(), 5), (await _client.GetReactionAsync(consultation.Id(), early.Id())).Date("answerDueOn"));
        Assert.Equal(AnswerDeadlines.DueOn(DutchToday(), 30), late.Date("answerDueOn"));
        Assert.Equal(
            AnswerDeadlines.DueOn(DutchToday(), 30),
            JsonDocument.Parse(await SubmittedEventAsync(late.Id())).RootElement.Date("answerDueOn"));
        var settings = await SettingsAsync();
        Assert.Equal(30, settings.GetProperty("answerWorkingDays").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, settings.GetProperty("updatedAt").ValueKind);
    }

    [Fact]
    public async Task A_co_owner_sets_the_answer_time_too()
    {
        using var coOwner = await MemberClientAsync(TrajectoryRoles.CoOwner);

        var response = await coOwner.SetAnswerWorkingDaysAsync(_trajectory.Id, 10);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10, (await SettingsAsync()).GetProperty("answerWorkingDays").GetInt32());
    }

    [Theory]
    [InlineData(TrajectoryRoles.Observer)]
    [InlineData(TrajectoryRoles.Contributor)]
    public async Task A_member_that_does_not_lead_the_trajectory_setting_the_answer_time_gets_a_403_problem(string role)
    {
        using var member = await MemberClientAsync(role);
        // It reads the setting: it is refused the change, not the reading.
        Assert.Equal(
            HttpStatusCode.OK, (await member.GetAsync($"/v1/consultations/trajectories/{_trajectory.Id}/settings", Cancel)).StatusCode);

        var response = await member.SetAnswerWorkingDaysAsync(_trajectory.Id, 2);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(15, (await SettingsAsync()).GetProperty("answerWorkingDays").GetInt32());
    }

    [Fact]
    public async Task A_partner_outside_the_trajectory_gets_404_problems_for_its_settings()
    {
        using var outsider = await MemberClientAsync(role: null);

        await (await outsider.SetAnswerWorkingDaysAsync(_trajectory.Id, 2)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.GetAsync($"/v1/consultations/trajectories/{_trajectory.Id}/settings", Cancel))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(15, (await SettingsAsync()).GetProperty("answerWorkingDays").GetInt32());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(61)]
    [InlineData(-3)]
    [InlineData(null)]
    public async Task An_answer_time_outside_1_to_60_working_days_is_a_400_problem_naming_answerWorkingDays(int? days)
    {
        var response = await _client.SetAnswerWorkingDaysAsync(_trajectory.Id, days);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "answerWorkingDays");
        Assert.Equal(15, (await SettingsAsync()).GetProperty("answerWorkingDays").GetInt32());
    }

    [Fact]
    public async Task The_answer_time_may_be_1_or_60_working_days()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.SetAnswerWorkingDaysAsync(_trajectory.Id, 60)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.SetAnswerWorkingDaysAsync(_trajectory.Id, 1)).StatusCode);

        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var reaction = await _client.SubmitReactionAsync(consultation.Id());

        Assert.Equal(WorkingDays.Add(DutchToday(), 1), reaction.Date("answerDueOn"));
    }
}
