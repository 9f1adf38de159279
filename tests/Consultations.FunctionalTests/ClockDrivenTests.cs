using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.Requests;
using static Participatie.Consultations.FunctionalTests.SupportMeasurementRequests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// A meeting's reminder goes out the day before, on the service's clock: the test moves the clock to just before and
/// just after 24 hours ahead of the start. The clock starts Wednesday 16 April 2025, 09:00 in Amsterdam.
/// </summary>
public sealed class MeetingReminderOnAFixedClockTests(ConsultationsServiceThrough2025 service, PlatformContainers containers)
    : IClassFixture<ConsultationsServiceThrough2025>, IAsyncLifetime
{
    private readonly HttpClient _client = service.CreateClient();

    private TestTrajectory _trajectory = null!;

    private FakeTimeProvider Clock => service.Clock!;

    public async ValueTask InitializeAsync()
    {
        var lead = await containers.TokenServer.RegisterPartnerAsync("municipality");
        lead.Authorize(_client);
        _trajectory = await containers.TokenServer.StartTrajectoryAsync(lead);
        await _client.WaitForTrajectoryAsync(_trajectory.Id);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<int> RemindersPublishedAsync(string meetingId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'Participatie.Contracts.MeetingReminderDue%' AND payload->>'meetingId' = @Id",
            new { Id = meetingId });
    }

    [Fact]
    public async Task The_reminder_goes_out_once_when_the_meeting_is_a_day_away_and_not_a_minute_earlier()
    {
        var consultation = (await _client.OpenConsultationAsync(_trajectory)).Id();
        // A bewonersavond on Friday 18 April 2025 (Good Friday, as it happens), 19:30 to 21:30 in Amsterdam.
        var startsAt = Amsterdam.At(2025, 4, 18, 19, 30);
        using var planned = await _client.PostAsJsonAsync(
            $"/v1/consultations/{consultation}/meetings",
            new { place = "Buurthuis De Meeuw", startsAt, endsAt = startsAt.AddHours(2), capacity = 40 },
            Cancel);
        Assert.True(planned.StatusCode == HttpStatusCode.Created, await planned.Content.ReadAsStringAsync(Cancel));
        var meetingPath = $"/v1/consultations/{consultation}/meetings/{(await planned.Content.ReadFromJsonAsync<JsonElement>(Cancel)).Id()}";
        var meetingId = meetingPath[(meetingPath.LastIndexOf('/') + 1)..];
        using var registered = await _client.PostAsJsonAsync(
            $"{meetingPath}/registrations", new { residentId = await containers.NewResidentOfAsync(consultation) }, Cancel);
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync(Cancel));

        // Thursday 17 April, 19:29: a day and a minute before. The check runs every 200 ms; give it a few rounds.
        Clock.MoveTo(2025, 4, 17, 19, 29);
        await Task.Delay(TimeSpan.FromSeconds(1.5), Cancel);
        Assert.Equal(JsonValueKind.Null, (await _client.GetFromJsonAsync<JsonElement>(meetingPath, Cancel)).GetProperty("reminderPublishedAt").ValueKind);
        Assert.Equal(0, await RemindersPublishedAsync(meetingId));

        // 19:30: exactly a day before, the reminder is due.
        Clock.MoveTo(2025, 4, 17, 19, 30);
        var meeting = await Eventually.MatchesAsync(
            () => _client.GetFromJsonAsync<JsonElement>(meetingPath, Cancel),
            read => read.GetProperty("reminderPublishedAt").ValueKind != JsonValueKind.Null,
            "the meeting's reminder to go out a day before it starts");
        Assert.Equal(Amsterdam.At(2025, 4, 17, 19, 30), meeting.GetProperty("reminderPublishedAt").GetDateTimeOffset());

        // Later checks, up to the start, find it marked: one reminder.
        Clock.MoveTo(2025, 4, 18, 19, 0);
        await Task.Delay(TimeSpan.FromSeconds(1), Cancel);
        Assert.Equal(1, await RemindersPublishedAsync(meetingId));
    }
}

/// <summary>
/// A draagvlakmeting (support measurement) takes votes until its deadline and is closed from that moment, on the
/// service's clock, which the test moves past the deadline instead of moving the deadline in the database.
/// </summary>
public sealed class SupportMeasurementDeadlineOnAFixedClockTests(ConsultationsServiceThrough2025 service, PlatformContainers containers)
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

    [Fact]
    public async Task Votes_count_until_the_deadline_and_from_the_deadline_on_the_measurement_is_closed_as_it_stood()
    {
        // Votes until Friday 2 May 2025, 17:00 in Amsterdam (15:00 UTC, summer time).
        var deadline = Amsterdam.At(2025, 5, 2, 17, 0);
        var measurement = await _client.CreateMeasurementAsync(service.Services, _trajectory.Id, deadline: deadline);
        await _client.VoteManyAsync(measurement, agreeing: 6, disagreeing: 1);

        // 16:59 on the day: still open, and a vote still counts.
        Clock.MoveTo(2025, 5, 2, 16, 59);
        Assert.Equal("open", (await _client.GetFromJsonAsync<JsonElement>(measurement.Path, Cancel)).Value("status"));
        using (var lastMinute = await _client.VoteAsync(measurement, measurement.CodeOf(7), "agree"))
        {
            Assert.Equal(HttpStatusCode.OK, lastMinute.StatusCode);
        }

        // 17:00: the deadline has come. No vote counts any more; the result stands as it was, closed at the deadline.
        Clock.MoveTo(2025, 5, 2, 17, 0);
        using var late = await _client.VoteAsync(measurement, measurement.CodeOf(8), "agree");
        await late.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "deadline");
        var result = await _client.ResultAsync(measurement);
        Assert.Equal((10, 8, 7, 1, true), result.Counts());
        Assert.Equal("closed", result.Value("status"));
        Assert.Equal(deadline, result.GetProperty("closedAt").GetDateTimeOffset());
        // The notice of the result goes out at closing, Friday 2 May: a tenant can go to court until Friday 27 June.
        Assert.Equal(Amsterdam.At(2025, 5, 2, 17, 0), result.GetProperty("noticeRequestedAt").GetDateTimeOffset());
        Assert.Equal("2025-06-27", result.Value("courtPeriodEndsOn"));
        Assert.Equal("closed", (await _client.GetFromJsonAsync<JsonElement>(measurement.Path, Cancel)).Value("status"));
    }
}
