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
/// What each partner of a trajectory stands for: its interests and positions, per topic. Every partner in the
/// trajectory reads them all; each changes only its own.
/// </summary>
public static class InterestsApi
{
    private const string SelectInterest = """
        SELECT id, trajectory_id AS TrajectoryId, topic, position, owner_partner_id AS OwnerPartnerId, created_at AS CreatedAt, updated_at AS UpdatedAt
        FROM trajectory_interests
        """;

    public static IEndpointRouteBuilder MapInterestsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/trajectories/{trajectoryId:guid}/interests", "Interests", AuthenticationExtensions.CallerPolicy)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", RecordInterest)
            .WithName("RecordInterest")
            .WithSummary("Record the calling partner's interest and position on a topic (lead, co-owners, contributors)");
        api.MapGet("", ListInterests)
            .WithName("ListInterests")
            .WithSummary("List every partner's interests and positions in the trajectory, by topic");
        api.MapGet("/{interestId:guid}", GetInterest)
            .WithName("GetInterest")
            .WithSummary("Read an interest");
        api.MapPut("/{interestId:guid}", UpdateInterest)
            .WithName("UpdateInterest")
            .WithSummary("Change the calling partner's own interest");
        api.MapDelete("/{interestId:guid}", DeleteInterest)
            .WithName("DeleteInterest")
            .WithSummary("Withdraw the calling partner's own interest");
        return routes;
    }

    internal static async Task<Results<Created<Interest>, ProblemHttpResult>> RecordInterest(
        Guid trajectoryId, InterestRequest request, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckContributorAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var now = clock.GetUtcNow();
        var interest = new Interest
        {
            Id = Guid.CreateVersion7(),
            TrajectoryId = trajectoryId,
            Topic = request.Topic!.Trim(),
            Position = request.Position!.Trim(),
            OwnerPartnerId = user.GetPartnerId()!.Value,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trajectory_interests (id, trajectory_id, topic, position, owner_partner_id, created_at, updated_at)
            VALUES (@Id, @TrajectoryId, @Topic, @Position, @OwnerPartnerId, @CreatedAt, @UpdatedAt)
            """,
            interest, work.Transaction, cancellationToken: cancellationToken));
        await work.CommitAsync(cancellationToken);
        return TypedResults.Created($"/v1/trajectories/{trajectoryId}/interests/{interest.Id}", interest);
    }

    internal static async Task<Results<Ok<Page<Interest>>, ProblemHttpResult>> ListInterests(
        Guid trajectoryId, [AsParameters] PageQuery page, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckReaderAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        return TypedResults.Ok(await work.Connection.QueryPageAsync<Interest>(page, new CommandDefinition(
            $"""
            {SelectInterest} WHERE trajectory_id = @TrajectoryId ORDER BY lower(topic), created_at, id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM trajectory_interests WHERE trajectory_id = @TrajectoryId;
            """,
            new { TrajectoryId = trajectoryId, page.Offset, page.Size }, work.Transaction, cancellationToken: cancellationToken)));
    }

    internal static async Task<Results<Ok<Interest>, ProblemHttpResult>> GetInterest(
        Guid trajectoryId, Guid interestId, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckReaderAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var interest = await FindAsync(work, trajectoryId, interestId, forUpdate: false, cancellationToken);
        return interest is null ? Problems.NotFound("interest", interestId) : TypedResults.Ok(interest);
    }

    internal static async Task<Results<Ok<Interest>, ProblemHttpResult>> UpdateInterest(
        Guid trajectoryId,
        Guid interestId,
        InterestRequest request,
        ClaimsPrincipal user,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await CheckOwnInterestAsync(work, trajectoryId, interestId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE trajectory_interests SET topic = @Topic, position = @Position, updated_at = @Now WHERE id = @InterestId",
            new { InterestId = interestId, Topic = request.Topic!.Trim(), Position = request.Position!.Trim(), Now = clock.GetUtcNow() },
            work.Transaction, cancellationToken: cancellationToken));
        var updated = (await FindAsync(work, trajectoryId, interestId, forUpdate: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(updated);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteInterest(
        Guid trajectoryId, Guid interestId, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await CheckOwnInterestAsync(work, trajectoryId, interestId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM trajectory_interests WHERE id = @InterestId", new { InterestId = interestId }, work.Transaction, cancellationToken: cancellationToken));
        await work.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Null when the caller contributes to the trajectory and owns the interest (now locked); otherwise the problem.</summary>
    private static async Task<ProblemHttpResult?> CheckOwnInterestAsync(
        UnitOfWork work, Guid trajectoryId, Guid interestId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await TrajectoryAccess.CheckContributorAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var interest = await FindAsync(work, trajectoryId, interestId, forUpdate: true, cancellationToken);
        return interest is null ? Problems.NotFound("interest", interestId) : TrajectoryAccess.CheckOwner(user, interest.OwnerPartnerId, "interest");
    }

    private static Task<Interest?> FindAsync(UnitOfWork work, Guid trajectoryId, Guid interestId, bool forUpdate, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleOrDefaultAsync<Interest>(new CommandDefinition(
            $"{SelectInterest} WHERE id = @InterestId AND trajectory_id = @TrajectoryId {(forUpdate ? "FOR UPDATE" : string.Empty)}",
            new { InterestId = interestId, TrajectoryId = trajectoryId }, work.Transaction, cancellationToken: cancellationToken));
}

public sealed record InterestRequest(string? Topic, string? Position) : IValidatableRequest
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
