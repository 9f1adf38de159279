using Dapper;
using Participatie.BuildingBlocks.Data;
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
        var today = TaskDeadlines.Today(clock);
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        // Only requests whose open deadline is within the widest window; the exact rule is AdviceDeadlines.IsReminderDue.
        var candidates = await work.Connection.QueryAsync<(Guid Id, Guid LandlordPartnerId, Guid TenantsOrganisationPartnerId, DateOnly AdviceDueOn,
            DateOnly? AdviceReceivedOn, bool? FollowsAdvice, DateOnly? AnswerDueOn, DateOnly? AnsweredOn)>(new CommandDefinition(
            """
            SELECT id, landlord_partner_id, tenants_organisation_partner_id, advice_due_on, advice_received_on, follows_advice,
                   answer_due_on, answered_on
            FROM advice_requests
            WHERE (advice_received_on IS NULL AND advice_due_on <= @Horizon)
               OR (follows_advice = false AND answered_on IS NULL AND answer_due_on <= @Horizon)
            """,
            new { Horizon = today.AddDays(Math.Max(AdviceDeadlines.AdviceReminderDays, AdviceDeadlines.ReasonedAnswerReminderDays)) },
            work.Transaction, cancellationToken: cancellationToken));

        var sent = 0;
        var now = clock.GetUtcNow();
        foreach (var request in candidates)
        {
            var state = AdviceDeadlines.State(request.AdviceReceivedOn is not null, request.FollowsAdvice, request.AnsweredOn is not null);
            if (AdviceDeadlines.OpenDeadline(state, request.AdviceDueOn, request.AnswerDueOn, request.LandlordPartnerId, request.TenantsOrganisationPartnerId)
                    is not { } deadline
                || !AdviceDeadlines.IsReminderDue(deadline.Kind, deadline.DueOn, today))
            {
                continue;
            }

            sent += await work.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO advice_reminders (advice_request_id, deadline, due_on, recipient_partner_id, sent_at)
                VALUES (@Id, @Deadline, @DueOn, @RecipientPartnerId, @SentAt)
                ON CONFLICT (advice_request_id, deadline) DO NOTHING
                """,
                new { request.Id, Deadline = deadline.Kind, deadline.DueOn, RecipientPartnerId = deadline.OwedByPartnerId, SentAt = now },
                work.Transaction, cancellationToken: cancellationToken));
        }

        await work.CommitAsync(cancellationToken);
        return sent;
    }
}

/// <summary>
/// Runs <see cref="AdviceReminders.SendDueAsync"/> at start and then every <c>AdviceReminders:Interval</c> (default an
/// hour: deadlines are days, so an hour late is never a day late).
/// </summary>
public sealed partial class AdviceReminderService(
    UnitOfWorkFactory unitOfWork, TimeProvider clock, IConfiguration configuration, ILogger<AdviceReminderService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue<TimeSpan?>("AdviceReminders:Interval") ?? TimeSpan.FromHours(1);
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            do
            {
                try
                {
                    await AdviceReminders.SendDueAsync(unitOfWork, clock, stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database is away: the next round reminds of whatever this one missed.
                    LogCheckFailed(logger, exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking the advice deadlines for reminders failed; the next round tries again")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
