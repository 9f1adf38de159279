using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Participatie.Client;

/// <summary>A partner system's client id and secret, as the platform operator (or the partner's admin) gave them.</summary>
public sealed record ClientCredentials(string ClientId, string ClientSecret);

/// <summary>
/// Puts a bearer token on every request: fetched with client credentials from the gateway's <c>/connect/token</c>
/// and reused until shortly before it expires, so that a busy partner system asks once an hour, not once a request.
/// </summary>
public sealed class ClientCredentialsHandler : DelegatingHandler
{
    /// <summary>A token is renewed this long before it expires, so that no request leaves with one that runs out on the way.</summary>
    public static readonly TimeSpan RenewBeforeExpiry = TimeSpan.FromSeconds(60);

    private readonly Uri _tokenEndpoint;
    private readonly ClientCredentials _credentials;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private CachedToken? _token;

    /// <param name="gateway">The gateway's address (<c>https://api.participatie.example.org</c>); the token endpoint is its <c>/connect/token</c>.</param>
    public ClientCredentialsHandler(Uri gateway, ClientCredentials credentials, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(credentials);
        _tokenEndpoint = new Uri(gateway, "/connect/token");
        _credentials = credentials;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>How many tokens this handler fetched: once per lifetime of a token, whatever the number of requests.</summary>
    public int TokensFetched { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = await TokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // The token was refused before its time (a signing key retired, a client revoked and restored): the next
            // request fetches a new one rather than failing until the old one would have expired.
            Interlocked.CompareExchange(ref _token, null, token);
        }

        return response;
    }

    private async Task<CachedToken> TokenAsync(CancellationToken cancellationToken)
    {
        if (_token is { } cached && cached.RenewAt > _clock.GetUtcNow())
        {
            return cached;
        }

        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another request may have fetched one while this one waited.
            if (_token is { } fetched && fetched.RenewAt > _clock.GetUtcNow())
            {
                return fetched;
            }

            _token = await FetchAsync(cancellationToken).ConfigureAwait(false);
            TokensFetched++;
            return _token;
        }
        finally
        {
            _fetching.Release();
        }
    }

    private async Task<CachedToken> FetchAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _tokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = _credentials.ClientId,
                ["client_secret"] = _credentials.ClientSecret,
            }),
        };
        var requestedAt = _clock.GetUtcNow();
        using var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new ParticipatieApiException(
                "The token endpoint refused the client credentials.", (int)response.StatusCode, body,
                response.Headers.Concat(response.Content.Headers).ToDictionary(header => header.Key, header => header.Value, StringComparer.OrdinalIgnoreCase),
                null);
        }

        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var accessToken = root.GetProperty("access_token").GetString()
            ?? throw new ParticipatieApiException("The token endpoint answered without an access_token.");
        var lifetime = TimeSpan.FromSeconds(root.TryGetProperty("expires_in", out var expiresIn) && expiresIn.TryGetInt32(out var seconds) ? seconds : 0);
        // A token shorter-lived than the margin (none is, today) is used once rather than never.
        var renewAt = requestedAt + (lifetime > RenewBeforeExpiry * 2 ? lifetime - RenewBeforeExpiry : lifetime / 2);
        return new CachedToken(accessToken, renewAt);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _fetching.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed record CachedToken(string AccessToken, DateTimeOffset RenewAt);
}
