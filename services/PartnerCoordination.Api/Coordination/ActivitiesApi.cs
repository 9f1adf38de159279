using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Participatie.BuildingBlocks.Auth;
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
    internal static readonly OwnedItemStore<AgendaActivity> Store = new()
    {
        Name = "activity",
        Table = "trajectory_activities",
        Select = """
            SELECT id, trajectory_id AS TrajectoryId, kind, title, place, starts_at AS StartsAt, ends_at AS EndsAt,
                   responsible_partner_id AS ResponsiblePartnerId, target_groups AS TargetGroups, owner_partner_id AS OwnerPartnerId,
                   created_at AS CreatedAt
            FROM trajectory_activities
            """,
        Owner = activity => activity.OwnerPartnerId,
        OwnerOnly = "Only the partner that recorded this activity changes it.",
    };

    public static IEndpointRouteBuilder MapActivitiesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/trajectories/{trajectoryId:guid}/activities", "Agenda", AuthenticationExtensions.CallerPolicy)
            .WithTrajectoryAccess()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", CreateActivity)
            .Requires(TrajectoryPermissions.Contribute)
            .WithName("CreateActivity")
            .WithSummary("Put an activity on the trajectory's agenda (lead, co-owners, contributors)")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", ListActivities)
            .WithName("ListActivities")
            .WithSummary("List the activities that have not ended by 'from' (default: now), soonest first");

        var activity = api.MapOwnedItem(string.Empty, "activityId", Store);
        activity.MapGet("", GetActivity)
            .WithName("GetActivity")
            .WithSummary("Read an activity");
        activity.MapPut("", UpdateActivity)
            .Requires(TrajectoryPermissions.Contribute)
            .WithName("UpdateActivity")
            .WithSummary("Change an activity (the owning partner)")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        activity.MapDelete("", DeleteActivity)
            .Requires(TrajectoryPermissions.Contribute)
            .WithName("DeleteActivity")
            .WithSummary("Take an activity off the agenda (the owning partner)");
        return routes;
    }

    internal static async Task<Results<Created<AgendaActivity>, ProblemHttpResult>> CreateActivity(
        TrajectoryCaller caller, ActivityRequest request, [AsParameters] ApiServices services)
    {
        var (work, cancellationToken) = (caller.Work, services.Cancellation);
        if (!await TrajectoryStore.TakesPartAsync(work, caller.TrajectoryId, request.ResponsiblePartnerId!.Value, cancellationToken))
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
                caller.TrajectoryId,
                request.Kind,
                Title = request.Title!.Trim(),
                Place = request.Place!.Trim(),
                StartsAt = request.StartsAt!.Value,
                EndsAt = request.EndsAt!.Value,
                ResponsiblePartnerId = request.ResponsiblePartnerId.Value,
                TargetGroups = CoordinationValidation.Distinct(request.TargetGroups),
                OwnerPartnerId = caller.Partner,
                CreatedAt = services.Clock.GetUtcNow(),
            },
            work.Transaction, cancellationToken: cancellationToken));
        var created = (await Store.FindAsync(work, caller.TrajectoryId, activityId, forChange: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Created($"/v1/trajectories/{caller.TrajectoryId}/activities/{activityId}", created);
    }

    internal static async Task<Results<Ok<Page<AgendaActivity>>, ProblemHttpResult>> ListActivities(
        TrajectoryCaller caller, [FromQuery] DateTimeOffset? from, [AsParameters] PageQuery page, [AsParameters] ApiServices services) =>
        // Upcoming includes what is going on right now: an activity is listed until it ends.
        TypedResults.Ok(await Store.PageAsync(
            caller.Work, page, "WHERE trajectory_id = @TrajectoryId AND ends_at > @From", "starts_at, id",
            new { caller.TrajectoryId, From = from ?? services.Clock.GetUtcNow() }, services.Cancellation));

    internal static Results<Ok<AgendaActivity>, ProblemHttpResult> GetActivity(OwnedItem<AgendaActivity> activity) => TypedResults.Ok(activity.Item);

    internal static async Task<Results<Ok<AgendaActivity>, ProblemHttpResult>> UpdateActivity(
        TrajectoryCaller caller, OwnedItem<AgendaActivity> activity, ActivityRequest request, [AsParameters] ApiServices services)
    {
        var (work, cancellationToken) = (activity.Work, services.Cancellation);
        var responsible = request.ResponsiblePartnerId!.Value;
        var previousResponsible = activity.Item.ResponsiblePartnerId;
        if (responsible != previousResponsible && !await TrajectoryStore.TakesPartAsync(work, caller.TrajectoryId, responsible, cancellationToken))
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
                ActivityId = activity.Item.Id,
                request.Kind,
                Title = request.Title!.Trim(),
                Place = request.Place!.Trim(),
                StartsAt = request.StartsAt!.Value,
                EndsAt = request.EndsAt!.Value,
                ResponsiblePartnerId = responsible,
                TargetGroups = CoordinationValidation.Distinct(request.TargetGroups),
            },
            work.Transaction, cancellationToken: cancellationToken));
        if (responsible != previousResponsible)
        {
            // Handing an activity to another partner shifts responsibility between partners, as reassigning a task does.
            await AuditLog.RecordAsync(
                work, services.User, caller.TrajectoryId, "activity-reassigned", $"activity {activity.Item.Id}",
                new { responsiblePartnerId = responsible, previousResponsiblePartnerId = previousResponsible }, cancellationToken);
        }

        var updated = (await Store.FindAsync(work, caller.TrajectoryId, activity.Item.Id, forChange: false, cancellationToken))!;
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(updated);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteActivity(OwnedItem<AgendaActivity> activity, CancellationToken cancellationToken)
    {
        await Store.DeleteAsync(activity.Work, activity.Item.Id, cancellationToken);
        await activity.Work.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}

public sealed record ActivityRequest(
    [Vocabulary(typeof(ActivityKinds))] string? Kind,
    [StringLength(200)] string? Title,
    [StringLength(300)] string? Place,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    Guid? ResponsiblePartnerId,
    [Vocabulary(typeof(TargetGroups))] IReadOnlyList<string>? TargetGroups) : IValidatableRequest
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

    [Vocabulary(typeof(ActivityKinds))]
    public required string Kind { get; init; }

    public required string Title { get; init; }

    public required string Place { get; init; }

    public required DateTimeOffset StartsAt { get; init; }

    public required DateTimeOffset EndsAt { get; init; }

    public required Guid ResponsiblePartnerId { get; init; }

    [Vocabulary(typeof(TargetGroups))]
    public required IReadOnlyList<string> TargetGroups { get; init; }

    public required Guid OwnerPartnerId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
