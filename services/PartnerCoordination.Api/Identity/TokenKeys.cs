using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.PartnerCoordination.Domain;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>How the signing keys rotate (<c>Identity:SigningKeys</c>).</summary>
public sealed class TokenKeyOptions
{
    public const string Section = "Identity:SigningKeys";

    /// <summary>How long one key signs before the next takes over.</summary>
    public TimeSpan SigningPeriod { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long before it signs a new key is in the key set: every service refreshes its copy of the key set within
    /// minutes, so a day is ample.
    /// </summary>
    public TimeSpan PublishedAhead { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long a replaced key stays in the key set: the longest access token lifetime (an hour), the services'
    /// clock skew and their cache of validated tokens.
    /// </summary>
    public TimeSpan KeptAfterReplacement { get; set; } = TimeSpan.FromMinutes(70);

    /// <summary>
    /// How long a replaced key stays in the database, no longer published, so that the token server still accepts the
    /// tokens it reads back itself and that live longer than access tokens: a resident's refresh token (8 hours) signed
    /// just before the key was replaced keeps working until it expires. At least the longest refresh token lifetime.
    /// </summary>
    public TimeSpan KeptForRefreshTokens { get; set; } = ResidentSignInRules.RefreshTokenLifetime + TimeSpan.FromMinutes(10);

    /// <summary>How often the rotation job looks whether a key is due.</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// The RSA keys that sign and encrypt tokens, kept in this service's database (encrypted, see
/// <see cref="TokenKeyProtector"/>) so that they survive restarts and are shared by every instance.
/// Signing keys rotate (<see cref="RotateAsync"/>): each key is published <see cref="TokenKeyOptions.PublishedAhead"/>
/// before it signs and stays published <see cref="TokenKeyOptions.KeptAfterReplacement"/> after the next one took over;
/// the token server itself accepts its own refresh tokens and codes signed with it for
/// <see cref="TokenKeyOptions.KeptForRefreshTokens"/>, after which it is deleted. Checking a signature needs only the
/// public part, so a key's encrypted private part is erased as soon as the key stops signing (migration 0025).
/// </summary>
public sealed class TokenKeys(
    NpgsqlDataSource database, TokenKeyProtector protector, IOptions<TokenKeyOptions> options, TimeProvider clock, ILogger<TokenKeys> logger)
    : ISigningKeySource
{
    public const string Signing = "signing";
    public const string Encryption = "encryption";

    /// <summary>Another instance's new key is seen within this time (it is published a day before it signs).</summary>
    private static readonly TimeSpan ReloadAfter = TimeSpan.FromMinutes(1);

    // Serialises creating keys across instances; any constant that no other advisory lock of this database uses.
    private const long KeyCreationLock = 0x544f4b454e4b4559;

    private readonly Lock _lock = new();
    private RsaSecurityKey? _encryptionKey;
    private IReadOnlyList<ScheduledKey>? _signingKeys;
    private DateTimeOffset _loadedAt;

    /// <summary>The active key for a purpose (for signing: the one that signs now), created on first use.</summary>
    public RsaSecurityKey Get(string purpose)
    {
        lock (_lock)
        {
            if (purpose == Encryption)
            {
                return _encryptionKey ??= LoadOrCreateEncryptionKey();
            }

            return Current(SigningKeys(), clock.GetUtcNow()).Key;
        }
    }

    /// <summary>The key that signs access tokens at this moment.</summary>
    public RsaSecurityKey CurrentSigningKey()
    {
        lock (_lock)
        {
            return Current(SigningKeys(), clock.GetUtcNow()).Key;
        }
    }

    /// <summary>
    /// The signing keys in the key set now: the one that signs, the next one (before it signs) and the one it replaced
    /// (until the tokens that key signed have expired). The signing key comes first.
    /// </summary>
    public IReadOnlyList<RsaSecurityKey> PublishedSigningKeys()
    {
        lock (_lock)
        {
            return [.. Published(SigningKeys(), clock.GetUtcNow()).Select(key => key.Key)];
        }
    }

    /// <summary>
    /// The published keys that still hold their private part (the one that signs and the next one): what OpenIddict
    /// is configured with, since it may sign with any key it holds. A replaced key is published for its public part only.
    /// </summary>
    public IReadOnlyList<RsaSecurityKey> PublishedKeysThatCanSign()
    {
        lock (_lock)
        {
            return [.. Published(SigningKeys(), clock.GetUtcNow()).Where(key => key.CanSign).Select(key => key.Key)];
        }
    }

    /// <summary>
    /// Every signing key still stored, published or not: what the token server checks its own refresh tokens and
    /// authorization codes against, so that they outlive the rotation of the key that signed them.
    /// </summary>
    public IReadOnlyList<RsaSecurityKey> RetainedSigningKeys()
    {
        lock (_lock)
        {
            return [.. SigningKeys().Select(key => key.Key)];
        }
    }

    /// <summary>In-process source of the signing keys for this service's own token validation.</summary>
    public Task<IReadOnlyCollection<SecurityKey>> GetSigningKeysAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyCollection<SecurityKey>>([.. PublishedSigningKeys()]);

    /// <summary>
    /// One round of rotation: wraps every key stored in plain form or under a previous key-encryption key with the
    /// current one, creates the next signing key when the current one nears the end of its period, marks replaced keys
    /// retired, and deletes keys once no token they signed can still be valid.
    /// </summary>
    public async Task RotateAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var settings = options.Value;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@Lock)", new { Lock = KeyCreationLock }, transaction);
        var rewrapped = WrapWithCurrentKeyEncryptionKey(connection, transaction);

        var schedule = (await connection.QueryAsync<DateTimeOffset>(
            "SELECT signs_from FROM token_keys WHERE purpose = 'signing' ORDER BY signs_from", transaction: transaction)).ToList();
        var current = schedule.LastOrDefault(signsFrom => signsFrom <= now);
        var hasNext = schedule.Any(signsFrom => signsFrom > now);
        if (schedule.Count == 0)
        {
            InsertSigningKey(connection, transaction, now);
        }
        else if (!hasNext && current + settings.SigningPeriod - settings.PublishedAhead <= now)
        {
            var periodEnds = current + settings.SigningPeriod;
            var earliest = now + settings.PublishedAhead;
            InsertSigningKey(connection, transaction, periodEnds > earliest ? periodEnds : earliest);
        }

        // A key is retired from the moment the next one signs, and from then on only its signatures are checked: its
        // private part is erased (the public part, recorded first, is what checking needs). Once its tokens have
        // expired (the access tokens after KeptAfterReplacement, the refresh tokens after KeptForRefreshTokens) the
        // row is deleted.
        RecordPublicParts(connection, transaction);
        await connection.ExecuteAsync(
            """
            UPDATE token_keys AS replaced SET retired_at = (
                SELECT min(next.signs_from) FROM token_keys AS next WHERE next.purpose = 'signing' AND next.signs_from > replaced.signs_from)
            WHERE replaced.purpose = 'signing' AND replaced.retired_at IS NULL
              AND EXISTS (SELECT 1 FROM token_keys AS next
                          WHERE next.purpose = 'signing' AND next.signs_from > replaced.signs_from AND next.signs_from <= @Now);
            UPDATE token_keys SET private_key = NULL, protected_private_key = NULL
            WHERE purpose = 'signing' AND retired_at <= @Now AND public_key IS NOT NULL
              AND (private_key IS NOT NULL OR protected_private_key IS NOT NULL);
            DELETE FROM token_keys WHERE purpose = 'signing' AND retired_at + @KeptAfter <= @Now;
            """,
            new { Now = now, KeptAfter = settings.KeptAfterReplacement > settings.KeptForRefreshTokens ? settings.KeptAfterReplacement : settings.KeptForRefreshTokens },
            transaction);
        await transaction.CommitAsync(cancellationToken);
        if (rewrapped > 0)
        {
            logger.LogInformation(
                "Wrapped {Count} token keys with the current key-encryption key {KeyEncryptionKeyId}; once every instance runs with it, " +
                "the previous key-encryption keys can be removed from {Setting}",
                rewrapped, protector.CurrentKeyId, TokenKeyProtector.PreviousKeysConfigurationKey);
        }

        lock (_lock)
        {
            _signingKeys = null;
        }
    }

    private List<ScheduledKey> Published(IReadOnlyList<ScheduledKey> keys, DateTimeOffset now)
    {
        var current = Current(keys, now);
        var published = new List<ScheduledKey> { current };
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            var replacedAt = i + 1 < keys.Count ? keys[i + 1].SignsFrom : (DateTimeOffset?)null;
            var upcoming = key.SignsFrom > now;
            var recentlyReplaced = replacedAt is { } at && at <= now && at + options.Value.KeptAfterReplacement > now;
            if (key != current && (upcoming || recentlyReplaced))
            {
                published.Add(key);
            }
        }

        return published;
    }

