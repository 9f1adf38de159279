using System.Globalization;
using Participatie.BuildingBlocks.Http;
using Yarp.ReverseProxy.Configuration;

namespace Participatie.Gateway;

/// <summary>
/// The services' body limits (<see cref="RequestLimits"/>), applied by the gateway before it forwards a request whose
/// length is declared. A service that refuses a large body answers 413 and closes the connection while the gateway is
/// still sending that body; the gateway's HTTP client then sees a broken connection instead of the 413
/// (dotnet/yarp#1501), and the caller got a 502 (seen once in CI). Refused here, the body is read to its end and
/// dropped by Kestrel, so the caller gets the 413 and keeps its connection. A route that takes larger bodies names
/// its limit in bytes in its metadata, under <see cref="MetadataKey"/>.
/// </summary>
public static class RequestBodyLimit
{
    public const string MetadataKey = "MaxRequestBodySize";

    public static async Task RefuseOversizedBodiesAsync(HttpContext context, Func<Task> next)
    {
        var limit = LimitOf(context.GetReverseProxyFeature().Route.Config);
        if (context.Request.ContentLength is not { } length || length <= limit)
        {
            await next();
            return;
        }

        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                ["body"] = [$"The body may be at most {limit} bytes."],
            })
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "The request body is too large.",
                Detail = $"The body has {length} bytes; this endpoint takes at most {limit}.",
                Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
            },
        });
    }

    internal static long LimitOf(RouteConfig route) =>
        route.Metadata is { } metadata && metadata.TryGetValue(MetadataKey, out var value)
            ? long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture)
            : RequestLimits.DefaultMaxBodyBytes;
}
