using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Participatie.Client;
using Participatie.Client.PartnerCoordination;
using Participatie.Testing;

[assembly: AssemblyFixture(typeof(Participatie.EndToEndTests.PlatformFixture))]

namespace Participatie.EndToEndTests;

/// <summary>
/// The whole platform, started once from the AppHost for every end-to-end test: PostgreSQL and RabbitMQ
/// containers, the four services and the gateway, without demo data and without the dashboard.
/// </summary>
/// <summary>A partner with a system client, and a gateway client carrying that client's token.</summary>
public sealed record RegisteredPartner(Guid PartnerId, string ClientId, HttpClient Client);

/// <summary>A partner's system as a .NET integrator builds it: its credentials and the typed client acting with them.</summary>
public sealed record PartnerSystem(Guid PartnerId, ClientCredentials Credentials, ParticipatieClient Api) : IDisposable
{
    public void Dispose() => Api.Dispose();
}

public sealed class PlatformFixture : IAsyncLifetime
{
    private const string OperatorSecret = "end-to-end-operator-secret";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private DistributedApplication? _app;

    public static readonly string[] Services = ["partner-coordination", "residents", "consultations", "notifications"];

    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Participatie_AppHost>(
            [
                "DcpPublisher:RandomizePorts=true", $"Parameters:platform-operator-secret={OperatorSecret}", "QuietHours=false",
                // Each service's own database role and broker user, with passwords the least-privilege tests know.
                .. Services.SelectMany(service => new[]
                {
                    $"Parameters:{service}-db-password={DatabasePassword(service)}",
                    $"Parameters:{service}-broker-password={BrokerPassword(service)}",
                }),
            ],
            (options, _) => options.DisableDashboard = true,
            timeout.Token);
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        // Health checks fail loudly while containers stop at the end of the run; that is not news.
        builder.Services.AddLogging(logging => logging
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("System.Net.Http.HttpClient", LogLevel.Warning)
            .AddFilter("Polly", LogLevel.Warning));

        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
        // The web clients and the mail and SMS stand-ins start only after the services (the AppHost keeps them off the
        // cold start's path).
        foreach (var resource in Services.Concat(["gateway", "resident-portal", "partner-console", "mail", "sms-stand-in"]))
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }
    }

    /// <summary>The password of a service's own database role (<c>{database}_service</c>), as this fixture sets it.</summary>
    public static string DatabasePassword(string service) => $"end-to-end-{service}-db-password";

    /// <summary>The password of a service's own broker user (<c>{service}-service</c>), as this fixture sets it.</summary>
    public static string BrokerPassword(string service) => $"end-to-end-{service}-broker-password";

    /// <summary>A resource's connection string as the AppHost gives it (for a database: the owner's).</summary>
    public async Task<string> ConnectionStringAsync(string resource) =>
        await _app!.GetConnectionStringAsync(resource, TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException($"No connection string for {resource}.");

    /// <summary>
    /// The environment the orchestrator started a running resource's process with, read from the process itself
    /// (/proc), and the final state of a resource that has ended (a migration job).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ProcessEnvironmentAsync(string resource)
    {
        var environ = await ProcessFileAsync(resource, "environ");
        return environ.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Last()[1], StringComparer.Ordinal);
    }

    /// <summary>A file of the running resource's process under <c>/proc/{pid}/</c>, such as its memory <c>maps</c>.</summary>
    public async Task<string> ProcessFileAsync(string resource, string file)
    {
        // A resource that does not exist (or never runs) fails the test in two minutes instead of hanging it.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        var running = await _app!.ResourceNotifications.WaitForResourceAsync(
            resource, e => e.Snapshot.Properties.Any(p => p.Name == "executable.pid" && p.Value is not null), timeout.Token);
        var pid = Convert.ToInt32(running.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value, System.Globalization.CultureInfo.InvariantCulture);
        return await File.ReadAllTextAsync($"/proc/{pid}/{file}", TestContext.Current.CancellationToken);
    }

    public async Task<(string State, int? ExitCode)> EndedResourceAsync(string resource)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        var ended = await _app!.ResourceNotifications.WaitForResourceAsync(
            resource, e => e.Snapshot.State?.Text is "Finished" or "Exited" or "FailedToStart", timeout.Token);
        return (ended.Snapshot.State!.Text, ended.Snapshot.ExitCode);
    }

    /// <summary>An endpoint of a resource, such as the broker's management API.</summary>
    public Uri Endpoint(string resource, string endpoint) => _app!.GetEndpoint(resource, endpoint);

    /// <summary>The mails the platform sent, as the AppHost's mail server (smtp4dev) holds them.</summary>
    public MailReader Mail() => new(_app!.CreateHttpClient("mail", "http"));

    /// <summary>The gateway's address for a browser: the web clients are served behind it (the resident portal at /).</summary>
    public string GatewayUrl => _app!.GetEndpoint("gateway", "http").ToString().TrimEnd('/');

    /// <summary>A client of the gateway with no token.</summary>
    public HttpClient Anonymous() => _app!.CreateHttpClient("gateway");

    /// <summary>A client of the gateway carrying a token obtained with these credentials from /connect/token.</summary>
    public async Task<HttpClient> AuthenticatedAsync(string clientId, string clientSecret)
    {
        var client = Anonymous();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        });
        using var response = await client.PostAsync("/connect/token", form, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"Token request failed: {body}");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString());
        return client;
    }

    public Task<HttpClient> PlatformOperatorAsync() => AuthenticatedAsync("platform-operator", OperatorSecret);

    /// <summary>The operator registers a partner and a system client for it; returns the partner's id and its client.</summary>
    public async Task<(Guid PartnerId, HttpClient Client)> RegisterPartnerAsync(string name, string kind, string registryNumber)
    {
        var partner = await RegisterPartnerWithClientAsync(name, kind, registryNumber);
        return (partner.PartnerId, partner.Client);
    }

    /// <summary>A registry number no other test uses: a 20-digit OIN for a municipality, an 8-digit KvK number otherwise.</summary>
    public static string NewRegistryNumber(string kind) => TestData.NewRegistryNumber(kind);

    /// <summary>
    /// Waits until the consultations service lets the client into the trajectory (it may hear of a new trajectory or
    /// member a moment after partner coordination, by an event).
    /// </summary>
    public static Task WaitForConsultationsAccessAsync(HttpClient client, Guid trajectoryId) =>
        Eventually.MatchesAsync(
            async () =>
            {
                using var response = await client.GetAsync($"/v1/consultations/trajectories/{trajectoryId}/settings", TestContext.Current.CancellationToken);
                return response.StatusCode;
            },
            status => status == System.Net.HttpStatusCode.OK,
            $"the consultations service to let the partner into trajectory {trajectoryId}",
            TimeSpan.FromSeconds(60));

    /// <summary>
    /// Waits until the consultations service has heard of the residents (ResidentRegistered reaches it by an event a
    /// moment after the registration): before that it refuses their reactions, answers and registrations with 422.
    /// </summary>
    public async Task WaitUntilConsultationsKnowAsync(params Guid[] residentIds)
    {
        var connectionString = await ConnectionStringAsync("consultationsdb");
        await Eventually.MatchesAsync(
            async () =>
            {
                await using var connection = new Npgsql.NpgsqlConnection(connectionString);
                await connection.OpenAsync(TestContext.Current.CancellationToken);
                await using var known = new Npgsql.NpgsqlCommand("SELECT count(*) FROM residents_concerned WHERE resident_id = ANY(@Ids)", connection);
                known.Parameters.AddWithValue("Ids", residentIds);
                return (long)(await known.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
            },
            count => count == residentIds.Length,
            "the consultations service to know the registered residents",
            TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// Waits until the residents service goes by the partner's areas as granted last: counting residents in
    /// <paramref name="buurtCode"/> answers <paramref name="expected"/> (200 inside them, 403 outside). The grant
    /// reaches it by an event a moment after partner coordination took it.
    /// </summary>
    public static Task WaitForResidentsAreasAsync(HttpClient partner, string buurtCode, System.Net.HttpStatusCode expected) =>
        Eventually.MatchesAsync(
            async () =>
            {
                using var response = await partner.GetAsync($"/v1/residents/aggregates?buurtCode={buurtCode}", TestContext.Current.CancellationToken);
                return response.StatusCode;
            },
            status => status == expected,
            $"the residents service to answer {(int)expected} for counting in {buurtCode}",
            TimeSpan.FromSeconds(60));

    public async Task<RegisteredPartner> RegisterPartnerWithClientAsync(string name, string kind, string? registryNumber = null)
    {
        var cancel = TestContext.Current.CancellationToken;
        using var platform = await PlatformOperatorAsync();
        using var partnerResponse = await platform.PostAsJsonAsync(
            "/v1/partners", new { name, kind, registryNumber = registryNumber ?? NewRegistryNumber(kind) }, cancel);
        Assert.True(partnerResponse.IsSuccessStatusCode, await partnerResponse.Content.ReadAsStringAsync(cancel));
        var partnerId = (await partnerResponse.Content.ReadFromJsonAsync<JsonElement>(cancel)).GetProperty("id").GetGuid();
        // A partner starts trajectories only in the areas the operator granted it: the gemeenten of every test buurt.
        using var areasResponse = await platform.PutAsJsonAsync($"/v1/partners/{partnerId}/areas", new { areaCodes = TestData.TestGemeenten }, cancel);
        Assert.True(areasResponse.IsSuccessStatusCode, await areasResponse.Content.ReadAsStringAsync(cancel));

        using var clientResponse = await platform.PostAsJsonAsync(
            $"/v1/partners/{partnerId}/clients", new { displayName = $"{name} system", kind = "system" }, cancel);
        Assert.True(clientResponse.IsSuccessStatusCode, await clientResponse.Content.ReadAsStringAsync(cancel));
        var client = await clientResponse.Content.ReadFromJsonAsync<JsonElement>(cancel);
        var clientId = client.GetProperty("clientId").GetString()!;
        var partner = new RegisteredPartner(partnerId, clientId, await AuthenticatedAsync(clientId, client.GetProperty("clientSecret").GetString()!));
        await WaitForResidentsAreasAsync(partner.Client, TestData.NewBuurtCode(), System.Net.HttpStatusCode.OK);
        return partner;
    }

    /// <summary>The gateway's address, as a partner's system is configured with it.</summary>
    public Uri GatewayAddress => _app!.GetEndpoint("gateway", "http");

    /// <summary>The typed .NET client (clients/dotnet/Participatie.Client) acting as the client with these credentials.</summary>
    public ParticipatieClient TypedClient(ClientCredentials credentials) => ParticipatieClient.Create(GatewayAddress, credentials);

    /// <summary>
    /// The operator registers a partner, grants it the test gemeenten and registers a system client for it, all through
    /// the typed client; the partner's system then works with its own credentials.
    /// </summary>
    public async Task<PartnerSystem> RegisterPartnerSystemAsync(string name, RegisterPartnerRequestKind kind, string registryNumber)
    {
        var cancel = TestContext.Current.CancellationToken;
        using var platform = TypedClient(new ClientCredentials("platform-operator", OperatorSecret));
        var partner = await platform.PartnerCoordination.RegisterPartnerAsync(
            new RegisterPartnerRequest { Name = name, Kind = kind, RegistryNumber = registryNumber }, cancel);
        await platform.PartnerCoordination.GrantPartnerAreasAsync(partner.Id, new GrantAreasRequest { AreaCodes = [.. TestData.TestGemeenten] }, cancel);
        var client = await platform.PartnerCoordination.RegisterClientAsync(
            partner.Id, new RegisterClientRequest { DisplayName = $"{name} system", Kind = RegisterClientRequestKind.System }, cancel);
        Assert.NotNull(client.ClientSecret);
        var credentials = new ClientCredentials(client.ClientId, client.ClientSecret);
        // The residents service hears of the grant by an event: registering residents waits for it.
        using (var http = await AuthenticatedAsync(client.ClientId, client.ClientSecret))
        {
            await WaitForResidentsAreasAsync(http, TestData.NewBuurtCode(), System.Net.HttpStatusCode.OK);
        }

        return new PartnerSystem(partner.Id, credentials, TypedClient(credentials));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
