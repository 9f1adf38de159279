using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Microsoft.Extensions.Time.Testing;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.AnswerWorkflowRequests;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// Every reaction gets a deadline when it arrives: the trajectory's number of working days (15 unless its lead or a
/// co-owner sets otherwise) after the day it was received, which the reaction and the resident's receipt event show.
/// The service's clock stands at Thursday 17 April 2025, 14:00 in Amsterdam; every expected date is counted by hand.
/// </summary>
public sealed class AnswerDeadlineTests(ConsultationsServiceBeforeEaster2025 service, PlatformContainers containers)
    : IClassFixture<ConsultationsServiceBeforeEaster2025>, IAsyncLifetime
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
        await _client.WaitForTrajectoryAsync(_trajectory.Id);
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

        var client = partner.Authorize(service.CreateClient());
        if (role is not null)
        {
            await client.WaitForTrajectoryAsync(_trajectory.Id);
        }

        return client;
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
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());

        Assert.Equal(15, settings.GetProperty("answerWorkingDays").GetInt32());
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("updatedAt").ValueKind);
        // From Thursday 17 April 2025: Good Friday, the weekend and Easter Monday are off; 22-25 April (4), King's Day
        // is Saturday 26 April and costs nothing, 28 April-2 May (9), Liberation Day Monday 5 May is off, 6-9 May (13),
        // 12-13 May (15).
        var expected = new DateOnly(2025, 5, 13);
        Assert.Equal(expected, reaction.Date("answerDueOn"));
        Assert.Equal(Amsterdam.At(2025, 4, 17, 14, 0), reaction.GetProperty("submittedAt").GetDateTimeOffset());
        Assert.Equal(expected, (await _client.GetReactionAsync(consultation.Id(), reaction.Id())).Date("answerDueOn"));
        var submitted = JsonDocument.Parse(await SubmittedEventAsync(reaction.Id())).RootElement;
        Assert.Equal(expected, submitted.Date("answerDueOn"));
        Assert.Equal(Amsterdam.At(2025, 4, 17, 14, 0), submitted.GetProperty("submittedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task The_deadline_follows_the_trajectory_setting_and_a_later_change_does_not_move_given_deadlines()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);

        var set = await _client.SetAnswerWorkingDaysAsync(_trajectory.Id, 5);
        var early = await _client.SubmitReactionAsync(containers, consultation.Id());
        Assert.Equal(HttpStatusCode.OK, (await _client.SetAnswerWorkingDaysAsync(_trajectory.Id, 30)).StatusCode);
        var late = await _client.SubmitReactionAsync(containers, consultation.Id());

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var body = await set.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(5, body.GetProperty("answerWorkingDays").GetInt32());
        Assert.Equal(_trajectory.Id, body.GetProperty("trajectoryId").GetGuid());
        // Five working days from Thursday 17 April 2025: 22, 23, 24, 25 and 28 April.
        Assert.Equal(new DateOnly(2025, 4, 28), early.Date("answerDueOn"));
        Assert.Equal(new DateOnly(2025, 4, 28), (await _client.GetReactionAsync(consultation.Id(), early.Id())).Date("answerDueOn"));
        // Thirty: 13 May is the fifteenth, 14-16 May (18), 19-23 May (23), 26-28 May (26), Ascension Thursday 29 May is
        // off, 30 May (27), 2-4 June (30).
        Assert.Equal(new DateOnly(2025, 6, 4), late.Date("answerDueOn"));
        Assert.Equal(new DateOnly(2025, 6, 4), JsonDocument.Parse(await SubmittedEventAsync(late.Id())).RootElement.Date("answerDueOn"));
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
        var reaction = await _client.SubmitReactionAsync(containers, consultation.Id());

        // The next working day after Thursday 17 April 2025 is Tuesday 22 April: Good Friday and Easter Monday are off.
        Assert.Equal(new DateOnly(2025, 4, 22), reaction.Date("answerDueOn"));
    }
}

