using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Participatie.ResidentPortal.Gateway;

/// <summary>
/// Before a page of a signed-in resident runs: an access token that is (nearly) expired is refreshed with the refresh
/// token and the cookie rewritten; a refresh the token server refuses (an erased resident, an expired sign-in) signs
/// the resident out of the portal.
/// </summary>
public sealed class TokenRefresh(RequestDelegate next)
{
    public const string FreshAccessTokenKey = "participatie-portal:fresh-access-token";

    // The services allow 30 s of clock skew; refreshing a minute early keeps a page's calls inside the token's life.
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    public async Task InvokeAsync(HttpContext context, ResidentTokenClient tokens)
    {
        if (context.User.Identity?.IsAuthenticated == true && !IsStaticFile(context))
        {
            var result = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            var expiresAt = result.Properties?.GetTokenValue(ResidentTokenClient.ExpiresAt);
            if (result.Succeeded && DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)
                && expires - Margin < DateTimeOffset.UtcNow)
            {
                var refreshToken = result.Properties!.GetTokenValue(ResidentTokenClient.RefreshToken);
                var refreshed = refreshToken is null ? null : await tokens.RefreshAsync(refreshToken, context.RequestAborted) as TokenOutcome.Issued;
                if (refreshed is null)
                {
                    await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
                }
                else
                {
                    // The token server may keep the refresh token; keep the old one then.
                    refreshed = refreshed with { RefreshToken = refreshed.RefreshToken ?? refreshToken };
                    result.Properties.StoreTokens(ResidentTokenClient.Tokens(refreshed));
                    await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, result.Principal!, result.Properties);
                    context.Items[FreshAccessTokenKey] = refreshed.AccessToken;
                }
            }
        }

        await next(context);
    }

    private static bool IsStaticFile(HttpContext context) => context.Request.Path.StartsWithSegments("/portal.css", StringComparison.Ordinal);
}
