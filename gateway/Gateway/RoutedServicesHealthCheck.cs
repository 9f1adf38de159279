using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Participatie.Gateway;

/// <summary>
/// The gateway's readiness says whether the services behind its routes answer: it asks every destination of every
/// YARP cluster for its <c>/health</c> and reports Degraded naming each cluster that does not answer healthy, and
/// Unhealthy when none does (the gateway can then serve nothing). One cluster down is Degraded, not Unhealthy: taking
/// every gateway replica out of a load balancer because one service is down would stop the others' traffic too.
/// </summary>
/// <remarks>
/// Each cluster has its own verdict. A healthy one is kept for <see cref="CacheFor"/>, so that frequent probes of load
/// balancers and orchestrators do not multiply into probes of every service; any other only for
/// <see cref="RecheckProblemAfter"/>, so that the gateway says it is ready as soon as the last service is (the cold
/// start, issue 7). A check waits at most <see cref="AnswerWithin"/> for the probes it started and reports a cluster
/// whose probe takes longer by its last verdict: a destination that accepts the connection but does not answer yet
/// (a web client behind the development proxy before it has started) then no longer holds up the verdict of the
/// others for the whole <see cref="ProbeTimeout"/> (measured: the gateway said it was ready 2.0-2.5 s after the last
/// service, on the cold start's path).
/// </remarks>
public sealed class RoutedServicesHealthCheck(IProxyStateLookup proxy, TimeProvider clock) : IHealthCheck, IDisposable
{
    public const string Name = "routed-services";

    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan RecheckProblemAfter = TimeSpan.FromSeconds(0.5);

    /// <summary>Short: a service that takes longer to say it is healthy is not one to send requests to now.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long a check waits for the probes it started before it answers with the verdicts it has.</summary>
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(0.5);

    public const string ProbePath = "/health";

    private const string NotAnsweredYet = "no answer yet";

    // Its own client, without the resilience handler every named client gets: a probe is not retried, it is answered.
    private readonly HttpClient _probe = new(new SocketsHttpHandler
    {
        ConnectTimeout = ProbeTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    })
    {
        Timeout = ProbeTimeout,
    };

    // Probes outlive the check that started them (a later check uses their verdict); they end with the gateway.
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ClusterVerdict> _verdicts = new(StringComparer.Ordinal);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var clusters = proxy.GetClusters().ToList();
        var probing = new List<Task>();
        lock (_lock)
        {
            foreach (var cluster in clusters)
            {
                var verdict = _verdicts.TryGetValue(cluster.ClusterId, out var known) ? known : _verdicts[cluster.ClusterId] = new ClusterVerdict();
                verdict.Probing ??= Stale(verdict) ? ProbeClusterAsync(cluster, verdict) : null;
                if (verdict.Probing is { } probe)
                {
                    probing.Add(probe);
                }
            }
        }

        if (probing.Count > 0)
        {
            await Task.WhenAny(Task.WhenAll(probing), Task.Delay(AnswerWithin, clock, cancellationToken));
        }

        List<(string ClusterId, string? Problem)> verdicts;
        lock (_lock)
        {
            verdicts = clusters.Select(cluster => (cluster.ClusterId, _verdicts[cluster.ClusterId].Problem)).ToList();
        }

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

    public void Dispose()
    {
        // Cancelled, not disposed: a probe still running may read its token (a source without timer or links holds nothing).
        _stopping.Cancel();
        _probe.Dispose();
    }

    private bool Stale(ClusterVerdict verdict) =>
        verdict.CheckedAt is not { } checkedAt
        || clock.GetUtcNow() - checkedAt >= (verdict.Problem is null ? CacheFor : RecheckProblemAfter);

    /// <summary>Asks every destination of the cluster; a cluster serves as long as one of them does (YARP routes around the others).</summary>
    private async Task ProbeClusterAsync(ClusterState cluster, ClusterVerdict verdict)
    {
        // Yield first, so that even a probe that ends at once ("no destination") clears Probing only after the caller,
        // under the lock, has set it; otherwise that cluster would never be probed again.
        await Task.Yield();
        string? problem;
        var destinations = cluster.Destinations.Values.ToList();
        if (destinations.Count == 0)
        {
            problem = "no destination";
        }
        else
        {
            var problems = await Task.WhenAll(destinations.Select(destination =>
                ProbeAsync(destination.Model.Config.Health ?? destination.Model.Config.Address, _stopping.Token)));
            problem = problems.All(found => found is not null) ? problems[0] : null;
        }

        lock (_lock)
        {
            verdict.Problem = problem;
            verdict.CheckedAt = clock.GetUtcNow();
            verdict.Probing = null;
        }
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
        catch (OperationCanceledException)
        {
            return "the gateway is stopping";
        }
    }

    /// <summary>A cluster's last verdict (null problem: healthy) and the probe that is asking now, if any.</summary>
    private sealed class ClusterVerdict
    {
        public string? Problem { get; set; } = NotAnsweredYet;

        public DateTimeOffset? CheckedAt { get; set; }

        public Task? Probing { get; set; }
    }
}
