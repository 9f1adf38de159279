using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace Participatie.Gateway;

/// <summary>
/// The gateway's readiness says whether the services behind its routes answer: it asks every destination of every
/// YARP cluster for its <c>/health</c> and reports Degraded naming each cluster that does not answer healthy, and
/// Unhealthy when none does (the gateway can then serve nothing). One cluster down is Degraded, not Unhealthy: taking
/// every gateway replica out of a load balancer because one service is down would stop the others' traffic too.
/// A healthy answer is kept for <see cref="CacheFor"/>, so that frequent probes of load balancers and orchestrators do
/// not multiply into probes of every service; any other only for <see cref="RecheckProblemAfter"/>, so that the
/// gateway says it is ready as soon as the last service is (the cold start, issue 7), not up to five seconds later.
/// </summary>
public sealed class RoutedServicesHealthCheck(IProxyStateLookup proxy, TimeProvider clock) : IHealthCheck, IDisposable
{
    public const string Name = "routed-services";

    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan RecheckProblemAfter = TimeSpan.FromSeconds(0.5);

    /// <summary>Short: a service that takes longer to say it is healthy is not one to send requests to now.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public const string ProbePath = "/health";

    // Its own client, without the resilience handler every named client gets: a probe is not retried, it is answered.
    private readonly HttpClient _probe = new(new SocketsHttpHandler
    {
        ConnectTimeout = ProbeTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    })
    {
        Timeout = ProbeTimeout,
    };

    private readonly SemaphoreSlim _oneProbeAtATime = new(1, 1);
    private (DateTimeOffset CheckedAt, HealthCheckResult Result)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (Fresh() is { } cached)
        {
            return cached;
        }

        await _oneProbeAtATime.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } probedMeanwhile)
            {
                return probedMeanwhile;
            }

            var result = await ProbeAllAsync(cancellationToken);
            _last = (clock.GetUtcNow(), result);
            return result;
        }
        finally
        {
            _oneProbeAtATime.Release();
        }
    }

    public void Dispose()
    {
        _probe.Dispose();
        _oneProbeAtATime.Dispose();
    }

    private HealthCheckResult? Fresh() =>
        _last is { } last
            && clock.GetUtcNow() - last.CheckedAt < (last.Result.Status == HealthStatus.Healthy ? CacheFor : RecheckProblemAfter)
            ? last.Result
            : null;

    private async Task<HealthCheckResult> ProbeAllAsync(CancellationToken cancellationToken)
    {
        var clusters = proxy.GetClusters().ToList();
        var verdicts = await Task.WhenAll(clusters.Select(async cluster =>
        {
            var destinations = cluster.Destinations.Values.ToList();
            if (destinations.Count == 0)
            {
                return (cluster.ClusterId, Problem: (string?)"no destination");
            }

            var problems = await Task.WhenAll(destinations.Select(destination =>
                ProbeAsync(destination.Model.Config.Health ?? destination.Model.Config.Address, cancellationToken)));
            // A cluster serves as long as one of its destinations does; YARP routes around the others.
            return (cluster.ClusterId, Problem: problems.All(problem => problem is not null) ? problems[0] : null);
        }));

        var failing = verdicts.Where(verdict => verdict.Problem is not null).ToList();
        var data = failing.ToDictionary(verdict => verdict.ClusterId, verdict => (object)verdict.Problem!);
        if (failing.Count == 0)
        {
            return HealthCheckResult.Healthy($"All {clusters.Count} routed services answer.");
        }

        var description = $"Not answering healthy: {string.Join(", ", failing.Select(verdict => $"{verdict.ClusterId} ({verdict.Problem})"))}.";
        return failing.Count == clusters.Count
            ? HealthCheckResult.Unhealthy(description, data: data)
            : HealthCheckResult.Degraded(description, data: data);
    }

    /// <summary>Null when the destination answers its health endpoint with a success, else what went wrong.</summary>
    private async Task<string?> ProbeAsync(string address, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _probe.GetAsync(new Uri(new Uri(address), ProbePath), cancellationToken);
            return response.IsSuccessStatusCode ? null : $"{ProbePath} answered {(int)response.StatusCode}";
        }
        catch (HttpRequestException exception)
        {
            return $"unreachable: {exception.HttpRequestError}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {ProbeTimeout.TotalSeconds:0} s";
        }
    }
}
