using System.Security.Claims;
using Dapper;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;

namespace Participatie.PartnerCoordination.Trajectories;

/// <summary>
/// Decides, once for every route of a group under <c>{trajectoryId}</c>, whether the caller may go in: to a partner
/// outside the trajectory it does not exist (404), a role too low is refused (403). It decides in the request's unit
/// of work, so the locks it takes hold until the handler, which goes on in it, commits; the caller it loads goes to
/// the handler as a <see cref="TrajectoryCaller"/>.
/// </summary>
public sealed class TrajectoryAccessCheck : IRouteAccessCheck
{
    public async Task<IResult?> CheckAsync(HttpContext context)
    {
        var permission = RouteAccess.RequiredPermission(context);
        var trajectoryId = RouteAccess.RouteId(context, "trajectoryId");
        var work = await context.UnitOfWorkAsync();
        var (caller, refusal) = await DecideAsync(
            work, trajectoryId, context.User, permission, !HttpMethods.IsGet(context.Request.Method), context.RequestAborted);
        if (caller is not null)
        {
            RouteAccess.Admit(context, caller);
        }

        return refusal;
    }

    private static async Task<(TrajectoryCaller? Caller, IResult? Refusal)> DecideAsync(
        UnitOfWork work, Guid trajectoryId, ClaimsPrincipal user, string? permission, bool forChange, CancellationToken cancellationToken)
    {
        var caller = new TrajectoryCaller(trajectoryId, user.GetPartnerId(), null, work);
        if (permission == TrajectoryPermissions.BoundedByCaller)
        {
            return (caller, null);
        }

        if (permission == TrajectoryPermissions.Manage && forChange)
        {
            // Before anything else: changes of who takes part in one trajectory wait here, on its row, for each other,
            // so that each raises the version and reads the members after the one before it committed.
            await work.Connection.ExecuteAsync(new CommandDefinition(
                "SELECT 1 FROM trajectories WHERE id = @TrajectoryId FOR NO KEY UPDATE",
                new { TrajectoryId = trajectoryId }, work.Transaction, cancellationToken: cancellationToken));
        }

        if (user.IsPlatformOperator())
        {
            // The operator reads every trajectory and manages its members, but owns and adds nothing in it.
            var exists = await work.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM trajectories WHERE id = @TrajectoryId)",
                new { TrajectoryId = trajectoryId }, work.Transaction, cancellationToken: cancellationToken));
            return !exists ? (null, Problems.NotFound("trajectory", trajectoryId))
                : permission == TrajectoryPermissions.Contribute ? (null, Problems.Forbidden("Items in a trajectory are added by its partners, not by the platform operator."))
                : (caller, null);
        }

        var role = caller.PartnerId is { } partnerId ? await RoleAsync(work, trajectoryId, partnerId, permission, forChange, cancellationToken) : null;
        if (role is null)
        {
            // Outsiders do not learn that the trajectory exists.
            return (null, Problems.NotFound("trajectory", trajectoryId));
        }

        return permission switch
        {
            TrajectoryPermissions.Contribute when !TrajectoryRoles.CanContribute(role) =>
                (null, Problems.Forbidden($"A partner with role '{role}' reads this trajectory but adds nothing to it.")),
            TrajectoryPermissions.Manage when !TrajectoryRoles.CanManageMembers(role) =>
                (null, Problems.Forbidden($"A partner with role '{role}' cannot change who takes part in this trajectory.")),
            _ => (caller with { Role = role }, null),
        };
    }

    /// <summary>
    /// The caller's role. For a change, its membership stays as read until the transaction ends (a manager's even
    /// against its own removal); a read takes no lock.
    /// </summary>
    private static Task<string?> RoleAsync(
        UnitOfWork work, Guid trajectoryId, Guid partnerId, string? permission, bool forChange, CancellationToken cancellationToken)
    {
        var lockClause = (permission, forChange) switch
        {
            (TrajectoryPermissions.Manage, true) => "FOR UPDATE",
            (TrajectoryPermissions.Contribute, true) => "FOR SHARE",
            _ => string.Empty,
        };
        return work.Connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            $"SELECT role FROM trajectory_members WHERE trajectory_id = @TrajectoryId AND partner_id = @PartnerId {lockClause}",
            new { TrajectoryId = trajectoryId, PartnerId = partnerId }, work.Transaction, cancellationToken: cancellationToken));
    }
}

public static class TrajectoryAccess
{
    /// <summary>Every route of the group is reached past <see cref="TrajectoryAccessCheck"/>, refused before its body is read.</summary>
    public static RouteGroupBuilder WithTrajectoryAccess(this RouteGroupBuilder group) =>
        group.WithAccessCheck<TrajectoryAccessCheck>();
}
