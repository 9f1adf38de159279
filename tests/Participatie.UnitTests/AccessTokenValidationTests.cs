using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Participatie.BuildingBlocks.Auth;

namespace Participatie.UnitTests;

/// <summary>
/// Crafted tokens against the validation every service (and the gateway) configures with
/// <see cref="AuthenticationExtensions.AddParticipatieAuthentication"/>: only an RS256-signed access token passes.
/// </summary>
public sealed class AccessTokenValidationTests : IDisposable
{
    private const string Issuer = "http://participatie.test/";
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _platformKey;
    private readonly IHost _host;

    public AccessTokenValidationTests()
    {
        _platformKey = new RsaSecurityKey(_rsa) { KeyId = "platform-key" };
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Identity:Issuer"] = Issuer });
        // The key set also holds a symmetric key: an HS256 token must be refused for its algorithm, not only
        // because no key fits it.
        builder.Services.AddSingleton<ISigningKeySource>(new FixedKeys([_platformKey, new SymmetricSecurityKey(SymmetricSecret) { KeyId = "shared-secret" }]));
        builder.AddParticipatieAuthentication();
        _host = builder.Build();
    }

    private static byte[] SymmetricSecret => Encoding.UTF8.GetBytes("a symmetric secret of at least 256 bits, 0123456789");

    [Fact]
    public async Task An_RS256_access_token_of_the_platform_passes()
    {
        var result = await ValidateAsync(Token(new SigningCredentials(_platformKey, SecurityAlgorithms.RsaSha256), "at+jwt"));

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("partner-1", result.ClaimsIdentity.FindFirst("partner_id")?.Value);
    }

    [Theory]
    [InlineData("JWT")] // an identity token
    [InlineData("id_token+jwt")]
    public async Task A_token_of_another_type_is_refused_even_when_signed_by_the_platform(string type)
    {
        var result = await ValidateAsync(Token(new SigningCredentials(_platformKey, SecurityAlgorithms.RsaSha256), type));

        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenInvalidTypeException>(result.Exception);
    }

    [Fact]
    public async Task An_unsigned_token_with_alg_none_is_refused()
    {
        var signed = Token(new SigningCredentials(_platformKey, SecurityAlgorithms.RsaSha256), "at+jwt");
        var payload = signed.Split('.')[1];
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"at+jwt","kid":"platform-key"}""");

        var result = await ValidateAsync($"{header}.{payload}.");

        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task An_HS256_token_is_refused_even_with_a_matching_symmetric_key_in_the_set()
    {
        var token = Token(
            new SigningCredentials(new SymmetricSecurityKey(SymmetricSecret) { KeyId = "shared-secret" }, SecurityAlgorithms.HmacSha256), "at+jwt");

        Assert.False((await ValidateAsync(token)).IsValid);
        // The algorithm is what refuses it: without the restriction the same token would pass.
        Assert.True((await ValidateAsync(token, parameters => parameters.ValidAlgorithms = null)).IsValid);
    }

    [Fact]
    public async Task An_HS256_token_with_the_public_key_as_its_secret_is_refused()
    {
        // Key confusion: the attacker knows the public key from the key set and uses its bytes as an HMAC secret.
        var publicKeyBytes = _rsa.ExportSubjectPublicKeyInfo();
        var result = await ValidateAsync(Token(
            new SigningCredentials(new SymmetricSecurityKey(publicKeyBytes) { KeyId = "platform-key" }, SecurityAlgorithms.HmacSha256), "at+jwt"));

        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task Another_RSA_algorithm_by_the_platform_key_is_refused()
    {
        var token = Token(new SigningCredentials(_platformKey, SecurityAlgorithms.RsaSha512), "at+jwt");

        Assert.False((await ValidateAsync(token)).IsValid);
        Assert.True((await ValidateAsync(token, parameters => parameters.ValidAlgorithms = null)).IsValid);
    }

    public void Dispose()
    {
        _host.Dispose();
        _rsa.Dispose();
    }

    private async Task<TokenValidationResult> ValidateAsync(string token, Action<TokenValidationParameters>? loosen = null)
    {
        // The parameters and the handler exactly as the JWT bearer handler gets them, with the key set it would fetch.
        var options = _host.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        var configuration = await options.ConfigurationManager!.GetConfigurationAsync(TestContext.Current.CancellationToken);
        var parameters = options.TokenValidationParameters.Clone();
        parameters.IssuerSigningKeys = configuration.SigningKeys;
        loosen?.Invoke(parameters);
        return await Assert.Single(options.TokenHandlers).ValidateTokenAsync(token, parameters);
    }

    private static string Token(SigningCredentials credentials, string? type) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = ParticipatieClaims.Audience,
            Claims = new Dictionary<string, object> { ["sub"] = "client-1", ["partner_id"] = "partner-1", ["scope"] = "api" },
            IssuedAt = DateTime.UtcNow.AddMinutes(-1),
            NotBefore = DateTime.UtcNow.AddMinutes(-1),
            Expires = DateTime.UtcNow.AddHours(1),
            TokenType = type,
            SigningCredentials = credentials,
        });

    private sealed class FixedKeys(IReadOnlyCollection<SecurityKey> keys) : ISigningKeySource
    {
        public Task<IReadOnlyCollection<SecurityKey>> GetSigningKeysAsync(CancellationToken cancellationToken) => Task.FromResult(keys);
    }
}
