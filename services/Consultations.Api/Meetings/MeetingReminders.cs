using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Hosting;
using Participatie.Consultations.Domain;
using Participatie.Contracts;

namespace Participatie.Consultations.Meetings;

/// <summary>
/// Puts a <see cref="MeetingReminderDue"/> in the outbox for every meeting that starts within a day, once: the
/// meeting is marked in the same transaction, and a second check (or a second instance of the service) finds it
/// marked. Residents who register after the reminder went out get none; they have just been told.
/// </summary>
public static class MeetingReminders
{
    /// <summary>How often the service looks for due reminders, unless <c>Meetings:ReminderCheckInterval</c> says otherwise.</summary>
    public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromMinutes(5);

    private sealed record DueMeeting
    {
        public required Guid Id { get; init; }

        public required Guid ConsultationId { get; init; }

        public Guid? TrajectoryId { get; init; }

        public required string Title { get; init; }

        public IReadOnlyDictionary<string, string>? TitleTranslations { get; init; }

        public required string Place { get; init; }

        public required DateTimeOffset StartsAt { get; init; }

        public required DateTimeOffset EndsAt { get; init; }
    }

    /// <summary>Publishes the reminders that are due now; returns how many meetings were marked.</summary>
    public static async Task<int> PublishDueAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        await using var work = await services.GetRequiredService<UnitOfWorkFactory>().BeginAsync(cancellationToken);
        // The UPDATE re-checks reminder_published_at after waiting for a concurrent check's lock: a meeting is marked once.
        var due = (await work.Connection.QueryAsync<DueMeeting>(new CommandDefinition(
            """
            UPDATE meetings m SET reminder_published_at = @Now
            FROM consultations c
            WHERE c.id = m.consultation_id AND m.reminder_published_at IS NULL AND m.starts_at > @Now AND m.starts_at <= @DueBefore
            RETURNING m.id, m.consultation_id AS ConsultationId, c.trajectory_id AS TrajectoryId, c.title,
                      c.title_translations AS TitleTranslations, m.place,
                      m.starts_at AS StartsAt, m.ends_at AS EndsAt
            """,
            new { Now = now, DueBefore = now + MeetingRules.ReminderLead }, work.Transaction, cancellationToken: cancellationToken))).AsList();
        if (due.Count == 0)
        {
            return 0;
        }

        var registered = (await work.Connection.QueryAsync<(Guid MeetingId, Guid ResidentId)>(new CommandDefinition(
            "SELECT meeting_id, resident_id FROM meeting_registrations WHERE meeting_id = ANY(@Ids) ORDER BY registered_at, resident_id",
            new { Ids = due.Select(meeting => meeting.Id).ToArray() }, work.Transaction, cancellationToken: cancellationToken)))
            .ToLookup(registration => registration.MeetingId, registration => registration.ResidentId);
        foreach (var meeting in due)
        {
            Guid[] residentIds = [.. registered[meeting.Id]];
            // Nobody to remind: the meeting is marked all the same, so that later checks pass it by.
            if (residentIds.Length > 0)
            {
                await work.PublishAsync(
                    new MeetingReminderDue(
                        meeting.Id, meeting.ConsultationId, meeting.TrajectoryId ?? Guid.Empty, meeting.Title, meeting.Place,
                        meeting.StartsAt, meeting.EndsAt, residentIds, meeting.TitleTranslations),
                    cancellationToken);
            }
        }

        await work.CommitAsync(cancellationToken);
        return due.Count;
    }
}

/// <summary>
/// Looks for meetings whose reminder is due, every <c>Meetings:ReminderCheckInterval</c> (5 minutes by default), the
/// first time one interval after start. A failed check is logged and the next one tries again: a reminder not yet
/// marked is not lost.
/// </summary>
public sealed class MeetingReminderService(
    IServiceProvider services, IConfiguration configuration, TimeProvider clock, ILogger<MeetingReminderService> logger)
    : PeriodicJob(PeriodFrom(configuration, "Meetings:ReminderCheckInterval", MeetingReminders.DefaultCheckInterval), clock, logger)
{
    protected override bool RunsAtStart => false;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => MeetingReminders.PublishDueAsync(services, cancellationToken);
}
