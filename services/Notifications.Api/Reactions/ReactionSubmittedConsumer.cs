using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;
using Participatie.Notifications.Domain;

namespace Participatie.Notifications.Reactions;

/// <summary>Sends the resident a receipt for their reaction.</summary>
public sealed class ReactionSubmittedConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ReactionSubmitted>(unitOfWork)
{
    protected override async Task HandleAsync(ReactionSubmitted message, UnitOfWork work, CancellationToken cancellationToken)
    {
        var recipient = await NotificationStore.GetRecipientAsync(work, message.ResidentId, cancellationToken);
        var text = NotificationTexts.Receipt(recipient.PreferredLanguage, message.ConsultationTitle);
        await NotificationStore.RecordAsync(work, recipient, NotificationKinds.ReactionReceived, message.ReactionId, message.TrajectoryId, text, cancellationToken);
    }
}
