using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>The token endpoint and the key set: what every service of the platform relies on to know its callers.</summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class TokenServerTests(PartnerCoordinationService service, PlatformContainers containers) : IDisposable
{
    private readonly HttpClient _anonymous = service.CreateClient();

    public void Dispose() => _anonymous.Dispose();

    private static async Task<JsonElement> KeySetAsync(HttpClient client)
    {
        var response = await client.GetAsync(new Uri("/.well-known/jwks", UriKind.Relative), Cancel);
        return await response.ReadJsonAsync(HttpStatusCode.OK);
    }

    private static List<string?> KeyIds(JsonElement keySet) =>
        [.. keySet.GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()).Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData("password")]
    [InlineData("refresh_token")]
    [InlineData("urn:ietf:params:oauth:grant-type:jwt-bearer")]
    public async Task An_unsupported_grant_type_is_refused_even_with_valid_client_credentials(string grantType)
    {
        var partner = await service.Tokens.RegisterPartnerAsync();

        var response = await _anonymous.RequestTokenAsync(
            ("grant_type", grantType),
            ("client_id", partner.ClientId),
            ("client_secret", partner.ClientSecret),
            ("username", "beheerder"),
            ("password", "geheim"),
            ("code", "abc"),
            ("refresh_token", "abc"),
            ("assertion", "abc"));

        await response.AssertOAuthErrorAsync("unsupported_grant_type");
    }

    [Fact]
    public async Task A_token_request_without_a_grant_type_is_an_invalid_request()
    {
        var partner = await service.Tokens.RegisterPartnerAsync();

        var response = await _anonymous.RequestTokenAsync(("client_id", partner.ClientId), ("client_secret", partner.ClientSecret));

        await response.AssertOAuthErrorAsync("invalid_request");
    }

    [Fact]
    public async Task The_platform_operator_gets_a_platform_token_without_a_partner_and_nothing_with_a_wrong_secret()
    {
        var response = await _anonymous.RequestClientCredentialsTokenAsync("platform-operator", TokenServer.PlatformOperatorSecret);

        var token = new JsonWebToken((await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("access_token").GetString());
        Assert.Equal("platform", token.GetClaim("scope").Value);
        Assert.Equal("platform-operator", token.GetClaim("client_id").Value);
        Assert.False(token.TryGetClaim("partner_id", out _));
        Assert.Equal(["participatie-api"], token.Audiences);

        await (await _anonymous.RequestClientCredentialsTokenAsync("platform-operator", TokenServer.PlatformOperatorSecret + "!"))
            .AssertOAuthErrorAsync("invalid_client");
        await (await _anonymous.RequestClientCredentialsTokenAsync("platform-operator", "test-operator-secret-but-longer"))
            .AssertOAuthErrorAsync("invalid_client");
    }

    [Fact]
    public async Task A_service_client_gets_only_its_configured_scope_without_a_partner_and_nothing_with_a_wrong_secret()
    {
        // Asking for more changes nothing: the scopes come from the configuration, not the request.
        var response = await _anonymous.RequestTokenAsync(
            ("grant_type", "client_credentials"),
            ("client_id", TokenServer.NotificationsClientId),
            ("client_secret", TokenServer.NotificationsClientSecret),
            ("scope", "platform api contact-details"));

        var accessToken = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("access_token").GetString()!;
        var token = new JsonWebToken(accessToken);
        Assert.Equal("contact-details", token.GetClaim("scope").Value);
        Assert.Equal(TokenServer.NotificationsClientId, token.GetClaim("client_id").Value);
        Assert.False(token.TryGetClaim("partner_id", out _));
        Assert.Equal(["participatie-api"], token.Audiences);

        // It acts for no partner, so no partner's or the operator's endpoint lets it in.
        using var client = service.CreateClient(accessToken);
        await (await client.GetAsync(new Uri("/v1/trajectories", UriKind.Relative), Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await client.GetAsync(new Uri("/v1/partners", UriKind.Relative), Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);

        await (await _anonymous.RequestClientCredentialsTokenAsync(TokenServer.NotificationsClientId, TokenServer.NotificationsClientSecret + "!"))
            .AssertOAuthErrorAsync("invalid_client");
    }

    [Fact]
    public async Task A_partner_client_asking_for_the_platform_scope_gets_only_the_api_scope_and_registers_no_partner()
    {
        var partner = await service.Tokens.RegisterPartnerAsync();

        var response = await _anonymous.RequestTokenAsync(
            ("grant_type", "client_credentials"),
            ("client_id", partner.ClientId),
            ("client_secret", partner.ClientSecret),
            ("scope", "platform api"));

        var accessToken = (await response.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("access_token").GetString()!;
        Assert.Equal("api", new JsonWebToken(accessToken).GetClaim("scope").Value);
        using var client = service.CreateClient(accessToken);
        var name = NewName("Zelf aangemeld");
        var register = await client.PostAsJsonAsync("/v1/partners", new { name, kind = "social-institution", registryNumber = NewKvkNumber() }, Cancel);
        await register.AssertProblemAsync(HttpStatusCode.Forbidden);
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM partners WHERE name = @Name", new { Name = name }));
    }

    [Fact]
    public async Task The_key_set_is_served_anonymously_holds_only_public_keys_and_verifies_the_tokens()
    {
        var partner = await service.Tokens.RegisterPartnerAsync();

        var keySet = await KeySetAsync(_anonymous);

        var keys = keySet.GetProperty("keys").EnumerateArray().ToList();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            Assert.Equal("RSA", key.GetProperty("kty").GetString());
            Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
            Assert.True(key.TryGetProperty("n", out _) && key.TryGetProperty("e", out _), key.ToString());
            foreach (var secretPart in new[] { "d", "p", "q", "dp", "dq", "qi" })
            {
                Assert.False(key.TryGetProperty(secretPart, out _), $"The key set publishes the private parameter '{secretPart}'.");
            }
        }

        var token = new JsonWebToken(partner.AccessToken);
        Assert.Contains(token.Kid, KeyIds(keySet));
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(partner.AccessToken, new TokenValidationParameters
        {
            ValidIssuer = ServiceFactory<EntryPoint>.Issuer,
            ValidAudience = "participatie-api",
            IssuerSigningKeys = new JsonWebKeySet(keySet.GetRawText()).GetSigningKeys(),
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
    }

    [Fact]
    public async Task Signing_keys_survive_a_restart_so_tokens_of_one_instance_are_accepted_by_the_next()
    {
        var partner = await service.Tokens.RegisterPartnerAsync();
        var issuedBefore = new JsonWebToken(partner.AccessToken);

        // A second instance on the same database, as after a restart (or beside the first, scaled out).
        await using var restarted = new ServiceFactory<EntryPoint>("partnersdb", containers);
        using var restartedClient = restarted.CreateClient();

        // An endpoint that needs to know the partner: its own contacts.
        TokenServer.Authorized(restartedClient, partner.AccessToken);
        var contacts = await restartedClient.GetAsync(new Uri($"/v1/partners/{partner.PartnerId}/contacts", UriKind.Relative), Cancel);
        Assert.Empty((await contacts.ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray());

        restartedClient.DefaultRequestHeaders.Authorization = null;
        var firstKeySet = KeyIds(await KeySetAsync(_anonymous));
        var restartedKeySet = KeyIds(await KeySetAsync(restartedClient));
        Assert.Equal(firstKeySet, restartedKeySet);
        Assert.Contains(issuedBefore.Kid, restartedKeySet);

        // And the other way round: what the new instance signs, the first accepts.
        var issuedAfter = await TokenServer.For(restarted).GetTokenAsync(partner.ClientId, partner.ClientSecret);
        Assert.Equal(issuedBefore.Kid, new JsonWebToken(issuedAfter).Kid);
        using var firstClient = service.CreateClient(issuedAfter);
        var response = await firstClient.GetAsync(new Uri($"/v1/partners/{partner.PartnerId}/contacts", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM token_keys WHERE purpose = 'signing' AND retired_at IS NULL"));
    }
}
