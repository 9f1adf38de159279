namespace Participatie.PartnerConsole;

/// <summary>
/// Security headers for every console page: no script at all (static rendering needs none), styles only from the
/// console itself, never framed (the pages carry forms that act for a staff member).
/// </summary>
public static class ConsoleHeaders
{
    public static Task AddAsync(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy =
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'self'";
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        return next();
    }
}
