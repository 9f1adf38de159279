using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>A resident a test made known to the service (as ResidentRegistered would), with a client holding their own token.</summary>
internal sealed record TestResident(Guid Id, string BuurtCode, string Language, HttpClient Client) : IDisposable
{
    public void Dispose() => Client.Dispose();
}

/// <summary>What the tests of residents' own routes do again and again.</summary>
internal static class MyRequests
{
    /// <summary>
    /// Makes a resident known as the residents service would (ResidentRegistered over the broker), waits until the
    /// projection has them, and gives a client with their resident token from the real token server's key.
    /// </summary>
    public static async Task<TestResident> ResidentAsync(
        this ConsultationsService service, PlatformContainers containers, string buurtCode, string language = Languages.Dutch, Guid? registeredBy = null)
    {
        var registered = new ResidentRegistered(
            Guid.NewGuid(), buurtCode, language, Channels.App, DateTimeOffset.UtcNow, "25-44", Tenures.Tenant, RegisteredByPartnerId: registeredBy);
        await service.Services.GetRequiredService<IBus>().Publish(registered, Cancel);
        await Eventually.MatchesAsync(
            () => ScalarAsync<int>(containers, "SELECT count(*)::int FROM residents_concerned WHERE resident_id = @Id", new { Id = registered.ResidentId }),
            count => count == 1,
            "the resident to be known to the consultations service");
        return new TestResident(registered.ResidentId, buurtCode, language, service.ResidentClient(containers, registered.ResidentId));
    }

    /// <summary>
    /// Tells the service that the partner registered the resident (as the residents service does when a partner's
    /// registration matches a known resident), and waits until it knows: only then does the partner see the resident's id.
    /// </summary>
    public static async Task LinkResidentAsync(this ConsultationsService service, PlatformContainers containers, Guid residentId, Guid partnerId)
    {
        await service.Services.GetRequiredService<IBus>().Publish(new ResidentsLinkedToPartner([residentId], partnerId, DateTimeOffset.UtcNow), Cancel);
        await Eventually.MatchesAsync(
            () => ScalarAsync<int>(
                containers, "SELECT count(*)::int FROM resident_partners WHERE resident_id = @ResidentId AND partner_id = @PartnerId",
                new { ResidentId = residentId, PartnerId = partnerId }),
            count => count == 1,
            "the partner to be known as the resident's");
    }

    /// <summary>A client with a resident token for this id, known to the service or not.</summary>
    public static HttpClient ResidentClient(this ConsultationsService service, PlatformContainers containers, Guid residentId) =>
        TokenServer.Authorized(service.CreateClient(), containers.TokenServer.IssueResidentToken(residentId));

    public static async Task<T> ScalarAsync<T>(PlatformContainers containers, string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public static async Task ExecuteAsync(PlatformContainers containers, string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        await connection.ExecuteAsync(sql, parameters);
    }

    /// <summary>Opens a consultation with a Turkish title and description besides the Dutch ones.</summary>
    public static async Task<Guid> OpenTranslatedConsultationAsync(this HttpClient partner, TestTrajectory trajectory, object? addresses = null)
    {
        using var response = await partner.PostAsJsonAsync("/v1/consultations", new
        {
            trajectoryId = trajectory.Id,
            title = "Nieuwe speeltuin",
            titleTranslations = new Dictionary<string, string> { ["tr"] = "Yeni oyun parkı" },
            description = "Waar moet de speeltuin komen?",
            descriptionTranslations = new Dictionary<string, string> { ["tr"] = "Oyun parkı nereye yapılmalı?" },
            buurtCode = trajectory.BuurtCode,
            closesOn = DutchToday().AddDays(30),
            addresses,
        }, Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Id();
    }

    /// <summary>A list of addresses a consultation accepts: this home and nine more in the same street (at least 10 homes).</summary>
    public static object[] TenHomesWith(string postcode, int houseNumber) =>
        [new { postcode, houseNumber }, .. Enumerable.Range(1, 9).Select(i => new { postcode, houseNumber = 1000 + i })];

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static List<JsonElement> Items(this JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];
}
