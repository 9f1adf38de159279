using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Participatie.BuildingBlocks.Auth;

/// <summary>
/// Validates each distinct access token once, then answers from memory until it expires or, at the latest, for
/// <see cref="MaximumReuse"/>: a partner system sends the same token with every request for an hour, and checking its
/// RSA signature and reading its claims again each time was a large share of a request's CPU (twice per request:
/// in the gateway and in the service). Each request gets its own copy of the claims. A signing key taken out of the
/// key set stops admitting tokens already seen within <see cref="MaximumReuse"/>.
/// </summary>
public sealed class CachingTokenHandler(TimeProvider clock) : JsonWebTokenHandler, IDisposable
{
    public static readonly TimeSpan MaximumReuse = TimeSpan.FromMinutes(5);

    private readonly MemoryCache _validated = new(new MemoryCacheOptions { SizeLimit = 20_000 });

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = clock.GetUtcNow();
        if (_validated.TryGetValue(token, out Validated? seen) && seen!.Until > now)
        {
            return new TokenValidationResult
            {
                IsValid = true,
                ClaimsIdentity = seen.Identity.Clone(),
                SecurityToken = seen.Token,
                Issuer = seen.Token.Issuer,
                TokenType = seen.Token.Typ,
            };
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is JsonWebToken validated && result.ClaimsIdentity is { } identity)
        {
            var expires = new DateTimeOffset(validated.ValidTo, TimeSpan.Zero);
            var until = expires < now + MaximumReuse ? expires : now + MaximumReuse;
            _validated.Set(token, new Validated(identity.Clone(), validated, until), new MemoryCacheEntryOptions
            {
                Size = 1,
                AbsoluteExpiration = until,
            });
        }

        return result;
    }

    public void Dispose() => _validated.Dispose();

    private sealed record Validated(ClaimsIdentity Identity, JsonWebToken Token, DateTimeOffset Until);
}
