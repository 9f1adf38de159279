using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace Participatie.PartnerConsole;

/// <summary>
/// The console as a client of the platform's token server: authorization code with PKCE (S256), by hand, because the
/// token server issues access tokens only (no ID token, which the OpenID Connect handler insists on). The access token
/// stays on the server, inside the encrypted session cookie; the browser never sees it. The session ends with the
/// token (4.5 minutes for staff); the next request then goes through /connect/authorize again, which answers at once
/// while the staff member's sign-in at the token server (30 minutes) lasts.
/// </summary>
public static class ConsoleSignIn
{
    public const string SignInPath = "/signin";
    public const string CallbackPath = "/signin-callback";
    public const string SignOutPath = "/signout";
    public const string AccessTokenName = "access_token";
    public const string PartnerIdClaim = "partner_id";
    public const string StaffRoleClaim = "staff_role";

    private const string PendingCookie = "participatie.console.signin";

    /// <summary>Stop using a token this long before it expires, so that no API call carries one that runs out on the way.</summary>
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(20);

    public static Uri GatewayUrl(IConfiguration configuration) =>
        new(configuration["Gateway:Url"] ?? throw new InvalidOperationException("Gateway:Url is not configured (the AppHost passes Gateway__Url)."));

    public static IServiceCollection AddConsoleSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "participatie.console";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = SignInPath;
                options.ReturnUrlParameter = "returnUrl";
                // The ticket's own expiry (the token's) decides; no sliding past the token.
                options.SlidingExpiration = false;
            });
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddHttpClient(nameof(ConsoleSignIn), client => client.BaseAddress = GatewayUrl(configuration));
        return services;
    }

    public static IEndpointRouteBuilder MapConsoleSignIn(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(SignInPath, StartSignIn).AllowAnonymous();
        routes.MapGet(CallbackPath, CompleteSignIn).AllowAnonymous();
        routes.MapPost(SignOutPath, SignOut).AllowAnonymous();
        return routes;
    }

    private sealed record PendingSignIn(string State, string Verifier, string ReturnUrl);

    private static IResult StartSignIn(HttpContext context, IDataProtectionProvider protection, IConfiguration configuration, string? returnUrl)
    {
        // The cookie handler sends the full local path (/console/...); the console keeps it relative to its base.
        var pathBase = context.Request.PathBase.Value ?? string.Empty;
        if (pathBase.Length > 0 && returnUrl is not null && returnUrl.StartsWith(pathBase, StringComparison.Ordinal))
        {
            returnUrl = returnUrl[pathBase.Length..] is { Length: > 0 } rest ? rest : "/";
        }

        var pending = new PendingSignIn(RandomToken(), RandomToken(), IsLocal(returnUrl) ? returnUrl! : "/");
        context.Response.Cookies.Append(PendingCookie, Protector(protection).Protect(JsonSerializer.Serialize(pending)), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            Path = context.Request.PathBase + CallbackPath,
            MaxAge = TimeSpan.FromMinutes(10),
        });
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(pending.Verifier)));
        var authorize = QueryHelpers.AddQueryString(new Uri(GatewayUrl(configuration), "/connect/authorize").ToString(), new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = ClientId(configuration),
            ["redirect_uri"] = RedirectUri(configuration),
            ["scope"] = "api",
            ["state"] = pending.State,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        });
        return Results.Redirect(authorize);
    }

    private static async Task<IResult> CompleteSignIn(
        HttpContext context, IDataProtectionProvider protection, IConfiguration configuration, IHttpClientFactory httpClients,
        TimeProvider clock, ILoggerFactory loggers, string? code, string? state, string? error)
    {
        var pending = ReadPending(context, protection);
        context.Response.Cookies.Delete(PendingCookie, new CookieOptions { Path = context.Request.PathBase + CallbackPath });
        // The state ties this answer to the sign-in this browser started: anything else is a forged or stale callback.
        if (pending is null || state is null || error is not null || code is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(pending.State)))
        {
            return Results.Redirect(context.Request.PathBase + "/signed-out?failed=true");
        }

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = ClientId(configuration),
            ["code"] = code,
            ["redirect_uri"] = RedirectUri(configuration),
            ["code_verifier"] = pending.Verifier,
        });
        using var response = await httpClients.CreateClient(nameof(ConsoleSignIn)).PostAsync(new Uri("/connect/token", UriKind.Relative), form, context.RequestAborted);
        if (!response.IsSuccessStatusCode)
        {
            loggers.CreateLogger(nameof(ConsoleSignIn)).LogWarning("The token server refused the console's code: {Status}", (int)response.StatusCode);
            return Results.Redirect(context.Request.PathBase + "/signed-out?failed=true");
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(context.RequestAborted));
        var accessToken = body.RootElement.GetProperty("access_token").GetString()!;
        var expiresIn = body.RootElement.TryGetProperty("expires_in", out var seconds) ? seconds.GetInt32() : 270;
        var expiresAt = clock.GetUtcNow().AddSeconds(expiresIn) - ExpiryMargin;

        // The token came straight from the token server over the back channel; the API validates it on every call.
        // The console reads only who it is for, to show their name and partner.
        var claims = ReadPayload(accessToken);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, claims.GetValueOrDefault("sub") ?? string.Empty),
                new Claim(ClaimTypes.Name, claims.GetValueOrDefault("name") ?? string.Empty),
                new Claim(PartnerIdClaim, claims.GetValueOrDefault(PartnerIdClaim) ?? string.Empty),
                new Claim(StaffRoleClaim, claims.GetValueOrDefault(StaffRoleClaim) ?? string.Empty),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme);
        var properties = new AuthenticationProperties { ExpiresUtc = expiresAt, IsPersistent = false };
        properties.StoreTokens([
            new AuthenticationToken { Name = AccessTokenName, Value = accessToken },
            new AuthenticationToken { Name = "expires_at", Value = expiresAt.ToString("o", CultureInfo.InvariantCulture) },
        ]);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity), properties);
        return Results.LocalRedirect(context.Request.PathBase + pending.ReturnUrl);
    }

    private static async Task<IResult> SignOut(HttpContext context, IAntiforgery antiforgery, IConfiguration configuration)
    {
        // A form post from the console's own page only; anything else is a bad request, not a server error.
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.BadRequest();
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        // Then the token server's staff sign-in cookie: otherwise the next person at a shared PC opens the console and
        // /connect/authorize signs them straight back in as this staff member. It sends the browser to /signed-out.
        return Results.Redirect(EndSessionUrl(configuration));
    }

    /// <summary>The token server's end of the staff session, coming back to the console's signed-out page.</summary>
    public static string EndSessionUrl(IConfiguration configuration) =>
        QueryHelpers.AddQueryString(new Uri(GatewayUrl(configuration), "/account/sign-out").ToString(), new Dictionary<string, string?>
        {
            ["client_id"] = ClientId(configuration),
            ["post_logout_redirect_uri"] = PostLogoutRedirectUri(configuration),
        });

    /// <summary>Registered with the token server beside the redirect URI, as the only place its sign-out may send the browser.</summary>
    public static string PostLogoutRedirectUri(IConfiguration configuration) =>
        new Uri(GatewayUrl(configuration), "/console/signed-out").ToString();

    private static PendingSignIn? ReadPending(HttpContext context, IDataProtectionProvider protection)
    {
        if (context.Request.Cookies[PendingCookie] is not { } value)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<PendingSignIn>(Protector(protection).Unprotect(value));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static Dictionary<string, string> ReadPayload(string jwt)
    {
        var parts = jwt.Split('.');
        using var payload = JsonDocument.Parse(WebEncoders.Base64UrlDecode(parts[1]));
        return payload.RootElement.EnumerateObject()
            .Where(property => property.Value.ValueKind == JsonValueKind.String)
            .ToDictionary(property => property.Name, property => property.Value.GetString()!);
    }

    private static IDataProtector Protector(IDataProtectionProvider protection) => protection.CreateProtector("Participatie.PartnerConsole.SignIn");

    private static string ClientId(IConfiguration configuration) => configuration["Console:ClientId"] ?? "partner-console";

    /// <summary>Where the browser comes back: the console as the browser sees it, behind the gateway.</summary>
    public static string RedirectUri(IConfiguration configuration) =>
        new Uri(GatewayUrl(configuration), "/console" + CallbackPath).ToString();

    private static string RandomToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => WebEncoders.Base64UrlEncode(bytes);

    /// <summary>Only back into the console: an open redirect would hand the session to anyone.</summary>
    private static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}

/// <summary>Puts the session's access token on the console's calls to the gateway.</summary>
public sealed class BearerFromSession(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (accessor.HttpContext is { } context && await context.GetTokenAsync(ConsoleSignIn.AccessTokenName) is { } token)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Thrown when the gateway no longer accepts the session's token (a disabled login, for one).</summary>
public sealed class SessionExpiredException() : Exception("The gateway refused the console session's token.");

/// <summary>A refused token ends the session and starts a new sign-in that comes back to this page.</summary>
public sealed class SessionExpiry(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (SessionExpiredException) when (!context.Response.HasStarted)
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            var returnUrl = HttpMethods.IsGet(context.Request.Method) ? context.Request.Path + context.Request.QueryString : "/";
            context.Response.Redirect(QueryHelpers.AddQueryString(context.Request.PathBase + ConsoleSignIn.SignInPath, "returnUrl", returnUrl));
        }
    }
}
