using System.Security.Claims;

namespace Participatie.PartnerConsole;

/// <summary>
/// The signed-in staff member's partner logo, passed on from the API: the browser never holds the token that the API
/// wants, so the console fetches the image for it.
/// </summary>
public static class PartnerLogo
{
    public static async Task<IResult> ServeAsync(Guid partnerId, ClaimsPrincipal user, GatewayApi api, HttpContext context)
    {
        // Only the staff member's own partner: the console shows no other.
        if (user.FindFirst(ConsoleSignIn.PartnerIdClaim)?.Value != partnerId.ToString())
        {
            return Results.NotFound();
        }

        if (await api.LogoAsync(partnerId, context.RequestAborted) is not { } logo)
        {
            return Results.NotFound();
        }

        // An SVG opened on its own may run nothing (nosniff comes with every console answer); the browser keeps it for a few minutes only, privately.
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
        context.Response.Headers.CacheControl = "private, max-age=300";
        // Downloaded, not rendered, when opened directly (the img tag still shows it), as the API serves it.
        return Results.Bytes(logo.Content, logo.ContentType, fileDownloadName: logo.ContentType == "image/svg+xml" ? "logo.svg" : "logo.png");
    }
}
