using Participatie.BuildingBlocks.Data;

namespace Participatie.PartnerCoordination.Trajectories;

/// <summary>
/// The trajectory a route is about and the caller's part in it, loaded once by <see cref="TrajectoryAccessFilter"/>,
/// with the unit of work in which the access was decided and the handler goes on.
/// </summary>
public sealed record TrajectoryCaller(Guid TrajectoryId, Guid? PartnerId, string? Role, UnitOfWork Work)
{
    internal static readonly object ItemKey = new();

    /// <summary>What binding hands over: binding runs before the filters, and the filter puts the loaded caller in its place.</summary>
    private static readonly TrajectoryCaller NotYetLoaded = new(Guid.Empty, null, null, null!);

    /// <summary>The calling partner; only for routes that the platform operator does not reach (adding, owning).</summary>
    public Guid Partner => PartnerId ?? throw new InvalidOperationException("The platform operator takes no part in a trajectory.");

    public static ValueTask<TrajectoryCaller?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<TrajectoryCaller?>(context.Items.TryGetValue(ItemKey, out var caller) ? (TrajectoryCaller)caller! : NotYetLoaded);
}

/// <summary>How far into a trajectory a route lets its caller; a route says it with <see cref="TrajectoryAccessFilter.Requires"/>.</summary>
public enum TrajectoryAccess
{
    /// <summary>Any role, or the platform operator: reading, and what every partner in it does for itself.</summary>
    Read,

    /// <summary>Lead, co-owner or contributor: adding to the trajectory (never the platform operator).</summary>
    Contribute,

    /// <summary>Lead or co-owner, or the platform operator: who takes part, the phase, the audit log.</summary>
    Manage,

    /// <summary>Nothing to check here: the route's own query is bounded by the caller, so outsiders find nothing.</summary>
    Bounded,
}

/// <summary>Endpoint metadata: the access a route needs; <see cref="TrajectoryAccess.Read"/> when it names none.</summary>
internal sealed record RequiredTrajectoryAccess(TrajectoryAccess Access);
