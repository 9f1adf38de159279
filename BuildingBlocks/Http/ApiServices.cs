using System.Security.Claims;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;

namespace Participatie.BuildingBlocks.Http;

/// <summary>
/// What most handlers need besides their route values and body, taken as one <c>[AsParameters]</c> bundle so that a
/// handler's signature says what it is about rather than what it uses.
/// </summary>
public sealed record ApiServices(
    NpgsqlDataSource Database,
    UnitOfWorkFactory UnitOfWork,
    TimeProvider Clock,
    ClaimsPrincipal User,
    CancellationToken Cancellation)
{
    /// <summary>The calling partner; every partner route requires one (the platform operator has none).</summary>
    public Guid? PartnerId => User.GetPartnerId();
}
