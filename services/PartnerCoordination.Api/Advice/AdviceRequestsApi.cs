using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Domain;
using Participatie.PartnerCoordination.Trajectories;

namespace Participatie.PartnerCoordination.Advice;

/// <summary>
/// Advice under the Overlegwet: a landlord asks a tenants' organisation in the trajectory for advice, the
/// organisation gives it, the landlord decides and, when it departs from the advice, answers with reasons. Every
/// partner of the trajectory reads each step and its open deadline; to outsiders none of it exists.
/// </summary>
public static class AdviceRequestsApi
{
    private const string SelectRequest = """
        SELECT id, trajectory_id AS TrajectoryId, landlord_partner_id AS LandlordPartnerId,
               tenants_organisation_partner_id AS TenantsOrganisationPartnerId, subject, proposal, sent_on AS SentOn,
               advice_due_on AS AdviceDueOn, advice, advice_received_on AS AdviceReceivedOn, follows_advice AS FollowsAdvice,
               decided_on AS DecidedOn, answer_due_on AS AnswerDueOn, reasoned_answer AS ReasonedAnswer, answered_on AS AnsweredOn,
               created_at AS CreatedAt, updated_at AS UpdatedAt
        FROM advice_requests
        """;

    public static IEndpointRouteBuilder MapAdviceRequestsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/trajectories/{trajectoryId:guid}/advice-requests", "Advice requests", AuthenticationExtensions.CallerPolicy)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", RequestAdvice)
            .WithName("RequestAdvice")
            .WithSummary("Ask a tenants' organisation of the trajectory for advice (a housing corporation that contributes); at least six weeks")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", ListAdviceRequests)
            .WithName("ListAdviceRequests")
            .WithSummary("List the trajectory's requests for advice; overdue=true or dueSoon=true lists those whose open deadline has passed or is near");
        api.MapGet("/{adviceRequestId:guid}", GetAdviceRequest)
            .WithName("GetAdviceRequest")
            .WithSummary("Read a request for advice, with its open deadline and the reminders sent");
        api.MapPut("/{adviceRequestId:guid}/advice", RecordAdvice)
            .WithName("RecordAdvice")
            .WithSummary("Record the advice (the tenants' organisation asked)")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPut("/{adviceRequestId:guid}/decision", RecordAdviceDecision)
            .WithName("RecordAdviceDecision")
            .WithSummary("Record the landlord's decision: following the advice, or departing from it (a reasoned answer is then due in 14 days)")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPut("/{adviceRequestId:guid}/reasoned-answer", RecordReasonedAnswer)
            .WithName("RecordReasonedAnswer")
            .WithSummary("Record the landlord's reasoned written answer to advice it departed from")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }

    internal static async Task<Results<Created<AdviceRequest>, ProblemHttpResult>> RequestAdvice(
        Guid trajectoryId, NewAdviceRequest request, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckContributorAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var landlord = user.GetPartnerId()!.Value;
        if (await KindOfAsync(work, landlord, cancellationToken) != PartnerKinds.HousingCorporation)
        {
            return Problems.Forbidden("Advice under the Overlegwet is asked by a landlord: a housing corporation.");
        }

        var tenantsOrganisation = request.TenantsOrganisationPartnerId!.Value;
        if (!await TrajectoryAccess.TakesPartAsync(work, trajectoryId, tenantsOrganisation, cancellationToken)
            || await KindOfAsync(work, tenantsOrganisation, cancellationToken) != PartnerKinds.TenantsOrganisation)
        {
            return Problems.Unprocessable(
                "tenantsOrganisationPartnerId", $"Partner '{tenantsOrganisation}' is no tenants' organisation taking part in this trajectory.");
        }

        var today = TaskDeadlines.Today(clock);
        var sentOn = request.SentOn ?? today;
        if (sentOn > today)
        {
            return Problems.Unprocessable("sentOn", "'sentOn' cannot be later than today.");
        }

        var adviceDueOn = request.AdviceDueOn ?? AdviceDeadlines.DefaultAdviceDue(sentOn);
        if (!AdviceDeadlines.IsAdvicePeriodLongEnough(sentOn, adviceDueOn))
        {
            return Problems.Unprocessable(
                "adviceDueOn",
                $"The Overlegwet gives at least six weeks to advise: 'adviceDueOn' must be {AdviceDeadlines.DefaultAdviceDue(sentOn):yyyy-MM-dd} or later.");
        }

        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO advice_requests
                (id, trajectory_id, landlord_partner_id, tenants_organisation_partner_id, subject, proposal, sent_on, advice_due_on, created_at, updated_at)
            VALUES (@Id, @TrajectoryId, @Landlord, @TenantsOrganisation, @Subject, @Proposal, @SentOn, @AdviceDueOn, @Now, @Now)
            """,
            new
            {
                Id = id,
                TrajectoryId = trajectoryId,
                Landlord = landlord,
                TenantsOrganisation = tenantsOrganisation,
                Subject = request.Subject!.Trim(),
                Proposal = request.Proposal!.Trim(),
                SentOn = sentOn,
                AdviceDueOn = adviceDueOn,
                Now = now,
            },
            work.Transaction, cancellationToken: cancellationToken));
        // Whom a landlord owes an answer, and by when, is a matter of responsibility between partners: audited.
        await AuditLog.RecordAsync(
            work, user, trajectoryId, "advice-requested", $"advice request {id}",
            new { tenantsOrganisationPartnerId = tenantsOrganisation, sentOn, adviceDueOn }, cancellationToken);
        var created = (await FindAsync(work, trajectoryId, id, today, forUpdate: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Created($"/v1/trajectories/{trajectoryId}/advice-requests/{id}", created);
    }

    internal static async Task<Results<Ok<Page<AdviceRequest>>, ProblemHttpResult>> ListAdviceRequests(
        Guid trajectoryId,
        [FromQuery] bool? overdue,
        [FromQuery] bool? dueSoon,
        [AsParameters] PageQuery page,
        ClaimsPrincipal user,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckReaderAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var today = TaskDeadlines.Today(clock);
        // The open deadline and its window are AdviceDeadlines.OpenDeadline, IsOverdue and IsDueSoon, in SQL.
        const string deadline = """
            CASE WHEN advice_received_on IS NULL THEN advice_due_on
                 WHEN follows_advice = false AND answered_on IS NULL THEN answer_due_on END
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
        return TypedResults.Ok(requests with { Items = [.. requests.Items.Select(request => WithDeadline(request, today, []))] });
    }

    internal static async Task<Results<Ok<AdviceRequest>, ProblemHttpResult>> GetAdviceRequest(
        Guid trajectoryId, Guid adviceRequestId, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckReaderAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var request = await FindAsync(work, trajectoryId, adviceRequestId, TaskDeadlines.Today(clock), forUpdate: false, cancellationToken);
        return request is null ? Problems.NotFound("advice request", adviceRequestId) : TypedResults.Ok(request);
    }

    internal static async Task<Results<Ok<AdviceRequest>, ProblemHttpResult>> RecordAdvice(
        Guid trajectoryId,
        Guid adviceRequestId,
        AdviceTextRequest request,
        ClaimsPrincipal user,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var today = TaskDeadlines.Today(clock);
        var (advice, problem) = await FindForStepAsync(
            work, trajectoryId, adviceRequestId, user, today, owed => owed.TenantsOrganisationPartnerId, "Only the tenants' organisation asked for advice gives it.", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (advice.AdviceReceivedOn is not null)
        {
            return Problems.Unprocessable("text", "The advice has already been given; the landlord decides on it as it stands.");
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE advice_requests SET advice = @Text, advice_received_on = @Today, updated_at = @Now WHERE id = @Id",
            new { Id = adviceRequestId, Text = request.Text!.Trim(), Today = today, Now = clock.GetUtcNow() },
            work.Transaction, cancellationToken: cancellationToken));
        var updated = (await FindAsync(work, trajectoryId, adviceRequestId, today, forUpdate: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(updated);
    }

    internal static async Task<Results<Ok<AdviceRequest>, ProblemHttpResult>> RecordAdviceDecision(
        Guid trajectoryId,
        Guid adviceRequestId,
        AdviceDecisionRequest request,
        ClaimsPrincipal user,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var today = TaskDeadlines.Today(clock);
        var (advice, problem) = await FindForStepAsync(
            work, trajectoryId, adviceRequestId, user, today, owed => owed.LandlordPartnerId, "Only the landlord that asked for the advice decides on it.", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (advice.AdviceReceivedOn is null)
        {
            return Problems.Unprocessable("followsAdvice", "No advice has been given yet to follow or depart from.");
        }

        if (advice.FollowsAdvice is not null)
        {
            return Problems.Unprocessable("followsAdvice", "The decision on this advice has already been recorded.");
        }

        var decidedOn = request.DecidedOn ?? today;
        if (decidedOn < advice.SentOn || decidedOn > today)
        {
            return Problems.Unprocessable("decidedOn", $"'decidedOn' must lie between {advice.SentOn:yyyy-MM-dd} (the request) and today.");
        }

        var follows = request.FollowsAdvice!.Value;
        DateOnly? answerDueOn = follows ? null : AdviceDeadlines.ReasonedAnswerDue(decidedOn);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE advice_requests
            SET follows_advice = @Follows, decided_on = @DecidedOn, answer_due_on = @AnswerDueOn, updated_at = @Now
            WHERE id = @Id
            """,
            new { Id = adviceRequestId, Follows = follows, DecidedOn = decidedOn, AnswerDueOn = answerDueOn, Now = clock.GetUtcNow() },
            work.Transaction, cancellationToken: cancellationToken));
        await AuditLog.RecordAsync(
            work, user, trajectoryId, "decision-recorded", $"advice request {adviceRequestId}",
            new { followsAdvice = follows, decidedOn, answerDueOn }, cancellationToken);
        var updated = (await FindAsync(work, trajectoryId, adviceRequestId, today, forUpdate: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(updated);
    }

    internal static async Task<Results<Ok<AdviceRequest>, ProblemHttpResult>> RecordReasonedAnswer(
        Guid trajectoryId,
        Guid adviceRequestId,
        AdviceTextRequest request,
        ClaimsPrincipal user,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var today = TaskDeadlines.Today(clock);
        var (advice, problem) = await FindForStepAsync(
            work, trajectoryId, adviceRequestId, user, today, owed => owed.LandlordPartnerId, "Only the landlord that departed from the advice answers with reasons.", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (advice.State != AdviceStates.AwaitingReasonedAnswer)
        {
            return Problems.Unprocessable("text", "A reasoned answer is owed only after a decision that departs from the advice, and only once.");
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE advice_requests SET reasoned_answer = @Text, answered_on = @Today, updated_at = @Now WHERE id = @Id",
            new { Id = adviceRequestId, Text = request.Text!.Trim(), Today = today, Now = clock.GetUtcNow() },
            work.Transaction, cancellationToken: cancellationToken));
        var updated = (await FindAsync(work, trajectoryId, adviceRequestId, today, forUpdate: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(updated);
    }

    private static Task<string?> KindOfAsync(UnitOfWork work, Guid partnerId, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT kind FROM partners WHERE id = @PartnerId", new { PartnerId = partnerId }, work.Transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// The request, locked, when the caller is the partner that owes this step; any role in the trajectory will do,
    /// since a tenants' organisation may only observe it and still advises.
    /// </summary>
    private static async Task<(AdviceRequest Advice, ProblemHttpResult? Problem)> FindForStepAsync(
        UnitOfWork work,
        Guid trajectoryId,
        Guid adviceRequestId,
        ClaimsPrincipal user,
        DateOnly today,
        Func<AdviceRequest, Guid> partnerOwingTheStep,
        string forbidden,
        CancellationToken cancellationToken)
    {
        if (await TrajectoryAccess.CheckReaderAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return (null!, denied);
        }

        var advice = await FindAsync(work, trajectoryId, adviceRequestId, today, forUpdate: true, cancellationToken);
        if (advice is null)
        {
            return (null!, Problems.NotFound("advice request", adviceRequestId));
        }

        return user.GetPartnerId() == partnerOwingTheStep(advice) ? (advice, null) : (advice, Problems.Forbidden(forbidden));
    }

    private static async Task<AdviceRequest?> FindAsync(
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

    private static AdviceRequest WithDeadline(AdviceRequest request, DateOnly today, IReadOnlyList<AdviceReminder> reminders)
    {
        var state = AdviceDeadlines.State(request.AdviceReceivedOn is not null, request.FollowsAdvice, request.AnsweredOn is not null);
        var deadline = AdviceDeadlines.OpenDeadline(
            state, request.AdviceDueOn, request.AnswerDueOn, request.LandlordPartnerId, request.TenantsOrganisationPartnerId);
        return request with
        {
            State = state,
            OpenDeadline = deadline,
            Overdue = deadline is not null && AdviceDeadlines.IsOverdue(deadline.DueOn, today),
            DueSoon = deadline is not null && AdviceDeadlines.IsDueSoon(deadline.Kind, deadline.DueOn, today),
            Reminders = reminders,
        };
    }
}
