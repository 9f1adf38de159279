using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;

namespace Participatie.PartnerCoordination.Trajectories;

/// <summary>
/// The trajectory a route is about and the caller's part in it, loaded once by <see cref="TrajectoryAccessCheck"/>,
/// with the request's unit of work in which the access was decided and the handler goes on.
/// </summary>
public sealed record TrajectoryCaller(Guid TrajectoryId, Guid? PartnerId, string? Role, UnitOfWork Work)
{
    /// <summary>The calling partner; only for routes that the platform operator does not reach (adding, owning).</summary>
    public Guid Partner => PartnerId ?? throw new InvalidOperationException("The platform operator takes no part in a trajectory.");

    public static ValueTask<TrajectoryCaller?> BindAsync(HttpContext context) => RouteAccess.Loaded<TrajectoryCaller>(context);
}

/// <summary>
/// How far into a trajectory a route lets its caller, beyond reading (any role, or the platform operator); a route
/// says it with <see cref="RouteAccess.Requires"/>.
/// </summary>
public static class TrajectoryPermissions
{
    /// <summary>Lead, co-owner or contributor: adding to the trajectory (never the platform operator).</summary>
    public const string Contribute = "contribute";

    /// <summary>Lead or co-owner, or the platform operator: who takes part, the phase, the audit log.</summary>
    public const string Manage = "manage";

    /// <summary>Nothing to check here: the route's own query is bounded by the caller, so outsiders find nothing.</summary>
    public const string BoundedByCaller = "bounded-by-caller";
}
