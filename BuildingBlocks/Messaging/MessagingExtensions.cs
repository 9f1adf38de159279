using System.Reflection;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Participatie.BuildingBlocks.Data;

namespace Participatie.BuildingBlocks.Messaging;

public static class MessagingExtensions
{
    public const string BrokerConnectionName = "messaging";

    /// <summary>
    /// <c>Messaging:QuorumQueues</c> = true: the service's receive queues are RabbitMQ quorum queues (replicated,
    /// safe for competing replicas), as the Docker Swarm stack sets. Off by default, because the AppHost's and the
    /// tests' brokers keep classic queues, and an existing classic queue cannot be declared again as a quorum queue.
    /// </summary>
    public const string QuorumQueuesSetting = "Messaging:QuorumQueues";

    /// <summary>
    /// MassTransit over RabbitMQ with the service's consumers, queues prefixed with the service name, retries for
    /// short faults and for "not yet" (<see cref="RetryLaterException"/>), the outbox relay, and the housekeeping that
    /// deletes relayed outbox rows and old inbox rows. Shared consumers come from the building blocks (the trajectory
    /// projection).
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(
        this IHostApplicationBuilder builder, string serviceName, Assembly consumerAssembly, IReadOnlyList<Type>? sharedConsumers = null)
    {
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<UnitOfWorkFactory>();
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration("Outbox")
            .Validate(
                outbox => outbox.BatchSize > 0 && outbox.LeaseDuration > outbox.PublishTimeout && outbox.Retention > TimeSpan.Zero,
                "Outbox: BatchSize must be positive, LeaseDuration longer than PublishTimeout, Retention positive.")
            .ValidateOnStart();
        builder.Services.AddHostedService<OutboxRelay>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<MessagingHousekeeping>();
        builder.Services.AddHostedService(services => services.GetRequiredService<MessagingHousekeeping>());

        var retryOptions = new RetryOptions();
        builder.Configuration.GetSection("Messaging:Retry").Bind(retryOptions);
        // A handled message id must be remembered for longer than the same message can come back by retrying.
        builder.Services.AddOptions<InboxOptions>().BindConfiguration("Inbox")
            .Validate(
                inbox => inbox.Retention > retryOptions.LongestRetryWindow,
                $"Inbox:Retention must be longer than the longest retry window ({retryOptions.LongestRetryWindow}).")
            .ValidateOnStart();
        // The depth of the service's queues and their error queues, for the dashboard (QueueDepthMetrics).
        builder.Services.AddSingleton<ReceiveEndpointQueues>();
        builder.Services.AddReceiveEndpointObserver(services => services.GetRequiredService<ReceiveEndpointQueues>());
        builder.Services.AddOptions<QueueDepthOptions>().BindConfiguration("Messaging:QueueDepth")
            .Configure(options => options.ServiceName = serviceName)
            .Validate(options => options.PollInterval > TimeSpan.Zero, "Messaging:QueueDepth:PollInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<QueueDepthMetrics>();
        builder.Services.AddHostedService(services => services.GetRequiredService<QueueDepthMetrics>());
        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit 8.5 otherwise posts the bus's shape to usage-tracking.masstransit.io five minutes after the
            // start: a platform of government partners does not phone home (and has no route out in most deployments).
            bus.DisableUsageTelemetry();
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            bus.AddConsumers(consumerAssembly);
            bus.AddConsumers([.. sharedConsumers ?? []]);
            if (builder.Configuration.GetValue<bool>(QuorumQueuesSetting))
            {
                // Only the endpoints ConfigureEndpoints makes (durable, shared by the replicas); the bus's own
                // temporary queue stays classic, as a quorum queue cannot be auto-deleted.
                bus.AddRabbitMqConfigureEndpointsCallback((_, _, endpoint) => endpoint.SetQuorumQueue());
            }

            bus.UsingRabbitMq((context, rabbit) =>
            {
                var broker = BrokerAddress.Parse(builder.Configuration.GetConnectionString(BrokerConnectionName)
                    ?? throw new InvalidOperationException($"Connection string '{BrokerConnectionName}' is missing."));
                rabbit.Host(broker.Host, broker.Port, broker.VirtualHost, host =>
                {
                    host.Username(broker.Username);
                    host.Password(broker.Password);
                });
                // Short faults (a deadlock, a restarting database) are retried quickly, "not yet" (RetryLaterException)
                // slowly; after that the message goes to the <queue>_error queue, where nothing is lost.
                rabbit.UseParticipatieRetries(retryOptions);
                // The bus's own temporary queue carries the service's name like its other queues, so that the
                // service's broker user, limited to names with that prefix (eng/BrokerUsers.cs), may declare it.
                rabbit.OverrideDefaultBusEndpointQueueName($"{serviceName}-bus-{Guid.NewGuid():N}");
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}

/// <summary>An amqp:// connection string split into its parts, with the user information unescaped.</summary>
public sealed record BrokerAddress(string Host, ushort Port, string VirtualHost, string Username, string Password)
{
    public static BrokerAddress Parse(string connectionString)
    {
        var uri = new Uri(connectionString);
        var userInfo = uri.UserInfo.Split(':', 2);
        var virtualHost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new BrokerAddress(
            uri.Host,
            uri.Port > 0 ? (ushort)uri.Port : (ushort)5672,
            string.IsNullOrEmpty(virtualHost) ? "/" : virtualHost,
            userInfo.Length > 0 && userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : "guest",
            userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "guest");
    }
}
