using System.Globalization;

namespace Participatie.PartnerConsole;

/// <summary>
/// The console speaks Dutch or English (staff texts only; resident-facing texts are the portal's): the staff member's
/// choice (a cookie), else the browser's preference, else Dutch.
/// </summary>
public sealed class ConsoleLanguage(IHttpContextAccessor accessor)
{
    public const string Dutch = "nl";
    public const string English = "en";
    private const string CookieName = "participatie.console.lang";

    public string Code { get; } = Choose(accessor.HttpContext);

    public string T(string key) => ConsoleTexts.Get(Code, key);

    public string Date(DateOnly date) => date.ToString(Code == English ? "d MMM yyyy" : "d MMM yyyy", Culture);

    public string DateTime(DateTimeOffset moment) => moment.ToString("d MMM yyyy HH:mm", Culture);

    public string Number(double value, string format = "0") => value.ToString(format, Culture);

    public string Percent(double share) => (share * 100).ToString("0", Culture) + "%";

    /// <summary>A share the API leaves out because it would give a count under 5 away.</summary>
    public string Percent(double? share) => share is { } shown ? Percent(shown) : "–";

    public CultureInfo Culture => CultureInfo.GetCultureInfo(Code == English ? "en-GB" : "nl-NL");

    /// <summary>GET /language?to=en&amp;returnUrl=/... : a plain link switches the language, no script needed.</summary>
    public static IResult Switch(HttpContext context, string? to, string? returnUrl)
    {
        var code = to == English ? English : Dutch;
        context.Response.Cookies.Append(CookieName, code, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, Path = context.Request.PathBase.HasValue ? context.Request.PathBase.Value : "/",
            MaxAge = TimeSpan.FromDays(365),
        });
        var local = returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) ? returnUrl : "/";
        return Results.LocalRedirect(context.Request.PathBase + local);
    }

    private static string Choose(HttpContext? context)
    {
        if (context?.Request.Cookies[CookieName] is Dutch or English)
        {
            return context.Request.Cookies[CookieName]!;
        }

        var preferred = context?.Request.GetTypedHeaders().AcceptLanguage
            .OrderByDescending(language => language.Quality ?? 1)
            .Select(language => language.Value.Value ?? string.Empty)
            .FirstOrDefault(language => language.StartsWith(Dutch, StringComparison.OrdinalIgnoreCase) || language.StartsWith(English, StringComparison.OrdinalIgnoreCase));
        return preferred?.StartsWith(English, StringComparison.OrdinalIgnoreCase) == true ? English : Dutch;
    }
}
