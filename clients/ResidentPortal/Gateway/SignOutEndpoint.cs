using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Participatie.ResidentPortal.Gateway;

/// <summary>Signing out: the cookie with the tokens is gone; the tokens themselves run out within 15 minutes.</summary>
public static class SignOutEndpoint
{
    public static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        // A form post from the portal's own page only: another site cannot sign a resident out.
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.BadRequest();
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect("/?signed-out=1");
    }
}

/// <summary>The resident's data export files, fetched with their token and passed on; the token never reaches the browser.</summary>
public static class DataExportDownload
{
    public static async Task<IResult> DownloadAsync(Guid exportId, string file, PortalApi api, HttpContext context)
    {
        if (file is not ("data.json" or "data.pdf"))
        {
            return Results.NotFound();
        }

        var response = await api.GetFileAsync($"/v1/me/data-exports/{exportId}/{file}", context.RequestAborted);
        context.Response.RegisterForDispose(response);
        if (!response.IsSuccessStatusCode)
        {
            return Results.NotFound();
        }

        var contentType = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
        return Results.Stream(await response.Content.ReadAsStreamAsync(context.RequestAborted), contentType, fileDownloadName: file);
    }
}
