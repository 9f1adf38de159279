using MassTransit;
using Npgsql;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Recipients;
using Participatie.Notifications.Texts;

namespace Participatie.Notifications.Reactions;

/// <summary>
/// The receipt of a reaction whose resident the receipts' batch (<see cref="ReactionSubmittedConsumer"/>) did not
/// know yet, one reaction at a time: it is tried again on the "retry later" schedule
/// (<see cref="RetryLaterException"/>) until the resident's registration has arrived, holding one slot of this
/// queue only, and goes to its error queue, where nothing is lost, if they never do.
/// </summary>
public sealed class LateReceiptConsumer(NpgsqlDataSource database) : IConsumer<ReactionSubmitted>
{
    public async Task Consume(ConsumeContext<ReactionSubmitted> context)
    {
        var message = context.Message;
        await using var connection = await database.OpenConnectionAsync(context.CancellationToken);
        if (await NotificationStore.GetRecipientAsync(connection, null, message.ResidentId, context.CancellationToken) is not { } recipient)
        {
            return;
        }

        await NotificationStore.RecordAsync(
            connection, null, recipient, NotificationKinds.ReactionReceived, message.ReactionId, message.TrajectoryId, message.ConsultationId,
            Receipt(recipient.PreferredLanguage, message), context.CancellationToken);
    }

    /// <summary>The receipt's text in the resident's language.</summary>
    public static NotificationText Receipt(string language, ReactionSubmitted message)
    {
        // A receipt announced before reactions had deadlines carries no date (the default).
        DateOnly? answerDueOn = message.AnswerDueOn == default ? null : message.AnswerDueOn;
        return NotificationTexts.Receipt(language, PartnerText.WithTranslations(message.ConsultationTitle, message.TitleTranslations), answerDueOn);
    }
}

/// <summary>
/// Only what the receipts' batch sends here: the queue is not bound to the <see cref="ReactionSubmitted"/> exchange,
/// or every reaction would come here too. A receipt that waits holds one of the queue's slots, but costs only a timer:
/// so that a bulk import whose registrations run behind its residents' reactions does not queue the later receipts
/// behind the first few, the queue takes 64 at a time (the transport's default is 16 on this many cores).
/// </summary>
public sealed class LateReceiptConsumerDefinition : ConsumerDefinition<LateReceiptConsumer>
{
    private const int WaitingLimit = 64;

    public LateReceiptConsumerDefinition() => Endpoint(endpoint =>
    {
        endpoint.ConfigureConsumeTopology = false;
        endpoint.PrefetchCount = WaitingLimit;
    });
}
