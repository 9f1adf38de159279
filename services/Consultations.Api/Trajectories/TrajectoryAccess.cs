using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Trajectories;
using Participatie.Contracts;

namespace Participatie.Consultations.Trajectories;

/// <summary>What a partner may do with a trajectory it takes part in, besides reading what is in it.</summary>
public static class TrajectoryPermissions
{
    /// <summary>Decide what the trajectory promises its residents: the lead and co-owners.</summary>
    public const string Manage = "manage";
}

/// <summary>A trajectory the caller takes part in, with its role, bound from the route group's access check.</summary>
public sealed record VisibleTrajectory(TrajectoryView Trajectory)
{
    public static ValueTask<VisibleTrajectory?> BindAsync(HttpContext context) => RouteAccess.Loaded<VisibleTrajectory>(context);
}

/// <summary>Routes under <c>.../trajectories/{trajectoryId}</c>: 404 unless the caller takes part, 403 per permission.</summary>
public sealed class TrajectoryAccessCheck(NpgsqlDataSource database) : RouteAccessCheck<VisibleTrajectory>("trajectoryId", "trajectory")
{
    protected override async Task<VisibleTrajectory?> LoadAsync(HttpContext context, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await TrajectoryProjection.FindAsync(connection, id, context.User.GetPartnerId(), cancellationToken) is { } trajectory
            ? new VisibleTrajectory(trajectory)
            : null;
    }

    protected override string? Refuse(VisibleTrajectory subject, string permission, ClaimsPrincipal user) =>
        permission == TrajectoryPermissions.Manage && !TrajectoryRoles.CanManageMembers(subject.Trajectory.Role)
            ? $"A partner with role '{subject.Trajectory.Role}' cannot change what this trajectory promises; its lead and co-owners do."
            : null;
}

public static class TrajectoryAccess
{
    public static RouteGroupBuilder WithTrajectoryAccess(this RouteGroupBuilder group)
    {
        return group.WithAccessCheck<TrajectoryAccessCheck>();
    }

    /// <summary>
    /// The trajectory named in a request body in which the caller starts something (a consultation, a support
    /// measurement): it must take part (422 naming trajectoryId otherwise) with a role that contributes (403 otherwise).
    /// </summary>
    public static async Task<(TrajectoryView Trajectory, ProblemHttpResult? Problem)> ContributingAsync(
        NpgsqlDataSource database, Guid trajectoryId, ClaimsPrincipal user, string what, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var trajectory = await TrajectoryProjection.FindAsync(connection, trajectoryId, user.GetPartnerId(), cancellationToken);
        if (trajectory is null)
        {
            return (null!, Problems.Unprocessable("trajectoryId", $"You take part in no trajectory with id '{trajectoryId}'."));
        }

        return TrajectoryRoles.CanContribute(trajectory.Role)
            ? (trajectory, null)
            : (trajectory, Problems.Forbidden($"A partner with role '{trajectory.Role}' cannot start {what} in this trajectory."));
    }
}
