using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.IdentityModel.JsonWebTokens;
using Npgsql;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>A partner's OAuth clients, and the tokens their secrets get at the token endpoint.</summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class ClientsApiTests(PartnerCoordinationService service, PlatformContainers containers) : IAsyncLifetime
{
    /// <summary>The platform operator's client.</summary>
    private readonly HttpClient _operator = service.CreateClient();

    /// <summary>A client without a token, as the token endpoint is called.</summary>
    private readonly HttpClient _anonymous = service.CreateClient();

    public async ValueTask InitializeAsync() =>
        TokenServer.Authorized(_operator, await service.Tokens.GetOperatorTokenAsync());

    public ValueTask DisposeAsync()
    {
        _operator.Dispose();
        _anonymous.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string ClientsOf(Guid partnerId) => $"/v1/partners/{partnerId}/clients";

    private static List<string?> ClientIds(IEnumerable<JsonElement> clients) =>
        [.. clients.Select(client => client.GetProperty("clientId").GetString())];

    private async Task<(string? SecretHash, DateTime? RevokedAt)> StoredClientAsync(string clientId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.QuerySingleAsync<(string?, DateTime?)>(
            "SELECT secret_hash, revoked_at FROM partner_clients WHERE client_id = @ClientId", new { ClientId = clientId });
    }

    private async Task<int> CountClientsAsync(Guid partnerId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM partner_clients WHERE partner_id = @PartnerId", new { PartnerId = partnerId });
    }

    [Fact]
    public async Task Registering_a_system_client_answers_201_with_its_secret_and_stores_only_a_salted_pbkdf2_hash()
    {
        var partner = await service.Tokens.RegisterPartnerAsync();

        var created = await _operator.PostAsJsonAsync(
            ClientsOf(partner.PartnerId), new { displayName = "  Huurdersportaal  ", kind = "system" }, Cancel);

        var client = await created.ReadJsonAsync(HttpStatusCode.Created);
        var clientId = client.GetProperty("clientId").GetString()!;
        var secret = client.GetProperty("clientSecret").GetString()!;
        Assert.Equal($"{ClientsOf(partner.PartnerId)}/{clientId}", created.Headers.Location?.OriginalString);
        Assert.StartsWith("system-", clientId, StringComparison.Ordinal);
        Assert.Equal(partner.PartnerId, client.GetProperty("partnerId").GetGuid());
        Assert.Equal("Huurdersportaal", client.GetProperty("displayName").GetString());
        Assert.Equal("system", client.GetProperty("kind").GetString());
        Assert.True(secret.Length >= 32, $"A secret of {secret.Length} characters is too short to be safe.");
        Assert.NotEqual(partner.ClientSecret, secret);

        // Stored is a salted hash: not the secret, and not the same for two clients.
        var (hash, revokedAt) = await StoredClientAsync(clientId);
        Assert.NotNull(hash);
        Assert.StartsWith("pbkdf2-sha256$", hash, StringComparison.Ordinal);
        Assert.NotEqual(secret, hash);
        Assert.DoesNotContain(secret, hash, StringComparison.Ordinal);
        Assert.NotEqual((await StoredClientAsync(partner.ClientId)).SecretHash, hash);
        Assert.Null(revokedAt);
    }

    [Fact]
    public async Task The_list_of_a_partners_clients_shows_its_active_clients_and_never_a_secret()
    {
        var partner = await service.Tokens.RegisterPartnerAsync();
        using var partnerClient = service.CreateClient(partner.AccessToken);
        var second = await _operator.RegisterClientAsync(partner.PartnerId, displayName: "Huurdersportaal");
        var secondSecret = second.GetProperty("clientSecret").GetString()!;
        var web = await (await _operator.PostAsJsonAsync(
            ClientsOf(partner.PartnerId),
            new
            {
                displayName = "Bewonersportaal",
                kind = "web",
                redirectUris = new[] { "https://portaal.example.org/callback" },
                allowedOrigins = new[] { "https://portaal.example.org" },
            },
            Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        var revoked = await _operator.RegisterClientAsync(partner.PartnerId, displayName: "Oud systeem");
        var revokedId = revoked.GetProperty("clientId").GetString()!;
        Assert.Equal(
            HttpStatusCode.NoContent,
            (await _operator.DeleteAsync(new Uri($"{ClientsOf(partner.PartnerId)}/{revokedId}", UriKind.Relative), Cancel)).StatusCode);

        var listed = await partnerClient.GetAsync(new Uri(ClientsOf(partner.PartnerId), UriKind.Relative), Cancel);

        var listedText = await listed.Content.ReadAsStringAsync(Cancel);
        Assert.True(HttpStatusCode.OK == listed.StatusCode, $"{(int)listed.StatusCode}: {listedText}");
        foreach (var secret in new[] { partner.ClientSecret, secondSecret, revoked.GetProperty("clientSecret").GetString()! })
        {
            Assert.DoesNotContain(secret, listedText, StringComparison.Ordinal);
        }

        var clients = JsonDocument.Parse(listedText).RootElement.EnumerateArray().ToList();
        Assert.Equal(
            [partner.ClientId, second.GetProperty("clientId").GetString(), web.GetProperty("clientId").GetString()],
            ClientIds(clients));
        Assert.All(clients, client => Assert.True(
            !client.TryGetProperty("clientSecret", out var value) || value.ValueKind == JsonValueKind.Null, client.ToString()));
        Assert.Equal("Huurdersportaal", clients[1].GetProperty("displayName").GetString());
        Assert.Equal("web", clients[2].GetProperty("kind").GetString());
        Assert.Equal(["https://portaal.example.org/callback"], clients[2].GetProperty("redirectUris").EnumerateArray().Select(uri => uri.GetString()));
        Assert.Equal(["https://portaal.example.org"], clients[2].GetProperty("allowedOrigins").EnumerateArray().Select(origin => origin.GetString()));
        Assert.Empty(clients[0].GetProperty("redirectUris").EnumerateArray());
    }

    [Fact]
    public async Task A_system_clients_secret_gets_a_token_that_names_its_partner_and_opens_the_partners_own_endpoints()
    {
        var partner = await service.Tokens.RegisterPartnerAsync("social-institution");
        var client = await _operator.RegisterClientAsync(partner.PartnerId);
        var clientId = client.GetProperty("clientId").GetString()!;

        var response = await _anonymous.RequestClientCredentialsTokenAsync(clientId, client.GetProperty("clientSecret").GetString()!);

        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.InRange(body.GetProperty("expires_in").GetInt32(), 3500, 3600);
        var accessToken = body.GetProperty("access_token").GetString()!;
        var token = new JsonWebToken(accessToken);
        Assert.Equal(ServiceFactory<EntryPoint>.Issuer, token.Issuer);
        Assert.Equal(["participatie-api"], token.Audiences);
        Assert.Equal(clientId, token.Subject);
        Assert.Equal(clientId, token.GetClaim("client_id").Value);
        Assert.Equal(partner.PartnerId.ToString(), token.GetClaim("partner_id").Value);
        Assert.Equal("social-institution", token.GetClaim("partner_kind").Value);
        Assert.Equal("api", token.GetClaim("scope").Value);
        Assert.InRange(token.ValidTo - DateTime.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));

        // The token is the partner's: its own contacts open, another partner's do not.
        using var authorized = service.CreateClient(accessToken);
        var own = await authorized.GetAsync(new Uri($"/v1/partners/{partner.PartnerId}/contacts", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var other = await service.Tokens.RegisterPartnerAsync();
        var others = await authorized.GetAsync(new Uri($"/v1/partners/{other.PartnerId}/contacts", UriKind.Relative), Cancel);
        await others.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_wrong_secret_gets_an_invalid_client_error_and_no_token()
    {
        var partner = await service.Tokens.RegisterPartnerAsync();
        var other = await _operator.RegisterClientAsync(partner.PartnerId);
        var otherSecret = other.GetProperty("clientSecret").GetString()!;

        await (await _anonymous.RequestClientCredentialsTokenAsync(partner.ClientId, partner.ClientSecret + "x"))
            .AssertOAuthErrorAsync("invalid_client");
        // A real secret, but another client's.
        await (await _anonymous.RequestClientCredentialsTokenAsync(partner.ClientId, otherSecret))
            .AssertOAuthErrorAsync("invalid_client");
        // Without a secret the request is not even complete.
        await (await _anonymous.RequestTokenAsync(("grant_type", "client_credentials"), ("client_id", partner.ClientId)))
            .AssertOAuthErrorAsync("invalid_request");
        await (await _anonymous.RequestClientCredentialsTokenAsync($"system-{Guid.NewGuid():N}", partner.ClientSecret))
            .AssertOAuthErrorAsync("invalid_client");
        await (await _anonymous.RequestClientCredentialsTokenAsync("platform-operator", partner.ClientSecret))
            .AssertOAuthErrorAsync("invalid_client");

        // The right secret still works.
        Assert.NotEmpty(await service.Tokens.GetTokenAsync(partner.ClientId, partner.ClientSecret));
    }

    [Fact]
    public async Task A_partner_registers_a_client_of_its_own_and_once_revoked_it_gets_no_token()
    {
        var partner = await service.Tokens.RegisterPartnerAsync("tenants-organisation");
        using var partnerClient = service.CreateClient(partner.AccessToken);
        var client = await partnerClient.RegisterClientAsync(partner.PartnerId, displayName: "Tweede systeem");
        var clientId = client.GetProperty("clientId").GetString()!;
        var secret = client.GetProperty("clientSecret").GetString()!;
        Assert.NotEmpty(await service.Tokens.GetTokenAsync(clientId, secret));

        var revoked = await partnerClient.DeleteAsync(new Uri($"{ClientsOf(partner.PartnerId)}/{clientId}", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        await (await _anonymous.RequestClientCredentialsTokenAsync(clientId, secret)).AssertOAuthErrorAsync("invalid_client");
        Assert.NotNull((await StoredClientAsync(clientId)).RevokedAt);
        var again = await partnerClient.DeleteAsync(new Uri($"{ClientsOf(partner.PartnerId)}/{clientId}", UriKind.Relative), Cancel);
        await again.AssertProblemAsync(HttpStatusCode.NotFound);
        // The partner's other client is untouched.
        Assert.NotEmpty(await service.Tokens.GetTokenAsync(partner.ClientId, partner.ClientSecret));
    }

    [Fact]
    public async Task Another_partner_cannot_list_register_or_revoke_a_partners_clients()
    {
        var owner = await service.Tokens.RegisterPartnerAsync();
        var stranger = await service.Tokens.RegisterPartnerAsync();
        using var strangerClient = service.CreateClient(stranger.AccessToken);

        var list = await strangerClient.GetAsync(new Uri(ClientsOf(owner.PartnerId), UriKind.Relative), Cancel);
        var register = await strangerClient.PostAsJsonAsync(
            ClientsOf(owner.PartnerId), new { displayName = "Achterdeur", kind = "system" }, Cancel);
        var revoke = await strangerClient.DeleteAsync(new Uri($"{ClientsOf(owner.PartnerId)}/{owner.ClientId}", UriKind.Relative), Cancel);

        foreach (var response in new[] { list, register, revoke })
        {
            await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        Assert.DoesNotContain(owner.ClientId, await list.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        Assert.Equal(1, await CountClientsAsync(owner.PartnerId));
        Assert.Null((await StoredClientAsync(owner.ClientId)).RevokedAt);
        Assert.NotEmpty(await service.Tokens.GetTokenAsync(owner.ClientId, owner.ClientSecret));
    }

    [Fact]
    public async Task A_web_client_needs_a_redirect_uri_gets_no_secret_and_no_client_credentials_token()
    {
        var partner = await service.Tokens.RegisterPartnerAsync("municipality");

        var withoutRedirect = await _operator.PostAsJsonAsync(
            ClientsOf(partner.PartnerId), new { displayName = "Bewonersportaal", kind = "web" }, Cancel);
        await withoutRedirect.AssertProblemAsync(HttpStatusCode.BadRequest, "redirectUris");
        Assert.Equal(1, await CountClientsAsync(partner.PartnerId));

        var created = await _operator.PostAsJsonAsync(
            ClientsOf(partner.PartnerId),
            new
            {
                displayName = "Bewonersportaal",
                kind = "web",
                redirectUris = new[] { "https://portaal.example.org/callback" },
                allowedOrigins = new[] { "https://portaal.example.org" },
            },
            Cancel);

        var client = await created.ReadJsonAsync(HttpStatusCode.Created);
        var clientId = client.GetProperty("clientId").GetString()!;
        Assert.StartsWith("web-", clientId, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, client.GetProperty("clientSecret").ValueKind);
        Assert.Null((await StoredClientAsync(clientId)).SecretHash);
        Assert.Equal(["https://portaal.example.org/callback"], client.GetProperty("redirectUris").EnumerateArray().Select(uri => uri.GetString()));
        Assert.Equal(["https://portaal.example.org"], client.GetProperty("allowedOrigins").EnumerateArray().Select(origin => origin.GetString()));

        await (await _anonymous.RequestClientCredentialsTokenAsync(clientId, partner.ClientSecret)).AssertOAuthErrorAsync("invalid_client");
    }

    [Fact]
    public async Task An_invalid_client_gets_a_400_problem_naming_each_field_and_is_not_stored()
    {
        var partner = await service.Tokens.RegisterPartnerAsync();

        var response = await _operator.PostAsJsonAsync(
            ClientsOf(partner.PartnerId),
            new
            {
                displayName = "  ",
                kind = "robot",
                redirectUris = new[] { "not a uri" },
                allowedOrigins = new[] { "https://app.example.org/" },
            },
            Cancel);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "displayName");
        Assert.Equal(
            ["allowedOrigins", "displayName", "kind", "redirectUris"],
            problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal));
        Assert.Equal(1, await CountClientsAsync(partner.PartnerId));
    }

    [Fact]
    public async Task The_clients_of_an_unknown_partner_are_problem_404s()
    {
        var unknown = Guid.NewGuid();

        var list = await _operator.GetAsync(new Uri(ClientsOf(unknown), UriKind.Relative), Cancel);
        var register = await _operator.PostAsJsonAsync(ClientsOf(unknown), new { displayName = "Niemand", kind = "system" }, Cancel);

        var problem = await list.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(unknown.ToString(), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await register.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await CountClientsAsync(unknown));
    }

    [Fact]
    public async Task Without_a_token_the_clients_api_answers_401_problems()
    {
        var partner = await service.Tokens.RegisterPartnerAsync();

        var list = await _anonymous.GetAsync(new Uri(ClientsOf(partner.PartnerId), UriKind.Relative), Cancel);
        var register = await _anonymous.PostAsJsonAsync(ClientsOf(partner.PartnerId), new { displayName = "Anoniem", kind = "system" }, Cancel);
        var revoke = await _anonymous.DeleteAsync(new Uri($"{ClientsOf(partner.PartnerId)}/{partner.ClientId}", UriKind.Relative), Cancel);

        foreach (var response in new[] { list, register, revoke })
        {
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        Assert.Equal(1, await CountClientsAsync(partner.PartnerId));
        Assert.Null((await StoredClientAsync(partner.ClientId)).RevokedAt);
    }
}
