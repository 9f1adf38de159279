using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Participatie.BuildingBlocks.Auth;

/// <summary>
/// Gives the JWT bearer handler the issuer and the signing keys without OpenID discovery, so that a service needs
/// only the token server's key set (reachable inside the platform) and not its public address. Keys are cached and
/// fetched again after a while or when a token names a key we do not know (key rotation).
/// </summary>
internal sealed class SigningKeyConfigurationManager(ISigningKeySource source, string issuer)
    : IConfigurationManager<OpenIdConnectConfiguration>, IDisposable
{
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(10);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private OpenIdConnectConfiguration? _configuration;
    private DateTimeOffset _fetchedAt;

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        if (_configuration is not null && DateTimeOffset.UtcNow - _fetchedAt < RefreshAfter)
        {
            return _configuration;
        }

        await _lock.WaitAsync(cancel);
        try
        {
            if (_configuration is null || DateTimeOffset.UtcNow - _fetchedAt >= RefreshAfter)
            {
                var configuration = new OpenIdConnectConfiguration { Issuer = issuer };
                foreach (var key in await source.GetSigningKeysAsync(cancel))
                {
                    configuration.SigningKeys.Add(key);
                }

                _configuration = configuration;
                _fetchedAt = DateTimeOffset.UtcNow;
            }

            return _configuration;
        }
        finally
        {
            _lock.Release();
        }
    }

    public void RequestRefresh() => _fetchedAt = DateTimeOffset.MinValue;

    public void Dispose() => _lock.Dispose();
}
