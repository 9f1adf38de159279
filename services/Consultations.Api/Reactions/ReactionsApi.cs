using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Messaging;
using Participatie.BuildingBlocks.Time;
using Participatie.BuildingBlocks.Trajectories;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.DataRights;
using Npgsql;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Residents;
using Participatie.Consultations.Trajectories;
using Participatie.Contracts;

namespace Participatie.Consultations.Reactions;

public static class ReactionsApi
{
    public static IEndpointRouteBuilder MapReactionsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/consultations/{consultationId:guid}/reactions", "Reactions").WithConsultationAccess();

        // Partners enter reactions for residents (online through their own apps, or on paper, by phone, at the door).
        api.MapPost("", SubmitReaction)
            .Requires(ConsultationPermissions.Contribute)
            .WithName("SubmitReaction")
            .WithSummary("Submit a resident's reaction, recording the partner, client and staff member that entered it; the resident gets a receipt at once; 422 for a resident who was erased, is outside the consultation's audience or is not known to this service yet")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", ListReactions)
            .WithName("ListReactions")
            .WithSummary("List the reactions to a consultation, oldest first; with overdue=true only those whose answer is overdue")
            .WithDescription("residentId is shown only to the partner that registered the resident (null for the others): they read what was said and its outcome, not who said it.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{reactionId:guid}", GetReaction)
            .WithName("GetReaction")
            .WithSummary("Read a reaction with every status it went through")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{reactionId:guid}/answer", AnswerReaction)
            .Requires(ConsultationPermissions.Answer)
            .WithName("AnswerReaction")
            .WithSummary("Answer a reaction with a status and an explanation (the consultation's owner, the trajectory's lead and co-owners); the resident is told")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPut("/{reactionId:guid}/assignment", AssignReaction)
            .Requires(ConsultationPermissions.Answer)
            .WithName("AssignReaction")
            .WithSummary("Assign a reaction to a partner of the trajectory and, optionally, a person there who prepares the answer (those who answer it)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapDelete("/{reactionId:guid}/assignment", UnassignReaction)
            .Requires(ConsultationPermissions.Answer)
            .WithName("UnassignReaction")
            .WithSummary("Take a reaction's assignment away (those who answer it)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{reactionId:guid}/internal-notes", AddInternalNote)
            .Requires(ConsultationPermissions.Contribute)
            .WithName("AddInternalNote")
            .WithSummary("Keep a note on a reaction for the trajectory's partners; the resident never sees it")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{reactionId:guid}/internal-notes", ListInternalNotes)
            .WithName("ListInternalNotes")
            .WithSummary("List the internal notes on a reaction, oldest first")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Results<Created<ReactionResponse>, ProblemHttpResult>> SubmitReaction(
        VisibleConsultation visible, SubmitReactionRequest request, ReactionWriter writer, [AsParameters] ApiServices services)
    {
        var (reaction, problem) = await SubmitAsync(
            visible.Consultation, visible.AnswerWorkingDays, request.ResidentId, request.Text!, request.Channel ?? ReactionChannels.Online,
            request.Language ?? Languages.Dutch, writer, services);
        return problem ?? (Results<Created<ReactionResponse>, ProblemHttpResult>)TypedResults.Created(
            $"/v1/consultations/{visible.Consultation.Id}/reactions/{reaction!.Id}", reaction);
    }

    /// <summary>
    /// The one way a reaction comes in, entered by a partner or given by the resident themselves: the same deadline
    /// rules, and the same ReactionSubmitted, so that the resident gets their receipt either way.
    /// </summary>
    internal static async Task<(ReactionResponse? Reaction, ProblemHttpResult? Problem)> SubmitAsync(
        ConsultationResponse consultation, int answerWorkingDays, Guid residentId, string text, string channel, string language,
        ReactionWriter writer, ApiServices services)
    {
        if (!ConsultationPeriod.IsOpen(consultation.ClosesOn, AmsterdamClock.Today(services.Clock)))
        {
            return (null, Problems.Unprocessable("consultationId", $"The consultation closed on {consultation.ClosesOn:yyyy-MM-dd}."));
        }

        // The promise is fixed when the reaction arrives: a later change of the trajectory's setting does not move it.
        var now = services.Clock.GetUtcNow();
        var reaction = new ReactionResponse
        {
            Id = Guid.CreateVersion7(),
            ConsultationId = consultation.Id,
            ResidentId = residentId,
            Text = text.Trim(),
            Channel = channel,
            Language = language,
            Status = ReactionStatuses.Received,
            SubmittedAt = now,
            AnswerDueOn = AnswerDeadlines.DueOn(AmsterdamClock.Today(services.Clock), answerWorkingDays),
        };
        var submitted = OutboxEntry.For(new ReactionSubmitted(
            reaction.Id, consultation.Id, consultation.TrajectoryId, residentId, consultation.Title, now, reaction.AnswerDueOn,
            consultation.TitleTranslations));
        var author = EntryAuthor.Of(services.User);

        // The audience check, the reaction and its event in one statement, shared with the reactions arriving at the
        // same moment; the table's trigger refuses an erased resident.
        var outcome = await writer.WriteAsync(new NewReaction(reaction, author, submitted), services.Cancellation);
        if (outcome == ReactionWriteOutcome.ResidentErased)
        {
            return (null, ErasedResidents.Refusal(residentId));
        }

        if (outcome == ReactionWriteOutcome.NotInAudience)
        {
            // Outside the audience or not known here: only now is it worth a second look, to say which.
            await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
            return (null, await ConsultationAudience.RefuseOutsiderAsync(connection, null, consultation.Id, residentId, services.Cancellation)
                ?? ConsultationAudience.NotInAudience(residentId));
        }

        return (reaction with { History = [new StatusChange { Status = reaction.Status, ChangedAt = now }] }, null);
    }

    internal static async Task<Ok<Page<ReactionResponse>>> ListReactions(
        VisibleConsultation visible, [FromQuery] bool? overdue, [AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        var filter = overdue == true
            ? $"consultation_id = @ConsultationId AND {ReactionStore.OverdueFilter}"
            : "consultation_id = @ConsultationId";
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var reactions = await connection.QueryPageAsync<ReactionResponse>(page, new CommandDefinition(
            $"""
            {ReactionStore.SelectReaction} WHERE {filter}
            ORDER BY submitted_at, id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM reactions WHERE {filter};
            """,
            new { ConsultationId = visible.Consultation.Id, Today = AmsterdamClock.Today(services.Clock), page.Offset, page.Size },
            cancellationToken: services.Cancellation));
        return TypedResults.Ok(reactions with { Items = await ForCallerAsync(connection, null, reactions.Items, services) });
    }

    /// <summary>Reactions as the caller may see them: the resident's id only where the caller registered the resident.</summary>
    private static Task<List<ReactionResponse>> ForCallerAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IEnumerable<ReactionResponse> reactions, ApiServices services) =>
        ResidentPartners.HideOthersAsync(
            connection, transaction, services.PartnerId, reactions, reaction => reaction.ResidentId, reaction => reaction with { ResidentId = null }, services.Cancellation);

    private static async Task<ReactionResponse> ForCallerAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, ReactionResponse reaction, ApiServices services) =>
        (await ForCallerAsync(connection, transaction, [reaction], services)).Single();

