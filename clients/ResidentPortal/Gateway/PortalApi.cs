using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;

namespace Participatie.ResidentPortal.Gateway;

/// <summary>
/// The platform's public API through the gateway, as any partner's client would call it: anonymous for the public
/// endpoints, with the signed-in resident's own token (from the encrypted cookie) for /v1/me.
/// </summary>
public sealed class PortalApi(HttpClient http, IHttpContextAccessor accessor)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<ApiResult<T>> GetAsync<T>(string path, bool asResident = true, CancellationToken cancellationToken = default)
    {
        using var request = await RequestAsync(HttpMethod.Get, path, null, asResident);
        return await SendAsync<T>(request, cancellationToken);
    }

    public async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, bool asResident = true, CancellationToken cancellationToken = default)
    {
        using var request = await RequestAsync(method, path, body, asResident);
        return await SendAsync<T>(request, cancellationToken);
    }

    /// <summary>A file of the resident's (their data export), streamed as the gateway sends it.</summary>
    public async Task<HttpResponseMessage> GetFileAsync(string path, CancellationToken cancellationToken)
    {
        using var request = await RequestAsync(HttpMethod.Get, path, null, asResident: true);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path, object? body, bool asResident)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        if (asResident && accessor.HttpContext is { } context)
        {
            // A token refreshed earlier in this request is newer than the one in the incoming cookie.
            var token = context.Items[TokenRefresh.FreshAccessTokenKey] as string ?? await context.GetTokenAsync(ResidentTokenClient.AccessToken);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
        }

        return request;
    }

    private async Task<ApiResult<T>> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var value = text.Length == 0 ? default : JsonSerializer.Deserialize<T>(text, Json);
            return new ApiResult<T>(response.StatusCode, value, Problem: null);
        }

        return new ApiResult<T>(response.StatusCode, default, ApiProblem.Parse(text));
    }
}

/// <summary>An API answer: the value when it succeeded, else its problem+json (RFC 9457) with the fields it names.</summary>
public sealed record ApiResult<T>(HttpStatusCode Status, T? Value, ApiProblem? Problem)
{
    public bool Succeeded => (int)Status is >= 200 and < 300;
}

public sealed record ApiProblem(string? Title, IReadOnlyDictionary<string, string[]> Errors)
{
    public static ApiProblem Parse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("errors", out var fields) && fields.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in fields.EnumerateObject())
                {
                    errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                        ? [.. field.Value.EnumerateArray().Select(message => message.GetString() ?? string.Empty)]
                        : [];
                }
            }

            var title = root.TryGetProperty("title", out var t) ? t.GetString() : null;
            return new ApiProblem(title, errors);
        }
        catch (JsonException)
        {
            return new ApiProblem(null, new Dictionary<string, string[]>());
        }
    }
}
