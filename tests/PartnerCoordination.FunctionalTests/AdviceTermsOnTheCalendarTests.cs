using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// The Overlegwet's terms on fixed dates, so that weekends and holidays fall where the law's examples put them: the
/// service runs on a clock set to Wednesday 31 March 2027, on a database of its own (the declared holidays added here
/// must not move the deadlines of other tests).
/// </summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class AdviceTermsOnTheCalendarTests : IClassFixture<ResidentTokenServer>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2027, 3, 31, 10, 0, 0, TimeSpan.Zero);
    private readonly ResidentTokenServer _server;
    private readonly TokenServer _tokens;
    private readonly List<HttpClient> _clients = [];
    private TestPartner _landlordPartner = null!;
    private HttpClient _landlord = null!;
    private HttpClient _tenants = null!;
    private Guid _tenantsId;
    private Guid _trajectoryId;

    public AdviceTermsOnTheCalendarTests(ResidentTokenServer server)
    {
        _server = server;
        // The fixture is shared by this class's tests, and a fake clock only moves forward.
        if (server.Time.GetUtcNow() < Now)
        {
            server.Time.SetUtcNow(Now);
        }

        _tokens = TokenServer.For(server);
    }

    private string Requests => $"/v1/trajectories/{_trajectoryId}/advice-requests";

    public async ValueTask InitializeAsync()
    {
        var landlord = await _tokens.RegisterPartnerAsync("housing-corporation");
        var tenants = await _tokens.RegisterPartnerAsync("tenants-organisation");
        _trajectoryId = await _tokens.CreateTrajectoryAsync(landlord, "BU03630001");
        await _tokens.SetMemberAsync(landlord, _trajectoryId, tenants.PartnerId, "observer");
        _landlordPartner = landlord;
        _landlord = Client(landlord.AccessToken);
        _tenants = Client(tenants.AccessToken);
        _tenantsId = tenants.PartnerId;
    }

    public ValueTask DisposeAsync()
    {
        _clients.ForEach(client => client.Dispose());
        return ValueTask.CompletedTask;
    }

    private HttpClient Client(string token)
    {
        var client = TokenServer.Authorized(_server.CreateClient(), token);
        _clients.Add(client);
        return client;
    }

    private async Task<Guid> RequestAsync(string sentOn, Guid? tenantsOrganisation = null, HttpClient? landlord = null) =>
        (await (await (landlord ?? _landlord).PostAsJsonAsync(Requests, new
        {
            tenantsOrganisationPartnerId = tenantsOrganisation ?? _tenantsId,
            subject = "Renovatieplan blok 3",
            proposal = "Isolatie en nieuwe kozijnen.",
            sentOn,
        }, Cancel)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private async Task<JsonElement> AdviseAsync(Guid id, string receivedOn, HttpClient? tenants = null) =>
        await (await (tenants ?? _tenants).PutAsJsonAsync($"{Requests}/{id}/advice", new { text = "Geen huurverhoging.", receivedOn }, Cancel))
            .ReadJsonAsync(HttpStatusCode.OK);

    private async Task<JsonElement> GetAsync(string path) =>
        await (await _landlord.GetAsync(new Uri(path, UriKind.Relative), Cancel)).ReadJsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task The_answer_is_due_14_days_after_the_advice_was_received_not_after_the_decision()
    {
        var id = await RequestAsync("2027-02-10");

        // Advice received Wednesday 3 March 2027: the reasoned answer is due Wednesday 17 March, before any decision.
        var advised = await AdviseAsync(id, "2027-03-03");
        Assert.Equal("2027-03-17", advised.GetProperty("answerDueOn").GetString());
        Assert.Equal("reasoned-answer", advised.GetProperty("openDeadline").GetProperty("kind").GetString());

        // The departing decision recorded on Wednesday 31 March does not restart the 14 days: the answer is overdue.
        var decided = await (await _landlord.PutAsJsonAsync($"{Requests}/{id}/decision", new { followsAdvice = false }, Cancel))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("2027-03-31", decided.GetProperty("decidedOn").GetString());
        Assert.Equal("2027-03-17", decided.GetProperty("answerDueOn").GetString());
        Assert.Equal("2027-03-17", decided.GetProperty("openDeadline").GetProperty("dueOn").GetString());
        Assert.True(decided.GetProperty("overdue").GetBoolean());
        Assert.Contains(id, (await GetAsync($"{Requests}?overdue=true")).Ids());
    }

    [Fact]
    public async Task Fourteen_days_ending_on_Tweede_Kerstdag_end_on_the_next_working_day()
    {
        var id = await RequestAsync("2025-11-01");

        // Received Friday 12 December 2025: 14 days end on Friday 26 December, a holiday, so on Monday 29 December.
        var advised = await AdviseAsync(id, "2025-12-12");

        Assert.Equal("2025-12-29", advised.GetProperty("answerDueOn").GetString());
    }

    [Fact]
    public async Task Six_weeks_ending_on_Eerste_Kerstdag_end_on_the_next_working_day()
    {
        // Sent Thursday 13 November 2025: the six weeks end on Thursday 25 December 2025, so on Monday 29 December.
        await (await _landlord.PostAsJsonAsync(Requests, new
        {
            tenantsOrganisationPartnerId = _tenantsId, subject = "Kerst", proposal = "Voorstel.", sentOn = "2025-11-13", adviceDueOn = "2025-12-25",
        }, Cancel)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "adviceDueOn");

        var id = await RequestAsync("2025-11-13");

        Assert.Equal("2025-12-29", (await GetAsync($"{Requests}/{id}")).GetProperty("adviceDueOn").GetString());
    }

    [Fact]
    public async Task Advice_not_given_in_its_period_lapses_and_the_landlord_may_go_ahead()
    {
        // Sent Monday 1 February 2027: the advice was due Monday 15 March.
        var lapsed = await RequestAsync("2027-02-01");
        var inTime = await RequestAsync("2027-02-01");

        var read = await GetAsync($"{Requests}/{lapsed}");
        Assert.Equal("2027-03-15", read.GetProperty("adviceDueOn").GetString());
        Assert.Equal("advice-lapsed", read.GetProperty("state").GetString());
        Assert.Equal("2027-03-16", read.GetProperty("mayProceedOn").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("openDeadline").ValueKind);
        Assert.False(read.GetProperty("overdue").GetBoolean());
        Assert.DoesNotContain(lapsed, (await GetAsync($"{Requests}?overdue=true")).Ids());

        // Advice received after the period comes too late; advice received in time and recorded later still counts.
        await (await _tenants.PutAsJsonAsync($"{Requests}/{lapsed}/advice", new { text = "Te laat." }, Cancel))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "receivedOn");
        var advised = await AdviseAsync(inTime, "2027-03-15");
        Assert.Equal("awaiting-decision", advised.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, advised.GetProperty("mayProceedOn").ValueKind);
    }

    [Fact]
    public async Task The_landlord_may_go_ahead_three_days_after_its_reasoned_answer_on_a_working_day()
    {
        var id = await RequestAsync("2027-02-10");
        await AdviseAsync(id, "2027-03-24");
        await (await _landlord.PutAsJsonAsync($"{Requests}/{id}/decision", new { followsAdvice = false }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        // Answered Wednesday 31 March 2027: three days end on Saturday 3 April, so the landlord waits until Monday 5 April.
        var answered = await (await _landlord.PutAsJsonAsync($"{Requests}/{id}/reasoned-answer", new { text = "Omdat de isolatie voorgaat." }, Cancel))
            .ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("closed", answered.GetProperty("state").GetString());
        Assert.Equal("2027-04-05", answered.GetProperty("mayProceedOn").GetString());
    }

    [Fact]
    public async Task A_bewonerscommissie_is_asked_for_advice_and_gives_it_as_a_tenants_organisation_does()
    {
        var committee = await _tokens.RegisterPartnerAsync("bewonerscommissie");
        await _tokens.SetMemberAsync(_landlordPartner, _trajectoryId, committee.PartnerId, "observer");
        var id = await RequestAsync("2027-03-01", committee.PartnerId);

        var advised = await AdviseAsync(id, "2027-03-31", Client(committee.AccessToken));

        Assert.Equal(committee.PartnerId, advised.GetProperty("tenantsOrganisationPartnerId").GetGuid());
        Assert.Equal("awaiting-decision", advised.GetProperty("state").GetString());
        Assert.Equal(committee.PartnerId, (await GetAsync("/v1/partners/" + committee.PartnerId)).GetProperty("id").GetGuid());
        // The tenants' organisation of the trajectory may not advise in the committee's place.
        await (await _tenants.PutAsJsonAsync($"{Requests}/{id}/advice", new { text = "Namens de commissie." }, Cancel))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_operator_declares_a_day_equal_to_a_holiday_and_open_answer_terms_move_past_it()
    {
        var id = await RequestAsync("2027-02-10");
        Assert.Equal("2027-04-07", (await AdviseAsync(id, "2027-03-24")).GetProperty("answerDueOn").GetString());
        var declaration = new { name = "Gelijkgestelde dag (besluit van de regering)" };

        // Platform policy: a partner may read the table, not extend it.
        await (await _landlord.PutAsJsonAsync("/v1/declared-holidays/2027-04-07", declaration, Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        var operatorClient = Client(await _tokens.GetOperatorTokenAsync());
        await (await operatorClient.PutAsJsonAsync("/v1/declared-holidays/2027-04-07", new { name = "" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "name");
        var declared = await (await operatorClient.PutAsJsonAsync("/v1/declared-holidays/2027-04-07", declaration, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("2027-04-07", declared.GetProperty("day").GetString());
        var table = await GetAsync("/v1/declared-holidays");
        Assert.Contains(table.EnumerateArray(), day => day.GetProperty("day").GetString() == "2027-04-07");
        Assert.Equal("2027-04-08", (await GetAsync($"{Requests}/{id}")).GetProperty("answerDueOn").GetString());
    }
}