    internal static async Task<Results<Ok<ReactionResponse>, ProblemHttpResult>> GetReaction(
        VisibleConsultation visible, Guid reactionId, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var reaction = await ReactionStore.FindAsync(connection, null, visible.Consultation.Id, reactionId, services.Cancellation);
        return reaction is null
            ? Problems.NotFound("reaction", reactionId)
            : TypedResults.Ok(await ForCallerAsync(
                connection, null, reaction with { History = await ReactionStore.HistoryAsync(connection, reactionId, services.Cancellation) }, services));
    }

    internal static async Task<Results<Ok<ReactionResponse>, ProblemHttpResult>> AnswerReaction(
        VisibleConsultation visible, Guid reactionId, AnswerReactionRequest request, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        // Locked, so that two partners answering at once are applied one after the other, each seeing the other's change.
        var reaction = await ReactionStore.FindAsync(work.Connection, work.Transaction, visible.Consultation.Id, reactionId, services.Cancellation, forUpdate: true);
        if (reaction is null)
        {
            return Problems.NotFound("reaction", reactionId);
        }

        var explanation = request.Explanation!.Trim();
        var translations = PartnerTranslations.Normalize(request.ExplanationTranslations);
        var now = services.Clock.GetUtcNow();
        switch (await ReactionStore.ApplyAnswerAsync(
            work, visible.Consultation, reaction, request.Status!, explanation, now, services.Cancellation, translations))
        {
            case AnswerOutcome.Unchanged:
                return TypedResults.Ok(await ForCallerAsync(work.Connection, work.Transaction, reaction, services));
            case AnswerOutcome.NotAllowed:
                return Problems.Unprocessable(
                    "status", $"A reaction that is '{reaction.Status}' cannot go back to '{request.Status}'.");
        }

        var answered = await ForCallerAsync(work.Connection, work.Transaction, reaction with
        {
            Status = request.Status!, Explanation = explanation, ExplanationTranslations = translations, AnsweredAt = now,
        }, services);
        await work.CommitAsync(services.Cancellation);
        return TypedResults.Ok(answered);
    }

