using Dapper;
using Npgsql;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>A partner's OAuth client as the token server needs it.</summary>
public sealed record PartnerClient
{
    public required string ClientId { get; init; }

    public required Guid PartnerId { get; init; }

    public required string PartnerKind { get; init; }

    public required string Kind { get; init; }

    public string? SecretHash { get; init; }

    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    public IReadOnlyList<string> RedirectUris { get; init; } = [];
}

public static class ClientKinds
{
    /// <summary>A partner's back-end system: client credentials with a secret.</summary>
    public const string System = "system";

    /// <summary>A partner's web client: authorization code with PKCE, no secret.</summary>
    public const string Web = "web";

    public static readonly IReadOnlyList<string> All = [System, Web];
}

public sealed class PartnerClients(NpgsqlDataSource database)
{
    /// <summary>True the first time a code is presented, false ever after (a replayed code gets nothing).</summary>
    public async Task<bool> RedeemCodeOnceAsync(string code, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(code)));
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO redeemed_authorization_codes (code_hash) VALUES (@Hash) ON CONFLICT DO NOTHING",
            new { Hash = hash }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<PartnerClient?> FindActiveAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PartnerClient>(new CommandDefinition(
            """
            SELECT c.client_id AS ClientId, c.partner_id AS PartnerId, p.kind AS PartnerKind, c.kind, c.secret_hash AS SecretHash,
                   c.allowed_origins AS AllowedOrigins, c.redirect_uris AS RedirectUris
            FROM partner_clients c JOIN partners p ON p.id = c.partner_id
            WHERE c.client_id = @ClientId AND c.revoked_at IS NULL
            """,
            new { ClientId = clientId }, cancellationToken: cancellationToken));
    }
}
