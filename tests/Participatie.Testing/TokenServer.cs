using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Microsoft.Extensions.DependencyInjection;
using Participatie.Contracts;
using Participatie.PartnerCoordination;

namespace Participatie.Testing;

/// <summary>
/// The platform's real token server (the partner-coordination service with OpenIddict), on a database of its own in
/// the test assembly's PostgreSQL container. Tests register partners and clients through it and get real tokens.
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    public const string PlatformOperatorSecret = "test-operator-secret";

    /// <summary>The notifications service's own client (scope contact-details), configured as the AppHost does.</summary>
    public const string NotificationsClientId = "notifications";

    public const string NotificationsClientSecret = "test-notifications-client-secret";
    private const string DatabaseName = "token_server";

    private readonly ServiceFactory<EntryPoint> _service;
    private readonly ConcurrentDictionary<string, bool> _projections = new(StringComparer.Ordinal);

    /// <summary>Every partner's areas as last granted through this token server, with the time of the grant.</summary>
    private readonly ConcurrentDictionary<Guid, (string[] AreaCodes, DateTimeOffset GrantedAt)> _grantedAreas = new();

    /// <summary>Databases of services under test that keep a copy of the partners' areas (the residents service).</summary>
    private readonly ConcurrentDictionary<string, bool> _areaProjections = new(StringComparer.Ordinal);
    private readonly HttpClient _client;
    private readonly bool _ownsService;

    private TokenServer(ServiceFactory<EntryPoint> service, bool ownsService)
    {
        _service = service;
        _ownsService = ownsService;
        _client = service.CreateClient();
    }

    /// <summary>Starts a token server on a database of its own in the given containers.</summary>
    public static async Task<TokenServer> StartAsync(PlatformContainers containers)
    {
        await using (var admin = new NpgsqlConnection(containers.Postgres.GetConnectionString()))
        {
            if (!await admin.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @Name)", new { Name = DatabaseName }))
            {
                await admin.ExecuteAsync($"CREATE DATABASE {DatabaseName}");
            }
        }

        var connectionString = new NpgsqlConnectionStringBuilder(containers.Postgres.GetConnectionString()) { Database = DatabaseName }.ConnectionString;
        return new TokenServer(new ServiceFactory<EntryPoint>("partnersdb", connectionString, containers.RabbitMq.GetConnectionString()), ownsService: true);
    }

    /// <summary>Wraps an existing partner-coordination test host (its own functional tests).</summary>
    public static TokenServer For(ServiceFactory<EntryPoint> service) => new(service, ownsService: false);

    public HttpMessageHandler CreateHandler() => _service.Server.CreateHandler();

    /// <summary>
    /// A service under test keeps a projection of the trajectories in this database: changes made through this token
    /// server wait until they have arrived there, as a client of the real platform would wait for its first success.
    /// </summary>
    public void WatchProjection(string connectionString) => _projections.TryAdd(connectionString, true);

    /// <summary>
    /// A service under test that keeps the partners' areas (the residents service's <c>partner_areas</c>, filled by
    /// PartnerAreasChanged) gets every grant made through this token server written into its database, as its consumer
    /// writes one: the grants made before it started too, whose events no queue of it was bound to receive yet. Called
    /// once the service has started (its migrations ran); a database without such a table is left alone.
    /// </summary>
    public void ProjectAreasInto(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        if (!connection.ExecuteScalar<bool>(
                "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'partner_areas' AND column_name = 'area_codes')"))
        {
            return;
        }

        _areaProjections.TryAdd(connectionString, true);
        foreach (var (partnerId, (areaCodes, grantedAt)) in _grantedAreas)
        {
            connection.Execute(WriteAreasSql, new { PartnerId = partnerId, AreaCodes = areaCodes, ChangedAt = grantedAt });
        }
    }

    private const string WriteAreasSql = """
        INSERT INTO partner_areas (partner_id, area_codes, changed_at) VALUES (@PartnerId, @AreaCodes, @ChangedAt)
        ON CONFLICT (partner_id) DO UPDATE SET area_codes = excluded.area_codes, changed_at = excluded.changed_at
            WHERE partner_areas.changed_at < excluded.changed_at
        """;

    /// <summary>Waits until every watched projection gives the partner this role in the trajectory (null: no role).</summary>
    public async Task WaitForProjectionsAsync(Guid trajectoryId, Guid partnerId, string? role)
    {
        foreach (var connectionString in _projections.Keys)
        {
            await Eventually.MatchesAsync(
                async () =>
                {
                    await using var connection = new NpgsqlConnection(connectionString);
                    // The service may still be applying its migrations.
                    return await connection.ExecuteScalarAsync<bool>("SELECT to_regclass('trajectory_member_projection') IS NOT NULL")
                        ? await connection.ExecuteScalarAsync<string?>(
                            "SELECT role FROM trajectory_member_projection WHERE trajectory_id = @TrajectoryId AND partner_id = @PartnerId",
                            new { TrajectoryId = trajectoryId, PartnerId = partnerId })
                        : "(no projection yet)";
                },
                current => current == role,
                $"partner {partnerId} to have role '{role ?? "none"}' in trajectory {trajectoryId} in the service's projection");
        }
    }

    public Task<string> GetOperatorTokenAsync() => GetTokenAsync("platform-operator", PlatformOperatorSecret);

    /// <summary>A token of the notifications service's own client: scope contact-details, no partner.</summary>
    public Task<string> GetNotificationsTokenAsync() => GetTokenAsync(NotificationsClientId, NotificationsClientSecret);

    /// <summary>
    /// A resident token (scope resident, subject the resident id) signed with the token server's real signing key, for
    /// tests of a service's /v1/me routes that do not exercise the sign-in itself (the sign-in has its own tests).
    /// </summary>
    public string IssueResidentToken(Guid residentId, TimeSpan? lifetime = null)
    {
        var keys = _service.Services.GetRequiredService<Participatie.PartnerCoordination.Identity.TokenKeys>();
        var issuer = _service.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Identity:Issuer"]
            ?? Participatie.BuildingBlocks.Auth.AuthenticationExtensions.DefaultIssuer;
        var now = DateTime.UtcNow;
        return new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = Participatie.BuildingBlocks.Auth.ParticipatieClaims.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(15)),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = residentId.ToString(),
                ["scope"] = Participatie.BuildingBlocks.Auth.ParticipatieClaims.ResidentScope,
                ["client_id"] = "resident-portal",
            },
            TokenType = Participatie.BuildingBlocks.Auth.AuthenticationExtensions.AccessTokenType,
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                keys.CurrentSigningKey(), Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>
    /// The key that signs now, read from a token server's database and decrypted with the tests' key-encryption key:
    /// a test can sign what the platform would.
    /// </summary>
    public static async Task<Microsoft.IdentityModel.Tokens.RsaSecurityKey> ReadSigningKeyAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var (id, protectedKey) = await connection.QuerySingleAsync<(string, string)>(
            "SELECT id, protected_private_key FROM token_keys WHERE purpose = 'signing' AND signs_from <= now() ORDER BY signs_from DESC LIMIT 1");
        var privateKey = new Participatie.PartnerCoordination.Identity.TokenKeyProtector(ServiceFactory<EntryPoint>.TokenKeyEncryptionKey)
            .Unprotect(id, protectedKey);
        var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportPkcs8PrivateKey(privateKey, out _);
        return new Microsoft.IdentityModel.Tokens.RsaSecurityKey(rsa) { KeyId = id };
    }

    public async Task<string> GetTokenAsync(string clientId, string clientSecret)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        });
        using var response = await _client.PostAsync(new Uri("/connect/token", UriKind.Relative), form, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"Token request for {clientId} failed: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>Registers a partner of the given kind with a system client; returns it with a token.</summary>
    public async Task<TestPartner> RegisterPartnerAsync(string kind = "housing-corporation", string? name = null)
    {
        var cancel = TestContext.Current.CancellationToken;
        using var operatorClient = Authorized(_client.BaseAddress!, await GetOperatorTokenAsync());
        var registryNumber = kind == "municipality"
            ? string.Concat(Enumerable.Range(0, 20).Select(_ => Random.Shared.Next(10)))
            : Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var partnerResponse = await operatorClient.PostAsJsonAsync(
            "/v1/partners", new { name = name ?? $"Test {kind} {Guid.NewGuid():N}", kind, registryNumber }, cancel);
        var partner = await ReadCreatedAsync(partnerResponse);
        var partnerId = partner.GetProperty("id").GetGuid();

        using var clientResponse = await operatorClient.PostAsJsonAsync(
            $"/v1/partners/{partnerId}/clients", new { displayName = "Test system", kind = "system" }, cancel);
        var client = await ReadCreatedAsync(clientResponse);
        var clientId = client.GetProperty("clientId").GetString()!;
        var secret = client.GetProperty("clientSecret").GetString()!;
        await GrantAreasAsync(partnerId, TestData.TestGemeenten);
        return new TestPartner(partnerId, kind, clientId, secret, await GetTokenAsync(clientId, secret));
    }

    /// <summary>The operator adds these gemeenten and buurten to the partner's areas (a partner works only inside them).</summary>
    public async Task GrantAreasAsync(Guid partnerId, IEnumerable<string> areaCodes)
    {
        var adding = areaCodes.ToArray();
        if (adding.Length == 0)
        {
            return;
        }

        var cancel = TestContext.Current.CancellationToken;
        using var operatorClient = Authorized(_client.BaseAddress!, await GetOperatorTokenAsync());
        var granted = await operatorClient.GetFromJsonAsync<JsonElement>($"/v1/partners/{partnerId}/areas", cancel);
        var all = granted.GetProperty("areaCodes").EnumerateArray().Select(code => code.GetString()!).Concat(adding).Distinct().ToArray();
        using var response = await operatorClient.PutAsJsonAsync($"/v1/partners/{partnerId}/areas", new { areaCodes = all }, cancel);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(cancel));
        // Recorded before it is written, so that a service starting meanwhile gets it either way (ProjectAreasInto).
        var grantedAt = DateTimeOffset.UtcNow;
        _grantedAreas[partnerId] = (all, grantedAt);
        foreach (var connectionString in _areaProjections.Keys)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.ExecuteAsync(WriteAreasSql, new { PartnerId = partnerId, AreaCodes = all, ChangedAt = grantedAt });
            }
            catch (Exception exception) when (exception is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                // A database that its own test stopped (a drill of an outage) is no one else's: the others still get the grant.
            }
        }
    }

    /// <summary>The partner registers another system client, allowed to be used from these browser origins; returns its token.</summary>
    public async Task<string> RegisterClientWithOriginsAsync(TestPartner partner, params string[] allowedOrigins)
    {
        using var client = partner.Authorize(_service.CreateClient());
        using var response = await client.PostAsJsonAsync(
            $"/v1/partners/{partner.PartnerId}/clients",
            new { displayName = "Browser-facing system", kind = "system", allowedOrigins },
            TestContext.Current.CancellationToken);
        var created = await ReadCreatedAsync(response);
        return await GetTokenAsync(created.GetProperty("clientId").GetString()!, created.GetProperty("clientSecret").GetString()!);
    }

    /// <summary>The partner starts a trajectory (it becomes its lead) over the given buurten; returns its id.</summary>
    public async Task<Guid> CreateTrajectoryAsync(TestPartner lead, params string[] buurtCodes)
    {
        // Tests name buurten anywhere in the country: the lead is granted their gemeenten first.
        await GrantAreasAsync(lead.PartnerId, buurtCodes.Select(BuurtCodes.GemeenteOf).Except(TestData.TestGemeenten));
        using var client = lead.Authorize(_service.CreateClient());
        using var response = await client.PostAsJsonAsync(
            "/v1/trajectories", new { name = $"Trajectory {Guid.NewGuid():N}", description = "Test", buurtCodes }, TestContext.Current.CancellationToken);
        var trajectoryId = (await ReadCreatedAsync(response)).GetProperty("id").GetGuid();
        await WaitForProjectionsAsync(trajectoryId, lead.PartnerId, "lead");
        return trajectoryId;
    }

    /// <summary>The lead (or a co-owner) gives another partner a role in a trajectory.</summary>
    public async Task SetMemberAsync(TestPartner manager, Guid trajectoryId, Guid partnerId, string role)
    {
        using var client = manager.Authorize(_service.CreateClient());
        using var response = await client.PutAsJsonAsync(
            $"/v1/trajectories/{trajectoryId}/members/{partnerId}", new { role }, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        await WaitForProjectionsAsync(trajectoryId, partnerId, role);
    }

    public static HttpClient Authorized(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private HttpClient Authorized(Uri baseAddress, string token)
    {
        var client = _service.CreateClient();
        client.BaseAddress = baseAddress;
        return Authorized(client, token);
    }

    private static async Task<JsonElement> ReadCreatedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (_ownsService)
        {
            await _service.DisposeAsync();
        }
    }
}

/// <summary>A partner registered for a test, with a system client and a valid access token.</summary>
public sealed record TestPartner(Guid PartnerId, string Kind, string ClientId, string ClientSecret, string AccessToken)
{
    public HttpClient Authorize(HttpClient client) => TokenServer.Authorized(client, AccessToken);
}
