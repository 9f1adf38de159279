using System.Security.Claims;
using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.Residents.AccessLog;

namespace Participatie.Residents.DataRights;

/// <summary>
/// The resident a data-rights route is about, as the caller may reach them: still registered, or erased (then
/// <see cref="ErasureId"/> is set and only the erasure itself can be read or asked for again).
/// </summary>
public sealed record DataSubject(Guid ResidentId, Guid? ErasureId, Guid? PartnerId, AccessLogCaller Caller)
{
    public bool IsErased => ErasureId is not null;

    public static ValueTask<DataSubject?> BindAsync(HttpContext context) => RouteAccess.Loaded<DataSubject>(context);

    /// <summary>Who the access log names: the resident with their client, or the partner and its client.</summary>
    public static AccessLogCaller CallerOf(ClaimsPrincipal user) =>
        user.GetResidentId() is { } residentId
            ? new AccessLogCaller($"resident {residentId} (client {user.GetClientId()})", null, user.GetClientId())
            : AccessLogCaller.From(user);

    internal static async Task<DataSubject?> LoadAsync(
        NpgsqlDataSource database, Guid residentId, Guid? partnerId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // A partner reaches the residents it is linked to (it registered them, or registered the same person), and after an erasure
        // the partners recorded on it; a resident reaches only themselves, erased or not.
        var found = await connection.QuerySingleOrDefaultAsync<FoundSubject>(new CommandDefinition(
            """
            SELECT r.id AS ResidentId, NULL::uuid AS ErasureId FROM residents r
            WHERE r.id = @ResidentId AND (@PartnerId IS NULL OR EXISTS (
                SELECT 1 FROM resident_partners l WHERE l.resident_id = r.id AND l.partner_id = @PartnerId))
            UNION ALL
            SELECT e.resident_id, e.id FROM resident_erasures e
            WHERE e.resident_id = @ResidentId
              AND (@PartnerId IS NULL OR EXISTS (
                  SELECT 1 FROM resident_erasure_partners p WHERE p.erasure_id = e.id AND p.partner_id = @PartnerId))
            LIMIT 1
            """,
            new { ResidentId = residentId, PartnerId = partnerId }, cancellationToken: cancellationToken));
        return found is null ? null : new DataSubject(found.ResidentId, found.ErasureId, partnerId, CallerOf(user));
    }

    private sealed record FoundSubject
    {
        public required Guid ResidentId { get; init; }

        public Guid? ErasureId { get; init; }
    }
}

/// <summary>/v1/me/...: the resident of the token, nobody else.</summary>
public sealed class OwnDataAccessCheck(NpgsqlDataSource database) : IRouteAccessCheck
{
    public async Task<IResult?> CheckAsync(HttpContext context)
    {
        // The group's policy admitted only resident tokens.
        var residentId = context.User.GetResidentId()!.Value;
        var subject = await DataSubject.LoadAsync(database, residentId, partnerId: null, context.User, context.RequestAborted);
        if (subject is null)
        {
            return Problems.NotFound("resident", residentId);
        }

        RouteAccess.Admit(context, subject);
        return null;
    }
}

/// <summary>/v1/residents/{residentId}/...: a partner linked to the resident, acting on their behalf.</summary>
public sealed class LinkedResidentAccessCheck(NpgsqlDataSource database) : RouteAccessCheck<DataSubject>("residentId", "resident")
{
    protected override Task<DataSubject?> LoadAsync(HttpContext context, Guid id, CancellationToken cancellationToken) =>
        DataSubject.LoadAsync(database, id, context.User.GetPartnerId(), context.User, cancellationToken);

    protected override string? Refuse(DataSubject subject, string permission, ClaimsPrincipal user) => null;
}
