using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Participatie.Benchmark.Platform;

/// <summary>The few public API calls the benchmark makes to set itself up, as a partner system would.</summary>
internal sealed class GatewayApi(Uri gateway) : IDisposable
{
    private readonly HttpClient client = new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(5) };

    public async Task<string> GetAccessTokenAsync(string clientId, string secret, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        });
        using var response = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), form, cancellationToken);
        using var body = await ReadSuccessAsync(response, "POST /connect/token", cancellationToken);
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>Acts as this client from now on.</summary>
    public async Task SignInAsync(string clientId, string secret, CancellationToken cancellationToken) =>
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Bearer", await GetAccessTokenAsync(clientId, secret, cancellationToken));

    /// <summary>Acts with a token the caller already has.</summary>
    public void UseAccessToken(string accessToken) =>
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);

    public async Task<JsonDocument> PostAsync(string path, object body, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        return await ReadSuccessAsync(response, $"POST {path}", cancellationToken);
    }

    public async Task PutAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await client.PutAsJsonAsync(new Uri(path, UriKind.Relative), body, cancellationToken);
        using var _ = await ReadSuccessAsync(response, $"PUT {path}", cancellationToken);
    }

    public async Task<string> CreateAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var created = await PostAsync(path, body, cancellationToken);
        return created.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<JsonDocument> ReadSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new GatewayCallFailedException(what, response.StatusCode, text);
        }

        return JsonDocument.Parse(text);
    }

    public void Dispose() => client.Dispose();
}

internal sealed class GatewayCallFailedException(string what, HttpStatusCode status, string body)
    : Exception($"{what} answered {(int)status}: {(body.Length <= 500 ? body : body[..500])}")
{
    public HttpStatusCode Status { get; } = status;
}
