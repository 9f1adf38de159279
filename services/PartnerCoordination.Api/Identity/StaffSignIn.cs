using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>
/// The sign-in page for partner staff, on the way to a code for their organisation's web client. A short-lived cookie
/// remembers the staff member between the sign-in page and the authorization endpoint; it is never an API credential.
/// </summary>
public static class StaffSignIn
{
    public const string Scheme = "staff";
    public const string SignInPath = "/account/sign-in";

    public static IServiceCollection AddStaffSignIn(this IServiceCollection services)
    {
        services.AddSingleton<PartnerUsers>();
        services.AddSingleton<StaffSignInThrottle>();
        services.AddSingleton<ClientAddress>();
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddAuthentication().AddSignInCookie(Scheme, SignInPath, "participatie.staff", TimeSpan.FromMinutes(30));
        return services;
    }

    public static IEndpointRouteBuilder MapStaffSignIn(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(SignInPath, ShowForm).ExcludeFromDescription().AllowAnonymous();
        routes.MapPost(SignInPath, SignIn).ExcludeFromDescription().AllowAnonymous();
        routes.MapStaffSignOut();
        return routes;
    }

    public static async Task<PartnerUser?> CurrentUserAsync(HttpContext httpContext, PartnerUsers users, CancellationToken cancellationToken)
    {
        var signedIn = await httpContext.AuthenticateAsync(Scheme);
        return signedIn.Succeeded && Guid.TryParse(signedIn.Principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            ? await users.FindAsync(userId, cancellationToken)
            : null;
    }

    /// <summary>Sends the browser to the sign-in page, to come back to this very request afterwards.</summary>
    public static IResult Challenge(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var query = request.HasFormContentType
            ? QueryString.Create(request.Form.Select(field => KeyValuePair.Create(field.Key, field.Value)))
            : request.QueryString;
        return Results.Challenge(new AuthenticationProperties { RedirectUri = request.PathBase + request.Path + query }, [Scheme]);
    }

    private static IResult ShowForm(HttpContext httpContext, IAntiforgery antiforgery, string? returnUrl) =>
        Page(httpContext, antiforgery, returnUrl, error: null, StatusCodes.Status200OK);

    private static async Task<IResult> SignIn(
        HttpContext httpContext, IAntiforgery antiforgery, PartnerUsers users, StaffSignInThrottle throttle, ClientAddress clientAddress,
        CancellationToken cancellationToken)
    {
        await antiforgery.ValidateRequestAsync(httpContext);
        var form = await httpContext.Request.ReadFormAsync(cancellationToken);
        var returnUrl = form["returnUrl"].ToString();
        var email = form["email"].ToString();
        var address = clientAddress.Of(httpContext);
        if (await throttle.BlockedForAsync(email, address, cancellationToken) is { } wait)
        {
            // Refused before the password is looked at, known account or not.
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page(
                httpContext, antiforgery, returnUrl,
                $"Te veel pogingen; probeer het over {seconds} seconden opnieuw. / Too many attempts; try again in {seconds} seconds.",
                StatusCodes.Status429TooManyRequests);
        }

        var user = await users.SignInAsync(email, form["password"].ToString(), cancellationToken);
        if (user is null)
        {
            await throttle.RecordFailureAsync(email, address, cancellationToken);
            return Page(
                httpContext, antiforgery, returnUrl, "Dit e-mailadres en wachtwoord horen niet bij elkaar. / This e-mail address and password do not match.",
                StatusCodes.Status401Unauthorized);
        }

        await throttle.RecordSuccessAsync(email, cancellationToken);

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()), new Claim(ClaimTypes.Name, user.Name)], Scheme);
        await httpContext.SignInAsync(Scheme, new ClaimsPrincipal(identity));
        // Only back into this service: an open redirect would hand the sign-in to anyone.
        return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl : "/");
    }

    private static bool IsLocal(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    private static IResult Page(HttpContext httpContext, IAntiforgery antiforgery, string? returnUrl, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(httpContext);
        var message = error is null ? string.Empty : $"<p role=\"alert\">{WebUtility.HtmlEncode(error)}</p>";
        var html = $$"""
            <!doctype html>
            <html lang="nl">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Inloggen – Participatie</title></head>
            <body style="font-family: sans-serif; max-width: 28rem; margin: 3rem auto">
              <h1>Inloggen voor partners</h1>
              <p>Log in met het e-mailadres van uw organisatie. <small lang="en">(Sign in with your organisation's e-mail address.)</small></p>
              {{message}}
              <form method="post" action="{{SignInPath}}">
                <input type="hidden" name="{{tokens.FormFieldName}}" value="{{WebUtility.HtmlEncode(tokens.RequestToken)}}">
                <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl ?? "/")}}">
                <p><label>E-mailadres<br><input type="email" name="email" autocomplete="username" required></label></p>
                <p><label>Wachtwoord<br><input type="password" name="password" autocomplete="current-password" required></label></p>
                <p><button type="submit">Inloggen</button></p>
              </form>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
