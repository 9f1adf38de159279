using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Participatie.Testing;
using Testcontainers.PostgreSql;

namespace Participatie.Residents.FunctionalTests;

/// <summary>
/// PostgreSQL stopped under a running service: requests meanwhile get 503 problem+json with Retry-After (never 500),
/// readiness says Unhealthy, and once the database is back the service answers again without a restart and still
/// holds what it acknowledged before. The test owns its PostgreSQL server (it stops it) on a fixed host port, so that
/// the service's connection string stays right across the restart.
/// </summary>
public sealed class DatabaseOutageTests(PlatformContainers containers) : IAsyncLifetime
{
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(30);

    private readonly PostgreSqlContainer _database = PlatformContainers.CreatePostgres(fixedHostPort: true);
    private ServiceFactory<EntryPoint> _service = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _database.StartAsync(Cancel);
        var broker = await BrokerVirtualHosts.CreateAsync(containers.RabbitMq, "residents-database-outage");
        _service = new ServiceFactory<EntryPoint>("residentsdb", _database.GetConnectionString(), broker, containers.TokenServer);
    }

    public async ValueTask DisposeAsync()
    {
        await _service.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task While_the_database_is_down_requests_get_503_with_Retry_After_and_afterwards_it_answers_again_with_nothing_lost()
    {
        var partner = await containers.TokenServer.RegisterPartnerAsync();
        using var client = partner.Authorize(_service.CreateClient());
        await _service.WaitUntilHealthyAsync(client);
        var accepted = await client.PostAsJsonAsync("/v1/residents", ResidentsApiTests.NewResident("BU91639998"), Cancel);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var residentId = (await accepted.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetString()!;

        await _database.StopAsync(Cancel);

        // A write, a read, and a read whose access check (run before the handler) is the first to need the database.
        await AssertUnavailableAsync(await client.PostAsJsonAsync("/v1/residents", ResidentsApiTests.NewResident("BU91639998"), Cancel));
        await AssertUnavailableAsync(await client.GetAsync(new Uri($"/v1/residents/{residentId}", UriKind.Relative), Cancel));
        await AssertUnavailableAsync(await client.GetAsync(new Uri($"/v1/residents/{Guid.NewGuid()}", UriKind.Relative), Cancel));
        var readiness = await client.GetAsync(new Uri("/health", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        Assert.Contains("Unhealthy", await readiness.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        // Liveness is about the process, not its database: an orchestrator must not restart a service for this.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/alive", UriKind.Relative), Cancel)).StatusCode);

        await _database.StartAsync(Cancel);
        var back = Stopwatch.StartNew();
        var statuses = new List<HttpStatusCode>();
        var readBack = await Eventually.MatchesAsync(
            async () =>
            {
                var response = await client.GetAsync(new Uri($"/v1/residents/{residentId}", UriKind.Relative), Cancel);
                statuses.Add(response.StatusCode);
                return response;
            },
            response => response.StatusCode == HttpStatusCode.OK,
            "the service to answer again after its database came back",
            RecoveryLimit);
        Assert.True(back.Elapsed < RecoveryLimit, $"Back after {back.Elapsed}");
        Assert.All(statuses, status => Assert.True(
            status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"While recovering the service answered {(int)status}"));
        var resident = await readBack.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("Anna de Vries", resident.GetProperty("fullName").GetString());

        var afterwards = await client.PostAsJsonAsync("/v1/residents", ResidentsApiTests.NewResident("BU91639998"), Cancel);
        Assert.Equal(HttpStatusCode.Created, afterwards.StatusCode);
        await _service.WaitUntilHealthyAsync(client);
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.True(response.Headers.RetryAfter?.Delta is { } delay && delay > TimeSpan.Zero, "Retry-After tells when to come back");
        Assert.Contains("database", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