/// <summary>
/// The deadline across the holidays of 2025, on a clock the test moves forward: each reaction is received on the
/// day named and, with an answer time of one working day, is due on the next working day, written out by hand.
/// </summary>
public sealed class AnswerDeadlinesThroughTheYearTests(ConsultationsServiceThrough2025 service, PlatformContainers containers)
    : IClassFixture<ConsultationsServiceThrough2025>, IAsyncLifetime
{
    private readonly HttpClient _client = service.CreateClient();

    private TestTrajectory _trajectory = null!;

    private FakeTimeProvider Clock => service.Clock!;

    public async ValueTask InitializeAsync()
    {
        var lead = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        lead.Authorize(_client);
        _trajectory = await containers.TokenServer.StartTrajectoryAsync(lead);
        await _client.WaitForTrajectoryAsync(_trajectory.Id);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<DateOnly> DueOnAsync(Guid consultationId, int year, int month, int day, int hour = 12, int minute = 0)
    {
        Clock.MoveTo(year, month, day, hour, minute);
        var reaction = await _client.SubmitReactionAsync(containers, consultationId);
        Assert.Equal(Amsterdam.At(year, month, day, hour, minute), reaction.GetProperty("submittedAt").GetDateTimeOffset());
        return reaction.Date("answerDueOn");
    }

    [Fact]
    public async Task Each_holiday_of_2025_is_skipped_and_a_reaction_counts_from_the_Dutch_day_it_arrived()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.SetAnswerWorkingDaysAsync(_trajectory.Id, 1)).StatusCode);
        var consultation = (await _client.OpenConsultationAsync(_trajectory)).Id();

        // Wednesday 16 April: Thursday is a working day.
        Assert.Equal(new DateOnly(2025, 4, 17), await DueOnAsync(consultation, 2025, 4, 16));
        // Thursday 17 April: Good Friday, Easter and Easter Monday (21 April) are off.
        Assert.Equal(new DateOnly(2025, 4, 22), await DueOnAsync(consultation, 2025, 4, 17));
        // Friday 25 April: King's Day falls on Saturday 26 April (27 April is a Sunday); Monday 28 April is a working day.
        Assert.Equal(new DateOnly(2025, 4, 28), await DueOnAsync(consultation, 2025, 4, 25));
        // Friday 2 May, before a holiday weekend: Liberation Day is Monday 5 May.
        Assert.Equal(new DateOnly(2025, 5, 6), await DueOnAsync(consultation, 2025, 5, 2));
        // Wednesday 28 May: Ascension Day is Thursday 29 May.
        Assert.Equal(new DateOnly(2025, 5, 30), await DueOnAsync(consultation, 2025, 5, 28));
        // Friday 6 June, before Whitsun: Whit Monday is 9 June.
        Assert.Equal(new DateOnly(2025, 6, 10), await DueOnAsync(consultation, 2025, 6, 6));
        // Friday 5 December 2025, 00:30 in Amsterdam, is still Thursday 23:30 in UTC: for the resident it is Friday,
        // so the answer is due Monday 8 December, not Friday.
        Assert.Equal(new DateOnly(2025, 12, 8), await DueOnAsync(consultation, 2025, 12, 5, hour: 0, minute: 30));
        // Wednesday 24 December: Christmas (Thursday) and Boxing Day (Friday), then the weekend.
        Assert.Equal(new DateOnly(2025, 12, 29), await DueOnAsync(consultation, 2025, 12, 24));
        // Wednesday 31 December: New Year's Day 2026 is a Thursday.
        Assert.Equal(new DateOnly(2026, 1, 2), await DueOnAsync(consultation, 2025, 12, 31));

        // Fifteen working days from Friday 2 January 2026, with no holiday in reach: three weeks, Friday 23 January.
        Assert.Equal(HttpStatusCode.OK, (await _client.SetAnswerWorkingDaysAsync(_trajectory.Id, 15)).StatusCode);
        Clock.MoveTo(2026, 1, 2);
        Assert.Equal(new DateOnly(2026, 1, 23), (await _client.SubmitReactionAsync(containers, consultation)).Date("answerDueOn"));
    }
}
