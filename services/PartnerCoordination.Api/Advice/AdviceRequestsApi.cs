using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Time;
using Participatie.PartnerCoordination.Domain;
using Participatie.PartnerCoordination.Trajectories;

namespace Participatie.PartnerCoordination.Advice;

/// <summary>
/// Advice under the Overlegwet: a landlord asks a tenants' organisation (or bewonerscommissie) in the trajectory for
/// advice, the organisation gives it, the landlord decides and, when it departs from the advice, answers with reasons
/// within 14 days of receiving it. Advice not given in its period lapses. Every
/// partner of the trajectory reads each step and its open deadline; to outsiders none of it exists.
/// </summary>
public static class AdviceRequestsApi
{
    public static IEndpointRouteBuilder MapAdviceRequestsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/trajectories/{trajectoryId:guid}/advice-requests", "Advice requests", AuthenticationExtensions.CallerPolicy)
            .WithTrajectoryAccess()
            .ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapDeclaredHolidaysApi();

        api.MapPost("", RequestAdvice)
            .Requires(TrajectoryPermissions.Contribute)
            .WithName("RequestAdvice")
            .WithSummary("Ask a tenants' organisation or bewonerscommissie of the trajectory for advice (a housing corporation that contributes); at least six weeks")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", ListAdviceRequests)
            .WithName("ListAdviceRequests")
            .WithSummary("List the trajectory's requests for advice; overdue=true or dueSoon=true lists those whose open deadline has passed or is near");
        api.MapGet("/{adviceRequestId:guid}", GetAdviceRequest)
            .WithName("GetAdviceRequest")
            .WithSummary("Read a request for advice, with its open deadline and the reminders sent");
        // The steps need any role only: a tenants' organisation may merely observe the trajectory, and still advises.
        api.MapPut("/{adviceRequestId:guid}/advice", RecordAdvice)
            .WithName("RecordAdvice")
            .WithSummary("Record the advice (the tenants' organisation asked), received today or on receivedOn, within the advice period")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPut("/{adviceRequestId:guid}/decision", RecordAdviceDecision)
            .WithName("RecordAdviceDecision")
            .WithSummary("Record the landlord's decision: following the advice, or departing from it (a reasoned answer is then due 14 days after the advice was received)")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPut("/{adviceRequestId:guid}/reasoned-answer", RecordReasonedAnswer)
            .WithName("RecordReasonedAnswer")
            .WithSummary("Record the landlord's reasoned written answer to advice it departed from; it may go ahead three days later")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapAdviceDossier();
        return routes;
    }

    internal static async Task<Results<Created<AdviceRequest>, ProblemHttpResult>> RequestAdvice(
        TrajectoryCaller caller, NewAdviceRequest request, [AsParameters] ApiServices services)
    {
        var (work, trajectoryId, cancellationToken) = (caller.Work, caller.TrajectoryId, services.Cancellation);
        var landlord = caller.Partner;
        if (await AdviceRequestStore.KindOfAsync(work, landlord, cancellationToken) != PartnerKinds.HousingCorporation)
        {
            return Problems.Forbidden("Advice under the Overlegwet is asked by a landlord: a housing corporation.");
        }

        var tenantsOrganisation = request.TenantsOrganisationPartnerId!.Value;
        if (!await TrajectoryStore.TakesPartAsync(work, trajectoryId, tenantsOrganisation, cancellationToken)
            || await AdviceRequestStore.KindOfAsync(work, tenantsOrganisation, cancellationToken) is not { } kind
            || !PartnerKinds.AdvisingTenants.Contains(kind))
        {
            return Problems.Unprocessable(
                "tenantsOrganisationPartnerId", $"Partner '{tenantsOrganisation}' is no tenants' organisation or bewonerscommissie taking part in this trajectory.");
        }

        var today = AmsterdamClock.Today(services.Clock);
        var sentOn = request.SentOn ?? today;
        if (sentOn > today)
        {
            return Problems.Unprocessable("sentOn", "'sentOn' cannot be later than today.");
        }

        var declaredHolidays = await DeclaredHolidaysApi.LoadAsync(work, cancellationToken);
        var adviceDueOn = request.AdviceDueOn ?? AdviceDeadlines.DefaultAdviceDue(sentOn, declaredHolidays);
        if (!AdviceDeadlines.IsAdvicePeriodLongEnough(sentOn, adviceDueOn, declaredHolidays))
        {
            return Problems.Unprocessable(
                "adviceDueOn",
                $"The Overlegwet gives at least six weeks to advise, ending on a working day: 'adviceDueOn' must be {AdviceDeadlines.DefaultAdviceDue(sentOn, declaredHolidays):yyyy-MM-dd} or later.");
        }

        var id = Guid.CreateVersion7();
        var now = services.Clock.GetUtcNow();
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
            work, services.User, trajectoryId, "advice-requested", $"advice request {id}",
            new { tenantsOrganisationPartnerId = tenantsOrganisation, sentOn, adviceDueOn }, cancellationToken);
        var created = (await AdviceRequestStore.FindAsync(work, trajectoryId, id, today, forUpdate: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Created($"/v1/trajectories/{trajectoryId}/advice-requests/{id}", created);
    }

    internal static async Task<Results<Ok<Page<AdviceRequest>>, ProblemHttpResult>> ListAdviceRequests(
        TrajectoryCaller caller,
        [FromQuery] bool? overdue,
        [FromQuery] bool? dueSoon,
        [AsParameters] PageQuery page,
        [AsParameters] ApiServices services)
    {
        var (work, trajectoryId, cancellationToken) = (caller.Work, caller.TrajectoryId, services.Cancellation);
        var today = AmsterdamClock.Today(services.Clock);
        return TypedResults.Ok(await AdviceRequestStore.PageAsync(work, trajectoryId, overdue, dueSoon, page, today, cancellationToken));
    }

    internal static async Task<Results<Ok<AdviceRequest>, ProblemHttpResult>> GetAdviceRequest(
        TrajectoryCaller caller, Guid adviceRequestId, [AsParameters] ApiServices services)
    {
        var (work, trajectoryId, cancellationToken) = (caller.Work, caller.TrajectoryId, services.Cancellation);
        var request = await AdviceRequestStore.FindAsync(work, trajectoryId, adviceRequestId, AmsterdamClock.Today(services.Clock), forUpdate: false, cancellationToken);
        return request is null ? Problems.NotFound("advice request", adviceRequestId) : TypedResults.Ok(request);
    }

    internal static async Task<Results<Ok<AdviceRequest>, ProblemHttpResult>> RecordAdvice(
        TrajectoryCaller caller, Guid adviceRequestId, AdviceGivenRequest request, [AsParameters] ApiServices services)
    {
        var (work, trajectoryId, cancellationToken) = (caller.Work, caller.TrajectoryId, services.Cancellation);
        var today = AmsterdamClock.Today(services.Clock);
        var (advice, problem) = await AdviceRequestStore.FindForStepAsync(
            work, trajectoryId, adviceRequestId, caller.PartnerId, today, owed => owed.TenantsOrganisationPartnerId, "Only the tenants' organisation asked for advice gives it.", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (advice.AdviceReceivedOn is not null)
        {
            return Problems.Unprocessable("text", "The advice has already been given; the landlord decides on it as it stands.");
        }

        var receivedOn = request.ReceivedOn ?? today;
        if (receivedOn < advice.SentOn || receivedOn > today)
        {
            return Problems.Unprocessable("receivedOn", $"'receivedOn' must lie between {advice.SentOn:yyyy-MM-dd} (the request) and today.");
        }

        if (receivedOn > advice.AdviceDueOn)
        {
            return Problems.Unprocessable(
                "receivedOn", $"The advice period ended on {advice.AdviceDueOn:yyyy-MM-dd} without advice; the landlord may go ahead without it.");
        }

        // The 14 days for a reasoned answer run from receipt (art. 5 lid 2), so they are known now, before any decision.
        var answerDueOn = AdviceDeadlines.ReasonedAnswerDue(receivedOn, await DeclaredHolidaysApi.LoadAsync(work, cancellationToken));
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE advice_requests
            SET advice = @Text, advice_received_on = @ReceivedOn, answer_due_on = @AnswerDueOn, updated_at = @Now
            WHERE id = @Id
            """,
            new { Id = adviceRequestId, Text = request.Text!.Trim(), ReceivedOn = receivedOn, AnswerDueOn = answerDueOn, Now = services.Clock.GetUtcNow() },
            work.Transaction, cancellationToken: cancellationToken));
        var updated = (await AdviceRequestStore.FindAsync(work, trajectoryId, adviceRequestId, today, forUpdate: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(updated);
    }

    internal static async Task<Results<Ok<AdviceRequest>, ProblemHttpResult>> RecordAdviceDecision(
        TrajectoryCaller caller, Guid adviceRequestId, AdviceDecisionRequest request, [AsParameters] ApiServices services)
    {
        var (work, trajectoryId, cancellationToken) = (caller.Work, caller.TrajectoryId, services.Cancellation);
        var today = AmsterdamClock.Today(services.Clock);
        var (advice, problem) = await AdviceRequestStore.FindForStepAsync(
            work, trajectoryId, adviceRequestId, caller.PartnerId, today, owed => owed.LandlordPartnerId, "Only the landlord that asked for the advice decides on it.", cancellationToken);
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
        // Following the advice owes no answer; departing keeps the date set at receipt, even when it has passed.
        var answerDueOn = follows ? null : advice.AnswerDueOn;
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE advice_requests
            SET follows_advice = @Follows, decided_on = @DecidedOn, answer_due_on = @AnswerDueOn, updated_at = @Now
            WHERE id = @Id
            """,
            new { Id = adviceRequestId, Follows = follows, DecidedOn = decidedOn, AnswerDueOn = answerDueOn, Now = services.Clock.GetUtcNow() },
            work.Transaction, cancellationToken: cancellationToken));
        await AuditLog.RecordAsync(
            work, services.User, trajectoryId, "decision-recorded", $"advice request {adviceRequestId}",
            new { followsAdvice = follows, decidedOn, answerDueOn }, cancellationToken);
        var updated = (await AdviceRequestStore.FindAsync(work, trajectoryId, adviceRequestId, today, forUpdate: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(updated);
    }

    internal static async Task<Results<Ok<AdviceRequest>, ProblemHttpResult>> RecordReasonedAnswer(
        TrajectoryCaller caller, Guid adviceRequestId, AdviceTextRequest request, [AsParameters] ApiServices services)
    {
        var (work, trajectoryId, cancellationToken) = (caller.Work, caller.TrajectoryId, services.Cancellation);
        var today = AmsterdamClock.Today(services.Clock);
        var (advice, problem) = await AdviceRequestStore.FindForStepAsync(
            work, trajectoryId, adviceRequestId, caller.PartnerId, today, owed => owed.LandlordPartnerId, "Only the landlord that departed from the advice answers with reasons.", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (advice.State != AdviceStates.AwaitingReasonedAnswer)
        {
            return Problems.Unprocessable("text", "A reasoned answer is owed only after a decision that departs from the advice, and only once.");
        }

        // Recorded here, the answer is before the tenants' organisation today: its three days (art. 5 lid 3) start now.
        var mayProceedOn = AdviceDeadlines.MayProceedAfterReasonedAnswer(today, await DeclaredHolidaysApi.LoadAsync(work, cancellationToken));
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE advice_requests SET reasoned_answer = @Text, answered_on = @Today, may_proceed_on = @MayProceedOn, updated_at = @Now
            WHERE id = @Id
            """,
            new { Id = adviceRequestId, Text = request.Text!.Trim(), Today = today, MayProceedOn = mayProceedOn, Now = services.Clock.GetUtcNow() },
            work.Transaction, cancellationToken: cancellationToken));
        var updated = (await AdviceRequestStore.FindAsync(work, trajectoryId, adviceRequestId, today, forUpdate: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(updated);
    }
}
