using System.Collections.Concurrent;
using MassTransit;

namespace Participatie.Notifications.FunctionalTests;

/// <summary>Counts the deliveries the service's consumers finished, per message id, to know when a redelivery was handled.</summary>
public sealed class ConsumedMessages : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _deliveries = new();

    public int DeliveriesOf(Guid messageId) => _deliveries.GetValueOrDefault(messageId);

    /// <summary>
    /// How many of the service's consumers take a message of this type: a message is handled once each has finished
    /// (the invitation consumer and the subscriptions' event consumer both take a ConsultationOpened, in either order;
    /// a batch consumer, such as the receipts', counts too: each message of a batch is consumed once the batch is). The
    /// late receipts' consumer takes only what the receipts' batch sends it, never a published message.
    /// </summary>
    public static int ConsumersOf<T>() where T : class =>
        typeof(Participatie.Notifications.EntryPoint).Assembly.GetTypes()
            .Count(type => !type.IsAbstract && type != typeof(Participatie.Notifications.Reactions.LateReceiptConsumer)
                && (typeof(IConsumer<T>).IsAssignableFrom(type) || typeof(IConsumer<Batch<T>>).IsAssignableFrom(type)));

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.MessageId is { } id)
        {
            _deliveries.AddOrUpdate(id, 1, (_, count) => count + 1);
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
