using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.Contracts;
using Participatie.Testing;

namespace Participatie.Residents.FunctionalTests;

/// <summary>
/// Issue 11, part 3: a partner registers residents (one or in bulk), moves them and counts them only inside the
/// gemeenten and buurten the operator granted it, as partner coordination announces them (PartnerAreasChanged).
/// </summary>
public sealed class PartnerAreasTests(ResidentsService service, PlatformContainers containers)
    : IClassFixture<ResidentsService>, IAsyncLifetime
{
    /// <summary>A buurt in Amsterdam (GM0363): outside the test gemeenten every test partner is granted.</summary>
    private const string OutsideBuurt = "BU03630107";

    private HttpClient _client = null!;
    private TestPartner _partner = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

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

    private static object Resident(string buurtCode, int houseNumber = 12) => new
    {
        fullName = $"Bewoner {houseNumber}",
        postcode = TestData.NewPostcode(),
        houseNumber,
        buurtCode,
        preferredLanguage = "nl",
        preferredChannel = "letter",
    };

    private async Task<int> ResidentsInAsync(string buurtCode)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.ExecuteScalarAsync<int>("SELECT count(*)::int FROM residents WHERE buurt_code = @BuurtCode", new { BuurtCode = buurtCode });
    }

    [Fact]
    public async Task A_resident_outside_the_partners_areas_is_refused_with_422_naming_buurtCode_and_nothing_is_stored()
    {
        var inside = TestData.NewBuurtCode();

        using var accepted = await _client.PostAsJsonAsync("/v1/residents", Resident(inside), Cancel);
        using var refused = await _client.PostAsJsonAsync("/v1/residents", Resident(OutsideBuurt), Cancel);

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var problem = await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "buurtCode");
        Assert.Contains(OutsideBuurt, problem.GetProperty("errors").GetProperty("buurtCode")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await ResidentsInAsync(inside));
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*)::int FROM residents WHERE buurt_code = @BuurtCode AND registered_by_partner_id = @PartnerId",
            new { BuurtCode = OutsideBuurt, _partner.PartnerId }));
    }

    [Fact]
    public async Task A_bulk_row_outside_the_partners_areas_gets_its_own_problem_and_the_other_rows_are_registered()
    {
        var inside = TestData.NewBuurtCode();

        using var response = await _client.PostAsJsonAsync(
            "/v1/residents/bulk", new { residents = new[] { Resident(inside, 1), Resident(OutsideBuurt, 2), Resident(inside, 3) } }, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var rows = result.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["created", "invalid", "created"], rows.Select(row => row.GetProperty("status").GetString()));
        Assert.Contains(OutsideBuurt, rows[1].GetProperty("errors").GetProperty("buurtCode")[0].GetString(), StringComparison.Ordinal);
        Assert.False(rows[1].TryGetProperty("id", out _));
        Assert.Equal(2, await ResidentsInAsync(inside));
    }

    [Fact]
    public async Task Aggregates_outside_the_partners_areas_are_refused_with_403_naming_buurtCode()
    {
        var inside = TestData.NewBuurtCode();
        (await _client.PostAsJsonAsync("/v1/residents", Resident(inside), Cancel)).EnsureSuccessStatusCode();

        using var counted = await _client.GetAsync($"/v1/residents/aggregates?buurtCode={inside}", Cancel);
        using var refused = await _client.GetAsync($"/v1/residents/aggregates?buurtCode={OutsideBuurt}", Cancel);

        Assert.Equal(HttpStatusCode.OK, counted.StatusCode);
        await refused.AssertProblemAsync(HttpStatusCode.Forbidden, "buurtCode");
    }

    [Fact]
    public async Task Moving_a_resident_into_a_buurt_outside_the_partners_areas_is_refused_with_422_and_the_resident_stays_where_they_live()
    {
        var inside = TestData.NewBuurtCode();
        var otherInside = TestData.NewBuurtCode();
        using var registered = await _client.PostAsJsonAsync("/v1/residents", Resident(inside), Cancel);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var residentId = (await registered.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();

        using var refused = await _client.PostAsJsonAsync(
            $"/v1/residents/{residentId}/moves", new { postcode = TestData.NewPostcode(), houseNumber = 3, buurtCode = OutsideBuurt }, Cancel);
        using var moved = await _client.PostAsJsonAsync(
            $"/v1/residents/{residentId}/moves", new { postcode = TestData.NewPostcode(), houseNumber = 4, buurtCode = otherInside }, Cancel);

        var problem = await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "buurtCode");
        Assert.Contains(OutsideBuurt, problem.GetProperty("errors").GetProperty("buurtCode")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        // The refused move left no trace in the address history: the first home, then the move inside the areas.
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var history = (await connection.QueryAsync<string>(
            "SELECT buurt_code FROM resident_addresses WHERE resident_id = @ResidentId ORDER BY id",
            new { ResidentId = residentId })).ToList();
        Assert.Equal([inside, otherInside], history);
    }

    [Fact]
    public async Task The_announced_areas_replace_the_earlier_ones_and_an_older_announcement_changes_nothing()
    {
        var bus = service.Services.GetRequiredService<IBus>();
        var inTestGemeente = TestData.NewBuurtCode();
        var now = DateTimeOffset.UtcNow;
        // The operator narrows the partner to one buurt in Amsterdam; the announcement is what the service goes by.
        await bus.Publish(new PartnerAreasChanged(_partner.PartnerId, [OutsideBuurt], now.AddSeconds(5)), Cancel);
        await Eventually.MatchesAsync(
            async () => (await _client.GetAsync($"/v1/residents/aggregates?buurtCode={OutsideBuurt}", Cancel)).StatusCode,
            status => status == HttpStatusCode.OK,
            "the narrowed areas to reach the residents service");

        using var nowInside = await _client.PostAsJsonAsync("/v1/residents", Resident(OutsideBuurt), Cancel);
        using var nowOutside = await _client.PostAsJsonAsync("/v1/residents", Resident(inTestGemeente), Cancel);
        Assert.Equal(HttpStatusCode.Created, nowInside.StatusCode);
        await nowOutside.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "buurtCode");

        // An announcement older than the one applied (a late redelivery) does not bring the test gemeenten back.
        var late = Guid.NewGuid();
        await bus.Publish(
            new PartnerAreasChanged(_partner.PartnerId, TestData.TestGemeenten, now.AddSeconds(-5)), context => context.MessageId = late, Cancel);
        await Eventually.MatchesAsync(
            async () =>
            {
                await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
                return await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM inbox_messages WHERE message_id = @Id)", new { Id = late });
            },
            handled => handled,
            "the late announcement to be handled");
        await (await _client.PostAsJsonAsync("/v1/residents", Resident(inTestGemeente), Cancel))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "buurtCode");
    }
}
