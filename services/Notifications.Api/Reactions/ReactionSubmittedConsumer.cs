using MassTransit;
using Npgsql;
using Participatie.Contracts;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Recipients;
using Participatie.Notifications.Texts;

namespace Participatie.Notifications.Reactions;

/// <summary>
/// Sends the resident a receipt for their reaction, saying by when they get an answer. Not an
/// <c>IdempotentConsumer</c>: every reaction of a busy evening passes here, and its one write is idempotent by itself
/// (the unique index <c>notifications_one_receipt</c> and <c>ON CONFLICT DO NOTHING</c>), so a redelivery records
/// nothing twice without an inbox row or a transaction: two round trips where those took five (issue 7).
/// </summary>
public sealed class ReactionSubmittedConsumer(NpgsqlDataSource database) : IConsumer<ReactionSubmitted>
{
    public async Task Consume(ConsumeContext<ReactionSubmitted> context)
    {
        var message = context.Message;
        await using var connection = await database.OpenConnectionAsync(context.CancellationToken);
        if (await NotificationStore.GetRecipientAsync(connection, null, message.ResidentId, context.CancellationToken) is not { } recipient)
        {
            return;
        }

        // A receipt announced before reactions had deadlines carries no date (the default).
        DateOnly? answerDueOn = message.AnswerDueOn == default ? null : message.AnswerDueOn;
        var text = NotificationTexts.Receipt(
            recipient.PreferredLanguage, PartnerText.WithTranslations(message.ConsultationTitle, message.TitleTranslations), answerDueOn);
        await NotificationStore.RecordAsync(
            connection, null, recipient, NotificationKinds.ReactionReceived, message.ReactionId, message.TrajectoryId, message.ConsultationId, text,
            context.CancellationToken);
    }
}
