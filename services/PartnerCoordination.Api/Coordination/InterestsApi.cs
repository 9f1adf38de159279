using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Trajectories;

namespace Participatie.PartnerCoordination.Coordination;

/// <summary>
/// What each partner of a trajectory stands for: its interests and positions, per topic. Every partner in the
/// trajectory reads them all; each changes only its own.
/// </summary>
public static class InterestsApi
{
    internal static readonly OwnedItemStore<Interest> Store = new()
    {
        Name = "interest",
        Table = "trajectory_interests",
        Select = """
            SELECT id, trajectory_id AS TrajectoryId, topic, position, owner_partner_id AS OwnerPartnerId, created_at AS CreatedAt, updated_at AS UpdatedAt
            FROM trajectory_interests
            """,
        Owner = interest => interest.OwnerPartnerId,
        OwnerOnly = "Only the partner that recorded this interest changes it.",
    };

    public static IEndpointRouteBuilder MapInterestsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/trajectories/{trajectoryId:guid}/interests", "Interests", AuthenticationExtensions.CallerPolicy)
            .WithTrajectoryAccess()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", RecordInterest)
            .Requires(TrajectoryPermissions.Contribute)
            .WithName("RecordInterest")
            .WithSummary("Record the calling partner's interest and position on a topic (lead, co-owners, contributors)");
        api.MapGet("", ListInterests)
            .WithName("ListInterests")
            .WithSummary("List every partner's interests and positions in the trajectory, by topic");

        var interest = api.MapOwnedItem(string.Empty, "interestId", Store);
        interest.MapGet("", GetInterest)
            .WithName("GetInterest")
            .WithSummary("Read an interest");
        interest.MapPut("", UpdateInterest)
            .Requires(TrajectoryPermissions.Contribute)
            .WithName("UpdateInterest")
            .WithSummary("Change the calling partner's own interest");
        interest.MapDelete("", DeleteInterest)
            .Requires(TrajectoryPermissions.Contribute)
            .WithName("DeleteInterest")
            .WithSummary("Withdraw the calling partner's own interest");
        return routes;
    }

    internal static async Task<Results<Created<Interest>, ProblemHttpResult>> RecordInterest(
        TrajectoryCaller caller, InterestRequest request, [AsParameters] ApiServices services)
    {
        var now = services.Clock.GetUtcNow();
        var interest = new Interest
        {
            Id = Guid.CreateVersion7(),
            TrajectoryId = caller.TrajectoryId,
            Topic = request.Topic!.Trim(),
            Position = request.Position!.Trim(),
            OwnerPartnerId = caller.Partner,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await caller.Work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trajectory_interests (id, trajectory_id, topic, position, owner_partner_id, created_at, updated_at)
            VALUES (@Id, @TrajectoryId, @Topic, @Position, @OwnerPartnerId, @CreatedAt, @UpdatedAt)
            """,
            interest, caller.Work.Transaction, cancellationToken: services.Cancellation));
        await caller.Work.CommitAsync(services.Cancellation);
        return TypedResults.Created($"/v1/trajectories/{caller.TrajectoryId}/interests/{interest.Id}", interest);
    }

    internal static async Task<Results<Ok<Page<Interest>>, ProblemHttpResult>> ListInterests(
        TrajectoryCaller caller, [AsParameters] PageQuery page, CancellationToken cancellationToken) =>
        TypedResults.Ok(await Store.PageAsync(
            caller.Work, page, "WHERE trajectory_id = @TrajectoryId", "lower(topic), created_at, id", new { caller.TrajectoryId }, cancellationToken));

    internal static Results<Ok<Interest>, ProblemHttpResult> GetInterest(OwnedItem<Interest> interest) => TypedResults.Ok(interest.Item);

    internal static async Task<Results<Ok<Interest>, ProblemHttpResult>> UpdateInterest(
        OwnedItem<Interest> interest, InterestRequest request, [AsParameters] ApiServices services)
    {
        var (work, cancellationToken) = (interest.Work, services.Cancellation);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE trajectory_interests SET topic = @Topic, position = @Position, updated_at = @Now WHERE id = @InterestId",
            new { InterestId = interest.Item.Id, Topic = request.Topic!.Trim(), Position = request.Position!.Trim(), Now = services.Clock.GetUtcNow() },
            work.Transaction, cancellationToken: cancellationToken));
        var updated = (await Store.FindAsync(work, interest.Item.TrajectoryId, interest.Item.Id, forChange: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(updated);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteInterest(OwnedItem<Interest> interest, CancellationToken cancellationToken)
    {
        await Store.DeleteAsync(interest.Work, interest.Item.Id, cancellationToken);
        await interest.Work.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}

public sealed record InterestRequest([StringLength(200)] string? Topic, string? Position) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("topic", Topic))
        {
            errors.MaxLength("topic", Topic, 200);
        }

        if (errors.Required("position", Position))
        {
            errors.MaxLength("position", Position, 4000);
        }
    }
}

public sealed record Interest
{
    public required Guid Id { get; init; }

    public required Guid TrajectoryId { get; init; }

    public required string Topic { get; init; }

    public required string Position { get; init; }

    public required Guid OwnerPartnerId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
