using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Recipients;
using Participatie.Notifications.Texts;

namespace Participatie.Notifications.Reactions;

/// <summary>Sends the resident a receipt for their reaction, saying by when they get an answer.</summary>
public sealed class ReactionSubmittedConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ReactionSubmitted>(unitOfWork)
{
    protected override async Task HandleAsync(ReactionSubmitted message, UnitOfWork work, CancellationToken cancellationToken)
    {
        if (await NotificationStore.GetRecipientAsync(work, message.ResidentId, cancellationToken) is not { } recipient)
        {
            return;
        }

        // A receipt announced before reactions had deadlines carries no date (the default).
        DateOnly? answerDueOn = message.AnswerDueOn == default ? null : message.AnswerDueOn;
        var text = NotificationTexts.Receipt(
            recipient.PreferredLanguage, PartnerText.WithTranslations(message.ConsultationTitle, message.TitleTranslations), answerDueOn);
        await NotificationStore.RecordAsync(work, recipient, NotificationKinds.ReactionReceived, message.ReactionId, message.TrajectoryId, message.ConsultationId, text, cancellationToken);
    }
}
