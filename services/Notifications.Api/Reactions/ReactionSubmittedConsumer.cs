using MassTransit;
using Npgsql;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Recipients;
using Participatie.Notifications.Texts;

namespace Participatie.Notifications.Reactions;

/// <summary>
/// Sends residents a receipt for their reactions, saying by when they get an answer; a batch of reactions at a time.
/// On a busy evening every reaction passes here: a batch reads its residents with one query and records its receipts
/// with one statement, and composes each text once per language and consultation, where one reaction at a time took
/// two round trips and a text each (issue 7). Not an <c>IdempotentConsumer</c>: the one write is idempotent by itself
/// (the unique index <c>notifications_one_receipt</c> and <c>ON CONFLICT DO NOTHING</c>), so a redelivery records
/// nothing twice without an inbox row or a transaction.
/// </summary>
/// <remarks>
/// A resident not known here yet (their registration still on its way) fails the batch with
/// <see cref="RetryLaterException"/> after the other receipts are recorded; MassTransit delivers a retried message on
/// its own, not in a new batch, so only that resident's receipt waits, and the others are acknowledged at once.
/// </remarks>
public sealed class ReactionSubmittedConsumer(NpgsqlDataSource database) : IConsumer<Batch<ReactionSubmitted>>
{
    public async Task Consume(ConsumeContext<Batch<ReactionSubmitted>> context)
    {
        var submitted = context.Message.Select(message => message.Message).DistinctBy(message => message.ReactionId).ToList();
        await using var connection = await database.OpenConnectionAsync(context.CancellationToken);
        var known = await NotificationStore.GetRecipientsAsync(
            connection, submitted.Select(message => message.ResidentId), context.CancellationToken);

        var texts = new Dictionary<string, NotificationText>(StringComparer.Ordinal);
        var receipts = new List<NotificationStore.NewNotification>(submitted.Count);
        var unknown = new List<Guid>();
        foreach (var message in submitted)
        {
            if (!known.TryGetValue(message.ResidentId, out var recipient))
            {
                unknown.Add(message.ResidentId);
                continue;
            }

            if (recipient is null)
            {
                // Erased: nothing is left to tell anyone.
                continue;
            }

            var text = ReceiptText(texts, recipient.PreferredLanguage, message);
            receipts.Add(new(recipient, message.ReactionId, message.TrajectoryId, message.ConsultationId, text));
        }

        await NotificationStore.RecordManyAsync(connection, NotificationKinds.ReactionReceived, receipts, context.CancellationToken);
        if (unknown.Count > 0)
        {
            throw new RetryLaterException(
                $"Residents {string.Join(", ", unknown.Distinct())} are not known to the notifications service yet.");
        }
    }

    /// <summary>The receipt in the language, composed once per batch for the same consultation, title and deadline.</summary>
    private static NotificationText ReceiptText(Dictionary<string, NotificationText> texts, string language, ReactionSubmitted message)
    {
        // A receipt announced before reactions had deadlines carries no date (the default).
        DateOnly? answerDueOn = message.AnswerDueOn == default ? null : message.AnswerDueOn;
        var translations = message.TitleTranslations is { Count: > 0 } given
            ? string.Join('\u001f', given.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}\u001e{pair.Value}"))
            : string.Empty;
        var key = string.Join('\u001d', language, message.ConsultationTitle, translations, answerDueOn?.ToString("O") ?? string.Empty);
        if (!texts.TryGetValue(key, out var text))
        {
            text = NotificationTexts.Receipt(language, PartnerText.WithTranslations(message.ConsultationTitle, message.TitleTranslations), answerDueOn);
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
