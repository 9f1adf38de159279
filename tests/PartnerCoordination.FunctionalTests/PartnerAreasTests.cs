using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>Issue 11, part 3: the operator grants each partner its gemeenten and buurten; trajectories stay inside them.</summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class PartnerAreasTests(PartnerCoordinationService service) : IAsyncLifetime
{
    private readonly HttpClient _operator = service.CreateClient();
    private TestPartner _partner = null!;
    private HttpClient _asPartner = null!;

    public async ValueTask InitializeAsync()
    {
        TokenServer.Authorized(_operator, await service.Tokens.GetOperatorTokenAsync());
        _partner = await service.Tokens.RegisterPartnerAsync();
        _asPartner = service.CreateClient(_partner.AccessToken);
    }

    public ValueTask DisposeAsync()
    {
        _operator.Dispose();
        _asPartner.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task<HttpResponseMessage> GrantAsync(HttpClient caller, Guid partnerId, params string[] areaCodes) =>
        caller.PutAsJsonAsync($"/v1/partners/{partnerId}/areas", new { areaCodes }, Cancel);

    private Task<HttpResponseMessage> StartTrajectoryAsync(params string[] buurtCodes) =>
        _asPartner.PostAsJsonAsync("/v1/trajectories", new { name = NewName("Renovatie"), buurtCodes }, Cancel);

    [Fact]
    public async Task The_operator_grants_areas_the_partner_reads_them_and_nobody_else_sets_them()
    {
        (await GrantAsync(_operator, _partner.PartnerId, "GM0599", "BU03630107", "GM0599")).EnsureSuccessStatusCode();

        var areas = await _asPartner.GetFromJsonAsync<JsonElement>($"/v1/partners/{_partner.PartnerId}/areas", Cancel);
        Assert.Equal(["BU03630107", "GM0599"], areas.GetProperty("areaCodes").EnumerateArray().Select(code => code.GetString()));

        // A partner cannot widen its own area, and another partner neither reads nor sets it.
        await (await GrantAsync(_asPartner, _partner.PartnerId, "GM0363")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var other = await service.Tokens.RegisterPartnerAsync();
        using var asOther = service.CreateClient(other.AccessToken);
        await (await asOther.GetAsync($"/v1/partners/{_partner.PartnerId}/areas", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await GrantAsync(_operator, _partner.PartnerId, "GM363")).AssertProblemAsync(HttpStatusCode.BadRequest, "areaCodes");
        await (await GrantAsync(_operator, Guid.NewGuid(), "GM0363")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Each_grant_is_announced_with_the_whole_set_and_audited_as_the_operators()
    {
        (await GrantAsync(_operator, _partner.PartnerId, "GM0599", "BU03630107")).EnsureSuccessStatusCode();
        (await GrantAsync(_operator, _partner.PartnerId)).EnsureSuccessStatusCode();

        await using var connection = await service.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(Cancel);
        var announced = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT payload::text FROM outbox_messages WHERE message_type LIKE 'Participatie.Contracts.PartnerAreasChanged,%' AND payload->>'partnerId' = @Id ORDER BY sequence",
            new { Id = _partner.PartnerId.ToString() }, cancellationToken: Cancel)))
            .Select(payload => string.Join(' ', JsonDocument.Parse(payload).RootElement.GetProperty("areaCodes").EnumerateArray().Select(code => code.GetString())))
            .ToList();
        // The fixture's grant of the test gemeenten first, then the two grants of this test, each the whole set.
        Assert.Equal([string.Join(' ', TestData.TestGemeenten), "BU03630107 GM0599", ""], announced);

        var audit = await (await _asPartner.GetAsync($"/v1/partners/{_partner.PartnerId}/credential-audit", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var grants = audit.GetProperty("items").EnumerateArray()
            .Where(entry => entry.GetProperty("action").GetString() == "areas-granted")
            .Select(entry => (
                Subject: entry.GetProperty("subjectId").GetString(),
                Kind: entry.GetProperty("subjectKind").GetString(),
                Client: entry.GetProperty("actorClientId").GetString(),
                Operator: entry.GetProperty("actedAsOperator").GetBoolean()))
            .Reverse().ToList();
        Assert.Equal(
            [
                (string.Join(' ', TestData.TestGemeenten), "areas", "platform-operator", true),
                ("BU03630107 GM0599", "areas", "platform-operator", true),
                ("none", "areas", "platform-operator", true),
            ],
            grants);
    }

    [Fact]
    public async Task A_trajectory_starts_only_in_buurten_inside_the_leads_gemeenten_or_granted_buurten()
    {
        (await GrantAsync(_operator, _partner.PartnerId, "GM0599", "BU03630107")).EnsureSuccessStatusCode();

        (await StartTrajectoryAsync("BU05990001", "BU05991234", "BU03630107")).EnsureSuccessStatusCode();
        await (await StartTrajectoryAsync("BU05990001", "BU03630108")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "buurtCodes");

        // Taking every area away stops new trajectories everywhere.
        (await GrantAsync(_operator, _partner.PartnerId)).EnsureSuccessStatusCode();
        await (await StartTrajectoryAsync("BU05990001")).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "buurtCodes");
    }

    [Fact]
    public async Task A_buurt_added_later_lies_inside_the_leads_areas_too_and_within_the_cap()
    {
        (await GrantAsync(_operator, _partner.PartnerId, "GM0599")).EnsureSuccessStatusCode();
        var started = await StartTrajectoryAsync("BU05990001");
        var trajectoryId = (await started.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Task<HttpResponseMessage> AddAsync(params string[] buurtCodes) =>
            _asPartner.PostAsJsonAsync($"/v1/trajectories/{trajectoryId}/buurten", new { buurtCodes }, Cancel);

        var added = await (await AddAsync("BU05990002", "BU05990001")).ReadJsonAsync(HttpStatusCode.OK);
        var outside = await AddAsync("BU03630108");
        var tooMany = await AddAsync([.. Enumerable.Range(3, 49).Select(n => string.Create(CultureInfo.InvariantCulture, $"BU0599{n:D4}"))]);

        Assert.Equal(["BU05990001", "BU05990002"], added.GetProperty("buurtCodes").EnumerateArray().Select(code => code.GetString()));
        await outside.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "buurtCodes");
        await tooMany.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "buurtCodes");
        (await AddAsync([.. Enumerable.Range(3, 48).Select(n => string.Create(CultureInfo.InvariantCulture, $"BU0599{n:D4}"))])).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_partner_that_was_granted_no_area_starts_no_trajectory()
    {
        var newcomer = await service.Tokens.RegisterPartnerAsync();
        (await GrantAsync(_operator, newcomer.PartnerId)).EnsureSuccessStatusCode();
        using var asNewcomer = service.CreateClient(newcomer.AccessToken);

        var refused = await asNewcomer.PostAsJsonAsync("/v1/trajectories", new { name = "Overal", buurtCodes = new[] { TestData.NewBuurtCode() } }, Cancel);

        await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "buurtCodes");
    }

    [Fact]
    public async Task A_trajectory_spans_at_most_50_buurten()
    {
        (await GrantAsync(_operator, _partner.PartnerId, "GM0599")).EnsureSuccessStatusCode();
        string[] Buurten(int count) => [.. Enumerable.Range(1, count).Select(n => string.Create(CultureInfo.InvariantCulture, $"BU0599{n:D4}"))];

        (await StartTrajectoryAsync(Buurten(50))).EnsureSuccessStatusCode();
        var tooMany = await StartTrajectoryAsync(Buurten(51));

        var problem = await tooMany.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "buurtCodes");
        Assert.Contains("50", problem.GetProperty("errors").GetProperty("buurtCodes")[0].GetString(), StringComparison.Ordinal);
    }
}
