using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Domain;
using Participatie.Contracts;

namespace Participatie.Consultations.Apis;

public static class ReactionsApi
{
    private const string SelectReaction = """
        SELECT id, consultation_id AS ConsultationId, resident_id AS ResidentId, text, channel, language, status,
               explanation, submitted_at AS SubmittedAt, answered_at AS AnsweredAt
        FROM reactions
        """;

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
            .WithSummary("List the reactions to a consultation, oldest first")
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
        };
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO reactions (id, consultation_id, resident_id, text, channel, language, status, submitted_at)
            VALUES (@Id, @ConsultationId, @ResidentId, @Text, @Channel, @Language, @Status, @SubmittedAt)
            """,
            reaction, work.Transaction, cancellationToken: cancellationToken));
        await RecordStatusAsync(work, reaction.Id, reaction.Status, null, now, cancellationToken);
        await work.PublishAsync(
            new ReactionSubmitted(reaction.Id, consultationId, consultation.TrajectoryId, reaction.ResidentId, consultation.Title, now),
            cancellationToken);
        await work.CommitAsync(cancellationToken);

        return TypedResults.Created($"/v1/consultations/{consultationId}/reactions/{reaction.Id}", reaction with
        {
            History = [new StatusChange { Status = reaction.Status, ChangedAt = now }],
        });
    }

    internal static async Task<Results<Ok<Page<ReactionResponse>>, ProblemHttpResult>> ListReactions(
        Guid consultationId,
        [AsParameters] PageQuery page,
        TrajectoryDirectory trajectories,
        NpgsqlDataSource database,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        if (await ConsultationAccess.FindVisibleAsync(connection, null, consultationId, trajectories, cancellationToken) is null)
        {
            return Problems.NotFound("consultation", consultationId);
        }

        using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            {SelectReaction} WHERE consultation_id = @ConsultationId
            ORDER BY submitted_at, id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM reactions WHERE consultation_id = @ConsultationId;
            """,
            new { ConsultationId = consultationId, page.Offset, page.Size }, cancellationToken: cancellationToken));
        var reactions = (await results.ReadAsync<ReactionResponse>()).AsList();
        return TypedResults.Ok(page.ToPage<ReactionResponse>(reactions, await results.ReadSingleAsync<long>()));
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
        var visible = await ConsultationAccess.FindVisibleAsync(work.Connection, work.Transaction, consultationId, trajectories, cancellationToken);
        // FOR UPDATE: two partners answering at once are applied one after the other, each seeing the other's status.
        var reaction = visible is null
            ? null
            : await FindAsync(work.Connection, work.Transaction, consultationId, reactionId, cancellationToken, forUpdate: true);
        if (reaction is null)
        {
            return Problems.NotFound("reaction", reactionId);
        }

        if (!visible!.CanAnswer(user))
        {
            return Problems.Forbidden("Only the partner that opened the consultation, or the trajectory's lead and co-owners, answer its reactions.");
        }

        var consultation = visible.Consultation;

        var explanation = request.Explanation!.Trim();
        switch (ReactionAnswering.Decide(reaction.Status, reaction.Explanation, request.Status!, explanation))
        {
            case AnswerOutcome.Unchanged:
                return TypedResults.Ok(reaction);
            case AnswerOutcome.NotAllowed:
                return Problems.Unprocessable(
                    "status", $"A reaction that is '{reaction.Status}' cannot go back to '{request.Status}'.");
        }

        var now = clock.GetUtcNow();
        await work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE reactions SET status = @Status, explanation = @Explanation, answered_at = @Now WHERE id = @ReactionId",
            new { request.Status, Explanation = explanation, Now = now, ReactionId = reactionId },
            work.Transaction, cancellationToken: cancellationToken));
        await RecordStatusAsync(work, reactionId, request.Status!, explanation, now, cancellationToken);
        await work.PublishAsync(new ReactionAnswered(
            reactionId, consultationId, consultation.TrajectoryId, reaction.ResidentId, consultation.Title, request.Status!, explanation, now), cancellationToken);
        await work.CommitAsync(cancellationToken);

        return TypedResults.Ok(reaction with { Status = request.Status!, Explanation = explanation, AnsweredAt = now });
    }

    private static Task<ReactionResponse?> FindAsync(
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

    public IReadOnlyList<StatusChange>? History { get; init; }
}

public sealed record StatusChange
{
    public required string Status { get; init; }

    public string? Explanation { get; init; }

    public required DateTimeOffset ChangedAt { get; init; }
}
