using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Recipients;
using Participatie.Notifications.Texts;

namespace Participatie.Notifications.Consultations;

/// <summary>Invites the residents who live at the addresses a consultation is meant for, each in their own language.</summary>
public sealed class ConsultationAudienceResolvedConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ConsultationAudienceResolved>(unitOfWork)
{
    protected override async Task HandleAsync(ConsultationAudienceResolved message, UnitOfWork work, CancellationToken cancellationToken)
    {
        // The two events travel apart: until the consultation itself is known, retry.
        var consultation = await work.Connection.QuerySingleOrDefaultAsync<KnownConsultation>(new CommandDefinition(
            "SELECT title, title_translations AS TitleTranslations, closes_on AS ClosesOn FROM consultations WHERE consultation_id = @ConsultationId",
            new { message.ConsultationId }, work.Transaction, cancellationToken: cancellationToken))
            ?? throw new RetryLaterException($"Consultation {message.ConsultationId} is not known to the notifications service yet.");

        var title = PartnerText.WithTranslations(consultation.Title, consultation.TitleTranslations);
        foreach (var residentId in message.ResidentIds)
        {
            if (await NotificationStore.GetRecipientAsync(work, residentId, cancellationToken) is not { } recipient)
            {
                continue;
            }

            var text = NotificationTexts.Invitation(recipient.PreferredLanguage, title, consultation.ClosesOn);
            await NotificationStore.RecordAsync(
                work, recipient, NotificationKinds.ConsultationOpened, message.ConsultationId, message.TrajectoryId, message.ConsultationId, text, cancellationToken);
        }
    }

    private sealed record KnownConsultation
    {
        public required string Title { get; init; }

        public IReadOnlyDictionary<string, string>? TitleTranslations { get; init; }

        public required DateOnly ClosesOn { get; init; }
    }
}