    internal static async Task<Results<Ok<ReactionResponse>, ProblemHttpResult>> AssignReaction(
        VisibleConsultation visible, Guid reactionId, AssignReactionRequest request, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        var reaction = await ReactionStore.FindAsync(work.Connection, work.Transaction, visible.Consultation.Id, reactionId, services.Cancellation, forUpdate: true);
        if (reaction is null)
        {
            return Problems.NotFound("reaction", reactionId);
        }

        var role = await TrajectoryProjection.RoleOfAsync(work.Connection, visible.Consultation.TrajectoryId, request.PartnerId, services.Cancellation);
        if (role is null)
        {
            return Problems.Unprocessable("partnerId", $"Partner '{request.PartnerId}' takes no part in this consultation's trajectory.");
        }

        // An observer only reads: work given to it would never be done.
        if (!TrajectoryRoles.CanContribute(role))
        {
            return Problems.Unprocessable("partnerId", $"Partner '{request.PartnerId}' is an {role} in this trajectory and cannot work on answers.");
        }

        var assigned = reaction with
        {
            AssignedPartnerId = request.PartnerId,
            Assignee = string.IsNullOrWhiteSpace(request.Assignee) ? null : request.Assignee.Trim(),
            AssignedAt = services.Clock.GetUtcNow(),
        };
        await ReactionStore.SetAssignmentAsync(work, reactionId, assigned.AssignedPartnerId, assigned.Assignee, assigned.AssignedAt, services.Cancellation);
        var shown = await ForCallerAsync(work.Connection, work.Transaction, assigned, services);
        await work.CommitAsync(services.Cancellation);
        return TypedResults.Ok(shown);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> UnassignReaction(
        VisibleConsultation visible, Guid reactionId, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        if (await ReactionStore.FindAsync(work.Connection, work.Transaction, visible.Consultation.Id, reactionId, services.Cancellation, forUpdate: true) is null)
        {
            return Problems.NotFound("reaction", reactionId);
        }

        await ReactionStore.SetAssignmentAsync(work, reactionId, null, null, null, services.Cancellation);
        await work.CommitAsync(services.Cancellation);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Created<InternalNote>, ProblemHttpResult>> AddInternalNote(
        VisibleConsultation visible, Guid reactionId, AddInternalNoteRequest request, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        if (await ReactionStore.FindAsync(work.Connection, work.Transaction, visible.Consultation.Id, reactionId, services.Cancellation) is null)
        {
            return Problems.NotFound("reaction", reactionId);
        }

        var note = new InternalNote
        {
            Id = Guid.CreateVersion7(),
            ReactionId = reactionId,
            PartnerId = services.PartnerId!.Value,
            Author = string.IsNullOrWhiteSpace(request.Author) ? null : request.Author.Trim(),
            Text = request.Text!.Trim(),
            CreatedAt = services.Clock.GetUtcNow(),
        };
        // Deliberately no event: what staff write to each other stays in this service.
        await ReactionStore.AddInternalNoteAsync(work, note, services.User.GetClientId(), services.Cancellation);
        await work.CommitAsync(services.Cancellation);
        return TypedResults.Created($"/v1/consultations/{visible.Consultation.Id}/reactions/{reactionId}/internal-notes/{note.Id}", note);
    }

    internal static async Task<Results<Ok<Page<InternalNote>>, ProblemHttpResult>> ListInternalNotes(
        VisibleConsultation visible, Guid reactionId, [AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        if (await ReactionStore.FindAsync(connection, null, visible.Consultation.Id, reactionId, services.Cancellation) is null)
        {
            return Problems.NotFound("reaction", reactionId);
        }

        return TypedResults.Ok(await connection.QueryPageAsync<InternalNote>(page, new CommandDefinition(
            """
            SELECT id, reaction_id AS ReactionId, partner_id AS PartnerId, author, text, created_at AS CreatedAt
            FROM reaction_internal_notes WHERE reaction_id = @ReactionId
            ORDER BY created_at, id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM reaction_internal_notes WHERE reaction_id = @ReactionId;
            """,
            new { ReactionId = reactionId, page.Offset, page.Size }, cancellationToken: services.Cancellation)));
    }
}
