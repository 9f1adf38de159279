using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using Participatie.PartnerCoordination.Domain;

namespace Participatie.PartnerCoordination.Trajectories;

/// <summary>
/// What a resident may know of the trajectories in their buurt without signing in (the resident portal's start page):
/// each trajectory's name, the phase it is in and when each phase began, and the activities for residents still to
/// come (bewonersavonden, inloopspreekuren). Nothing about residents, members' roles or the partners' own work.
/// </summary>
public static class PublicTrajectoriesApi
{
    public static IEndpointRouteBuilder MapPublicTrajectoriesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapApiGroup("/v1/public/trajectories", "Public")
            .AllowAnonymous()
            .MapGet("", ListInBuurt)
            .WithName("ListPublicTrajectories")
            .WithSummary("The trajectories of a buurt, for everyone: their phase, the phases' start dates and the activities for residents still to come");
        return routes;
    }

    internal static async Task<Ok<PublicBuurtTrajectories>> ListInBuurt(
        [AsParameters] PublicTrajectoriesQuery query, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var parameters = new { query.BuurtCode, Now = services.Clock.GetUtcNow() };
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            """
            SELECT id, name, phase, created_at AS CreatedAt FROM trajectories WHERE @BuurtCode = ANY(buurt_codes) ORDER BY created_at, id;
            SELECT a.trajectory_id AS TrajectoryId, a.details->>'phase' AS Phase, a.occurred_at AS StartedAt
            FROM audit_log a JOIN trajectories t ON t.id = a.trajectory_id
            WHERE @BuurtCode = ANY(t.buurt_codes) AND a.action = 'phase-changed'
            ORDER BY a.id;
            SELECT a.trajectory_id AS TrajectoryId, a.kind, a.title, a.place, a.starts_at AS StartsAt, a.ends_at AS EndsAt
            FROM trajectory_activities a JOIN trajectories t ON t.id = a.trajectory_id
            WHERE @BuurtCode = ANY(t.buurt_codes) AND a.ends_at > @Now
            ORDER BY a.starts_at, a.id;
            """,
            parameters, cancellationToken: services.Cancellation));
        var trajectories = (await results.ReadAsync<TrajectoryRow>()).AsList();
        var phaseChanges = (await results.ReadAsync<PhaseChangeRow>()).ToLookup(change => change.TrajectoryId);
        var activities = (await results.ReadAsync<ActivityRow>()).ToLookup(activity => activity.TrajectoryId);
        return TypedResults.Ok(new PublicBuurtTrajectories
        {
            BuurtCode = query.BuurtCode!,
            Items = [.. trajectories.Select(trajectory => new PublicTrajectory
            {
                Id = trajectory.Id,
                Name = trajectory.Name,
                Phase = trajectory.Phase,
                Timeline = Timeline(trajectory, phaseChanges[trajectory.Id]),
                UpcomingActivities = [.. activities[trajectory.Id].Select(activity => new PublicActivity
                {
                    Kind = activity.Kind,
                    Title = activity.Title,
                    Place = activity.Place,
                    StartsAt = activity.StartsAt,
                    EndsAt = activity.EndsAt,
                })],
            })],
        });
    }

    /// <summary>
    /// Every phase in its order, with the moment the trajectory last entered it (orientation: when it was created),
    /// or none for a phase it has not reached; the current one marked.
    /// </summary>
    private static List<PublicPhase> Timeline(TrajectoryRow trajectory, IEnumerable<PhaseChangeRow> changes)
    {
        var startedAt = new Dictionary<string, DateTimeOffset> { [TrajectoryPhases.Orientation] = trajectory.CreatedAt };
        foreach (var change in changes.Where(change => change.Phase is not null))
        {
            startedAt[change.Phase!] = change.StartedAt;
        }

        var current = Array.IndexOf(TrajectoryPhases.All.ToArray(), trajectory.Phase);
        return [.. TrajectoryPhases.All.Select((phase, index) => new PublicPhase
        {
            Phase = phase,
            // A phase after the current one was not reached, even if the trajectory was there before and went back.
            StartedAt = index <= current && startedAt.TryGetValue(phase, out var at) ? at : null,
            IsCurrent = phase == trajectory.Phase,
        })];
    }

    private sealed record TrajectoryRow(Guid Id, string Name, string Phase, DateTimeOffset CreatedAt);

    private sealed record PhaseChangeRow(Guid TrajectoryId, string? Phase, DateTimeOffset StartedAt);

    private sealed record ActivityRow(Guid TrajectoryId, string Kind, string Title, string Place, DateTimeOffset StartsAt, DateTimeOffset EndsAt);
}

public sealed record PublicTrajectoriesQuery : IValidatableRequest
{
    [FromQuery(Name = "buurtCode")]
    public string? BuurtCode { get; init; }

    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("buurtCode", BuurtCode) && !BuurtCodes.IsValid(BuurtCode))
        {
            errors.Add("buurtCode", "'buurtCode' is not a CBS buurt code (for example BU03630001).");
        }
    }
}

public sealed record PublicBuurtTrajectories
{
    public required string BuurtCode { get; init; }

    public required IReadOnlyList<PublicTrajectory> Items { get; init; }
}

public sealed record PublicTrajectory
{
    public required Guid Id { get; init; }

    public required string Name { get; init; }

    /// <summary>orientation, plan-making, decision, execution or aftercare.</summary>
    [Vocabulary(typeof(TrajectoryPhases))]
    public required string Phase { get; init; }

    public required IReadOnlyList<PublicPhase> Timeline { get; init; }

    public required IReadOnlyList<PublicActivity> UpcomingActivities { get; init; }
}

public sealed record PublicPhase
{
    [Vocabulary(typeof(TrajectoryPhases))]
    public required string Phase { get; init; }

    /// <summary>When the trajectory entered this phase; null for a phase not reached yet.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    public required bool IsCurrent { get; init; }
}

public sealed record PublicActivity
{
    [Vocabulary(typeof(ActivityKinds))]
    public required string Kind { get; init; }

    public required string Title { get; init; }

    public required string Place { get; init; }

    public required DateTimeOffset StartsAt { get; init; }

    public required DateTimeOffset EndsAt { get; init; }
}
