using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Participatie.ResidentPortal.Gateway;

/// <summary>
/// Before a page of a signed-in resident runs: an access token that is (nearly) expired is refreshed with the refresh
/// token and the cookie rewritten. Only a refresh token the token server calls invalid (invalid_grant: an erased
/// resident, an expired sign-in) signs the resident out; when it is busy (429), failing (5xx) or unreachable, the
/// session is kept and the resident is asked to try again.
/// </summary>
public sealed class TokenRefresh(RequestDelegate next)
{
    public const string FreshAccessTokenKey = "participatie-portal:fresh-access-token";

    // The services allow 30 s of clock skew; refreshing a minute early keeps a page's calls inside the token's life.
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    public async Task InvokeAsync(HttpContext context, ResidentTokenClient tokens)
    {
        if (context.User.Identity?.IsAuthenticated == true && !NeedsNoToken(context))
        {
            var result = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            var expiresAt = result.Properties?.GetTokenValue(ResidentTokenClient.ExpiresAt);
            if (result.Succeeded && DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)
                && expires - Margin < DateTimeOffset.UtcNow)
            {
                var refreshToken = result.Properties!.GetTokenValue(ResidentTokenClient.RefreshToken);
                var outcome = refreshToken is null ? new TokenOutcome.Refused() : await tokens.RefreshAsync(refreshToken, context.RequestAborted);
                switch (outcome)
                {
                    case TokenOutcome.Issued issued:
                        // The token server may keep the refresh token; keep the old one then.
                        var refreshed = issued with { RefreshToken = issued.RefreshToken ?? refreshToken };
                        result.Properties.StoreTokens(ResidentTokenClient.Tokens(refreshed));
                        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, result.Principal!, result.Properties);
                        context.Items[FreshAccessTokenKey] = refreshed.AccessToken;
                        break;
                    case TokenOutcome.Refused:
                        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                        context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
                        break;
                    default:
                        // The page would only meet a 401 with the expired token: the resident waits a moment instead.
                        context.Response.Redirect(TryAgainPath + "?returnUrl=" + Uri.EscapeDataString(context.Request.PathBase + context.Request.Path + context.Request.QueryString));
                        context.Response.StatusCode = StatusCodes.Status303SeeOther;
                        return;
                }
            }
        }

        await next(context);
    }

    /// <summary>The page that says the session is kept; it calls no API, so it needs no fresh token.</summary>
    public const string TryAgainPath = "/try-again";

    private static bool NeedsNoToken(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/portal.css", StringComparison.Ordinal)
        || context.Request.Path.StartsWithSegments(TryAgainPath, StringComparison.Ordinal);
}