    // Only a key with its private part can sign: an instance whose clock lags behind the one that erased a replaced
    // key's private part signs with the next key rather than fail.
    private static ScheduledKey Current(IReadOnlyList<ScheduledKey> keys, DateTimeOffset now) =>
        keys.LastOrDefault(key => key.SignsFrom <= now && key.CanSign) ?? keys.FirstOrDefault(key => key.CanSign) ?? keys[0];

    private IReadOnlyList<ScheduledKey> SigningKeys()
    {
        var now = clock.GetUtcNow();
        if (_signingKeys is not null && now - _loadedAt < ReloadAfter && now >= _loadedAt)
        {
            return _signingKeys;
        }

        using var connection = database.OpenConnection();
        var stored = LoadSigningKeys(connection);
        if (stored.Count == 0)
        {
            // The first start on an empty database: nobody holds a token yet, so the first key signs at once.
            using var transaction = connection.BeginTransaction();
            connection.Execute("SELECT pg_advisory_xact_lock(@Lock)", new { Lock = KeyCreationLock }, transaction);
            if (connection.ExecuteScalar<int>("SELECT count(*) FROM token_keys WHERE purpose = 'signing'", transaction: transaction) == 0)
            {
                InsertSigningKey(connection, transaction, now);
            }

            transaction.Commit();
            stored = LoadSigningKeys(connection);
        }

        _signingKeys = stored;
        _loadedAt = now;
        return stored;
    }

