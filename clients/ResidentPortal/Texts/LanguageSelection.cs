using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;
using Participatie.Contracts;
using Participatie.ResidentPortal.Gateway;

namespace Participatie.ResidentPortal.Texts;

/// <summary>
/// Chooses each page's language: a language just picked with the switcher (<c>?lang=</c>, then remembered in a
/// cookie), else the signed-in resident's own preference, else the remembered choice, else the browser's
/// Accept-Language, else Dutch.
/// </summary>
public sealed class LanguageSelection(RequestDelegate next)
{
    public const string CookieName = "participatie-lang";

    public Task InvokeAsync(HttpContext context, PortalLanguage language)
    {
        language.Use(Choose(context));
        return next(context);
    }

    private static string Choose(HttpContext context)
    {
        // A page re-executed for a status code (the not-found page) keeps the language asked for in the original request.
        var asked = context.Request.Query["lang"].ToString() is { Length: > 0 } inQuery
            ? inQuery
            : context.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalQueryString is { Length: > 0 } original
                ? QueryHelpers.ParseQuery(original).GetValueOrDefault("lang").ToString()
                : string.Empty;
        if (PortalLanguage.Catalog.ContainsKey(asked))
        {
            context.Response.Cookies.Append(CookieName, asked, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(365),
                IsEssential = true,
            });
            return asked;
        }

        if (context.User.FindFirst(ResidentTokenClient.LanguageClaim)?.Value is { } preferred && PortalLanguage.Catalog.ContainsKey(preferred))
        {
            return preferred;
        }

        if (context.Request.Cookies[CookieName] is { } remembered && PortalLanguage.Catalog.ContainsKey(remembered))
        {
            return remembered;
        }

        var accepted = context.Request.GetTypedHeaders().AcceptLanguage
            .OrderByDescending(value => value.Quality ?? 1)
            .Select(value => value.Value.Value?.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(code => code is not null && PortalLanguage.Catalog.ContainsKey(code));
        return accepted ?? Languages.Dutch;
    }
}
