using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Participatie.AppHost;

/// <summary>
/// The platform as eng/bench.sh runs it (<c>Benchmark=true</c>): closer to a deployment, so that the load measures
/// the services rather than the development tooling. Every process listens on its own fixed port without DCP's
/// proxy in front (the launch profiles' ports; PostgreSQL 5432, RabbitMQ 5672), in the Production environment, the
/// gateway's per-partner limit is lifted for the run, and only a sample of the traces reaches the dashboard (every
/// 5 s, metrics every 10 s), which would otherwise take a core.
/// A normal ./run.sh keeps the proxies, the limit and every trace.
/// </summary>
internal static class BenchmarkMode
{
    /// <summary>One trace in a hundred still shows a request's path in the dashboard.</summary>
    private const double TraceSampleRatio = 0.01;

    private const string MetricExportIntervalMilliseconds = "10000";

    /// <summary>OpenTelemetry's default for the span batch; the dashboard's is a second.</summary>
    private const string SpanExportDelayMilliseconds = "5000";

    /// <summary>High enough that the load generator's one partner is never turned away.</summary>
    private const int RateLimitPermits = 1_000_000_000;

    // The e-mail settings, measured with eng/bench.sh: at these the two cores were busy (smtp4dev ~40%, PostgreSQL,
    // the notifications and residents services the rest) and 100,000 mails took 295 s, so more sends in flight or more
    // sessions would only queue. The pace is high enough never to be what limits the rate.
    private const int EmailMessagesPerSecond = 2000;

    /// <summary>Sends in flight: each first waits for its address from the residents service, so more than the sessions.</summary>
    private const int EmailConcurrency = 16;

    private const int EmailSmtpSessions = 8;

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
            // As the swarm stack and the Kubernetes manifests run them: the Production environment (no developer
            // exception page, no check of every scoped resolution), and metrics exported every 10 s rather than
            // every second (the development dashboard's setting; OpenTelemetry's own default is a minute).
            project.WithEnvironment("ASPNETCORE_ENVIRONMENT", "Production");
            project.WithEnvironment("DOTNET_ENVIRONMENT", "Production");
            project.WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", MetricExportIntervalMilliseconds);
            project.WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", SpanExportDelayMilliseconds);
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

    /// <summary>
    /// The e-mail benchmark (issue 8: 100,000 invitations within 10 minutes): the mail server without proxies, and the
    /// notifications service sending as fast as the mail server takes it rather than at a real provider's pace.
    /// </summary>
    public static void ApplyToMail(IResourceBuilder<ExecutableResource> mail, IResourceBuilder<ProjectResource> notifications)
    {
        mail.WithoutProxies();
        notifications
            .WithEnvironment("Delivery__MessagesPerSecond__email", EmailMessagesPerSecond.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Delivery__Concurrency__email", EmailConcurrency.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Delivery__Email__MaxConnections", EmailSmtpSessions.ToString(CultureInfo.InvariantCulture))
            // It measures sending at whatever hour it runs: in Amsterdam's night the quiet hours would hold every mail until 8:00.
            .WithEnvironment("Delivery__KeepQuietHours", "false");
    }
}
