using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>What the tests of this service do again and again, each with data of its own.</summary>
internal static class Calls
{
    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A KvK number (8 digits) no other test uses: registry numbers are unique.</summary>
    public static string NewKvkNumber() => RandomNumberGenerator.GetInt32(100_000_000).ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>An OIN (20 digits), as a municipality has, that no other test uses.</summary>
    public static string NewOin() => string.Concat(Enumerable.Range(0, 20).Select(_ => RandomNumberGenerator.GetInt32(10)));

    public static string NewName(string prefix) => $"{prefix} {Guid.NewGuid():N}";

    /// <summary>The registry number a partner of this kind needs: an OIN for a municipality, a KvK number for the rest.</summary>
    public static string NewRegistryNumber(string kind) => kind == "municipality" ? NewOin() : NewKvkNumber();

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A token request at /connect/token, as a form post.</summary>
    public static async Task<HttpResponseMessage> RequestTokenAsync(this HttpClient client, params (string Name, string Value)[] fields)
    {
        using var form = new FormUrlEncodedContent(fields.Select(field => KeyValuePair.Create(field.Name, field.Value)));
        return await client.PostAsync(new Uri("/connect/token", UriKind.Relative), form, Cancel);
    }

    public static Task<HttpResponseMessage> RequestClientCredentialsTokenAsync(this HttpClient client, string clientId, string clientSecret) =>
        client.RequestTokenAsync(("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", clientSecret));

    /// <summary>
    /// Asserts an OAuth error answer (RFC 6749 §5.2) with the given error code and no token: 400, except that
    /// <c>invalid_client</c> is a 401, as the RFC allows and OpenIddict answers.
    /// </summary>
    public static async Task AssertOAuthErrorAsync(this HttpResponseMessage response, string error)
    {
        var body = await response.ReadJsonAsync(error == "invalid_client" ? HttpStatusCode.Unauthorized : HttpStatusCode.BadRequest);
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.False(body.TryGetProperty("access_token", out _), body.ToString());
    }

    public static async Task<JsonElement> RegisterClientAsync(
        this HttpClient client, Guid partnerId, string kind = "system", string displayName = "Klantsysteem")
    {
        var response = await client.PostAsJsonAsync($"/v1/partners/{partnerId}/clients", new { displayName, kind }, Cancel);
        return await response.ReadJsonAsync(HttpStatusCode.Created);
    }
}
