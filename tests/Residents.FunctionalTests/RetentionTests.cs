using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Participatie.Contracts;
using Participatie.Residents.DataRights;
using Participatie.Testing;

namespace Participatie.Residents.FunctionalTests;

/// <summary>
/// The retention job anonymises residents with no activity for Retention:InactiveFor (two years by default) by the
/// same erasure a resident can ask for, and forgets old exports. The service runs on a clock the test moves, on a
/// database and broker virtual host of its own (moving time must not age other tests' residents).
/// </summary>
public sealed class RetentionTests(PlatformContainers containers)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Residents_inactive_for_two_years_are_anonymised_and_an_active_one_is_kept()
    {
        var connectionString = await TestDatabases.CreateAsync(containers, "residents_retention");
        var broker = await BrokerVirtualHosts.CreateAsync(containers.RabbitMq, "residents-retention");
        // Now, so that real tokens are valid at the start; every request is made before time moves.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var service = new ServiceFactory<EntryPoint>("residentsdb", connectionString, broker, containers.TokenServer, clock: clock);
        var partner = await containers.TokenServer.RegisterPartnerAsync();
        using var client = partner.Authorize(service.CreateClient());
        await service.WaitUntilHealthyAsync(client);
        var inactive = await RegisterAsync(client);
        var active = await RegisterAsync(client);
        using var resident = TokenServer.Authorized(service.CreateClient(), containers.TokenServer.IssueResidentToken(active));
        Assert.Equal(HttpStatusCode.Accepted, (await resident.PostAsync("/v1/me/data-exports", null, Cancel)).StatusCode);
        await using var database = new NpgsqlConnection(connectionString);

        // 400 days on: nobody is inactive long enough yet, but the export (older than 30 days) is forgotten.
        clock.Advance(TimeSpan.FromDays(400));
        await Eventually.MatchesAsync(
            () => database.ExecuteScalarAsync<int>("SELECT count(*) FROM data_exports WHERE resident_id = @Id", new { Id = active }),
            count => count == 0,
            "the old export to be deleted");
        Assert.Equal(0, await database.ExecuteScalarAsync<int>("SELECT count(*) FROM resident_erasures"));

        // One of them reacts.
        var reactedAt = clock.GetUtcNow();
        await service.Services.GetRequiredService<IBus>().Publish(
            new ResidentsWereActive(Guid.NewGuid(), [active], reactedAt),
            Cancel);
        await Eventually.MatchesAsync(
            () => database.ExecuteScalarAsync<DateTime>("SELECT last_activity_at FROM residents WHERE id = @Id", new { Id = active }),
            lastActivity => lastActivity >= reactedAt.UtcDateTime.AddMilliseconds(-1),
            "the reaction to count as activity");

        // 800 days after registration: the one who did nothing is anonymised, the one who reacted 400 days ago is not.
        clock.Advance(TimeSpan.FromDays(400));
        var requestedBy = await Eventually.MatchesAsync(
            () => database.ExecuteScalarAsync<string?>("SELECT requested_by FROM resident_erasures WHERE resident_id = @Id", new { Id = inactive }),
            row => row is not null,
            "the inactive resident to be anonymised");
        Assert.Equal(Requesters.Retention, requestedBy);
        var erasureId = await database.ExecuteScalarAsync<Guid>("SELECT id FROM resident_erasures WHERE resident_id = @Id", new { Id = inactive });
        Assert.Equal(0, await database.ExecuteScalarAsync<int>("SELECT count(*) FROM residents WHERE id = @Id", new { Id = inactive }));
        Assert.Equal(1, await database.ExecuteScalarAsync<int>("SELECT count(*) FROM residents WHERE id = @Id", new { Id = active }));
        // The same erasure as on request (whose ResidentErased the request tests see in the outbox; here housekeeping
        // has removed relayed rows by the time the clock moved): this service's part of the proof is in.
        Assert.Equal(1, await database.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM resident_erasure_confirmations WHERE erasure_id = @Id AND service = 'residents'", new { Id = erasureId }));
        Assert.Equal("retention job", await database.ExecuteScalarAsync<string>(
            "SELECT accessed_by FROM personal_data_access_log WHERE resident_id = @Id AND action = 'erased'", new { Id = inactive }));

        // Another round finds nothing more to do.
        Assert.Equal(0, await service.Services.GetRequiredService<RetentionJob>().AnonymiseInactiveAsync(Cancel));
        Assert.Equal(1, await database.ExecuteScalarAsync<int>("SELECT count(*) FROM resident_erasures"));
    }

    [Fact]
    public async Task The_residents_own_settings_a_new_partner_link_an_export_and_a_meeting_count_as_activity()
    {
        var connectionString = await TestDatabases.CreateAsync(containers, "residents_retention_activity");
        var broker = await BrokerVirtualHosts.CreateAsync(containers.RabbitMq, "residents-retention-activity");
        // The clock does not move (so the job's rounds wait for the test); inactivity is made by ageing the rows.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var service = new ServiceFactory<EntryPoint>("residentsdb", connectionString, broker, containers.TokenServer, clock: clock);
        var corporation = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        var municipality = await containers.TokenServer.RegisterPartnerAsync("municipality");
        using var corporationClient = corporation.Authorize(service.CreateClient());
        using var municipalityClient = municipality.Authorize(service.CreateClient());
        await service.WaitUntilHealthyAsync(corporationClient);
        var idle = await RegisterAsync(corporationClient);
        var consenting = await RegisterAsync(corporationClient);
        var unchangedPreferences = await RegisterAsync(corporationClient);
        var matchedAddress = TestData.NewAddress(5);
        var matched = await RegistryTests.RegisterAsync(corporationClient, matchedAddress, email: "matched@example.org");
        var exporting = await RegisterAsync(corporationClient);
        var meetingGoer = await RegisterAsync(corporationClient);
        await using var database = new NpgsqlConnection(connectionString);
        Guid[] everyone = [idle, consenting, unchangedPreferences, matched, exporting, meetingGoer];
        await database.ExecuteAsync(
            "UPDATE residents SET last_activity_at = last_activity_at - interval '800 days' WHERE id = ANY(@Ids)", new { Ids = everyone });

        using (var asConsenting = AsResident(service, consenting))
        {
            Assert.Equal(HttpStatusCode.OK, (await asConsenting.PutAsJsonAsync("/v1/me/consents/research", new { given = true }, Cancel)).StatusCode);
        }

        using (var asUnchanged = AsResident(service, unchangedPreferences))
        {
            // The very preferences registered: nothing changes, yet the resident acted.
            var saved = await asUnchanged.PutAsJsonAsync(
                "/v1/me/preferences", new { preferredLanguage = "nl", preferredChannel = "email", digestFrequency = "immediately" }, Cancel);
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }

        var linked = await municipalityClient.PostAsJsonAsync("/v1/residents", RegistryTests.Resident(matchedAddress, email: "Matched@example.org"), Cancel);
        Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
        using (var asExporting = AsResident(service, exporting))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await asExporting.PostAsync("/v1/me/data-exports", null, Cancel)).StatusCode);
        }

        var startsAt = clock.GetUtcNow().AddHours(20);
        await service.Services.GetRequiredService<IBus>().Publish(
            new MeetingReminderDue(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "Bewonersavond", "Buurthuis", startsAt, startsAt.AddHours(2), [meetingGoer]),
            Cancel);
        await Eventually.MatchesAsync(
            () => database.ExecuteScalarAsync<DateTime>("SELECT last_activity_at FROM residents WHERE id = @Id", new { Id = meetingGoer }),
            lastActivity => lastActivity >= clock.GetUtcNow().UtcDateTime.AddDays(-1),
            "the meeting registration to count as activity");

        Assert.Equal(1, await service.Services.GetRequiredService<RetentionJob>().AnonymiseInactiveAsync(Cancel));
        Assert.Equal([idle], await database.QueryAsync<Guid>("SELECT resident_id FROM resident_erasures"));
        Assert.Equal(5, await database.ExecuteScalarAsync<int>("SELECT count(*) FROM residents WHERE id = ANY(@Ids)", new { Ids = everyone }));
    }

    private HttpClient AsResident(ServiceFactory<EntryPoint> service, Guid residentId) =>
        TokenServer.Authorized(service.CreateClient(), containers.TokenServer.IssueResidentToken(residentId));

    private static async Task<Guid> RegisterAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/v1/residents", ResidentsApiTests.NewResident("BU91990110"), Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
    }
}
