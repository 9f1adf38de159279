using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;

namespace Participatie.PartnerCoordination.Trajectories;

/// <summary>
/// Decides, once for every route of a group under <c>{trajectoryId}</c>, whether the caller may go in: to a partner
/// outside the trajectory it does not exist (404), a role too low is refused (403). The caller it loads, and the unit
/// of work it loaded it in, go to the handler as a <see cref="TrajectoryCaller"/>.
/// </summary>
public static class TrajectoryAccessFilter
{
    public static RouteGroupBuilder WithTrajectoryAccess(this RouteGroupBuilder group) => group.AddEndpointFilterFactory(Create);

    public static RouteHandlerBuilder Requires(this RouteHandlerBuilder endpoint, TrajectoryAccess access) =>
        endpoint.WithMetadata(new RequiredTrajectoryAccess(access));

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var callerArgument = Array.FindIndex(factory.MethodInfo.GetParameters(), parameter => parameter.ParameterType == typeof(TrajectoryCaller));
        return async context =>
        {
            var http = context.HttpContext;
            var access = http.GetEndpoint()?.Metadata.GetMetadata<RequiredTrajectoryAccess>()?.Access ?? TrajectoryAccess.Read;
            var trajectoryId = Guid.Parse((string)http.Request.RouteValues["trajectoryId"]!);
            await using var work = await http.RequestServices.GetRequiredService<UnitOfWorkFactory>().BeginAsync(http.RequestAborted);
            (TrajectoryCaller? caller, ProblemHttpResult? denied) = await DecideAsync(work, trajectoryId, http.User, access, !HttpMethods.IsGet(http.Request.Method), http.RequestAborted);
            if (denied is not null)
            {
                return denied;
            }

            http.Items[TrajectoryCaller.ItemKey] = caller;
            if (callerArgument >= 0)
            {
                context.Arguments[callerArgument] = caller;
            }

            return await next(context);
        };
    }

    private static async Task<(TrajectoryCaller? Caller, ProblemHttpResult? Denied)> DecideAsync(
        UnitOfWork work, Guid trajectoryId, ClaimsPrincipal user, TrajectoryAccess access, bool forChange, CancellationToken cancellationToken)
    {
        var caller = new TrajectoryCaller(trajectoryId, user.GetPartnerId(), null, work);
        if (access == TrajectoryAccess.Bounded)
        {
            return (caller, null);
        }

        if (access == TrajectoryAccess.Manage && forChange)
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
                : access == TrajectoryAccess.Contribute ? (null, Problems.Forbidden("Items in a trajectory are added by its partners, not by the platform operator."))
                : (caller, null);
        }

        var role = caller.PartnerId is { } partnerId ? await RoleAsync(work, trajectoryId, partnerId, access, forChange, cancellationToken) : null;
        if (role is null)
        {
            // Outsiders do not learn that the trajectory exists.
            return (null, Problems.NotFound("trajectory", trajectoryId));
        }

        return access switch
        {
            TrajectoryAccess.Contribute when !TrajectoryRoles.CanContribute(role) =>
                (null, Problems.Forbidden($"A partner with role '{role}' reads this trajectory but adds nothing to it.")),
            TrajectoryAccess.Manage when !TrajectoryRoles.CanManageMembers(role) =>
                (null, Problems.Forbidden($"A partner with role '{role}' cannot change who takes part in this trajectory.")),
            _ => (caller with { Role = role }, null),
        };
    }

    /// <summary>
    /// The caller's role. For a change, its membership stays as read until the transaction ends (a manager's even
    /// against its own removal); a read takes no lock.
    /// </summary>
    private static Task<string?> RoleAsync(
        UnitOfWork work, Guid trajectoryId, Guid partnerId, TrajectoryAccess access, bool forChange, CancellationToken cancellationToken)
    {
        var lockClause = (access, forChange) switch
        {
            (TrajectoryAccess.Manage, true) => "FOR UPDATE",
            (TrajectoryAccess.Contribute, true) => "FOR SHARE",
            _ => string.Empty,
        };
        return work.Connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            $"SELECT role FROM trajectory_members WHERE trajectory_id = @TrajectoryId AND partner_id = @PartnerId {lockClause}",
            new { TrajectoryId = trajectoryId, PartnerId = partnerId }, work.Transaction, cancellationToken: cancellationToken));
    }
}
