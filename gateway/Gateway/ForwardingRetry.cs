using Yarp.ReverseProxy.Forwarder;

namespace Participatie.Gateway;

/// <summary>
/// Sends a request that failed on one replica once more, to another replica of the same service, when that cannot
/// do anything twice: the connection could not be made (nothing was sent, whatever the method), or the request is a
/// read (GET, HEAD, OPTIONS) whose connection broke. A replica killed or restarted under load then costs its callers
/// nothing (the swarm drill saw two 502s among 652 requests when a consultations replica was killed). A write whose
/// connection broke after it was sent is not repeated: the service may have done it, and the caller decides.
/// </summary>
public static class ForwardingRetry
{
    public static async Task RetryOnAnotherDestinationAsync(HttpContext context, Func<Task> next)
    {
        var proxy = context.GetReverseProxyFeature();
        // Read before forwarding: load balancing narrows the list to the destination it picked.
        var candidates = proxy.AvailableDestinations;
        await next();
        var error = context.GetForwarderErrorFeature();
        if (error is null || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested || !MayRepeat(context.Request.Method, error))
        {
            return;
        }

        if (proxy.ProxiedDestination is not { } failed
            || candidates.Where(destination => destination != failed).ToList() is not { Count: > 0 } others)
        {
            return;
        }

        // The forwarder set 502/503 and nothing else (no response came); start again on the other replicas.
        proxy.AvailableDestinations = others;
        context.Features.Set<IForwarderErrorFeature>(null);
        context.Response.StatusCode = StatusCodes.Status200OK;
        await next();
    }

    private static bool MayRepeat(string method, IForwarderErrorFeature error) =>
        UnreachableServiceProblems.IsConnectionFailure(error.Exception)
        || ((HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method))
            && error.Error is ForwarderError.Request or ForwarderError.ResponseHeaders);
}
