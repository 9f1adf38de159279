using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Participatie.ResidentPortal.Gateway;

/// <summary>Changes to the portal's own sign-in cookie after the resident changed something in the API.</summary>
public static class ResidentSession
{
    /// <summary>The same tokens, with the resident's new language.</summary>
    public static async Task ChangeLanguageAsync(HttpContext context, string language)
    {
        var result = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!result.Succeeded)
        {
            return;
        }

        var identity = new ClaimsIdentity([new Claim(ResidentTokenClient.LanguageClaim, language)], CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity), result.Properties);
    }

    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
}
