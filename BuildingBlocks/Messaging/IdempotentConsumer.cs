using Dapper;
using MassTransit;
using Participatie.BuildingBlocks.Data;

namespace Participatie.BuildingBlocks.Messaging;

/// <summary>
/// A consumer that handles each message id once. The inbox row and the handler's changes (and any events it
/// publishes) commit in one transaction, so a redelivered message, or one relayed twice, has no second effect.
/// A handler that cannot act yet (it refers to something this service has not heard of) throws
/// <see cref="RetryLaterException"/>: nothing is recorded, and the message comes back later.
/// </summary>
public abstract class IdempotentConsumer<TMessage>(UnitOfWorkFactory unitOfWork) : IConsumer<TMessage>
    where TMessage : class
{
    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"A {typeof(TMessage).Name} message arrived without a message id.");

        // A message that cannot change anything here is acknowledged without a transaction or an inbox row: most of a
        // busy hour's events, for a consumer that acts on few of them (a partner's subscription, say).
        if (!await ConcernsThisServiceAsync(context.Message, context.CancellationToken))
        {
            return;
        }

        await using var work = await unitOfWork.BeginAsync(context.CancellationToken);
        if (!await Inbox.RecordFirstDeliveryAsync(work, messageId, GetType(), context.CancellationToken))
        {
            return;
        }

        await HandleAsync(context.Message, work, context.CancellationToken);
        await work.CommitAsync(context.CancellationToken);
    }

    protected abstract Task HandleAsync(TMessage message, UnitOfWork work, CancellationToken cancellationToken);

    /// <summary>
    /// Asked before the transaction: false when the message can have no effect here, so it is acknowledged as if
    /// handled. Only for a test whose "no" stays "no" on a redelivery of the same message, or whose "yes" arriving
    /// a moment later is as good as arriving after the message (nothing is remembered for a "no").
    /// </summary>
    protected virtual ValueTask<bool> ConcernsThisServiceAsync(TMessage message, CancellationToken cancellationToken) =>
        ValueTask.FromResult(true);
}

/// <summary>The inbox: which consumer handled which message id, for consumers that keep the record themselves.</summary>
public static class Inbox
{
    /// <summary>
    /// Records that <paramref name="consumer"/> handles <paramref name="messageId"/>, in the unit of work that makes its
    /// changes; false when it was handled before (nothing is to be done again). A concurrent delivery of the same id
    /// waits on the row's lock and then records nothing.
    /// </summary>
    public static async Task<bool> RecordFirstDeliveryAsync(UnitOfWork work, Guid messageId, Type consumer, CancellationToken cancellationToken) =>
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO inbox_messages (message_id, consumer) VALUES (@MessageId, @Consumer)
            ON CONFLICT DO NOTHING
            """,
            new { MessageId = messageId, Consumer = consumer.FullName },
            work.Transaction,
            cancellationToken: cancellationToken)) == 1;
}