    private List<ScheduledKey> LoadSigningKeys(NpgsqlConnection connection)
    {
        var rows = connection.Query<StoredKey>(
            """
            SELECT id AS Id, private_key AS PrivateKey, protected_private_key AS ProtectedPrivateKey, public_key AS PublicKey,
                   signs_from AS SignsFrom
            FROM token_keys WHERE purpose = 'signing' ORDER BY signs_from
            """);
        return [.. rows.Select(row => row.PrivateKey is null && row.ProtectedPrivateKey is null
            ? new ScheduledKey(PublicPart(row), row.SignsFrom, CanSign: false)
            : new ScheduledKey(Unprotect(connection, row), row.SignsFrom, CanSign: true))];
    }

    private RsaSecurityKey LoadOrCreateEncryptionKey()
    {
        using var connection = database.OpenConnection();
        const string active = """
            SELECT id AS Id, private_key AS PrivateKey, protected_private_key AS ProtectedPrivateKey, public_key AS PublicKey,
                   signs_from AS SignsFrom
            FROM token_keys WHERE purpose = 'encryption' AND retired_at IS NULL
            """;
        var existing = connection.QuerySingleOrDefault<StoredKey>(active);
        if (existing is null)
        {
            // Concurrent first starts: one insert wins, the other finds that key below.
            var id = $"{Encryption}-{Guid.NewGuid():N}";
            using var rsa = RSA.Create(2048);
            connection.Execute(
                """
                INSERT INTO token_keys (id, purpose, protected_private_key, signs_from) VALUES (@Id, 'encryption', @Protected, @Now)
                ON CONFLICT DO NOTHING
                """,
                new { Id = id, Protected = protector.Protect(id, rsa.ExportPkcs8PrivateKey()), Now = clock.GetUtcNow() });
        }

        return Unprotect(connection, existing ?? connection.QuerySingle<StoredKey>(active));
    }

