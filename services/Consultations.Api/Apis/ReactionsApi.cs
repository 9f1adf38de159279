using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Domain;
using Participatie.Contracts;

namespace Participatie.Consultations.Apis;

public static class ReactionsApi
{
    internal const string SelectReaction = """
        SELECT id, consultation_id AS ConsultationId, resident_id AS ResidentId, text, channel, language, status,
               explanation, submitted_at AS SubmittedAt, answered_at AS AnsweredAt, answer_due_on AS AnswerDueOn,
               assigned_partner_id AS AssignedPartnerId, assignee, assigned_at AS AssignedAt, theme_id AS ThemeId
        FROM reactions
        """;

    /// <summary>
    /// The reactions whose answer is overdue on <c>@Today</c> (<see cref="AnswerDeadlines.IsOverdue"/> in SQL, in the
    /// words of the partial index <c>reactions_awaiting_outcome</c> so that the index serves it).
    /// </summary>
    internal const string OverdueFilter =
        $"answer_due_on < @Today AND status IN ('{ReactionStatuses.Received}', '{ReactionStatuses.UnderConsideration}')";

    public static IEndpointRouteBuilder MapReactionsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/consultations/{consultationId:guid}/reactions", "Reactions");

        api.MapPost("", SubmitReaction)
            .WithName("SubmitReaction")
            .WithSummary("Submit a resident's reaction; the resident gets a receipt at once")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", ListReactions)
            .WithName("ListReactions")
            .WithSummary("List the reactions to a consultation, oldest first; with overdue=true only those whose answer is overdue")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{reactionId:guid}", GetReaction)
            .WithName("GetReaction")
            .WithSummary("Read a reaction with every status it went through")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{reactionId:guid}/answer", AnswerReaction)
            .WithName("AnswerReaction")
            .WithSummary("Answer a reaction with a status and an explanation (the consultation's owner, the trajectory's lead and co-owners); the resident is told")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPut("/{reactionId:guid}/assignment", AssignReaction)
            .WithName("AssignReaction")
            .WithSummary("Assign a reaction to a partner of the trajectory and, optionally, a person there who prepares the answer (those who answer it)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapDelete("/{reactionId:guid}/assignment", UnassignReaction)
            .WithName("UnassignReaction")
            .WithSummary("Take a reaction's assignment away (those who answer it)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{reactionId:guid}/internal-notes", AddInternalNote)
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
        Guid consultationId,
        SubmitReactionRequest request,
        TrajectoryDirectory trajectories,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var visible = await ConsultationAccess.FindVisibleAsync(work.Connection, work.Transaction, consultationId, trajectories, cancellationToken);
        if (visible is null)
        {
            return Problems.NotFound("consultation", consultationId);
        }

        // Partners enter reactions for residents (online through their own apps, or on paper, by phone, at the door).
        if (!TrajectoryRoles.CanContribute(visible.Role))
        {
            return Problems.Forbidden($"A partner with role '{visible.Role}' cannot enter reactions in this trajectory.");
        }

        var consultation = visible.Consultation;

        if (!DutchCalendar.IsOpen(consultation.ClosesOn, clock))
        {
            return Problems.Unprocessable("consultationId", $"The consultation closed on {consultation.ClosesOn:yyyy-MM-dd}.");
        }

        // The promise is fixed when the reaction arrives: a later change of the trajectory's setting does not move it.
        var workingDays = await ConsultationsApi.AnswerWorkingDaysAsync(
            work.Connection, work.Transaction, consultation.TrajectoryId, cancellationToken);
        var now = clock.GetUtcNow();
        var reaction = new ReactionResponse
        {
            Id = Guid.CreateVersion7(),
            ConsultationId = consultationId,
            ResidentId = request.ResidentId,
            Text = request.Text!.Trim(),
            Channel = request.Channel ?? ReactionChannels.Online,
            Language = request.Language ?? Languages.Dutch,
            Status = ReactionStatuses.Received,
            SubmittedAt = now,
            AnswerDueOn = AnswerDeadlines.DueOn(DutchCalendar.Today(clock), workingDays),
        };
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO reactions (id, consultation_id, resident_id, text, channel, language, status, submitted_at, answer_due_on)
            VALUES (@Id, @ConsultationId, @ResidentId, @Text, @Channel, @Language, @Status, @SubmittedAt, @AnswerDueOn)
            """,
            reaction, work.Transaction, cancellationToken: cancellationToken));
        await RecordStatusAsync(work, reaction.Id, reaction.Status, null, now, cancellationToken);
        await work.PublishAsync(
            new ReactionSubmitted(
                reaction.Id, consultationId, consultation.TrajectoryId, reaction.ResidentId, consultation.Title, now, reaction.AnswerDueOn),
            cancellationToken);
        await work.CommitAsync(cancellationToken);

        return TypedResults.Created($"/v1/consultations/{consultationId}/reactions/{reaction.Id}", reaction with
        {
            History = [new StatusChange { Status = reaction.Status, ChangedAt = now }],
        });
    }

    internal static async Task<Results<Ok<Page<ReactionResponse>>, ProblemHttpResult>> ListReactions(
        Guid consultationId,
        [FromQuery] bool? overdue,
        [AsParameters] PageQuery page,
        TrajectoryDirectory trajectories,
        NpgsqlDataSource database,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        if (await ConsultationAccess.FindVisibleAsync(connection, null, consultationId, trajectories, cancellationToken) is null)
        {
            return Problems.NotFound("consultation", consultationId);
        }

        var filter = overdue == true ? $"consultation_id = @ConsultationId AND {OverdueFilter}" : "consultation_id = @ConsultationId";
        return TypedResults.Ok(await connection.QueryPageAsync<ReactionResponse>(page, new CommandDefinition(
            $"""
            {SelectReaction} WHERE {filter}
            ORDER BY submitted_at, id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM reactions WHERE {filter};
            """,
            new { ConsultationId = consultationId, Today = DutchCalendar.Today(clock), page.Offset, page.Size },
            cancellationToken: cancellationToken)));
    }

    internal static async Task<Results<Ok<ReactionResponse>, ProblemHttpResult>> GetReaction(
        Guid consultationId, Guid reactionId, TrajectoryDirectory trajectories, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var reaction = await ConsultationAccess.FindVisibleAsync(connection, null, consultationId, trajectories, cancellationToken) is null
            ? null
            : await FindAsync(connection, null, consultationId, reactionId, cancellationToken);
        if (reaction is null)
        {
            return Problems.NotFound("reaction", reactionId);
        }

        var history = await connection.QueryAsync<StatusChange>(new CommandDefinition(
            "SELECT status, explanation, changed_at AS ChangedAt FROM reaction_status_changes WHERE reaction_id = @ReactionId ORDER BY id",
            new { ReactionId = reactionId }, cancellationToken: cancellationToken));
        return TypedResults.Ok(reaction with { History = history.AsList() });
    }

    internal static async Task<Results<Ok<ReactionResponse>, ProblemHttpResult>> AnswerReaction(
        Guid consultationId,
        Guid reactionId,
        AnswerReactionRequest request,
        ClaimsPrincipal user,
        TrajectoryDirectory trajectories,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var (visible, reaction, problem) = await FindToManageAsync(work, consultationId, reactionId, user, trajectories, "answer", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var explanation = request.Explanation!.Trim();
        var now = clock.GetUtcNow();
        switch (await ApplyAnswerAsync(work, visible.Consultation, reaction, request.Status!, explanation, now, cancellationToken))
        {
            case AnswerOutcome.Unchanged:
                return TypedResults.Ok(reaction);
            case AnswerOutcome.NotAllowed:
                return Problems.Unprocessable(
                    "status", $"A reaction that is '{reaction.Status}' cannot go back to '{request.Status}'.");
        }

        await work.CommitAsync(cancellationToken);

        return TypedResults.Ok(reaction with { Status = request.Status!, Explanation = explanation, AnsweredAt = now });
    }

    /// <summary>
    /// The one way a reaction gets an answer, alone or through its theme: the rules decide, and only a change is
    /// written, recorded in the reaction's history and told to the resident (one ReactionAnswered), all in the
    /// caller's unit of work. The caller has read the reaction FOR UPDATE in that unit of work.
    /// </summary>
    internal static async Task<AnswerOutcome> ApplyAnswerAsync(
        UnitOfWork work,
        ConsultationResponse consultation,
        ReactionResponse reaction,
        string status,
        string explanation,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var outcome = ReactionAnswering.Decide(reaction.Status, reaction.Explanation, status, explanation);
        if (outcome != AnswerOutcome.Changed)
        {
            return outcome;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE reactions SET status = @Status, explanation = @Explanation, answered_at = @Now WHERE id = @ReactionId",
            new { Status = status, Explanation = explanation, Now = now, ReactionId = reaction.Id },
            work.Transaction, cancellationToken: cancellationToken));
        await RecordStatusAsync(work, reaction.Id, status, explanation, now, cancellationToken);
        await work.PublishAsync(new ReactionAnswered(
            reaction.Id, consultation.Id, consultation.TrajectoryId, reaction.ResidentId, consultation.Title, status, explanation, now),
            cancellationToken);
        return outcome;
    }

    internal static async Task<Results<Ok<ReactionResponse>, ProblemHttpResult>> AssignReaction(
        Guid consultationId,
        Guid reactionId,
        AssignReactionRequest request,
        ClaimsPrincipal user,
        TrajectoryDirectory trajectories,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var (visible, reaction, problem) = await FindToManageAsync(work, consultationId, reactionId, user, trajectories, "assign", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var trajectory = await trajectories.FindAsync(visible.Consultation.TrajectoryId, cancellationToken);
        var member = trajectory?.Members.FirstOrDefault(member => member.PartnerId == request.PartnerId);
        if (member is null)
        {
            return Problems.Unprocessable("partnerId", $"Partner '{request.PartnerId}' takes no part in this consultation's trajectory.");
        }

        // An observer only reads: work given to it would never be done.
        if (!TrajectoryRoles.CanContribute(member.Role))
        {
            return Problems.Unprocessable("partnerId", $"Partner '{request.PartnerId}' is an {member.Role} in this trajectory and cannot work on answers.");
        }

        var assigned = reaction with
        {
            AssignedPartnerId = request.PartnerId,
            Assignee = string.IsNullOrWhiteSpace(request.Assignee) ? null : request.Assignee.Trim(),
            AssignedAt = clock.GetUtcNow(),
        };
        await work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE reactions SET assigned_partner_id = @AssignedPartnerId, assignee = @Assignee, assigned_at = @AssignedAt WHERE id = @Id",
            assigned, work.Transaction, cancellationToken: cancellationToken));
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(assigned);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> UnassignReaction(
        Guid consultationId,
        Guid reactionId,
        ClaimsPrincipal user,
        TrajectoryDirectory trajectories,
        UnitOfWorkFactory unitOfWork,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var (visible, reaction, problem) = await FindToManageAsync(work, consultationId, reactionId, user, trajectories, "assign", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE reactions SET assigned_partner_id = NULL, assignee = NULL, assigned_at = NULL WHERE id = @ReactionId",
            new { ReactionId = reactionId }, work.Transaction, cancellationToken: cancellationToken));
        await work.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Created<InternalNote>, ProblemHttpResult>> AddInternalNote(
        Guid consultationId,
        Guid reactionId,
        AddInternalNoteRequest request,
        ClaimsPrincipal user,
        TrajectoryDirectory trajectories,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var visible = await ConsultationAccess.FindVisibleAsync(work.Connection, work.Transaction, consultationId, trajectories, cancellationToken);
        var reaction = visible is null ? null : await FindAsync(work.Connection, work.Transaction, consultationId, reactionId, cancellationToken);
        if (reaction is null)
        {
            return Problems.NotFound("reaction", reactionId);
        }

        if (!TrajectoryRoles.CanContribute(visible!.Role))
        {
            return Problems.Forbidden($"A partner with role '{visible.Role}' reads the internal notes but cannot add to them.");
        }

        var note = new InternalNote
        {
            Id = Guid.CreateVersion7(),
            ReactionId = reactionId,
            PartnerId = user.GetPartnerId()!.Value,
            Author = string.IsNullOrWhiteSpace(request.Author) ? null : request.Author.Trim(),
            Text = request.Text!.Trim(),
            CreatedAt = clock.GetUtcNow(),
        };
        // Deliberately no event: what staff write to each other stays in this service.
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO reaction_internal_notes (id, reaction_id, partner_id, client_id, author, text, created_at)
            VALUES (@Id, @ReactionId, @PartnerId, @ClientId, @Author, @Text, @CreatedAt)
            """,
            new { note.Id, note.ReactionId, note.PartnerId, ClientId = user.GetClientId(), note.Author, note.Text, note.CreatedAt },
            work.Transaction, cancellationToken: cancellationToken));
        await work.CommitAsync(cancellationToken);
        return TypedResults.Created($"/v1/consultations/{consultationId}/reactions/{reactionId}/internal-notes/{note.Id}", note);
    }

    internal static async Task<Results<Ok<Page<InternalNote>>, ProblemHttpResult>> ListInternalNotes(
        Guid consultationId,
        Guid reactionId,
        [AsParameters] PageQuery page,
        TrajectoryDirectory trajectories,
        NpgsqlDataSource database,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var reaction = await ConsultationAccess.FindVisibleAsync(connection, null, consultationId, trajectories, cancellationToken) is null
            ? null
            : await FindAsync(connection, null, consultationId, reactionId, cancellationToken);
        if (reaction is null)
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
            new { ReactionId = reactionId, page.Offset, page.Size }, cancellationToken: cancellationToken)));
    }

    /// <summary>How many reactions, in all trajectories, are overdue on the given day (for the dashboard).</summary>
    internal static async Task<long> CountOverdueAsync(NpgsqlDataSource database, DateOnly today, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM reactions WHERE {OverdueFilter}", new { Today = today }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// A reaction the caller may answer or assign: it sees the consultation and opened it, or leads or co-owns its
    /// trajectory. The reaction is locked (FOR UPDATE), so that two partners acting at once are applied one after the
    /// other, each seeing the other's change.
    /// </summary>
    private static async Task<(VisibleConsultation Visible, ReactionResponse Reaction, ProblemHttpResult? Problem)> FindToManageAsync(
        UnitOfWork work, Guid consultationId, Guid reactionId, ClaimsPrincipal user, TrajectoryDirectory trajectories, string verb, CancellationToken cancellationToken)
    {
        var visible = await ConsultationAccess.FindVisibleAsync(work.Connection, work.Transaction, consultationId, trajectories, cancellationToken);
        var reaction = visible is null
            ? null
            : await FindAsync(work.Connection, work.Transaction, consultationId, reactionId, cancellationToken, forUpdate: true);
        if (reaction is null)
        {
            return (null!, null!, Problems.NotFound("reaction", reactionId));
        }

        return visible!.CanAnswer(user)
            ? (visible, reaction, null)
            : (visible, reaction, Problems.Forbidden($"Only the partner that opened the consultation, or the trajectory's lead and co-owners, {verb} its reactions."));
    }

    internal static Task<ReactionResponse?> FindAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        Guid consultationId,
        Guid reactionId,
        CancellationToken cancellationToken,
        bool forUpdate = false) =>
        connection.QuerySingleOrDefaultAsync<ReactionResponse>(new CommandDefinition(
            $"{SelectReaction} WHERE id = @ReactionId AND consultation_id = @ConsultationId {(forUpdate ? "FOR UPDATE" : string.Empty)}",
            new { ReactionId = reactionId, ConsultationId = consultationId }, transaction, cancellationToken: cancellationToken));

    private static async Task RecordStatusAsync(
        UnitOfWork work, Guid reactionId, string status, string? explanation, DateTimeOffset changedAt, CancellationToken cancellationToken) =>
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO reaction_status_changes (reaction_id, status, explanation, changed_at)
            VALUES (@ReactionId, @Status, @Explanation, @ChangedAt)
            """,
            new { ReactionId = reactionId, Status = status, Explanation = explanation, ChangedAt = changedAt },
            work.Transaction, cancellationToken: cancellationToken));
}

/// <summary>How a reaction reached us: online by the resident, or entered by partner staff on the resident's behalf.</summary>
public static class ReactionChannels
{
    public const string Online = "online";
    public const string PaperForm = "paper-form";
    public const string Phone = "phone";
    public const string DoorToDoor = "door-to-door";
    public const string Meeting = "meeting";

    public static readonly IReadOnlyList<string> All = [Online, PaperForm, Phone, DoorToDoor, Meeting];
}

public sealed record SubmitReactionRequest(Guid ResidentId, string? Text, string? Channel, string? Language) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        errors.NotEmpty("residentId", ResidentId);
        if (errors.Required("text", Text))
        {
            errors.MaxLength("text", Text, 4000);
        }

        if (Channel is not null)
        {
            errors.OneOf("channel", Channel, ReactionChannels.All);
        }

        if (Language is not null)
        {
            errors.OneOf("language", Language, Languages.All);
        }
    }
}

public sealed record AnswerReactionRequest(string? Status, string? Explanation) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        errors.OneOf("status", Status, ReactionStatuses.Answers);
        if (errors.Required("explanation", Explanation))
        {
            if (Explanation!.Trim().Length < ReactionAnswering.MinimumExplanationLength)
            {
                errors.Add("explanation", $"'explanation' must say why, in at least {ReactionAnswering.MinimumExplanationLength} characters.");
            }

            errors.MaxLength("explanation", Explanation, 4000);
        }
    }
}

public sealed record AssignReactionRequest(Guid PartnerId, string? Assignee) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        errors.NotEmpty("partnerId", PartnerId);
        errors.MaxLength("assignee", Assignee, 200);
    }
}

public sealed record AddInternalNoteRequest(string? Text, string? Author) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("text", Text))
        {
            errors.MaxLength("text", Text, 4000);
        }

        errors.MaxLength("author", Author, 200);
    }
}

/// <summary>A note partner staff keep on a reaction while they work on its answer; residents never see it.</summary>
public sealed record InternalNote
{
    public required Guid Id { get; init; }

    public required Guid ReactionId { get; init; }

    /// <summary>The partner whose staff wrote it.</summary>
    public required Guid PartnerId { get; init; }

    /// <summary>Who wrote it, as they gave it (a name or an e-mail address of partner staff).</summary>
    public string? Author { get; init; }

    public required string Text { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed record ReactionResponse
{
    public required Guid Id { get; init; }

    public required Guid ConsultationId { get; init; }

    /// <summary>Pseudonymous: the residents service alone can tell who this is.</summary>
    public required Guid ResidentId { get; init; }

    public required string Text { get; init; }

    public required string Channel { get; init; }

    public required string Language { get; init; }

    public required string Status { get; init; }

    public string? Explanation { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    /// <summary>The day (in the Netherlands) by which the resident was promised an answer.</summary>
    public required DateOnly AnswerDueOn { get; init; }

    /// <summary>The partner that prepares the answer, if one was assigned.</summary>
    public Guid? AssignedPartnerId { get; init; }

    /// <summary>The person at that partner who prepares it (a name or an e-mail address of partner staff).</summary>
    public string? Assignee { get; init; }

    public DateTimeOffset? AssignedAt { get; init; }

    /// <summary>The theme the reaction is grouped under, whose answer it gets.</summary>
    public Guid? ThemeId { get; init; }

    public IReadOnlyList<StatusChange>? History { get; init; }
}

public sealed record StatusChange
{
    public required string Status { get; init; }

    public string? Explanation { get; init; }

    public required DateTimeOffset ChangedAt { get; init; }
}
