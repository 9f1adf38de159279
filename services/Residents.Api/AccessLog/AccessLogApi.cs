using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;

namespace Participatie.Residents.AccessLog;

public static class AccessLogApi
{
    public static RouteGroupBuilder MapAccessLog(this RouteGroupBuilder api)
    {
        api.MapGet("/{residentId:guid}/access-log", GetAccessLog)
            .WithName("GetResidentAccessLog")
            .WithSummary("List who read or changed this resident's personal data, newest first")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    internal static async Task<Results<Ok<Page<AccessLogEntry>>, ProblemHttpResult>> GetAccessLog(
        Guid residentId, [AsParameters] PageQuery page, ClaimsPrincipal user, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM residents WHERE id = @ResidentId AND registered_by_partner_id = @PartnerId)",
            new { ResidentId = residentId, PartnerId = user.GetPartnerId() }, cancellationToken: cancellationToken));
        if (!exists)
        {
            return Problems.NotFound("resident", residentId);
        }

        return TypedResults.Ok(await connection.QueryPageAsync<AccessLogEntry>(page, new CommandDefinition(
            """
            SELECT action, accessed_by AS AccessedBy, partner_id AS PartnerId, client_id AS ClientId, purpose, accessed_at AS AccessedAt
            FROM personal_data_access_log WHERE resident_id = @ResidentId
            ORDER BY id DESC OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM personal_data_access_log WHERE resident_id = @ResidentId;
            """,
            new { ResidentId = residentId, page.Offset, page.Size }, cancellationToken: cancellationToken)));
    }
}

public sealed record AccessLogEntry
{
    /// <summary>'registered', 'read', or 'update' (a contact marked undeliverable).</summary>
    public required string Action { get; init; }

    public required string AccessedBy { get; init; }

    public Guid? PartnerId { get; init; }

    public string? ClientId { get; init; }

    public required string Purpose { get; init; }

    public required DateTimeOffset AccessedAt { get; init; }
}
