using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;
using Participatie.Notifications.Domain;

namespace Participatie.Notifications.Consultations;

/// <summary>Invites every known resident of the buurt, each in their own language, in one statement.</summary>
public sealed class ConsultationOpenedConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ConsultationOpened>(unitOfWork)
{
    protected override async Task HandleAsync(ConsultationOpened message, UnitOfWork work, CancellationToken cancellationToken)
    {
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO consultations (consultation_id, trajectory_id, title, buurt_code, closes_on)
            VALUES (@ConsultationId, @TrajectoryId, @Title, @BuurtCode, @ClosesOn)
            ON CONFLICT (consultation_id) DO NOTHING
            """,
            message, work.Transaction, cancellationToken: cancellationToken));

        var texts = NotificationTexts.SupportedLanguages
            .Select(language => NotificationTexts.Invitation(language, message.Title, message.ClosesOn))
            .ToArray();
        // Residents whose language has no texts get the Dutch ones (the COALESCE).
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO notifications (id, resident_id, kind, subject_id, trajectory_id, language, channel, title, body)
            SELECT gen_random_uuid(), r.resident_id, @Kind, @ConsultationId, @TrajectoryId, coalesce(t.language, dutch.language),
                   r.preferred_channel, coalesce(t.title, dutch.title), coalesce(t.body, dutch.body)
            FROM recipients r
            LEFT JOIN unnest(@Languages, @Titles, @Bodies) AS t(language, title, body) ON t.language = r.preferred_language
            CROSS JOIN (SELECT * FROM unnest(@Languages, @Titles, @Bodies) AS d(language, title, body)
                        WHERE d.language = @Dutch) AS dutch
            WHERE r.buurt_code = @BuurtCode
            ON CONFLICT DO NOTHING
            """,
            new
            {
                Kind = NotificationKinds.ConsultationOpened,
                message.ConsultationId,
                message.TrajectoryId,
                message.BuurtCode,
                Dutch = Languages.Dutch,
                Languages = texts.Select(text => text.Language).ToArray(),
                Titles = texts.Select(text => text.Title).ToArray(),
                Bodies = texts.Select(text => text.Body).ToArray(),
            },
            work.Transaction, cancellationToken: cancellationToken));
    }
}
