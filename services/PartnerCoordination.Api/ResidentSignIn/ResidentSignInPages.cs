using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Npgsql;
using Participatie.Contracts;
using Participatie.PartnerCoordination.Identity;

namespace Participatie.PartnerCoordination.ResidentSignIn;

/// <summary>
/// The resident's sign-in pages on the way to a code for a resident client (authorization code with PKCE): e-mail
/// address or phone number, then the code that was sent; or the address and the code from a letter. A short-lived
/// cookie remembers the resident between these pages and the authorization endpoint; it is never an API credential.
/// Plain on purpose: the web portal will style them.
/// </summary>
public static class ResidentSignInPages
{
    public const string Scheme = "resident";
    public const string SignInPath = "/account/resident/sign-in";
    public const string CodePath = "/account/resident/sign-in/code";
    public const string LetterPath = "/account/resident/sign-in/letter";
    public const string CodeRequestPath = "/account/resident/sign-in/code-request";

    public static IServiceCollection AddResidentSignInPages(this IServiceCollection services)
    {
        services.AddAntiforgery();
        services.AddAuthentication().AddSignInCookie(Scheme, SignInPath, "participatie.resident", TimeSpan.FromMinutes(15));
        return services;
    }

    public static IEndpointRouteBuilder MapResidentSignInPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(SignInPath, ShowStart).ExcludeFromDescription().AllowAnonymous();
        routes.MapPost(CodeRequestPath, RequestCode).ExcludeFromDescription().AllowAnonymous();
        routes.MapPost(CodePath, EnterCode).ExcludeFromDescription().AllowAnonymous();
        routes.MapPost(LetterPath, EnterLetterCode).ExcludeFromDescription().AllowAnonymous();
        return routes;
    }

    /// <summary>The resident signed in on these pages, if they still can sign in.</summary>
    public static async Task<Guid?> CurrentResidentAsync(HttpContext httpContext, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var signedIn = await httpContext.AuthenticateAsync(Scheme);
        if (!signedIn.Succeeded || !Guid.TryParse(signedIn.Principal.FindFirstValue(ClaimTypes.NameIdentifier), out var residentId))
        {
            return null;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ResidentSignInStore.CanSignInAsync(connection, null, residentId, cancellationToken) ? residentId : null;
    }

    /// <summary>Sends the browser to the resident sign-in page, to come back to this very request afterwards.</summary>
    public static IResult Challenge(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var query = request.HasFormContentType
            ? QueryString.Create(request.Form.Select(field => KeyValuePair.Create(field.Key, field.Value)))
            : request.QueryString;
        return Results.Challenge(new AuthenticationProperties { RedirectUri = request.PathBase + request.Path + query }, [Scheme]);
    }

    private static IResult ShowStart(HttpContext httpContext, IAntiforgery antiforgery, string? returnUrl) =>
        StartPage(httpContext, antiforgery, returnUrl, error: null, StatusCodes.Status200OK);

    private static async Task<IResult> RequestCode(HttpContext httpContext, IAntiforgery antiforgery, ResidentSignInService signIn, CancellationToken cancellationToken)
    {
        await antiforgery.ValidateRequestAsync(httpContext);
        var form = await httpContext.Request.ReadFormAsync(cancellationToken);
        var returnUrl = form["returnUrl"].ToString();
        var address = form["address"].ToString().Trim();
        var channel = address.Contains('@', StringComparison.Ordinal) ? ResidentSignInService.Email
            : ResidentIdentifierKeys.NormalisePhone(address) is { Length: >= 9 and <= 16 } phone && phone.StartsWith('+') ? ResidentSignInService.Sms
            : null;
        if (channel is null)
        {
            return StartPage(httpContext, antiforgery, returnUrl,
                "Vul een e-mailadres of telefoonnummer in. / Enter an e-mail address or phone number.", StatusCodes.Status400BadRequest);
        }

        // Optional: only needed when people at different homes share the e-mail address or phone number.
        var postcode = form["postcode"].ToString();
        var houseNumberText = form["houseNumber"].ToString();
        string? homeAddress = null;
        if (!string.IsNullOrWhiteSpace(postcode) || !string.IsNullOrWhiteSpace(houseNumberText))
        {
            homeAddress = int.TryParse(houseNumberText, out var houseNumber)
                ? AddressKeys.Key(postcode, houseNumber, form["houseNumberSuffix"].ToString())
                : null;
            if (homeAddress is null)
            {
                return StartPage(httpContext, antiforgery, returnUrl,
                    "Dit adres klopt niet. Vul uw postcode en huisnummer in, of laat beide leeg. / This address is not valid.",
                    StatusCodes.Status400BadRequest);
            }
        }

        var challenge = await signIn.RequestCodeAsync(channel, address, homeAddress, cancellationToken);
        return CodePage(httpContext, antiforgery, returnUrl, challenge.ChallengeId, error: null, StatusCodes.Status200OK);
    }

    private static async Task<IResult> EnterCode(
        HttpContext httpContext, IAntiforgery antiforgery, ResidentSignInService signIn, TimeProvider clock, CancellationToken cancellationToken)
    {
        await antiforgery.ValidateRequestAsync(httpContext);
        var form = await httpContext.Request.ReadFormAsync(cancellationToken);
        var returnUrl = form["returnUrl"].ToString();
        if (!Guid.TryParse(form["challengeId"].ToString(), out var challengeId))
        {
            return StartPage(httpContext, antiforgery, returnUrl, "Vraag eerst een code aan. / Ask for a code first.", StatusCodes.Status400BadRequest);
        }

        var outcome = await signIn.RedeemCodeAsync(challengeId, form["code"].ToString(), cancellationToken);
        return outcome is RedeemOutcome.SignedIn signedIn
            ? await SignInAsync(httpContext, signedIn.ResidentId, returnUrl)
            : CodePage(httpContext, antiforgery, returnUrl, challengeId, Explain(outcome, clock), StatusFor(outcome));
    }

    private static async Task<IResult> EnterLetterCode(
        HttpContext httpContext, IAntiforgery antiforgery, ResidentSignInService signIn, TimeProvider clock, CancellationToken cancellationToken)
    {
        await antiforgery.ValidateRequestAsync(httpContext);
        var form = await httpContext.Request.ReadFormAsync(cancellationToken);
        var returnUrl = form["returnUrl"].ToString();
        var homeKey = int.TryParse(form["houseNumber"].ToString(), out var houseNumber)
            ? AddressKeys.Key(form["postcode"].ToString(), houseNumber, form["houseNumberSuffix"].ToString())
            : null;
        if (homeKey is null)
        {
            return StartPage(httpContext, antiforgery, returnUrl,
                "Dit adres klopt niet. Vul uw postcode en huisnummer in. / This address is not valid.", StatusCodes.Status400BadRequest);
        }

        var outcome = await signIn.RedeemLetterCodeAsync(homeKey, form["code"].ToString(), cancellationToken);
        return outcome is RedeemOutcome.SignedIn signedIn
            ? await SignInAsync(httpContext, signedIn.ResidentId, returnUrl)
            : StartPage(httpContext, antiforgery, returnUrl, Explain(outcome, clock), StatusFor(outcome));
    }

    private static async Task<IResult> SignInAsync(HttpContext httpContext, Guid residentId, string returnUrl)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, residentId.ToString())], Scheme);
        await httpContext.SignInAsync(Scheme, new ClaimsPrincipal(identity));
        // Only back into this service: an open redirect would hand the sign-in to anyone.
        return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl : "/");
    }

    private static string Explain(RedeemOutcome outcome, TimeProvider clock) => outcome switch
    {
        RedeemOutcome.Locked locked =>
            $"U heeft te vaak een verkeerde code ingevuld. Probeer het over {Math.Ceiling((locked.Until - clock.GetUtcNow()).TotalMinutes)} minuten opnieuw. "
            + "/ Too many wrong codes. Try again later.",
        _ => "Deze code klopt niet, is verlopen of is al gebruikt. / This code is wrong, has expired or was used before.",
    };

    private static int StatusFor(RedeemOutcome outcome) =>
        outcome is RedeemOutcome.Locked ? StatusCodes.Status429TooManyRequests : StatusCodes.Status401Unauthorized;

    private static bool IsLocal(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    private static IResult StartPage(HttpContext httpContext, IAntiforgery antiforgery, string? returnUrl, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(httpContext);
        var hidden = Hidden(tokens, returnUrl);
        var body = $$"""
              <h1>Inloggen als bewoner</h1>
              {{Alert(error)}}
              <h2>Met een code per e-mail of sms</h2>
              <form method="post" action="{{CodeRequestPath}}">
                {{hidden}}
                <p><label>Uw e-mailadres of mobiele nummer<br><input name="address" autocomplete="username" required></label></p>
                <p>Gebruikt u dit e-mailadres of nummer samen met iemand die op een ander adres woont? Vul dan ook uw
                   postcode en huisnummer in. Anders krijgt u geen code.</p>
                <p><label>Postcode (niet verplicht)<br><input name="postcode" autocomplete="postal-code"></label></p>
                <p><label>Huisnummer (niet verplicht)<br><input name="houseNumber" inputmode="numeric"></label>
                   <label>Toevoeging<br><input name="houseNumberSuffix"></label></p>
                <p><button type="submit">Stuur mij een code</button></p>
              </form>
              <h2>Met de code uit uw brief</h2>
              <form method="post" action="{{LetterPath}}">
                {{hidden}}
                <p><label>Postcode<br><input name="postcode" autocomplete="postal-code" required></label></p>
                <p><label>Huisnummer<br><input name="houseNumber" inputmode="numeric" required></label>
                   <label>Toevoeging<br><input name="houseNumberSuffix"></label></p>
                <p><label>Code uit de brief<br><input name="code" autocomplete="one-time-code" required></label></p>
                <p><button type="submit">Inloggen</button></p>
              </form>
            """;
        return Page(body, status);
    }

    private static IResult CodePage(HttpContext httpContext, IAntiforgery antiforgery, string? returnUrl, Guid challengeId, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(httpContext);
        var body = $$"""
              <h1>Vul uw code in</h1>
              <p>Als wij uw e-mailadres of nummer kennen, hebben wij u een code van 6 cijfers gestuurd. De code is 10 minuten geldig.
                 <small lang="en">(If we know your address, we sent you a 6-digit code, valid for 10 minutes.)</small></p>
              {{Alert(error)}}
              <form method="post" action="{{CodePath}}">
                {{Hidden(tokens, returnUrl)}}
                <input type="hidden" name="challengeId" value="{{challengeId}}">
                <p><label>Code<br><input name="code" inputmode="numeric" autocomplete="one-time-code" required></label></p>
                <p><button type="submit">Inloggen</button></p>
              </form>
              <p><a href="{{SignInPath}}?returnUrl={{WebUtility.UrlEncode(returnUrl ?? "/")}}">Nieuwe code aanvragen</a></p>
            """;
        return Page(body, status);
    }

    private static string Hidden(AntiforgeryTokenSet tokens, string? returnUrl) =>
        $"""
        <input type="hidden" name="{tokens.FormFieldName}" value="{WebUtility.HtmlEncode(tokens.RequestToken)}">
                <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl ?? "/")}">
        """;

    private static string Alert(string? error) => error is null ? string.Empty : $"<p role=\"alert\">{WebUtility.HtmlEncode(error)}</p>";

    private static IResult Page(string body, int status) =>
        Results.Content(
            $$"""
            <!doctype html>
            <html lang="nl">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Inloggen – Participatie</title></head>
            <body style="font-family: sans-serif; max-width: 28rem; margin: 3rem auto">
            {{body}}
            </body>
            </html>
            """,
            "text/html; charset=utf-8",
            statusCode: status);
}