    private void InsertSigningKey(NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset signsFrom)
    {
        var id = $"{Signing}-{Guid.NewGuid():N}";
        using var rsa = RSA.Create(2048);
        connection.Execute(
            """
            INSERT INTO token_keys (id, purpose, protected_private_key, public_key, created_at, signs_from)
            VALUES (@Id, 'signing', @Protected, @Public, @Now, @SignsFrom)
            """,
            new
            {
                Id = id,
                Protected = protector.Protect(id, rsa.ExportPkcs8PrivateKey()),
                Public = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()),
                Now = clock.GetUtcNow(),
                SignsFrom = signsFrom,
            },
            transaction);
    }

    /// <summary>
    /// Keys stored before they were encrypted at rest (migration 0020) are encrypted now, and their plain form erased;
    /// keys wrapped with a previous key-encryption key are wrapped again with the current one. Returns how many.
    /// </summary>
    private int WrapWithCurrentKeyEncryptionKey(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        var wrapped = 0;
        foreach (var key in connection.Query<(string Id, string? PrivateKey, string? ProtectedPrivateKey)>(
            "SELECT id, private_key, protected_private_key FROM token_keys WHERE private_key IS NOT NULL OR protected_private_key IS NOT NULL",
            transaction: transaction))
        {
            if (key.ProtectedPrivateKey is { } stored && protector.IsWrappedWithCurrentKey(stored))
            {
                continue;
            }

            var privateKey = key.ProtectedPrivateKey is { } protectedKey
                ? protector.Unprotect(key.Id, protectedKey)
                : Convert.FromBase64String(key.PrivateKey!);
            // Only the row as read is replaced: another instance that re-wrapped it meanwhile wins.
            wrapped += connection.Execute(
                """
                UPDATE token_keys SET protected_private_key = @Protected, private_key = NULL
                WHERE id = @Id AND private_key IS NOT DISTINCT FROM @PrivateKey AND protected_private_key IS NOT DISTINCT FROM @ProtectedPrivateKey
                """,
                new { key.Id, Protected = protector.Protect(key.Id, privateKey), key.PrivateKey, key.ProtectedPrivateKey },
                transaction);
            CryptographicOperations.ZeroMemory(privateKey);
        }

        return wrapped;
    }

    /// <summary>
    /// Signing keys stored before their public part was (migration 0025) get it from their private part, so that it is
    /// there when the private part is erased.
    /// </summary>
    private void RecordPublicParts(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        foreach (var key in connection.Query<StoredKey>(
            """
            SELECT id AS Id, private_key AS PrivateKey, protected_private_key AS ProtectedPrivateKey, public_key AS PublicKey,
                   signs_from AS SignsFrom
            FROM token_keys
            WHERE purpose = 'signing' AND public_key IS NULL AND (private_key IS NOT NULL OR protected_private_key IS NOT NULL)
            """,
            transaction: transaction))
        {
            using var rsa = Unprotect(connection, key).Rsa;
            connection.Execute(
                "UPDATE token_keys SET public_key = @Public WHERE id = @Id",
                new { key.Id, Public = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()) },
                transaction);
        }
    }

    private static RsaSecurityKey PublicPart(StoredKey key)
    {
        var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(key.PublicKey!), out _);
        return new RsaSecurityKey(rsa) { KeyId = key.Id };
    }

    private RsaSecurityKey Unprotect(NpgsqlConnection connection, StoredKey key)
    {
        byte[] privateKey;
        if (key.ProtectedPrivateKey is { } protectedKey)
        {
            privateKey = protector.Unprotect(key.Id, protectedKey);
        }
        else
        {
            privateKey = Convert.FromBase64String(key.PrivateKey!);
            WrapWithCurrentKeyEncryptionKey(connection, transaction: null);
        }

        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(privateKey, out _);
        CryptographicOperations.ZeroMemory(privateKey);
        return new RsaSecurityKey(rsa) { KeyId = key.Id };
    }

    private sealed record StoredKey(string Id, string? PrivateKey, string? ProtectedPrivateKey, string? PublicKey, DateTimeOffset SignsFrom);

    private sealed record ScheduledKey(RsaSecurityKey Key, DateTimeOffset SignsFrom, bool CanSign);
}

/// <summary>Rotates the signing keys on the periodic-job base (<see cref="TokenKeys.RotateAsync"/>).</summary>
public sealed class TokenKeyRotation(TokenKeys keys, IOptions<TokenKeyOptions> options, TimeProvider clock, ILogger<TokenKeyRotation> logger)
    : Participatie.BuildingBlocks.Hosting.PeriodicJob(options.Value.CheckEvery, clock, logger)
{
    protected override Task RunOnceAsync(CancellationToken cancellationToken) => keys.RotateAsync(cancellationToken);
}
