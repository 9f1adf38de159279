using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;

namespace Participatie.PartnerCoordination.Partners;

/// <summary>
/// Checks once for every route of a group under <c>/v1/partners/{partnerId}</c> that the caller manages that partner:
/// only the partner itself, or the platform operator, manages a partner's clients, contacts and staff.
/// </summary>
public static class PartnerAccessFilter
{
    public static RouteGroupBuilder WithPartnerAccess(this RouteGroupBuilder group) => group.AddEndpointFilter(async (context, next) =>
    {
        var http = context.HttpContext;
        var partnerId = Guid.Parse((string)http.Request.RouteValues["partnerId"]!);
        if (!http.User.ActsFor(partnerId))
        {
            return Problems.Forbidden($"Only partner {partnerId} itself manages this.");
        }

        await using var connection = await http.RequestServices.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(http.RequestAborted);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM partners WHERE id = @PartnerId)", new { PartnerId = partnerId }, cancellationToken: http.RequestAborted));
        return exists ? await next(context) : Problems.NotFound("partner", partnerId);
    });
}
