using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.Tokens;

namespace Participatie.BuildingBlocks.Auth;

/// <summary>Where a service finds the public keys that sign the platform's access tokens.</summary>
public interface ISigningKeySource
{
    Task<IReadOnlyCollection<SecurityKey>> GetSigningKeysAsync(CancellationToken cancellationToken);
}

/// <summary>Reads the token server's JSON Web Key Set over HTTP (service discovery resolves the address).</summary>
internal sealed class JwksSigningKeySource(IHttpClientFactory httpClientFactory, IConfiguration configuration) : ISigningKeySource
{
    public const string HttpClientName = AuthenticationExtensions.TokenServerHttpClientName;
    public const string DefaultJwksUri = "http://partner-coordination/.well-known/jwks";

    public async Task<IReadOnlyCollection<SecurityKey>> GetSigningKeysAsync(CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        var uri = new Uri(configuration["Identity:JwksUri"] ?? DefaultJwksUri);
        var json = await client.GetStringAsync(uri, cancellationToken);
        return [.. new JsonWebKeySet(json).GetSigningKeys()];
    }
}
