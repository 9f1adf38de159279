using Microsoft.AspNetCore.Http.HttpResults;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>
/// The end of a staff member's session at the token server: the console's own sign-out only ends the console's cookie,
/// while the staff sign-in cookie (30 minutes) would let the next person at a shared PC straight back in through
/// /connect/authorize. The browser comes here after the console signed out, and goes back only to an address the
/// console client registered, so that the endpoint cannot be used to send anyone elsewhere.
/// </summary>
public static class StaffSignOut
{
    public const string SignOutPath = "/account/sign-out";
    public const string ClientIdParameter = "client_id";
    public const string PostLogoutRedirectUriParameter = "post_logout_redirect_uri";

    public static IEndpointRouteBuilder MapStaffSignOut(this IEndpointRouteBuilder routes)
    {
        // A GET, as the console redirects the browser here. Signing out a staff member is all another site could make
        // it do, and it lands only on the console's own page.
        routes.MapGet(SignOutPath, SignOutAsync).ExcludeFromDescription().AllowAnonymous();
        return routes;
    }

    internal static async Task<Results<RedirectHttpResult, ValidationProblem>> SignOutAsync(
        HttpContext httpContext, ConsoleClients consoleClients,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = ClientIdParameter)] string? clientId,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = PostLogoutRedirectUriParameter)] string? postLogoutRedirectUri)
    {
        var client = consoleClients.Find(clientId);
        if (client is null)
        {
            return Invalid(ClientIdParameter, "Not a console client of this token server.");
        }

        if (postLogoutRedirectUri is null || !client.PostLogoutRedirectUris.Contains(postLogoutRedirectUri, StringComparer.Ordinal))
        {
            return Invalid(PostLogoutRedirectUriParameter, "Not a post-logout redirect URI registered for this client.");
        }

        await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.SignOutAsync(httpContext, StaffSignIn.Scheme);
        return TypedResults.Redirect(postLogoutRedirectUri);
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
