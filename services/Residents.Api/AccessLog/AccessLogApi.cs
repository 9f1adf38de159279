using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Residents.Registry;

namespace Participatie.Residents.AccessLog;

public static class AccessLogApi
{
    public static RouteGroupBuilder MapAccessLog(this RouteGroupBuilder api)
    {
        api.MapGet("/access-log", GetAccessLog)
            .WithName("GetResidentAccessLog")
            .WithSummary("List who read or changed this resident's personal data, newest first")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    internal static async Task<Ok<Page<AccessLogEntry>>> GetAccessLog(
        LinkedResident linked, [AsParameters] PageQuery page, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var residentId = linked.Id;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
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

/// <summary>
/// What the personal data access log records. The calls to <see cref="AccessLogStore"/> name their action as a
/// literal; a unit test holds every such literal to this list.
/// </summary>
public static class AccessLogActions
{
    public static readonly IReadOnlyList<string> All =
        ["registered", "linked", "read", "update", "erased", "export-requested", "export-delivered"];
}

public sealed record AccessLogEntry
{
    /// <summary>'registered', 'linked' (a registration matched the resident), 'read', or 'update'.</summary>
    [Vocabulary(typeof(AccessLogActions))]
    public required string Action { get; init; }

    public required string AccessedBy { get; init; }

    public Guid? PartnerId { get; init; }

    public string? ClientId { get; init; }

    public required string Purpose { get; init; }

    public required DateTimeOffset AccessedAt { get; init; }
}
