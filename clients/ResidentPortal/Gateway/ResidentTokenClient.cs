using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Participatie.ResidentPortal.Gateway;

/// <summary>
/// The token server's resident grants, as the platform's own public client <c>resident-portal</c>: a code sent by
/// e-mail or SMS, a code from a letter, and refreshing. The tokens go into the encrypted authentication cookie.
/// </summary>
public sealed class ResidentTokenClient(HttpClient http)
{
    public const string ClientId = "resident-portal";
    public const string SignInCodeGrant = "urn:participatie:grant-type:sign-in-code";
    public const string LetterCodeGrant = "urn:participatie:grant-type:letter-code";
    public const string AccessToken = "access_token";
    public const string RefreshToken = "refresh_token";
    public const string ExpiresAt = "expires_at";
    public const string LanguageClaim = "lang";

    public Task<TokenOutcome> RedeemSignInCodeAsync(Guid challengeId, string code, CancellationToken cancellationToken) =>
        RequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = SignInCodeGrant,
            ["scope"] = "resident",
            ["challenge_id"] = challengeId.ToString(),
            ["code"] = code,
        }, cancellationToken);

    public Task<TokenOutcome> RedeemLetterCodeAsync(string postcode, int houseNumber, string? suffix, string code, CancellationToken cancellationToken) =>
        RequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = LetterCodeGrant,
            ["scope"] = "resident",
            ["postcode"] = postcode,
            ["house_number"] = houseNumber.ToString(CultureInfo.InvariantCulture),
            ["house_number_suffix"] = suffix ?? string.Empty,
            ["code"] = code,
        }, cancellationToken);

    public Task<TokenOutcome> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        RequestAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }, cancellationToken);

    private async Task<TokenOutcome> RequestAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        form["client_id"] = ClientId;
        using var content = new FormUrlEncodedContent(form);
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync("/connect/token", content, cancellationToken);
        }
        catch (Exception exception) when (IsUnreachable(exception, cancellationToken))
        {
            return new TokenOutcome.Unavailable();
        }

        using var _ = response;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return new TokenOutcome.Locked();
        }

        // Only invalid_grant says the code or refresh token itself is no good (RFC 6749 5.2); any other refusal is the
        // token server's or the network's trouble, and the resident may simply try again.
        if (response.StatusCode == HttpStatusCode.BadRequest && ErrorCode(text) == "invalid_grant")
        {
            return new TokenOutcome.Refused();
        }

        if (!response.IsSuccessStatusCode)
        {
            return new TokenOutcome.Unavailable();
        }

        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        return new TokenOutcome.Issued(
            root.GetProperty("access_token").GetString()!,
            root.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null,
            DateTimeOffset.UtcNow.AddSeconds(root.TryGetProperty("expires_in", out var expires) ? expires.GetInt32() : 300));
    }

    private static string? ErrorCode(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                ? error.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>No answer at all: the network failed, the resilience pipeline gave up (timeout, open circuit).</summary>
    private static bool IsUnreachable(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException or Polly.ExecutionRejectedException
        || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>Signs the resident in to the portal: the tokens and their language go into the encrypted cookie.</summary>
    public static async Task SignInAsync(HttpContext context, TokenOutcome.Issued tokens, string language)
    {
        var identity = new ClaimsIdentity([new Claim(LanguageClaim, language)], CookieAuthenticationDefaults.AuthenticationScheme);
        var properties = new AuthenticationProperties { IsPersistent = false };
        properties.StoreTokens(Tokens(tokens));
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity), properties);
    }

    public static IEnumerable<AuthenticationToken> Tokens(TokenOutcome.Issued tokens)
    {
        yield return new AuthenticationToken { Name = AccessToken, Value = tokens.AccessToken };
        if (tokens.RefreshToken is not null)
        {
            yield return new AuthenticationToken { Name = RefreshToken, Value = tokens.RefreshToken };
        }

        yield return new AuthenticationToken { Name = ExpiresAt, Value = tokens.ExpiresAt.ToString("o", CultureInfo.InvariantCulture) };
    }
}

public abstract record TokenOutcome
{
    public sealed record Issued(string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt) : TokenOutcome;

    public sealed record Refused : TokenOutcome;

    public sealed record Locked : TokenOutcome;

    /// <summary>The token server could not be reached or failed: nothing is known about the code or token.</summary>
    public sealed record Unavailable : TokenOutcome;
}
