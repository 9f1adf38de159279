using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Meetings;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// Meetings (bewonersavonden) of a consultation: planned by those who answer it, residents registered up to the
/// capacity, attendance recorded once begun, and one reminder per meeting the day before.
/// </summary>
public sealed class MeetingsApiTests(ConsultationsService service, PlatformContainers containers)
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

    private static object NewMeeting(DateTimeOffset? startsAt = null, int capacity = 40, TimeSpan? length = null)
    {
        var starts = startsAt ?? DateTimeOffset.UtcNow.AddDays(7);
        return new { place = "Buurthuis De Meeuw, Mercatorplein 1", startsAt = starts, endsAt = starts + (length ?? TimeSpan.FromHours(2)), capacity };
    }

    private async Task<(Guid ConsultationId, JsonElement Meeting)> PlanAsync(DateTimeOffset? startsAt = null, int capacity = 40)
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var response = await _client.PostAsJsonAsync($"/v1/consultations/{consultation.Id()}/meetings", NewMeeting(startsAt, capacity), Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
        return (consultation.Id(), await response.Content.ReadFromJsonAsync<JsonElement>(Cancel));
    }

    private Task<HttpResponseMessage> RegisterAsync(HttpClient client, Guid consultationId, Guid meetingId, Guid residentId) =>
        client.PostAsJsonAsync($"/v1/consultations/{consultationId}/meetings/{meetingId}/registrations", new { residentId }, Cancel);

    private async Task<TestPartner> MemberAsync(string role)
    {
        var partner = await Tokens.RegisterPartnerAsync("social-institution");
        await Tokens.SetMemberAsync(_lead, _trajectory.Id, partner.PartnerId, role);
        return partner;
    }

    private async Task<T> QueryAsync<T>(string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.QuerySingleAsync<T>(sql, parameters);
    }

    [Fact]
    public async Task Another_partner_sees_a_registration_but_not_whose_it_is()
    {
        var (consultationId, meeting) = await PlanAsync();
        var resident = await containers.NewResidentOfAsync(consultationId);
        await service.LinkResidentAsync(containers, resident, _lead.PartnerId);
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(_client, consultationId, meeting.Id(), resident)).StatusCode);
        using var observer = (await MemberAsync("observer")).Authorize(service.CreateClient());

        var registrations = await observer.GetFromJsonAsync<JsonElement>(
            $"/v1/consultations/{consultationId}/meetings/{meeting.Id()}/registrations", Cancel);

        var registration = Assert.Single(registrations.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, registration.GetProperty("residentId").ValueKind);
        Assert.DoesNotContain(resident.ToString(), registrations.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_meeting_is_planned_and_a_resident_registered_twice_has_one_registration()
    {
        var (consultationId, meeting) = await PlanAsync();
        var resident = await containers.NewResidentOfAsync(consultationId);
        await service.LinkResidentAsync(containers, resident, _lead.PartnerId);

        var first = await RegisterAsync(_client, consultationId, meeting.Id(), resident);
        var second = await RegisterAsync(_client, consultationId, meeting.Id(), resident);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var read = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultationId}/meetings/{meeting.Id()}", Cancel);
        // One registration is a count that points at the resident: "< 5".
        Assert.True(read.GetProperty("registered").GetProperty("fewerThanFive").GetBoolean());
        Assert.False(read.TryGetProperty("registeredCount", out _));
        Assert.Equal("Buurthuis De Meeuw, Mercatorplein 1", read.Value("place"));
        var list = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultationId}/meetings", Cancel);
        Assert.Equal(meeting.Id(), Assert.Single(list.GetProperty("items").EnumerateArray()).Id());
        var registrations = await _client.GetFromJsonAsync<JsonElement>(
            $"/v1/consultations/{consultationId}/meetings/{meeting.Id()}/registrations", Cancel);
        Assert.Equal(resident, Assert.Single(registrations.GetProperty("items").EnumerateArray()).GetProperty("residentId").GetGuid());
    }

    [Fact]
    public async Task A_full_meeting_refuses_another_resident_with_a_422_problem_naming_capacity()
    {
        var (consultationId, meeting) = await PlanAsync(capacity: 1);
        var first = await containers.NewResidentOfAsync(consultationId);
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(_client, consultationId, meeting.Id(), first)).StatusCode);

        var another = await RegisterAsync(_client, consultationId, meeting.Id(), await containers.NewResidentOfAsync(consultationId));
        var again = await RegisterAsync(_client, consultationId, meeting.Id(), first);

        await another.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "capacity");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task A_meeting_must_end_after_it_starts_start_in_the_future_and_hold_1_to_1000()
    {
        var consultation = await _client.OpenConsultationAsync(_trajectory);
        var path = $"/v1/consultations/{consultation.Id()}/meetings";

        var endsFirst = await _client.PostAsJsonAsync(path, NewMeeting(length: TimeSpan.FromHours(-1)), Cancel);
        var past = await _client.PostAsJsonAsync(path, NewMeeting(DateTimeOffset.UtcNow.AddHours(-1)), Cancel);
        var empty = await _client.PostAsJsonAsync(path, NewMeeting(capacity: 0), Cancel);
        var huge = await _client.PostAsJsonAsync(path, NewMeeting(capacity: 1001), Cancel);

        await endsFirst.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "endsAt");
        await past.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "startsAt");
        await empty.AssertProblemAsync(HttpStatusCode.BadRequest, "capacity");
        await huge.AssertProblemAsync(HttpStatusCode.BadRequest, "capacity");
    }

    [Fact]
    public async Task Attendance_is_recorded_once_the_meeting_has_begun()
    {
        var (consultationId, meeting) = await PlanAsync();
        var resident = await containers.NewResidentOfAsync(consultationId);
        await RegisterAsync(_client, consultationId, meeting.Id(), resident);
        var path = $"/v1/consultations/{consultationId}/meetings/{meeting.Id()}/registrations/{resident}/attendance";

        var tooEarly = await _client.PutAsJsonAsync(path, new { attended = true }, Cancel);
        // The meeting began an hour ago: planned in the past it could not be, so the test moves it there.
        await QueryAsync<int>(
            "UPDATE meetings SET starts_at = now() - interval '1 hour', ends_at = now() + interval '1 hour' WHERE id = @Id; SELECT 1",
            new { Id = meeting.Id() });
        var recorded = await _client.PutAsJsonAsync(path, new { attended = true }, Cancel);
        var unknown = await _client.PutAsJsonAsync(
            $"/v1/consultations/{consultationId}/meetings/{meeting.Id()}/registrations/{Guid.NewGuid()}/attendance", new { attended = true }, Cancel);
        var lateRegistration = await RegisterAsync(_client, consultationId, meeting.Id(), await containers.NewResidentOfAsync(consultationId));

        await tooEarly.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "attended");
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        Assert.True((await recorded.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("attended").GetBoolean());
        var registrations = await _client.GetFromJsonAsync<JsonElement>(
            $"/v1/consultations/{consultationId}/meetings/{meeting.Id()}/registrations", Cancel);
        Assert.True(Assert.Single(registrations.GetProperty("items").EnumerateArray()).GetProperty("attended").GetBoolean());
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
        await lateRegistration.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "meetingId");
    }

    [Fact]
    public async Task A_reminder_is_published_once_the_day_before_with_every_registered_resident()
    {
        var (consultationId, soon) = await PlanAsync(DateTimeOffset.UtcNow.AddHours(3));
        var later = await _client.PostAsJsonAsync(
            $"/v1/consultations/{consultationId}/meetings", NewMeeting(DateTimeOffset.UtcNow.AddDays(3)), Cancel);
        var laterId = (await later.Content.ReadFromJsonAsync<JsonElement>(Cancel)).Id();
        Guid[] residents = [await containers.NewResidentOfAsync(consultationId), await containers.NewResidentOfAsync(consultationId)];
        foreach (var resident in residents)
        {
            await RegisterAsync(_client, consultationId, soon.Id(), resident);
            await RegisterAsync(_client, consultationId, laterId, resident);
        }

        await MeetingReminders.PublishDueAsync(service.Services, Cancel);
        await MeetingReminders.PublishDueAsync(service.Services, Cancel);

        const string Count = """
            SELECT count(*)::int FROM outbox_messages
            WHERE message_type LIKE 'Participatie.Contracts.MeetingReminderDue%' AND payload->>'meetingId' = @Id::text
            """;
        Assert.Equal(1, await QueryAsync<int>(Count, new { Id = soon.Id() }));
        Assert.Equal(0, await QueryAsync<int>(Count, new { Id = laterId }));
        var payload = JsonDocument.Parse(await QueryAsync<string>(
            "SELECT payload::text FROM outbox_messages WHERE message_type LIKE 'Participatie.Contracts.MeetingReminderDue%' AND payload->>'meetingId' = @Id::text",
            new { Id = soon.Id() })).RootElement;
        Assert.Equal(residents.Order(), payload.GetProperty("residentIds").EnumerateArray().Select(id => id.GetGuid()).Order());
        Assert.Equal("Buurthuis De Meeuw, Mercatorplein 1", payload.GetProperty("place").GetString());
        Assert.Equal("Herinrichting van het Mercatorplein", payload.GetProperty("consultationTitle").GetString());
        var read = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultationId}/meetings/{soon.Id()}", Cancel);
        Assert.NotEqual(JsonValueKind.Null, read.GetProperty("reminderPublishedAt").ValueKind);
    }

    [Fact]
    public async Task Outsiders_do_not_see_meetings_observers_cannot_plan_or_register()
    {
        var (consultationId, meeting) = await PlanAsync();
        var outsider = await Tokens.RegisterPartnerAsync("housing-corporation");
        using var outsiderClient = outsider.Authorize(service.CreateClient());
        using var observer = (await MemberAsync(TrajectoryRoles.Observer)).Authorize(service.CreateClient());
        using var contributor = (await MemberAsync(TrajectoryRoles.Contributor)).Authorize(service.CreateClient());

        var outsiderList = await outsiderClient.GetAsync(new Uri($"/v1/consultations/{consultationId}/meetings", UriKind.Relative), Cancel);
        var outsiderPlan = await outsiderClient.PostAsJsonAsync($"/v1/consultations/{consultationId}/meetings", NewMeeting(), Cancel);
        var outsiderRegister = await RegisterAsync(outsiderClient, consultationId, meeting.Id(), await containers.NewResidentOfAsync(consultationId));
        var observerPlan = await observer.PostAsJsonAsync($"/v1/consultations/{consultationId}/meetings", NewMeeting(), Cancel);
        var observerRegister = await RegisterAsync(observer, consultationId, meeting.Id(), await containers.NewResidentOfAsync(consultationId));
        var contributorPlan = await contributor.PostAsJsonAsync($"/v1/consultations/{consultationId}/meetings", NewMeeting(), Cancel);
        var contributorRegister = await RegisterAsync(contributor, consultationId, meeting.Id(), await containers.NewResidentOfAsync(consultationId));
        var observerReads = await observer.GetAsync(new Uri($"/v1/consultations/{consultationId}/meetings/{meeting.Id()}", UriKind.Relative), Cancel);

        await outsiderList.AssertProblemAsync(HttpStatusCode.NotFound);
        await outsiderPlan.AssertProblemAsync(HttpStatusCode.NotFound);
        await outsiderRegister.AssertProblemAsync(HttpStatusCode.NotFound);
        await observerPlan.AssertProblemAsync(HttpStatusCode.Forbidden);
        await observerRegister.AssertProblemAsync(HttpStatusCode.Forbidden);
        await contributorPlan.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Created, contributorRegister.StatusCode);
        Assert.Equal(HttpStatusCode.OK, observerReads.StatusCode);
    }
}
