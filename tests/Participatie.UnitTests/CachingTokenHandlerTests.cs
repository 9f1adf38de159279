using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Participatie.BuildingBlocks.Auth;

namespace Participatie.UnitTests;

public class CachingTokenHandlerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task A_token_seen_valid_is_reused_for_at_most_five_minutes_and_a_forged_one_is_never_admitted()
    {
        using var key = RSA.Create(2048);
        var signingKey = new RsaSecurityKey(key) { KeyId = "k1" };
        var clock = new FakeTimeProvider(Now);
        using var handler = new CachingTokenHandler(clock) { MapInboundClaims = false };
        var token = Token(signingKey, Now.AddHours(1));
        var parameters = Parameters(signingKey);

        var first = await handler.ValidateTokenAsync(token, parameters);
        Assert.True(first.IsValid, first.Exception?.Message);

        // With the signing key gone, the token seen before still passes (from memory)...
        var withoutKey = Parameters(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "k2" });
        var reused = await handler.ValidateTokenAsync(token, withoutKey);
        Assert.True(reused.IsValid);
        Assert.Equal("partner-1", reused.ClaimsIdentity.FindFirst("partner_id")?.Value);
        Assert.NotSame(first.ClaimsIdentity, reused.ClaimsIdentity);

        // ...but no longer than five minutes after it was first checked,
        clock.Advance(CachingTokenHandler.MaximumReuse + TimeSpan.FromSeconds(1));
        Assert.False((await handler.ValidateTokenAsync(token, withoutKey)).IsValid);

        // and a token it has not seen is checked in full: one signed with another key fails.
        using var forger = RSA.Create(2048);
        var forged = Token(new RsaSecurityKey(forger) { KeyId = "k1" }, Now.AddHours(1));
        Assert.False((await handler.ValidateTokenAsync(forged, parameters)).IsValid);
    }

    [Fact]
    public async Task An_expired_token_is_not_reused_past_its_expiry()
    {
        using var key = RSA.Create(2048);
        var signingKey = new RsaSecurityKey(key) { KeyId = "k1" };
        var clock = new FakeTimeProvider(Now);
        using var handler = new CachingTokenHandler(clock) { MapInboundClaims = false };
        var token = Token(signingKey, Now.AddMinutes(2));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(signingKey))).IsValid);

        clock.Advance(TimeSpan.FromMinutes(3));
        var withoutKey = Parameters(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "k2" });
        Assert.False((await handler.ValidateTokenAsync(token, withoutKey)).IsValid);
    }

    private static string Token(SecurityKey key, DateTimeOffset expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "http://issuer/",
        Audience = ParticipatieClaims.Audience,
        IssuedAt = Now.UtcDateTime.AddMinutes(-1),
        NotBefore = Now.UtcDateTime.AddMinutes(-1),
        Expires = expires.UtcDateTime,
        Claims = new Dictionary<string, object> { ["partner_id"] = "partner-1" },
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
    });

    private static TokenValidationParameters Parameters(SecurityKey key) => new()
    {
        ValidIssuer = "http://issuer/",
        ValidAudience = ParticipatieClaims.Audience,
        IssuerSigningKey = key,
    };
}
