using System.Security.Claims;
using Dapper;
using NpgsqlTypes;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;

namespace Participatie.Residents.AccessLog;

/// <summary>Who reads or changes personal data: the partner and its client, from the validated access token.</summary>
public sealed record AccessLogCaller(string AccessedBy, Guid? PartnerId, string? ClientId)
{
    public static AccessLogCaller From(ClaimsPrincipal user)
    {
        var partnerId = user.GetPartnerId();
        var clientId = user.GetClientId();
        return new AccessLogCaller(
            partnerId is { } id ? $"partner {id} (client {clientId})" : $"platform operator (client {clientId})",
            partnerId,
            clientId);
    }

    /// <summary>A platform service with a token of its own (no partner), named by its client id.</summary>
    public static AccessLogCaller Service(string clientId) => new(clientId, null, clientId);
}

/// <summary>The SQL behind the append-only personal data access log.</summary>
public static class AccessLogStore
{
    public static Task LogAsync(
        UnitOfWork work, Guid residentId, AccessLogCaller caller, string action, string purpose, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO personal_data_access_log (resident_id, action, accessed_by, partner_id, client_id, purpose)
            VALUES (@ResidentId, @Action, @AccessedBy, @PartnerId, @ClientId, @Purpose)
            """,
            new { ResidentId = residentId, Action = action, caller.AccessedBy, caller.PartnerId, caller.ClientId, Purpose = purpose },
            work.Transaction, cancellationToken: cancellationToken));

    /// <summary>One entry per resident, streamed with binary COPY in the unit of work's transaction.</summary>
    public static async Task LogManyAsync(
        UnitOfWork work, IReadOnlyList<Guid> residentIds, AccessLogCaller caller, string action, string purpose, CancellationToken cancellationToken)
    {
        await using var writer = await work.Connection.BeginBinaryImportAsync(
            "COPY personal_data_access_log (resident_id, action, accessed_by, partner_id, client_id, purpose) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var residentId in residentIds)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(residentId, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(action, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(caller.AccessedBy, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(caller.PartnerId, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteNullableAsync(caller.ClientId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(purpose, NpgsqlDbType.Text, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }
}
