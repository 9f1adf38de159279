using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;

namespace Participatie.PartnerCoordination.Partners;

/// <summary>
/// Checks once for every route of a group under <c>/v1/partners/{partnerId}</c> that the caller manages that partner:
/// only the partner itself, or the platform operator, manages a partner's clients, contacts and staff.
/// </summary>
public sealed class PartnerAccessCheck(NpgsqlDataSource database) : IRouteAccessCheck
{
    public async Task<IResult?> CheckAsync(HttpContext context)
    {
        var partnerId = RouteAccess.RouteId(context, "partnerId");
        if (!context.User.ActsFor(partnerId))
        {
            return Problems.Forbidden($"Only partner {partnerId} itself manages this.");
        }

        await using var connection = await database.OpenConnectionAsync(context.RequestAborted);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM partners WHERE id = @PartnerId)", new { PartnerId = partnerId }, cancellationToken: context.RequestAborted));
        return exists ? null : Problems.NotFound("partner", partnerId);
    }
}

public static class PartnerAccess
{
    /// <summary>Every route of the group is reached past <see cref="PartnerAccessCheck"/>, refused before its body is read.</summary>
    public static RouteGroupBuilder WithPartnerAccess(this RouteGroupBuilder group) =>
        group.WithAccessCheck<PartnerAccessCheck>();
}
