using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Domain;
using Participatie.PartnerCoordination.Trajectories;

namespace Participatie.PartnerCoordination.Coordination;

/// <summary>
/// A partner's private notes in a trajectory. Every query is bounded by the calling partner, so another partner's note
/// cannot be read, listed or removed: to them it does not exist.
/// </summary>
public static class PrivateNotesApi
{
    public static IEndpointRouteBuilder MapPrivateNotesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/trajectories/{trajectoryId:guid}/private-notes", "Private notes")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", AddNote).WithName("AddPrivateNote").WithSummary("Keep a note in the trajectory that only the calling partner reads");
        api.MapGet("", ListNotes).WithName("ListPrivateNotes").WithSummary("List the calling partner's own notes, newest first");
        api.MapDelete("/{noteId:guid}", DeleteNote).WithName("DeletePrivateNote").WithSummary("Remove one of the calling partner's own notes");
        return routes;
    }

    internal static async Task<Results<Created<PrivateNote>, ProblemHttpResult>> AddNote(
        Guid trajectoryId, AddNoteRequest request, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckReaderAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var note = new PrivateNote { Id = Guid.CreateVersion7(), Text = request.Text!.Trim(), CreatedAt = clock.GetUtcNow() };
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO private_notes (id, trajectory_id, owner_partner_id, text, created_at)
            VALUES (@Id, @TrajectoryId, @OwnerPartnerId, @Text, @CreatedAt)
            """,
            new { note.Id, TrajectoryId = trajectoryId, OwnerPartnerId = user.GetPartnerId(), note.Text, note.CreatedAt },
            work.Transaction, cancellationToken: cancellationToken));
        await work.CommitAsync(cancellationToken);
        return TypedResults.Created($"/v1/trajectories/{trajectoryId}/private-notes/{note.Id}", note);
    }

    internal static async Task<Results<Ok<Page<PrivateNote>>, ProblemHttpResult>> ListNotes(
        Guid trajectoryId, [AsParameters] PageQuery page, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckReaderAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        const string mine = "trajectory_id = @TrajectoryId AND owner_partner_id = @PartnerId";
        var parameters = new { TrajectoryId = trajectoryId, PartnerId = user.GetPartnerId(), page.Offset, page.Size };
        var notes = (await work.Connection.QueryAsync<PrivateNote>(new CommandDefinition(
            $"SELECT id, text, created_at AS CreatedAt FROM private_notes WHERE {mine} ORDER BY created_at DESC, id OFFSET @Offset LIMIT @Size",
            parameters, work.Transaction, cancellationToken: cancellationToken))).AsList();
        var total = await work.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM private_notes WHERE {mine}", parameters, work.Transaction, cancellationToken: cancellationToken));
        return TypedResults.Ok(page.ToPage<PrivateNote>(notes, total));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteNote(
        Guid trajectoryId, Guid noteId, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var deleted = await work.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM private_notes WHERE id = @NoteId AND trajectory_id = @TrajectoryId AND owner_partner_id = @PartnerId",
            new { NoteId = noteId, TrajectoryId = trajectoryId, PartnerId = user.GetPartnerId() }, work.Transaction, cancellationToken: cancellationToken));
        await work.CommitAsync(cancellationToken);
        return deleted == 1 ? TypedResults.NoContent() : Problems.NotFound("note", noteId);
    }
}

public sealed record AddNoteRequest(string? Text) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("text", Text))
        {
            errors.MaxLength("text", Text, 4000);
        }
    }
}

public sealed record PrivateNote
{
    public required Guid Id { get; init; }

    public required string Text { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
