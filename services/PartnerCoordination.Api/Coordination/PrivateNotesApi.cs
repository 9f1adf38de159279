using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Trajectories;

namespace Participatie.PartnerCoordination.Coordination;

/// <summary>
/// A partner's private notes in a trajectory. Every query is bounded by the calling partner, so another partner's note
/// cannot be read, listed or removed: to them it does not exist.
/// </summary>
public static class PrivateNotesApi
{
    internal static readonly OwnedItemStore<PrivateNote> Store = new()
    {
        Name = "note",
        Table = "private_notes",
        Select = "SELECT id, text, created_at AS CreatedAt FROM private_notes",
    };

    public static IEndpointRouteBuilder MapPrivateNotesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/trajectories/{trajectoryId:guid}/private-notes", "Private notes")
            .WithTrajectoryAccess()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", AddNote).WithName("AddPrivateNote").WithSummary("Keep a note in the trajectory that only the calling partner reads");
        api.MapGet("", ListNotes).WithName("ListPrivateNotes").WithSummary("List the calling partner's own notes, newest first");
        api.MapDelete("/{noteId:guid}", DeleteNote)
            .Requires(TrajectoryPermissions.BoundedByCaller)
            .WithName("DeletePrivateNote")
            .WithSummary("Remove one of the calling partner's own notes");
        return routes;
    }

    internal static async Task<Results<Created<PrivateNote>, ProblemHttpResult>> AddNote(
        TrajectoryCaller caller, AddNoteRequest request, [AsParameters] ApiServices services)
    {
        var note = new PrivateNote { Id = Guid.CreateVersion7(), Text = request.Text!.Trim(), CreatedAt = services.Clock.GetUtcNow() };
        await caller.Work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO private_notes (id, trajectory_id, owner_partner_id, text, created_at)
            VALUES (@Id, @TrajectoryId, @OwnerPartnerId, @Text, @CreatedAt)
            """,
            new { note.Id, caller.TrajectoryId, OwnerPartnerId = caller.PartnerId, note.Text, note.CreatedAt },
            caller.Work.Transaction, cancellationToken: services.Cancellation));
        await caller.Work.CommitAsync(services.Cancellation);
        return TypedResults.Created($"/v1/trajectories/{caller.TrajectoryId}/private-notes/{note.Id}", note);
    }

    internal static async Task<Results<Ok<Page<PrivateNote>>, ProblemHttpResult>> ListNotes(
        TrajectoryCaller caller, [AsParameters] PageQuery page, CancellationToken cancellationToken) =>
        TypedResults.Ok(await Store.PageAsync(
            caller.Work, page, "WHERE trajectory_id = @TrajectoryId AND owner_partner_id = @PartnerId", "created_at DESC, id",
            new { caller.TrajectoryId, caller.PartnerId }, cancellationToken));

    /// <summary>No access check: the delete is bounded by the caller, so another partner's note, or trajectory, is not found.</summary>
    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteNote(TrajectoryCaller caller, Guid noteId, CancellationToken cancellationToken)
    {
        var deleted = await caller.Work.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM private_notes WHERE id = @NoteId AND trajectory_id = @TrajectoryId AND owner_partner_id = @PartnerId",
            new { NoteId = noteId, caller.TrajectoryId, caller.PartnerId }, caller.Work.Transaction, cancellationToken: cancellationToken));
        await caller.Work.CommitAsync(cancellationToken);
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
