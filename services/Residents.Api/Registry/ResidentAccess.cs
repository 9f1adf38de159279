using System.Security.Claims;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;

namespace Participatie.Residents.Registry;

/// <summary>A resident the calling partner is linked to: every linked partner may read and change them (logged).</summary>
public sealed record LinkedResident(Guid Id)
{
    public static ValueTask<LinkedResident?> BindAsync(HttpContext context) => RouteAccess.Loaded<LinkedResident>(context);
}

/// <summary>A resident not linked to the caller's partner is, to the caller, no resident at all (404).</summary>
public sealed class LinkedResidentCheck(NpgsqlDataSource database) : RouteAccessCheck<LinkedResident>("residentId", "resident")
{
    protected override async Task<LinkedResident?> LoadAsync(HttpContext context, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ResidentQueries.IsLinkedAsync(connection, id, context.User.GetPartnerId(), cancellationToken) ? new LinkedResident(id) : null;
    }

    protected override string? Refuse(LinkedResident subject, string permission, ClaimsPrincipal user) => null;
}
