using System.Globalization;
using Yarp.ReverseProxy.Forwarder;

namespace Participatie.Gateway;

/// <summary>
/// When YARP could not forward a request (the service refused the connection, is restarting, has no destination
/// left), it sets a 502 or 503 and leaves the body empty. The caller gets a 503 problem+json with <c>Retry-After</c>
/// instead: the request did not reach the service, so sending it again in a few seconds is safe.
/// </summary>
public static class UnreachableServiceProblems
{
    /// <summary>About the time a restarted service or a replaced replica takes to take traffic again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public static async Task WriteProblemWhenForwardingFailedAsync(HttpContext context, Func<Task> next)
    {
        await next();
        var error = context.GetForwarderErrorFeature();
        if (error is null || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var notReached = error.Error == ForwarderError.NoAvailableDestinations || IsConnectionFailure(error.Exception);
        var status = notReached ? StatusCodes.Status503ServiceUnavailable
            : error.Error == ForwarderError.RequestTimedOut ? StatusCodes.Status504GatewayTimeout
            : StatusCodes.Status502BadGateway;
        // Headers set before forwarding (CORS, API-Version) stay: a browser must be able to read this answer too.
        context.Response.StatusCode = status;
        if (notReached)
        {
            context.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = status,
                Title = notReached ? "The service is briefly unavailable." : "The service did not answer properly.",
                // Only a request that never reached the service is known to have done nothing there.
                Detail = notReached
                    ? $"The service behind this route cannot be reached right now; the request did not reach it. Try again in {(int)RetryAfter.TotalSeconds} seconds."
                    : "The connection to the service behind this route failed or timed out while it worked on the request; it may or may not have done what was asked.",
                Type = status switch
                {
                    StatusCodes.Status503ServiceUnavailable => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
                    StatusCodes.Status504GatewayTimeout => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.5",
                    _ => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.3",
                },
            },
        });
    }

    /// <summary>The connection could not be made at all (refused, no such host), so nothing was sent.</summary>
    public static bool IsConnectionFailure(Exception? exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }
        || (exception?.InnerException is { } inner && IsConnectionFailure(inner));
}
