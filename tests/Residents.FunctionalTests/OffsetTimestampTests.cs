using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.Testing;

namespace Participatie.Residents.FunctionalTests;

/// <summary>
/// Issue 13 (a finding of the fuzz drill): a moment a client sends with its offset ("+01:00") is stored as the same
/// instant. Before, Dapper's built-in type map kept the platform's DateTimeOffset handler from writing it as UTC, and
/// Npgsql refused the offset: a 500.
/// </summary>
public sealed class OffsetTimestampTests(ResidentsService service, PlatformContainers containers)
    : IClassFixture<ResidentsService>, IAsyncLifetime
{
    private HttpClient _client = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var partner = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        _client = partner.Authorize(service.CreateClient());
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_move_dated_with_an_offset_is_stored_as_the_same_instant()
    {
        var buurt = TestData.NewBuurtCode();
        var registered = await _client.PostAsJsonAsync("/v1/residents", new
        {
            fullName = "Bewoner Verhuist",
            postcode = "3011 AA",
            houseNumber = 1,
            buurtCode = buurt,
            email = $"verhuist.{buurt.ToLowerInvariant()}@example.org",
            preferredLanguage = "nl",
            preferredChannel = "email",
        }, Cancel);
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync(Cancel));
        var id = (await registered.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();

        using var move = new StringContent(
            $$"""{"postcode":"3011 AA","houseNumber":2,"buurtCode":"{{buurt}}","movedAt":"2027-03-03T09:30:00+01:00"}""",
            System.Text.Encoding.UTF8,
            "application/json");
        var moved = await _client.PostAsync($"/v1/residents/{id}/moves", move, Cancel);

        Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync(Cancel));
        await using var database = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var livedFrom = await database.ExecuteScalarAsync<DateTime>(
            "SELECT lived_from FROM resident_addresses WHERE resident_id = @Id AND lived_until IS NULL", new { Id = id });
        Assert.Equal(new DateTime(2027, 3, 3, 8, 30, 0, DateTimeKind.Utc), livedFrom.ToUniversalTime());
    }
}
