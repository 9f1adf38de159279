using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Participatie.BuildingBlocks.Auth;

namespace Participatie.Notifications.Delivery.Contacts;

/// <summary>
/// The notifications service's own access token (client credentials, scope contact-details), fetched from the token
/// server and kept in memory until shortly before it expires; one fetch at a time, however many deliveries wait.
/// </summary>
public sealed class ServiceAccessTokens(IHttpClientFactory httpClientFactory, IOptions<ResidentContactsOptions> options, TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private CachedToken? _token;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (Current() is { } token)
        {
            return token;
        }

        await _fetching.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have fetched it while this one waited.
            if (Current() is { } fetched)
            {
                return fetched;
            }

            _token = await FetchAsync(cancellationToken);
            return _token.AccessToken;
        }
        finally
        {
            _fetching.Release();
        }
    }

    /// <summary>Forgets a token the residents service refused (a key taken out of the key set, say).</summary>
    public void Invalidate(string accessToken)
    {
        var current = _token;
        if (current?.AccessToken == accessToken)
        {
            Interlocked.CompareExchange(ref _token, null, current);
        }
    }

    public void Dispose() => _fetching.Dispose();

    private string? Current() => _token is { } token && clock.GetUtcNow() < token.RenewAt ? token.AccessToken : null;

    private async Task<CachedToken> FetchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.ClientSecret))
        {
            throw new InvalidOperationException(
                $"{ResidentContactsOptions.Section}:ClientSecret is not configured: the notifications service cannot ask the residents service for addresses.");
        }

        var client = httpClientFactory.CreateClient(AuthenticationExtensions.TokenServerHttpClientName);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = settings.ClientId,
            ["client_secret"] = settings.ClientSecret,
        });
        var requestedAt = clock.GetUtcNow();
        using var response = await client.PostAsync(settings.TokenEndpoint, form, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"The token server refused the client '{settings.ClientId}' ({(int)response.StatusCode}): "
                + await response.Content.ReadAsStringAsync(cancellationToken),
                inner: null,
                response.StatusCode);
        }

        var body = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
            ?? throw new HttpRequestException("The token server answered without a body.");
        if (string.IsNullOrEmpty(body.AccessToken))
        {
            throw new HttpRequestException("The token server answered without an access token.");
        }

        var lifetime = TimeSpan.FromSeconds(body.ExpiresIn is > 0 ? body.ExpiresIn.Value : 0);
        // Counted from the request, not the answer, and renewed early; a token that lives shorter than the margin is used once.
        return new CachedToken(body.AccessToken, requestedAt + lifetime - settings.TokenRenewalMargin);
    }

    private sealed record CachedToken(string AccessToken, DateTimeOffset RenewAt);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int? ExpiresIn);
}
