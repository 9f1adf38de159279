using Microsoft.Net.Http.Headers;
using Participatie.BuildingBlocks.Auth;

namespace Participatie.Gateway;

/// <summary>
/// CORS per partner: a browser may use a partner's token only from an origin that partner registered for the client
/// (the token carries them as allowed_origin claims). Preflights are answered for any origin, because a preflight
/// carries no token and bearer tokens are never sent by a browser on its own; the decision falls on the actual
/// request, which is refused (403) from an origin the token does not name.
/// </summary>
public sealed class PartnerCors(RequestDelegate next, IProblemDetailsService problems)
{
    private const string AllowedHeaders = "Authorization, Content-Type, API-Version";
    private const string ExposedHeaders = "API-Version, Location, Retry-After";

    public async Task InvokeAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            await next(context);
            return;
        }

        var response = context.Response;
        response.Headers.Append(HeaderNames.Vary, HeaderNames.Origin);
        if (HttpMethods.IsOptions(context.Request.Method) && context.Request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod))
        {
            response.Headers.AccessControlAllowOrigin = origin;
            response.Headers.AccessControlAllowMethods = "GET, POST, PUT, PATCH, DELETE";
            response.Headers.AccessControlAllowHeaders = AllowedHeaders;
            response.Headers.AccessControlMaxAge = "600";
            response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (context.User.Identity?.IsAuthenticated == true)
        {
            if (!context.User.FindAll(ParticipatieClaims.AllowedOrigin).Any(claim => string.Equals(claim.Value, origin, StringComparison.OrdinalIgnoreCase)))
            {
                response.StatusCode = StatusCodes.Status403Forbidden;
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status403Forbidden,
                        Title = "This origin may not use this client's token.",
                        Detail = $"Register '{origin}' as an allowed origin of your client to call the API from it.",
                        Type = "https://fetch.spec.whatwg.org/#http-cors-protocol",
                    },
                });
                return;
            }

            response.Headers.AccessControlAllowOrigin = origin;
            response.Headers.AccessControlExposeHeaders = ExposedHeaders;
        }

        await next(context);
    }
}
