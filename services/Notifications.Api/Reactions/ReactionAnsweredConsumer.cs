using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Recipients;
using Participatie.Notifications.Texts;

namespace Participatie.Notifications.Reactions;

/// <summary>Tells the resident the answer to their reaction, and again each time the outcome changes.</summary>
public sealed class ReactionAnsweredConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ReactionAnswered>(unitOfWork)
{
    protected override async Task HandleAsync(ReactionAnswered message, UnitOfWork work, CancellationToken cancellationToken)
    {
        if (await NotificationStore.GetRecipientAsync(work, message.ResidentId, cancellationToken) is not { } recipient)
        {
            return;
        }

        var text = NotificationTexts.Answer(
            recipient.PreferredLanguage,
            PartnerText.WithTranslations(message.ConsultationTitle, message.TitleTranslations),
            message.Status,
            PartnerText.WithTranslations(message.Explanation, message.ExplanationTranslations));
        await NotificationStore.RecordAsync(work, recipient, NotificationKinds.ReactionAnswered, message.ReactionId, message.TrajectoryId, message.ConsultationId, text, cancellationToken);
    }
}
