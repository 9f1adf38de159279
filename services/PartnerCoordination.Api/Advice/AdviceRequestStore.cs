using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Domain;

namespace Participatie.PartnerCoordination.Advice;

/// <summary>The SQL of requests for advice, each read with its state and open deadline (<see cref="AdviceDeadlines"/>).</summary>
internal static class AdviceRequestStore
{
    internal const string SelectRequest = """
        SELECT id, trajectory_id AS TrajectoryId, landlord_partner_id AS LandlordPartnerId,
               tenants_organisation_partner_id AS TenantsOrganisationPartnerId, subject, proposal, sent_on AS SentOn,
               advice_due_on AS AdviceDueOn, advice, advice_received_on AS AdviceReceivedOn, follows_advice AS FollowsAdvice,
               decided_on AS DecidedOn, answer_due_on AS AnswerDueOn, reasoned_answer AS ReasonedAnswer, answered_on AS AnsweredOn,
               may_proceed_on AS MayProceedOn, created_at AS CreatedAt, updated_at AS UpdatedAt
        FROM advice_requests
        """;

    /// <summary>One page of the trajectory's requests, soonest open deadline first; optionally only those overdue or due soon.</summary>
    internal static async Task<Page<AdviceRequest>> PageAsync(
        UnitOfWork work, Guid trajectoryId, bool? overdue, bool? dueSoon, PageQuery page, DateOnly today, CancellationToken cancellationToken)
    {
        // The open deadline and its window are AdviceDeadlines.OpenDeadline, IsOverdue and IsDueSoon, in SQL; advice
        // whose period has passed has lapsed (AdviceDeadlines.HasAdviceLapsed) and is owed no more.
        const string deadline = """
            CASE WHEN advice_received_on IS NULL AND advice_due_on >= @Today THEN advice_due_on
                 WHEN advice_received_on IS NOT NULL AND follows_advice IS NOT TRUE AND answered_on IS NULL THEN answer_due_on END
            """;
        const string window = "CASE WHEN advice_received_on IS NULL THEN @AdviceWindow ELSE @AnswerWindow END";
        const string filter = $"""
            WHERE trajectory_id = @TrajectoryId
              AND (NOT @OnlyOverdue OR ({deadline}) < @Today)
              AND (NOT @OnlyDueSoon OR (({deadline}) >= @Today AND ({deadline}) <= @Today + ({window})))
            """;
        var requests = await work.Connection.QueryPageAsync<AdviceRequest>(page, new CommandDefinition(
            $"""
            {SelectRequest} {filter} ORDER BY ({deadline}) NULLS LAST, sent_on, id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM advice_requests {filter};
            """,
            new
            {
                TrajectoryId = trajectoryId,
                OnlyOverdue = overdue == true,
                OnlyDueSoon = dueSoon == true,
                Today = today,
                AdviceWindow = AdviceDeadlines.AdviceReminderDays,
                AnswerWindow = AdviceDeadlines.ReasonedAnswerReminderDays,
                page.Offset,
                page.Size,
            },
            work.Transaction, cancellationToken: cancellationToken));
        return requests with { Items = [.. requests.Items.Select(request => WithDeadline(request, today, []))] };
    }

    internal static Task<string?> KindOfAsync(UnitOfWork work, Guid partnerId, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT kind FROM partners WHERE id = @PartnerId", new { PartnerId = partnerId }, work.Transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// The request, locked, when the caller is the partner that owes this step (404 when there is none, 403 for another
    /// partner).
    /// </summary>
    internal static async Task<(AdviceRequest Advice, ProblemHttpResult? Problem)> FindForStepAsync(
        UnitOfWork work,
        Guid trajectoryId,
        Guid adviceRequestId,
        Guid? callerPartnerId,
        DateOnly today,
        Func<AdviceRequest, Guid> partnerOwingTheStep,
        string forbidden,
        CancellationToken cancellationToken)
    {
        var advice = await FindAsync(work, trajectoryId, adviceRequestId, today, forUpdate: true, cancellationToken);
        if (advice is null)
        {
            return (null!, Problems.NotFound("advice request", adviceRequestId));
        }

        return callerPartnerId == partnerOwingTheStep(advice) ? (advice, null) : (advice, Problems.Forbidden(forbidden));
    }

    internal static async Task<AdviceRequest?> FindAsync(
        UnitOfWork work, Guid trajectoryId, Guid adviceRequestId, DateOnly today, bool forUpdate, CancellationToken cancellationToken)
    {
        var request = await work.Connection.QuerySingleOrDefaultAsync<AdviceRequest>(new CommandDefinition(
            $"{SelectRequest} WHERE id = @Id AND trajectory_id = @TrajectoryId {(forUpdate ? "FOR UPDATE" : string.Empty)}",
            new { Id = adviceRequestId, TrajectoryId = trajectoryId }, work.Transaction, cancellationToken: cancellationToken));
        if (request is null)
        {
            return null;
        }

        var reminders = await work.Connection.QueryAsync<AdviceReminder>(new CommandDefinition(
            """
            SELECT deadline, due_on AS DueOn, recipient_partner_id AS RecipientPartnerId, sent_at AS SentAt
            FROM advice_reminders WHERE advice_request_id = @Id ORDER BY sent_at, deadline
            """,
            new { Id = adviceRequestId }, work.Transaction, cancellationToken: cancellationToken));
        return WithDeadline(request, today, [.. reminders]);
    }

    internal static AdviceRequest WithDeadline(AdviceRequest request, DateOnly today, IReadOnlyList<AdviceReminder> reminders)
    {
        var received = request.AdviceReceivedOn is not null;
        var state = AdviceDeadlines.State(
            received, request.FollowsAdvice, request.AnsweredOn is not null, AdviceDeadlines.HasAdviceLapsed(received, request.AdviceDueOn, today));
        var deadline = AdviceDeadlines.OpenDeadline(
            state, request.AdviceDueOn, request.AnswerDueOn, request.LandlordPartnerId, request.TenantsOrganisationPartnerId);
        return request with
        {
            State = state,
            // The column keeps only the day after a reasoned answer; the other cases follow from the request itself.
            MayProceedOn = AdviceDeadlines.MayProceedOn(state, request.AdviceDueOn, request.FollowsAdvice, request.DecidedOn, request.MayProceedOn),
            OpenDeadline = deadline,
            Overdue = deadline is not null && AdviceDeadlines.IsOverdue(deadline.DueOn, today),
            DueSoon = deadline is not null && AdviceDeadlines.IsDueSoon(deadline.Kind, deadline.DueOn, today),
            Reminders = reminders,
        };
    }
}
