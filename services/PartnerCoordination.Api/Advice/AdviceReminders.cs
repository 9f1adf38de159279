using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Hosting;
using Participatie.BuildingBlocks.Time;
using Participatie.Contracts;
using Participatie.PartnerCoordination.Coordination;
using Participatie.PartnerCoordination.Domain;

// In the service's root namespace rather than Advice: callers outside the service (the functional tests) run a round
// by this name, and it does I/O, so it may not live among the pure rules in Domain.
namespace Participatie.PartnerCoordination;

/// <summary>
/// Reminds the partner that owes the next step of a request for advice once its deadline comes within the reminder
/// window. Reminders go to partners only, never to residents; each deadline is reminded of once.
/// </summary>
public static class AdviceReminders
{
    /// <summary>Records the reminders now due; returns how many were new. Safe to run twice, or on two instances at once.</summary>
    public static async Task<int> SendDueAsync(UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        var today = AmsterdamClock.Today(clock);
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        // Only requests whose open deadline is within the widest window; the exact rule is AdviceDeadlines.IsReminderDue.
        var candidates = await work.Connection.QueryAsync<(Guid Id, Guid TrajectoryId, Guid LandlordPartnerId, Guid TenantsOrganisationPartnerId, DateOnly AdviceDueOn,
            DateOnly? AdviceReceivedOn, bool? FollowsAdvice, DateOnly? AnswerDueOn, DateOnly? AnsweredOn)>(new CommandDefinition(
            """
            SELECT id, trajectory_id, landlord_partner_id, tenants_organisation_partner_id, advice_due_on, advice_received_on, follows_advice,
                   answer_due_on, answered_on
            FROM advice_requests
            WHERE (advice_received_on IS NULL AND advice_due_on <= @Horizon AND advice_due_on >= @Today)
               OR (advice_received_on IS NOT NULL AND follows_advice IS NOT TRUE AND answered_on IS NULL AND answer_due_on <= @Horizon)
            """,
            new { Today = today, Horizon = today.AddDays(Math.Max(AdviceDeadlines.AdviceReminderDays, AdviceDeadlines.ReasonedAnswerReminderDays)) },
            work.Transaction, cancellationToken: cancellationToken));

        var sent = 0;
        var now = clock.GetUtcNow();
        foreach (var request in candidates)
        {
            var received = request.AdviceReceivedOn is not null;
            var state = AdviceDeadlines.State(
                received, request.FollowsAdvice, request.AnsweredOn is not null, AdviceDeadlines.HasAdviceLapsed(received, request.AdviceDueOn, today));
            if (AdviceDeadlines.OpenDeadline(state, request.AdviceDueOn, request.AnswerDueOn, request.LandlordPartnerId, request.TenantsOrganisationPartnerId)
                    is not { } deadline
                || !AdviceDeadlines.IsReminderDue(deadline.Kind, deadline.DueOn, today))
            {
                continue;
            }

            var recorded = await work.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO advice_reminders (advice_request_id, deadline, due_on, recipient_partner_id, sent_at)
                VALUES (@Id, @Deadline, @DueOn, @RecipientPartnerId, @SentAt)
                ON CONFLICT (advice_request_id, deadline) DO NOTHING
                """,
                new { request.Id, Deadline = deadline.Kind, deadline.DueOn, RecipientPartnerId = deadline.OwedByPartnerId, SentAt = now },
                work.Transaction, cancellationToken: cancellationToken));
            if (recorded == 1)
            {
                // Partners' systems hear of it too (their subscriptions), once, exactly when the reminder is recorded.
                await work.PublishAsync(
                    new AdviceDeadlineApproaching(request.Id, request.TrajectoryId, deadline.Kind, deadline.DueOn, deadline.OwedByPartnerId, now),
                    cancellationToken);
            }

            sent += recorded;
        }

        await work.CommitAsync(cancellationToken);
        return sent;
    }
}

/// <summary>
/// Runs <see cref="AdviceReminders.SendDueAsync"/> at start and then every <c>AdviceReminders:Interval</c> (default an
/// hour: deadlines are days, so an hour late is never a day late). A failed round is logged and the next one reminds
/// of whatever it missed.
/// </summary>
public sealed class AdviceReminderService(
    UnitOfWorkFactory unitOfWork, TimeProvider clock, IConfiguration configuration, ILogger<AdviceReminderService> logger)
    : PeriodicJob(PeriodFrom(configuration, "AdviceReminders:Interval", TimeSpan.FromHours(1)), clock, logger)
{
    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await AdviceReminders.SendDueAsync(unitOfWork, Clock, cancellationToken);
        // Task deadlines are days too: the same hourly round announces the tasks that became overdue.
        await OverdueTaskAlerts.AnnounceDueAsync(unitOfWork, Clock, cancellationToken);
    }
}
