using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Participatie.AppHost;

/// <summary>
/// The platform as eng/bench.sh runs it (<c>Benchmark=true</c>): closer to a deployment, so that the load measures
/// the services rather than the development tooling. Every process listens on its own fixed port without DCP's
/// proxy in front (the launch profiles' ports; PostgreSQL 5432, RabbitMQ 5672), the gateway's per-partner limit is
/// lifted for the run, and only a sample of the traces reaches the dashboard, which would otherwise take a core.
/// A normal ./run.sh keeps the proxies, the limit and every trace.
/// </summary>
internal static class BenchmarkMode
{
    /// <summary>One trace in a hundred still shows a request's path in the dashboard.</summary>
    private const double TraceSampleRatio = 0.01;

    /// <summary>High enough that the load generator's one partner is never turned away.</summary>
    private const int RateLimitPermits = 1_000_000_000;

    public static bool IsRequested(IDistributedApplicationBuilder builder) => builder.Configuration.GetValue<bool>("Benchmark");

    public static void Apply(
        IResourceBuilder<ProjectResource> gateway,
        IReadOnlyList<IResourceBuilder<ProjectResource>> services,
        IReadOnlyList<IResourceBuilder<ContainerResource>> containers)
    {
        foreach (var project in services.Append(gateway))
        {
            project.WithEndpointProxySupport(false);
            project.WithEnvironment("Telemetry__TraceSampleRatio", TraceSampleRatio.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var container in containers)
        {
            container.WithEndpointProxySupport(false);
            // Published on the container's own port (PostgreSQL 5432, RabbitMQ 5672), where the benchmark reads the databases.
            foreach (var endpoint in container.Resource.Annotations.OfType<EndpointAnnotation>())
            {
                endpoint.Port ??= endpoint.TargetPort;
            }
        }

        gateway.WithEnvironment("Gateway__RateLimit__PermitLimit", RateLimitPermits.ToString(CultureInfo.InvariantCulture));
    }
}
