using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Texts;

namespace Participatie.Notifications.Meetings;

/// <summary>
/// Reminds every resident registered for a meeting, in their own language, the day before. A resident this service
/// does not know (yet) is passed by rather than retried: the reminder is a courtesy, and waiting for one resident
/// would hold back the others' until after the meeting.
/// </summary>
public sealed class MeetingReminderDueConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<MeetingReminderDue>(unitOfWork)
{
    protected override async Task HandleAsync(MeetingReminderDue message, UnitOfWork work, CancellationToken cancellationToken)
    {
        var title = PartnerText.WithTranslations(message.ConsultationTitle, message.TitleTranslations);
        var texts = MeetingTexts.SupportedLanguages
            .Select(language => MeetingTexts.For(language, title, message.Place, message.StartsAt, message.EndsAt))
            .ToArray();
        // Reminders for one meeting are recorded one delivery at a time (a lock until commit), and NOT EXISTS then sees
        // what an earlier delivery recorded: one reminder per resident even if the event were published again under
        // another message id, which the inbox would not recognise.
        await work.Connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtextextended(@Key, 0))",
            new { Key = $"meeting-reminder:{message.MeetingId}" }, work.Transaction, cancellationToken: cancellationToken));
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO notifications (id, resident_id, kind, purpose, subject_id, trajectory_id, consultation_id, language, channel, title, body)
            SELECT gen_random_uuid(), r.resident_id, @Kind, @Purpose, @MeetingId, @TrajectoryId, @ConsultationId, coalesce(t.language, dutch.language),
                   r.preferred_channel, coalesce(t.title, dutch.title), coalesce(t.body, dutch.body)
            FROM recipients r
            LEFT JOIN unnest(@Languages, @Titles, @Bodies) AS t(language, title, body) ON t.language = r.preferred_language
            CROSS JOIN (SELECT * FROM unnest(@Languages, @Titles, @Bodies) AS d(language, title, body)
                        WHERE d.language = @Dutch) AS dutch
            WHERE r.resident_id = ANY(@ResidentIds) AND @Purpose = ANY(r.consents)
              AND NOT EXISTS (SELECT 1 FROM notifications n
                              WHERE n.kind = @Kind AND n.subject_id = @MeetingId AND n.resident_id = r.resident_id)
            """,
            new
            {
                Kind = MeetingTexts.ReminderKind,
                Purpose = NotificationPurposes.Of(MeetingTexts.ReminderKind),
                message.MeetingId,
                message.TrajectoryId,
                message.ConsultationId,
                ResidentIds = message.ResidentIds.Distinct().ToArray(),
                Dutch = Languages.Dutch,
                Languages = texts.Select(text => text.Language).ToArray(),
                Titles = texts.Select(text => text.Title).ToArray(),
                Bodies = texts.Select(text => text.Body).ToArray(),
            },
            work.Transaction, cancellationToken: cancellationToken));
    }
}
