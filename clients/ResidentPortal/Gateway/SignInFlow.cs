namespace Participatie.ResidentPortal.Gateway;

/// <summary>The end of every sign-in: the resident's language from their profile, then the cookie.</summary>
public static class SignInFlow
{
    public static async Task CompleteAsync(HttpContext context, PortalApi api, TokenOutcome.Issued tokens)
    {
        // The new token is not in a cookie yet: this request's calls use it directly.
        context.Items[TokenRefresh.FreshAccessTokenKey] = tokens.AccessToken;
        var me = await api.GetAsync<Me>("/v1/me", cancellationToken: context.RequestAborted);
        await ResidentTokenClient.SignInAsync(context, tokens, me.Value?.PreferredLanguage ?? Participatie.Contracts.Languages.Dutch);
    }

    /// <summary>Only a path of the portal itself, so that a crafted link cannot send a resident elsewhere after signing in.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 1 } url && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/my";
}
