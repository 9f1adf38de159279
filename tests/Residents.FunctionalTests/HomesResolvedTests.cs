using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.Contracts;
using Participatie.Testing;

namespace Participatie.Residents.FunctionalTests;

/// <summary>A support measurement's homes are answered with their residents, now and whenever they change while it runs.</summary>
public sealed class HomesResolvedTests(ResidentsService service, PlatformContainers containers)
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
    public async Task The_residents_of_each_home_are_named_when_it_opens_and_again_when_someone_registers_or_moves_in()
    {
        var postcode = TestData.NewPostcode();
        var atOne = await RegistryTests.RegisterAsync(_client, new TestAddress(postcode, 1), email: "een@example.org");
        var alsoAtOne = await RegistryTests.RegisterAsync(_client, new TestAddress(postcode, 1), email: "twee@example.org");
        var elsewhere = await RegistryTests.RegisterAsync(_client, TestData.NewAddress(8));
        var homeOne = AddressKeys.Key(postcode, 1, null)!;
        var homeTwo = AddressKeys.Key(postcode, 2, null)!;
        var measurementId = Guid.NewGuid();

        await service.Services.GetRequiredService<IBus>().Publish(
            new SupportMeasurementOpened(measurementId, Guid.NewGuid(), [homeOne, homeTwo], DateTimeOffset.UtcNow.AddDays(30)), Cancel);

        var answers = await Eventually.MatchesAsync(() => AnswersAsync(measurementId), list => list.Count >= 1, "the homes to be resolved");
        var first = Assert.Single(answers);
        Assert.Equal(new[] { atOne, alsoAtOne }.Order(), first[homeOne].Order());
        Assert.Empty(first[homeTwo]);

        // A newcomer at home two, and a resident moving into it: each time home two's residents as they are then.
        var newcomer = await RegistryTests.RegisterAsync(_client, new TestAddress(postcode, 2), email: "drie@example.org");
        var afterRegistration = await Eventually.MatchesAsync(() => AnswersAsync(measurementId), list => list.Count >= 2, "the newcomer to be named");
        Assert.Equal([newcomer], afterRegistration[1][homeTwo]);
        Assert.False(afterRegistration[1].ContainsKey(homeOne));

        await _client.PostAsJsonAsync($"/v1/residents/{elsewhere}/moves", new { postcode, houseNumber = 2, buurtCode = "BU91630001" }, Cancel);
        var afterMove = await Eventually.MatchesAsync(() => AnswersAsync(measurementId), list => list.Count >= 3, "the resident who moved in to be named");
        Assert.Equal(new[] { newcomer, elsewhere }.Order(), afterMove[2][homeTwo].Order());
    }

    /// <summary>The SupportMeasurementHomesResolved events for the measurement, in order; never an address or name with an id.</summary>
    private async Task<IReadOnlyList<Dictionary<string, Guid[]>>> AnswersAsync(Guid measurementId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var payloads = await connection.QueryAsync<string>(
            """
            SELECT payload::text FROM outbox_messages
            WHERE message_type LIKE 'Participatie.Contracts.SupportMeasurementHomesResolved%' AND payload->>'measurementId' = @Id
            ORDER BY sequence
            """,
            new { Id = measurementId.ToString() });
        return [.. payloads.Select(payload =>
        {
            Assert.DoesNotContain("Anna", payload, StringComparison.Ordinal);
            return JsonDocument.Parse(payload).RootElement.GetProperty("homes").EnumerateArray().ToDictionary(
                home => home.GetProperty("homeKey").GetString()!,
                home => home.GetProperty("residentIds").EnumerateArray().Select(id => id.GetGuid()).ToArray());
        })];
    }
}
