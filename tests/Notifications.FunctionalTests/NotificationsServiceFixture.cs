using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Participatie.Testing;

[assembly: AssemblyFixture(typeof(PlatformContainers))]

namespace Participatie.Notifications.FunctionalTests;

/// <summary>The notifications service against real containers; events reach it over the real broker.</summary>
public sealed class NotificationsService(PlatformContainers containers)
    : ServiceFactory<EntryPoint>("notificationsdb", containers, containers.TokenServer)
{
    /// <summary>These tests check what is recorded; delivery has its own tests, with the residents service and a mail server.</summary>
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Delivery:WorkerEnabled", "false");
        // Partners' webhooks go to receivers the tests start on loopback, and retry within seconds instead of hours.
        builder.UseSetting("Subscriptions:AllowPrivateCallbacks", "true");
        builder.UseSetting("Subscriptions:PlatformOin", SubscriptionsTests.PlatformOin);
        builder.UseSetting("Subscriptions:PollInterval", "00:00:00.200");
        builder.UseSetting("Subscriptions:AttemptTimeout", "00:00:04");
        for (var retry = 0; retry < 6; retry++)
        {
            builder.UseSetting($"Subscriptions:RetryDelays:{retry}", "00:00:01");
        }
    }

    public ConsumedMessages Consumed { get; } = new();

    /// <summary>Publishes an event on the broker with the given message id, as the outbox relay would.</summary>
    public Task PublishAsync<T>(T message, Guid messageId) where T : class =>
        Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = messageId, TestContext.Current.CancellationToken);

    private int _observing;

    /// <summary>Starts the host and counts consumed messages; once, however many tests ask.</summary>
    public void StartObserving()
    {
        if (Interlocked.Exchange(ref _observing, 1) == 0)
        {
            Services.GetRequiredService<IBus>().ConnectConsumeObserver(Consumed);
        }
    }
}

/// <summary>
/// One service instance for every test class: two instances would compete for the same queues, and a test would
/// wait in vain for a message the other instance consumed.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NotificationsCollection : ICollectionFixture<NotificationsService>
{
    public const string Name = "notifications";
}
