using System.Text.Json;
using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Recipients;
using Participatie.Notifications.Texts;

namespace Participatie.Notifications.Consultations;

/// <summary>Invites every known resident of the buurt, each in their own language (unless it is meant for some addresses only).</summary>
public sealed class ConsultationOpenedConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ConsultationOpened>(unitOfWork)
{
    protected override async Task HandleAsync(ConsultationOpened message, UnitOfWork work, CancellationToken cancellationToken)
    {
        await NotificationStore.LockBuurtenAsync(work, [message.BuurtCode], cancellationToken);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO consultations (consultation_id, trajectory_id, title, title_translations, buurt_code, closes_on, address_scoped)
            VALUES (@ConsultationId, @TrajectoryId, @Title, CAST(@TitleTranslations AS jsonb), @BuurtCode, @ClosesOn, @AddressScoped)
            ON CONFLICT (consultation_id) DO NOTHING
            """,
            new
            {
                message.ConsultationId, message.TrajectoryId, message.Title,
                TitleTranslations = message.TitleTranslations is { Count: > 0 } translations ? JsonSerializer.Serialize(translations) : null,
                message.BuurtCode, message.ClosesOn, AddressScoped = IsAddressScoped(message),
            },
            work.Transaction, cancellationToken: cancellationToken));
        if (IsAddressScoped(message))
        {
            // Only the residents at its addresses are invited, once the residents service says who they are.
            return;
        }

        var title = PartnerText.WithTranslations(message.Title, message.TitleTranslations);
        var texts = NotificationTexts.SupportedLanguages
            .Select(language => NotificationTexts.Invitation(language, title, message.ClosesOn))
            .ToArray();
        await NotificationStore.RecordForBuurtenAsync(
            work, NotificationKinds.ConsultationOpened, message.ConsultationId, message.TrajectoryId, message.ConsultationId, [message.BuurtCode], texts, cancellationToken);
    }

    private static bool IsAddressScoped(ConsultationOpened message) => message.AddressKeys is { Count: > 0 };
}
