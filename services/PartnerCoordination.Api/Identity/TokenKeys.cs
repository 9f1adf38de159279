using System.Security.Cryptography;
using Dapper;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Participatie.BuildingBlocks.Auth;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>
/// The RSA keys that sign and encrypt tokens, kept in this service's database so that they survive restarts and
/// are shared by every instance. The first instance to need a key creates it.
/// </summary>
public sealed class TokenKeys(NpgsqlDataSource database) : ISigningKeySource
{
    public const string Signing = "signing";
    public const string Encryption = "encryption";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, RsaSecurityKey> _keys = new(StringComparer.Ordinal);

    /// <summary>The active key for a purpose, created on first use.</summary>
    public RsaSecurityKey Get(string purpose)
    {
        lock (_lock)
        {
            if (!_keys.TryGetValue(purpose, out var key))
            {
                key = LoadOrCreate(purpose);
                _keys[purpose] = key;
            }

            return key;
        }
    }

    /// <summary>In-process source of the signing keys for this service's own token validation.</summary>
    public Task<IReadOnlyCollection<SecurityKey>> GetSigningKeysAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyCollection<SecurityKey>>([Get(Signing)]);

    private RsaSecurityKey LoadOrCreate(string purpose)
    {
        using var connection = database.OpenConnection();
        const string active = "SELECT id AS Id, private_key AS PrivateKey FROM token_keys WHERE purpose = @Purpose AND retired_at IS NULL";
        var existing = connection.QuerySingleOrDefault<StoredKey>(active, new { Purpose = purpose });
        if (existing is null)
        {
            using var rsa = RSA.Create(2048);
            // Concurrent first starts: one insert wins, the other finds that key below.
            connection.Execute(
                """
                INSERT INTO token_keys (id, purpose, private_key) VALUES (@Id, @Purpose, @PrivateKey)
                ON CONFLICT DO NOTHING
                """,
                new { Id = $"{purpose}-{Guid.NewGuid():N}", Purpose = purpose, PrivateKey = Convert.ToBase64String(rsa.ExportPkcs8PrivateKey()) });
        }

        var key = existing ?? connection.QuerySingle<StoredKey>(active, new { Purpose = purpose });
        var loaded = RSA.Create();
        loaded.ImportPkcs8PrivateKey(Convert.FromBase64String(key.PrivateKey), out _);
        return new RsaSecurityKey(loaded) { KeyId = key.Id };
    }

    private sealed record StoredKey(string Id, string PrivateKey);
}
