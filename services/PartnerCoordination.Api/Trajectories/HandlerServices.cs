using System.Security.Claims;

namespace Participatie.PartnerCoordination.Trajectories;

/// <summary>
/// What the handlers of a trajectory's routes need besides the trajectory itself (<see cref="TrajectoryCaller"/>):
/// who calls (for the audit log and ownership), the clock, and the request's cancellation. Taken with [AsParameters].
/// </summary>
public sealed record HandlerServices(ClaimsPrincipal User, TimeProvider Clock, CancellationToken Cancellation);
