using Microsoft.AspNetCore.Authentication;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>
/// The short-lived cookie a person (staff or resident) holds only on the way from the sign-in page to the
/// authorization code: one shape for both sign-ins.
/// </summary>
public static class SignInCookies
{
    public static AuthenticationBuilder AddSignInCookie(this AuthenticationBuilder authentication, string scheme, string signInPath, string cookieName, TimeSpan lifetime) =>
        authentication.AddCookie(scheme, options =>
        {
            options.LoginPath = signInPath;
            options.Cookie.Name = cookieName;
            options.Cookie.HttpOnly = true;
            // Lax, not Strict: the browser arrives at /connect/authorize from the partner's web client, another site.
            options.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the request came over https; plain HTTP stays usable on a developer's machine.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = lifetime;
            options.SlidingExpiration = false;
            // Relative, so that the browser stays on the gateway's address rather than this service's own.
            options.Events.OnRedirectToLogin = context =>
            {
                context.Response.Redirect(new Uri(context.RedirectUri, UriKind.RelativeOrAbsolute) is { IsAbsoluteUri: true } absolute
                    ? absolute.PathAndQuery
                    : context.RedirectUri);
                return Task.CompletedTask;
            };
        });
}
