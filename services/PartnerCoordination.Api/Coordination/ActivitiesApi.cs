using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Domain;
using Participatie.PartnerCoordination.Trajectories;

namespace Participatie.PartnerCoordination.Coordination;

/// <summary>
/// The trajectory's shared agenda: residents' evenings, door-to-door rounds, walk-in hours and meetings, each with the
/// partner responsible for it and the target groups it is meant to reach.
/// </summary>
public static class ActivitiesApi
{
    private const string SelectActivity = """
        SELECT id, trajectory_id AS TrajectoryId, kind, title, place, starts_at AS StartsAt, ends_at AS EndsAt,
               responsible_partner_id AS ResponsiblePartnerId, target_groups AS TargetGroups, owner_partner_id AS OwnerPartnerId,
               created_at AS CreatedAt
        FROM trajectory_activities
        """;

    public static IEndpointRouteBuilder MapActivitiesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/trajectories/{trajectoryId:guid}/activities", "Agenda", AuthenticationExtensions.CallerPolicy)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", CreateActivity)
            .WithName("CreateActivity")
            .WithSummary("Put an activity on the trajectory's agenda (lead, co-owners, contributors)")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", ListActivities)
            .WithName("ListActivities")
            .WithSummary("List the activities that have not ended by 'from' (default: now), soonest first");
        api.MapGet("/{activityId:guid}", GetActivity)
            .WithName("GetActivity")
            .WithSummary("Read an activity");
        api.MapPut("/{activityId:guid}", UpdateActivity)
            .WithName("UpdateActivity")
            .WithSummary("Change an activity (the owning partner)")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapDelete("/{activityId:guid}", DeleteActivity)
            .WithName("DeleteActivity")
            .WithSummary("Take an activity off the agenda (the owning partner)");
        return routes;
    }

    internal static async Task<Results<Created<AgendaActivity>, ProblemHttpResult>> CreateActivity(
        Guid trajectoryId, ActivityRequest request, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckContributorAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        if (!await TrajectoryAccess.TakesPartAsync(work, trajectoryId, request.ResponsiblePartnerId!.Value, cancellationToken))
        {
            return Problems.Unprocessable("responsiblePartnerId", $"Partner '{request.ResponsiblePartnerId}' takes no part in this trajectory.");
        }

        var activityId = Guid.CreateVersion7();
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trajectory_activities
                (id, trajectory_id, kind, title, place, starts_at, ends_at, responsible_partner_id, target_groups, owner_partner_id, created_at)
            VALUES (@Id, @TrajectoryId, @Kind, @Title, @Place, @StartsAt, @EndsAt, @ResponsiblePartnerId, @TargetGroups, @OwnerPartnerId, @CreatedAt)
            """,
            new
            {
                Id = activityId,
                TrajectoryId = trajectoryId,
                request.Kind,
                Title = request.Title!.Trim(),
                Place = request.Place!.Trim(),
                StartsAt = request.StartsAt!.Value,
                EndsAt = request.EndsAt!.Value,
                ResponsiblePartnerId = request.ResponsiblePartnerId.Value,
                TargetGroups = CoordinationValidation.Distinct(request.TargetGroups),
                OwnerPartnerId = user.GetPartnerId()!.Value,
                CreatedAt = clock.GetUtcNow(),
            },
            work.Transaction, cancellationToken: cancellationToken));
        var created = (await FindAsync(work, trajectoryId, activityId, forUpdate: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Created($"/v1/trajectories/{trajectoryId}/activities/{activityId}", created);
    }

    internal static async Task<Results<Ok<Page<AgendaActivity>>, ProblemHttpResult>> ListActivities(
        Guid trajectoryId,
        [FromQuery] DateTimeOffset? from,
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

        // Upcoming includes what is going on right now: an activity is listed until it ends.
        const string filter = "WHERE trajectory_id = @TrajectoryId AND ends_at > @From";
        return TypedResults.Ok(await work.Connection.QueryPageAsync<AgendaActivity>(page, new CommandDefinition(
            $"""
            {SelectActivity} {filter} ORDER BY starts_at, id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM trajectory_activities {filter};
            """,
            new { TrajectoryId = trajectoryId, From = from ?? clock.GetUtcNow(), page.Offset, page.Size },
            work.Transaction, cancellationToken: cancellationToken)));
    }

    internal static async Task<Results<Ok<AgendaActivity>, ProblemHttpResult>> GetActivity(
        Guid trajectoryId, Guid activityId, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckReaderAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var activity = await FindAsync(work, trajectoryId, activityId, forUpdate: false, cancellationToken);
        return activity is null ? Problems.NotFound("activity", activityId) : TypedResults.Ok(activity);
    }

    internal static async Task<Results<Ok<AgendaActivity>, ProblemHttpResult>> UpdateActivity(
        Guid trajectoryId, Guid activityId, ActivityRequest request, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckContributorAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var activity = await FindAsync(work, trajectoryId, activityId, forUpdate: true, cancellationToken);
        if (activity is null)
        {
            return Problems.NotFound("activity", activityId);
        }

        if (TrajectoryAccess.CheckOwner(user, activity.OwnerPartnerId, "activity") is { } notOwner)
        {
            return notOwner;
        }

        var responsible = request.ResponsiblePartnerId!.Value;
        if (responsible != activity.ResponsiblePartnerId && !await TrajectoryAccess.TakesPartAsync(work, trajectoryId, responsible, cancellationToken))
        {
            return Problems.Unprocessable("responsiblePartnerId", $"Partner '{responsible}' takes no part in this trajectory.");
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE trajectory_activities
            SET kind = @Kind, title = @Title, place = @Place, starts_at = @StartsAt, ends_at = @EndsAt,
                responsible_partner_id = @ResponsiblePartnerId, target_groups = @TargetGroups
            WHERE id = @ActivityId
            """,
            new
            {
                ActivityId = activityId,
                request.Kind,
                Title = request.Title!.Trim(),
                Place = request.Place!.Trim(),
                StartsAt = request.StartsAt!.Value,
                EndsAt = request.EndsAt!.Value,
                ResponsiblePartnerId = responsible,
                TargetGroups = CoordinationValidation.Distinct(request.TargetGroups),
            },
            work.Transaction, cancellationToken: cancellationToken));
        if (responsible != activity.ResponsiblePartnerId)
        {
            // Handing an activity to another partner shifts responsibility between partners, as reassigning a task does.
            await AuditLog.RecordAsync(
                work, user, trajectoryId, "activity-reassigned", $"activity {activityId}",
                new { responsiblePartnerId = responsible, previousResponsiblePartnerId = activity.ResponsiblePartnerId }, cancellationToken);
        }

        var updated = (await FindAsync(work, trajectoryId, activityId, forUpdate: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(updated);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteActivity(
        Guid trajectoryId, Guid activityId, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (await TrajectoryAccess.CheckContributorAsync(work, trajectoryId, user, cancellationToken) is { } denied)
        {
            return denied;
        }

        var activity = await FindAsync(work, trajectoryId, activityId, forUpdate: true, cancellationToken);
        if (activity is null)
        {
            return Problems.NotFound("activity", activityId);
        }

        if (TrajectoryAccess.CheckOwner(user, activity.OwnerPartnerId, "activity") is { } notOwner)
        {
            return notOwner;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM trajectory_activities WHERE id = @ActivityId", new { ActivityId = activityId }, work.Transaction, cancellationToken: cancellationToken));
        await work.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static Task<AgendaActivity?> FindAsync(UnitOfWork work, Guid trajectoryId, Guid activityId, bool forUpdate, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleOrDefaultAsync<AgendaActivity>(new CommandDefinition(
            $"{SelectActivity} WHERE id = @ActivityId AND trajectory_id = @TrajectoryId {(forUpdate ? "FOR UPDATE" : string.Empty)}",
            new { ActivityId = activityId, TrajectoryId = trajectoryId }, work.Transaction, cancellationToken: cancellationToken));
}

public sealed record ActivityRequest(
    string? Kind,
    string? Title,
    string? Place,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    Guid? ResponsiblePartnerId,
    IReadOnlyList<string>? TargetGroups) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        errors.OneOf("kind", Kind, ActivityKinds.All);
        if (errors.Required("title", Title))
        {
            errors.MaxLength("title", Title, 200);
        }

        if (errors.Required("place", Place))
        {
            errors.MaxLength("place", Place, 300);
        }

        if (StartsAt is null)
        {
            errors.Add("startsAt", "'startsAt' is required.");
        }

        if (EndsAt is null)
        {
            errors.Add("endsAt", "'endsAt' is required.");
        }
        else if (StartsAt is not null && EndsAt <= StartsAt)
        {
            errors.Add("endsAt", "'endsAt' must be after 'startsAt'.");
        }

        errors.NotEmpty("responsiblePartnerId", ResponsiblePartnerId ?? Guid.Empty);
        errors.TargetGroupList("targetGroups", TargetGroups, required: false);
    }
}

public sealed record AgendaActivity
{
    public required Guid Id { get; init; }

    public required Guid TrajectoryId { get; init; }

    public required string Kind { get; init; }

    public required string Title { get; init; }

    public required string Place { get; init; }

    public required DateTimeOffset StartsAt { get; init; }

    public required DateTimeOffset EndsAt { get; init; }

    public required Guid ResponsiblePartnerId { get; init; }

    public required IReadOnlyList<string> TargetGroups { get; init; }

    public required Guid OwnerPartnerId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
