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

/// <summary>Who are we missing: reach measured on a made-up buurt whose answer we know.</summary>
public sealed class ReachApiTests(ConsultationsService service, PlatformContainers containers)
    : IClassFixture<ConsultationsService>, IAsyncLifetime
{
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

    [Fact]
    public async Task The_reach_report_flags_the_group_the_consultation_is_missing()
    {
        var buurtCode = $"BU{Random.Shared.Next(10_000_000, 99_999_999)}";
        var trajectoryId = await containers.TokenServer.CreateTrajectoryAsync(_partner, buurtCode);
        // 10 residents: 6 prefer Dutch (4 of them 75-plus), 4 prefer Turkish; all tenants but two owners among the Dutch.
        var dutch = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            dutch.Add(await ResidentAsync(buurtCode, Languages.Dutch, i < 4 ? "75-plus" : "25-44", i < 2 ? Tenures.OwnerOccupier : Tenures.Tenant));
        }

        for (var i = 0; i < 4; i++)
        {
            await ResidentAsync(buurtCode, Languages.Turkish, "25-44", Tenures.Tenant);
        }

        await Eventually.MatchesAsync(ConcernedInBuurtAsync(buurtCode), count => count == 10, "all ten residents to be known to the consultations service");

        var consultation = await (await _client.PostAsJsonAsync("/v1/consultations", new
        {
            trajectoryId,
            title = "Nieuwe entree",
            description = "Hoe wilt u de entree?",
            buurtCode,
            closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20)),
        }, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var consultationId = consultation.GetProperty("id").GetGuid();
        // Four Dutch-speaking residents react, one of them twice; no Turkish-speaking resident does.
        foreach (var residentId in dutch.Take(4).Append(dutch[0]))
        {
            var reaction = await _client.PostAsJsonAsync($"/v1/consultations/{consultationId}/reactions", new { residentId, text = "Meer licht graag." }, Cancel);
            Assert.Equal(HttpStatusCode.Created, reaction.StatusCode);
        }

        var report = await _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultationId}/reach", Cancel);

        Assert.Equal(10, report.GetProperty("residents").GetProperty("count").GetInt32());
        // Four respondents are fewer than five: not shown, nor the rate that would give them away.
        Assert.True(report.GetProperty("respondents").GetProperty("fewerThanFive").GetBoolean());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("responseRate").ValueKind);
        var groups = report.GetProperty("groups").EnumerateArray().ToList();
        JsonElement Group(string dimension, string value) =>
            Assert.Single(groups, g => g.GetProperty("dimension").GetString() == dimension && g.GetProperty("value").GetString() == value);
        Assert.True(Group("language", "tr").GetProperty("underrepresented").GetBoolean());
        Assert.Equal(0, Group("language", "tr").GetProperty("respondents").GetProperty("count").GetInt32());
        Assert.True(Group("language", "tr").GetProperty("residents").GetProperty("fewerThanFive").GetBoolean());
        // Six Dutch-speaking residents would give the four Turkish-speaking ones away (10 - 6): hidden too, not as small.
        Assert.Equal(("hidden", false), (Group("language", "nl").GetProperty("residents").GetProperty("display").GetString(),
            Group("language", "nl").GetProperty("residents").GetProperty("fewerThanFive").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, Group("language", "nl").GetProperty("shareOfResidents").ValueKind);
        Assert.False(Group("language", "nl").GetProperty("underrepresented").GetBoolean());
        // The 25-44 group is 6 of 10 residents but 0 of 4 respondents (the respondents are all 75-plus).
        Assert.True(Group("ageBand", "25-44").GetProperty("underrepresented").GetBoolean());
        Assert.False(Group("ageBand", "75-plus").GetProperty("underrepresented").GetBoolean());
        Assert.Equal("< 5", Group("tenure", "owner-occupier").GetProperty("residents").GetProperty("display").GetString());
        // No count of 1 to 4 anywhere in the report.
        Assert.DoesNotContain(SmallCounts(report), count => count is > 0 and < 5);
        // Pseudonymous through and through: no resident id in the report.
        Assert.DoesNotContain(dutch[0].ToString(), report.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_consultation_for_some_addresses_is_measured_against_the_residents_living_there()
    {
        var buurtCode = $"BU{Random.Shared.Next(10_000_000, 99_999_999)}";
        var trajectoryId = await containers.TokenServer.CreateTrajectoryAsync(_partner, buurtCode);
        // Six residents in the block (five Dutch-speaking, one Arabic-speaking), one elsewhere in the buurt.
        var inBlock = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            inBlock.Add(await ResidentAsync(buurtCode, i == 0 ? Languages.Arabic : Languages.Dutch, "25-44", Tenures.Tenant));
        }

        await ResidentAsync(buurtCode, Languages.Dutch, "75-plus", Tenures.OwnerOccupier);
        await Eventually.MatchesAsync(ConcernedInBuurtAsync(buurtCode), count => count == 7, "the seven residents to be known");
        var consultation = await (await _client.PostAsJsonAsync("/v1/consultations", new
        {
            trajectoryId,
            title = "Kozijnen blok 3",
            description = "Welke kleur?",
            buurtCode,
            closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20)),
            addresses = TenHomes(),
        }, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var consultationId = consultation.GetProperty("id").GetGuid();
        Assert.True(consultation.GetProperty("addressScoped").GetBoolean());

        // What the residents service would say about who lives at those addresses.
        await service.Services.GetRequiredService<IBus>().Publish(new ConsultationAudienceResolved(consultationId, trajectoryId, inBlock), Cancel);
        var report = await Eventually.MatchesAsync(
            () => _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultationId}/reach", Cancel),
            reach => reach.GetProperty("groups").EnumerateArray().Any(g => g.GetProperty("value").GetString() == Languages.Arabic),
            "the audience to be known");

        // One Arabic-speaking ("< 5") and five Dutch-speaking ("hidden", 5 or more): a shown 6 would name the 1, so it is hidden.
        Assert.Equal("hidden", report.GetProperty("residents").GetProperty("display").GetString());

        var languages = report.GetProperty("groups").EnumerateArray().Where(g => g.GetProperty("dimension").GetString() == "language")
            .Select(g => g.GetProperty("value").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(["ar", "nl"], languages);
        Assert.DoesNotContain(report.GetProperty("groups").EnumerateArray(), g => g.GetProperty("value").GetString() == "75-plus");
    }

    [Fact]
    public async Task A_list_of_fewer_than_ten_homes_or_with_a_home_outside_the_trajectory_gets_422_naming_the_field()
    {
        var buurtCode = $"BU{Random.Shared.Next(10_000_000, 99_999_999)}";
        var trajectoryId = await containers.TokenServer.CreateTrajectoryAsync(_partner, buurtCode);
        object Consultation(object addresses) => new
        {
            trajectoryId, title = "Kozijnen", description = "Welke kleur?", buurtCode, closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20)), addresses,
        };

        var oneHome = await _client.PostAsJsonAsync("/v1/consultations", Consultation(new[] { new { postcode = "1021 AB", houseNumber = 3 } }), Cancel);
        // Nine homes, one of them named twice: still nine different homes.
        var nine = TenHomes().Take(9).Append(TenHomes()[0]).ToArray();
        var nineHomes = await _client.PostAsJsonAsync("/v1/consultations", Consultation(nine), Cancel);
        var outside = TenHomes().Select((home, i) => home with { BuurtCode = i == 7 ? "BU00000001" : buurtCode }).ToArray();
        var oneOutside = await _client.PostAsJsonAsync("/v1/consultations", Consultation(outside), Cancel);
        var ten = await _client.PostAsJsonAsync("/v1/consultations", Consultation(TenHomes()), Cancel);

        await oneHome.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "addresses");
        await nineHomes.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "addresses");
        await oneOutside.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "addresses[7].buurtCode");
        Assert.Equal(HttpStatusCode.Created, ten.StatusCode);
    }

    [Fact]
    public async Task A_small_group_cannot_be_worked_out_from_the_bounds_of_the_shown_counts()
    {
        var (buurtCode, trajectoryId) = await NewBuurtAsync();
        // Six residents: one prefers Turkish, five Dutch.
        await ResidentAsync(buurtCode, Languages.Turkish, "25-44", Tenures.Tenant);
        for (var i = 0; i < 5; i++)
        {
            await ResidentAsync(buurtCode, Languages.Dutch, "25-44", Tenures.Tenant);
        }

        await Eventually.MatchesAsync(ConcernedInBuurtAsync(buurtCode), count => count == 6, "all six residents to be known to the consultations service");
        var report = await ReachAsync(await ConsultationAsync(trajectoryId, buurtCode));

        var languages = report.GetProperty("groups").EnumerateArray().Where(group => group.GetProperty("dimension").GetString() == "language").ToList();
        Assert.Equal(["< 5", "hidden"], languages.Select(group => group.GetProperty("residents").GetProperty("display").GetString()).Order(StringComparer.Ordinal));
        // "< 5" is 1 to 4 and "hidden" 5 or more: with a total of 6 shown, only 1 + 5 would add up. So the total goes too.
        Assert.Equal((JsonValueKind.Null, "hidden"), (report.GetProperty("residents").GetProperty("count").ValueKind,
            report.GetProperty("residents").GetProperty("display").GetString()));
        Assert.DoesNotContain(SmallCounts(report), count => count is > 0 and < 5);
    }

    [Fact]
    public async Task One_resident_more_does_not_show_in_the_reach_report()
    {
        var (buurtCode, trajectoryId) = await NewBuurtAsync();
        // Eleven residents: eight prefer Dutch, three Polish.
        for (var i = 0; i < 8; i++)
        {
            await ResidentAsync(buurtCode, Languages.Dutch, "45-64", Tenures.Tenant);
        }

        for (var i = 0; i < 3; i++)
        {
            await ResidentAsync(buurtCode, Languages.Polish, "45-64", Tenures.Tenant);
        }

        await Eventually.MatchesAsync(ConcernedInBuurtAsync(buurtCode), count => count == 11, "all eleven residents to be known to the consultations service");
        var consultationId = await ConsultationAsync(trajectoryId, buurtCode);
        var before = await ReachAsync(consultationId);

        // A Polish-speaking resident registers: 11 to 12 residents, 3 to 4 of them Polish-speaking.
        await ResidentAsync(buurtCode, Languages.Polish, "45-64", Tenures.Tenant);
        await Eventually.MatchesAsync(ConcernedInBuurtAsync(buurtCode), count => count == 12, "the twelfth resident to be known to the consultations service");
        var after = await ReachAsync(consultationId);

        // Both are published as 10 (the nearest multiple of 5): nothing in the report tells that someone joined.
        Assert.Equal(10, before.GetProperty("residents").GetProperty("count").GetInt32());
        Assert.Equal(before.GetRawText(), after.GetRawText());
    }

    [Fact]
    public async Task An_outsider_gets_no_reach_report()
    {
        var buurtCode = $"BU{Random.Shared.Next(10_000_000, 99_999_999)}";
        var trajectoryId = await containers.TokenServer.CreateTrajectoryAsync(_partner, buurtCode);
        var consultation = await (await _client.PostAsJsonAsync("/v1/consultations", new
        {
            trajectoryId, title = "Groen", description = "Meer groen?", buurtCode, closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20)),
        }, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var outsider = await containers.TokenServer.RegisterPartnerAsync("municipality");
        using var outsiderClient = outsider.Authorize(service.CreateClient());

        var response = await outsiderClient.GetAsync($"/v1/consultations/{consultation.GetProperty("id").GetGuid()}/reach", Cancel);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<(string BuurtCode, Guid TrajectoryId)> NewBuurtAsync()
    {
        var buurtCode = $"BU{Random.Shared.Next(10_000_000, 99_999_999)}";
        return (buurtCode, await containers.TokenServer.CreateTrajectoryAsync(_partner, buurtCode));
    }

    private async Task<Guid> ConsultationAsync(Guid trajectoryId, string buurtCode)
    {
        var created = await _client.PostAsJsonAsync("/v1/consultations", new
        {
            trajectoryId, title = "Speelplek", description = "Waar komt de speelplek?", buurtCode, closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20)),
        }, Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
    }

    private Task<JsonElement> ReachAsync(Guid consultationId) =>
        _client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{consultationId}/reach", Cancel);

    /// <summary>Ten homes in a row, in the consultation's own buurt (none is named).</summary>
    private static Home[] TenHomes() => [.. Enumerable.Range(1, 10).Select(i => new Home("1021 AB", 2 * i + 1))];

    private sealed record Home(string Postcode, int HouseNumber, string? BuurtCode = null);

    /// <summary>Every number under a "count" property, anywhere in the document.</summary>
    private static IEnumerable<int> SmallCounts(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(property =>
            property.Name == "count" && property.Value.ValueKind == JsonValueKind.Number ? [property.Value.GetInt32()] : SmallCounts(property.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(SmallCounts),
        _ => [],
    };

    private async Task<Guid> ResidentAsync(string buurtCode, string language, string ageBand, string tenure)
    {
        var resident = new ResidentRegistered(Guid.NewGuid(), buurtCode, language, Channels.Letter, DateTimeOffset.UtcNow, ageBand, tenure);
        await service.Services.GetRequiredService<IBus>().Publish(resident, Cancel);
        return resident.ResidentId;
    }

    private Func<Task<int>> ConcernedInBuurtAsync(string buurtCode) => async () =>
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM residents_concerned WHERE buurt_code = @BuurtCode", new { BuurtCode = buurtCode });
    };
}
