using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Participatie.Contracts;
using Participatie.Testing;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>The consultations service on a clock that starts on 1 June 2025 and that its one test class moves forward.</summary>
public sealed class ConsultationsServiceFromJune2025(PlatformContainers containers)
    : ServiceFactory<Participatie.Consultations.EntryPoint>(
        "consultationsdb", containers, containers.TokenServer, clock: new FakeTimeProvider(Amsterdam.At(2025, 6, 1, 12, 0)))
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.TurnOffClosingOnDeadline();
    }
}

/// <summary>
/// Residents' snapshots (ResidentProfileChanged) update the pseudonymous projection, newest version wins, and reach
/// computes the age band from the birth year when it is asked for (issue 9, part 5).
/// </summary>
public sealed class ResidentProfileTests(ConsultationsServiceFromJune2025 service, PlatformContainers containers)
    : IClassFixture<ConsultationsServiceFromJune2025>, IAsyncLifetime
{
    private HttpClient _client = null!;
    private TestPartner _partner = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private FakeTimeProvider Clock => service.Clock!;

    public async ValueTask InitializeAsync()
    {
        _partner = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        _client = _partner.Authorize(service.CreateClient());
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_age_band_is_computed_from_the_birth_year_in_the_year_reach_is_asked_for()
    {
        var buurtCode = TestData.NewBuurtCode();
        var otherBuurt = TestData.NewBuurtCode();
        var trajectoryId = await containers.TokenServer.CreateTrajectoryAsync(_partner, buurtCode);
        var bus = service.Services.GetRequiredService<IBus>();
        var turnsTwentyFiveIn2026 = Guid.NewGuid();
        var movesAway = Guid.NewGuid();
        var registeredLongAgo = Guid.NewGuid();
        var changedAt = Amsterdam.At(2025, 6, 1);

        await bus.Publish(Snapshot(turnsTwentyFiveIn2026, 1, buurtCode, Languages.Dutch, 2001, changedAt), Cancel);
        // A newer snapshot, then an older one arriving late: the newer one stands.
        await bus.Publish(Snapshot(turnsTwentyFiveIn2026, 3, buurtCode, Languages.Turkish, 2001, changedAt), Cancel);
        await bus.Publish(Snapshot(movesAway, 1, buurtCode, Languages.Dutch, 1960, changedAt), Cancel);
        await bus.Publish(Snapshot(movesAway, 2, otherBuurt, Languages.Dutch, 1960, changedAt), Cancel);
        // Known only from before birth years travelled: its stored band is kept.
        await bus.Publish(new ResidentRegistered(registeredLongAgo, buurtCode, Languages.Arabic, Channels.Letter, changedAt, "65-74", Tenures.Tenant), Cancel);
        await Eventually.MatchesAsync(
            async () => (await ProjectionAsync(turnsTwentyFiveIn2026), await ProjectionAsync(movesAway), await ProjectionAsync(registeredLongAgo)),
            rows => rows.Item1?.Version == 3 && rows.Item2?.Version == 2 && rows.Item3 is not null,
            "the snapshots to be applied");
        var lateMessageId = Guid.NewGuid();
        await bus.Publish(Snapshot(turnsTwentyFiveIn2026, 2, buurtCode, Languages.Polish, 2001, changedAt), context => context.MessageId = lateMessageId, Cancel);
        // The late snapshot is consumed (its inbox row) and changes nothing.
        await Eventually.MatchesAsync(() => InboxCountAsync(lateMessageId), count => count == 1, "the late snapshot to be consumed");
        Assert.Equal((Languages.Turkish, 3L), ((await ProjectionAsync(turnsTwentyFiveIn2026))!.Language, (await ProjectionAsync(turnsTwentyFiveIn2026))!.Version));

        var consultation = await (await _client.PostAsJsonAsync("/v1/consultations", new
        {
            trajectoryId, title = "Speelplaats", description = "Wat wilt u?", buurtCode, closesOn = new DateOnly(2027, 1, 31),
        }, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var consultationId = consultation.GetProperty("id").GetGuid();

        var in2025 = await AgeBandsAsync(consultationId);
        Assert.Equal(["65-74", "under-25"], in2025);

        Clock.MoveTo(2026, 6, 1);
        var in2026 = await AgeBandsAsync(consultationId);
        Assert.Equal(["25-44", "65-74"], in2026);
    }

    private static ResidentProfileChanged Snapshot(Guid residentId, long version, string buurtCode, string language, int birthYear, DateTimeOffset changedAt) =>
        new(residentId, version, buurtCode, language, Channels.Letter, DigestFrequencies.Immediately, birthYear, Tenures.Tenant,
            [ConsentPurposes.Participation], null, null, changedAt);

    private async Task<IReadOnlyList<string>> AgeBandsAsync(Guid consultationId)
    {
        var report = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultationId}/reach", Cancel);
        // Two residents: a count shown as "< 5"; the groups (which bands there are) are still listed.
        Assert.True(report.GetProperty("residents").GetProperty("fewerThanFive").GetBoolean());
        Assert.Equal(2, report.GetProperty("groups").EnumerateArray().Count(group => group.GetProperty("dimension").GetString() == "language"));
        return [.. report.GetProperty("groups").EnumerateArray()
            .Where(group => group.GetProperty("dimension").GetString() == "ageBand")
            .Select(group => group.GetProperty("value").GetString()!)
            .Order(StringComparer.Ordinal)];
    }

    private async Task<ProjectedResident?> ProjectionAsync(Guid residentId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.QuerySingleOrDefaultAsync<ProjectedResident>(
            "SELECT language, coalesce(profile_version, 0) AS version FROM residents_concerned WHERE resident_id = @Id", new { Id = residentId });
    }

    private async Task<int> InboxCountAsync(Guid messageId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM inbox_messages WHERE message_id = @Id AND consumer LIKE '%ResidentProfileChangedConsumer'", new { Id = messageId });
    }

    private sealed record ProjectedResident(string Language, long Version);
}
