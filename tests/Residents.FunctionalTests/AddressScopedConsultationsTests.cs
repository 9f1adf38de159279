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
/// The residents service names the residents at the addresses a consultation is meant for, by pseudonymous id only,
/// and names anyone who registers at such an address later.
/// </summary>
public sealed class AddressScopedConsultationsTests(ResidentsService service, PlatformContainers containers)
    : IClassFixture<ResidentsService>, IAsyncLifetime
{
    private HttpClient _client = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _client = (await containers.TokenServer.RegisterPartnerAsync("housing-corporation")).Authorize(service.CreateClient());

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_residents_at_the_addresses_are_named_by_pseudonymous_id_now_and_later()
    {
        var postcode = $"{Random.Shared.Next(1000, 9999)} XY";
        var atNine = await RegisterAsync(postcode, 9, null);
        var atElevenA = await RegisterAsync(postcode, 11, "a");
        await RegisterAsync(postcode, 13, null);
        var consultationId = Guid.NewGuid();
        var keys = new[] { AddressKeys.Key(postcode, 9, null)!, AddressKeys.Key(postcode, 11, "A")! };

        await service.Services.GetRequiredService<IBus>().Publish(
            new ConsultationOpened(consultationId, Guid.NewGuid(), Guid.NewGuid(), "Blok 3", "BU91630001", new DateOnly(2030, 1, 1), DateTimeOffset.UtcNow, keys),
            Cancel);

        var resolved = await Eventually.MatchesAsync(() => AudiencesAsync(consultationId), list => list.Count >= 1, "the audience to be resolved");
        Assert.Equal(new[] { atNine, atElevenA }.Order(), Assert.Single(resolved).Order());

        // Someone who registers at one of the addresses later is named as well; someone next door is not.
        var newcomer = await RegisterAsync(postcode, 9, null);
        await RegisterAsync(postcode, 15, null);
        var later = await Eventually.MatchesAsync(() => AudiencesAsync(consultationId), list => list.Count >= 2, "the newcomer to be named");
        Assert.Equal([newcomer], later[1]);
    }

    private async Task<Guid> RegisterAsync(string postcode, int houseNumber, string? suffix)
    {
        var response = await _client.PostAsJsonAsync("/v1/residents", new
        {
            fullName = "Bewoner Blok Drie",
            postcode,
            houseNumber,
            houseNumberSuffix = suffix,
            buurtCode = "BU91630001",
            preferredLanguage = "nl",
            preferredChannel = "letter",
        }, Cancel);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
    }

    /// <summary>The ConsultationAudienceResolved events in the outbox for this consultation, in order; never an address in them.</summary>
    private async Task<IReadOnlyList<Guid[]>> AudiencesAsync(Guid consultationId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var payloads = await connection.QueryAsync<string>(
            """
            SELECT payload::text FROM outbox_messages
            WHERE message_type LIKE 'Participatie.Contracts.ConsultationAudienceResolved%' AND payload->>'consultationId' = @Id
            ORDER BY sequence
            """,
            new { Id = consultationId.ToString() });
        return [.. payloads.Select(payload =>
        {
            Assert.DoesNotContain("XY", payload, StringComparison.Ordinal);
            return JsonDocument.Parse(payload).RootElement.GetProperty("residentIds").EnumerateArray().Select(id => id.GetGuid()).ToArray();
        })];
    }
}
