using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Recipients;

namespace Participatie.Notifications.Residents;

/// <summary>
/// Remembers how to reach a new resident, and invites them to the consultations still open in their buurt: the
/// resident may have registered after the consultation opened, or the two events may have crossed.
/// </summary>
public sealed class ResidentRegisteredConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ResidentRegistered>(unitOfWork)
{
    protected override async Task HandleAsync(ResidentRegistered message, UnitOfWork work, CancellationToken cancellationToken)
    {
        await NotificationStore.LockBuurtenAsync(work, [message.BuurtCode], cancellationToken);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO recipients (resident_id, buurt_code, preferred_language, preferred_channel, registered_at)
            VALUES (@ResidentId, @BuurtCode, @PreferredLanguage, @PreferredChannel, @RegisteredAt)
            ON CONFLICT (resident_id) DO UPDATE
                SET buurt_code = excluded.buurt_code,
                    preferred_language = excluded.preferred_language,
                    preferred_channel = excluded.preferred_channel
            """,
            message, work.Transaction, cancellationToken: cancellationToken));

        var openConsultations = await work.Connection.QueryAsync<OpenConsultation>(
            new CommandDefinition(
                """
                SELECT consultation_id AS ConsultationId, trajectory_id AS TrajectoryId, title, closes_on AS ClosesOn FROM consultations
                WHERE buurt_code = @BuurtCode AND closes_on >= current_date AND NOT address_scoped
                """,
                new { message.BuurtCode }, work.Transaction, cancellationToken: cancellationToken));

        var recipient = new Recipient
        {
            ResidentId = message.ResidentId,
            PreferredLanguage = message.PreferredLanguage,
            PreferredChannel = message.PreferredChannel,
        };
        foreach (var consultation in openConsultations)
        {
            var text = NotificationTexts.Invitation(recipient.PreferredLanguage, consultation.Title, consultation.ClosesOn);
            await NotificationStore.RecordAsync(
                work, recipient, NotificationKinds.ConsultationOpened, consultation.ConsultationId, consultation.TrajectoryId, text, cancellationToken);
        }
    }

    private sealed record OpenConsultation
    {
        public required Guid ConsultationId { get; init; }

        public required Guid TrajectoryId { get; init; }

        public required string Title { get; init; }

        public required DateOnly ClosesOn { get; init; }
    }
}
