using MassTransit;
using Npgsql;
using Participatie.Contracts;
using Participatie.Notifications.Delivery;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Recipients;
using Participatie.Notifications.Texts;

namespace Participatie.Notifications.Reactions;

/// <summary>
/// Sends residents a receipt for their reactions, saying by when they get an answer; a batch of reactions at a time:
/// the <see cref="ReactionSubmitted"/> events that arrive together, or the reactions of the <see cref="ReactionsSubmitted"/>
/// events that do.
/// On a busy evening every reaction passes here: a batch reads its residents with one query and records its receipts
/// with one statement, and composes each text once per language and consultation, where one reaction at a time took
/// two round trips and a text each (issue 7). Not an <c>IdempotentConsumer</c>: the one write is idempotent by itself
/// (the unique index <c>notifications_one_receipt</c> and <c>ON CONFLICT DO NOTHING</c>), so a redelivery records
/// nothing twice without an inbox row or a transaction.
/// </summary>
/// <remarks>
/// A resident not known here yet (their registration still on its way) is not waited for in the batch: the retry
/// would take the whole batch, and hold one of its slots for the ten minutes of the "retry later" schedule. Their
/// reaction goes on to <see cref="LateReceiptConsumer"/>'s queue, one message each, which waits for them.
/// </remarks>
public sealed class ReactionSubmittedConsumer(
    NpgsqlDataSource database, IEndpointNameFormatter endpointNames, TimeProvider clock, DeliveryMetrics metrics)
    : IConsumer<Batch<ReactionSubmitted>>, IConsumer<Batch<ReactionsSubmitted>>
{
    public Task Consume(ConsumeContext<Batch<ReactionSubmitted>> context) =>
        RecordReceiptsAsync(context, [.. context.Message.Select(message => message.Message)]);

    /// <summary>The reactions the consultations service wrote together, batched as the single ones are.</summary>
    public Task Consume(ConsumeContext<Batch<ReactionsSubmitted>> context) =>
        RecordReceiptsAsync(context, [.. context.Message.SelectMany(message => message.Message.Reactions)]);

    private async Task RecordReceiptsAsync(ConsumeContext context, IReadOnlyList<ReactionSubmitted> messages)
    {
        var submitted = messages.DistinctBy(message => message.ReactionId).ToList();
        IReadOnlyDictionary<Guid, Recipient?> known;
        await using (var connection = await database.OpenConnectionAsync(context.CancellationToken))
        {
            known = await NotificationStore.GetRecipientsAsync(
                connection, submitted.Select(message => message.ResidentId), context.CancellationToken);
            var texts = new Dictionary<string, NotificationText>(StringComparer.Ordinal);
            var receipts = new List<NotificationStore.NewNotification>(submitted.Count);
            foreach (var message in submitted)
            {
                // Not known yet (handed on below), or erased: nothing is left to tell anyone.
                if (known.GetValueOrDefault(message.ResidentId) is { } recipient)
                {
                    receipts.Add(new(recipient, message.ReactionId, message.TrajectoryId, message.ConsultationId, ReceiptText(texts, recipient.PreferredLanguage, message)));
                }
            }

            var inFeed = await NotificationStore.RecordManyAsync(
                connection, NotificationKinds.ReactionReceived, receipts, clock.GetUtcNow(), context.CancellationToken);
            if (inFeed > 0)
            {
                metrics.Attempted(Channels.App, SendResult.Delivered, inFeed);
            }
        }

        var unknown = submitted.Where(message => !known.ContainsKey(message.ResidentId)).ToList();
        if (unknown.Count > 0)
        {
            // Handed on after the others are recorded: should this fail, the batch comes back, and what it recorded
            // is not recorded twice.
            var late = await context.GetSendEndpoint(new Uri($"queue:{endpointNames.Consumer<LateReceiptConsumer>()}"));
            await late.SendBatch(unknown, context.CancellationToken);
        }
    }

    /// <summary>The receipt in the language, composed once per batch for the same consultation, title and deadline.</summary>
    private static NotificationText ReceiptText(Dictionary<string, NotificationText> texts, string language, ReactionSubmitted message)
    {
        var translations = message.TitleTranslations is { Count: > 0 } given
            ? string.Join('\u001f', given.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}\u001e{pair.Value}"))
            : string.Empty;
        var key = string.Join('\u001d', language, message.ConsultationTitle, translations, message.AnswerDueOn.ToString("O"));
        if (!texts.TryGetValue(key, out var text))
        {
            text = LateReceiptConsumer.Receipt(language, message);
            texts[key] = text;
        }

        return text;
    }
}

/// <summary>
/// Receipts are taken in batches: up to <see cref="MessageLimit"/> reactions, or whatever arrived within
/// <see cref="TimeLimit"/> of the first, two batches at a time. The time limit is what a receipt may wait for company
/// when reactions come one by one.
/// </summary>
public sealed class ReactionSubmittedConsumerDefinition : ConsumerDefinition<ReactionSubmittedConsumer>
{
    public const int MessageLimit = 100;

    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(20);

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ReactionSubmittedConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(MessageLimit)
            .SetTimeLimit(TimeLimit)
            .SetConcurrencyLimit(2));
}
