namespace Participatie.PartnerConsole;

/// <summary>
/// Post, redirect, get after a form was handled. The redirect is set on the response directly: NavigationManager's
/// redirect during static rendering did not complete the response while the layout was still loading its data.
/// </summary>
public static class SeeOther
{
    /// <summary>303 to a path inside the console (relative to /console).</summary>
    public static void Redirect(HttpContext context, string consolePath)
    {
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = $"{context.Request.PathBase}/{consolePath.TrimStart('/')}";
    }
}
