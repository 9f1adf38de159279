using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Data;

namespace Participatie.PartnerCoordination.ResidentSignIn;

/// <summary>A resident the token server can recognise by one of their keys, with the home they live at.</summary>
public sealed record KnownResident(Guid ResidentId, string? PreferredLanguage, string? HomeKey);

/// <summary>What a wrong try or a lock check found for one subject (an e-mail or phone key, or a home for letter codes).</summary>
public sealed record SignInLock
{
    public static readonly SignInLock None = new();

    public int FailedAttempts { get; init; }

    public DateTimeOffset? LastFailedAt { get; init; }

    public DateTimeOffset? LockedUntil { get; init; }

    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;
}

/// <summary>A stored one-time code as redeeming needs it (never the code itself).</summary>
public sealed record StoredSignInCode
{
    public required Guid ChallengeId { get; init; }

    /// <summary>Null for a decoy: a challenge that was answered like any other but sent nothing.</summary>
    public Guid? ResidentId { get; init; }

    public required string Channel { get; init; }

    public required string CodeHash { get; init; }

    /// <summary>The lock that wrong tries on this challenge count against.</summary>
    public required string LockSubject { get; init; }

    public string? HomeKey { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? UsedAt { get; init; }
}

/// <summary>Kinds of entries in a resident's sign-in history.</summary>
public static class SignInEventKinds
{
    public const string CodeRequested = "code-requested";
    public const string RequestedWhileLocked = "requested-while-locked";
    public const string CodeUsed = "code-used";
    public const string WrongCode = "wrong-code";
    public const string Locked = "locked";
}

/// <summary>The SQL of resident sign-in, in one place. Every method runs in the caller's unit of work.</summary>
public static class ResidentSignInStore
{
    /// <summary>
    /// The lock of an e-mail address or phone number (by its key), the same whether or not anybody signs in with it,
    /// so that the lock cannot tell whether the address is known.
    /// </summary>
    public static string AddressSubject(string channel, string key) => $"{channel}:{key}";

    public static string HomeSubject(string homeKey) => $"home:{homeKey}";

    /// <summary>A challenge nobody matched is counted too, so that its answers look like a real one's (429 after five).</summary>
    public static string ChallengeSubject(Guid challengeId) => $"challenge:{challengeId:N}";

    /// <summary>
    /// As <see cref="ApplyKeysAsync"/> for many residents in one statement (a bulk registration): newer versions
    /// replace the keys, and codes that no longer fit their resident's keys go.
    /// </summary>
    public static Task ApplyManyKeysAsync(UnitOfWork work, IReadOnlyList<Contracts.ResidentSignInKeysChanged> keys, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            WITH applied AS (
                INSERT INTO resident_sign_in_keys (resident_id, version, email_key, phone_key, home_key, preferred_language, changed_at)
                SELECT * FROM unnest(@ResidentIds, @Versions, @EmailKeys, @PhoneKeys, @HomeKeys, @Languages, @ChangedAts)
                ON CONFLICT (resident_id) DO UPDATE
                SET version = EXCLUDED.version, email_key = EXCLUDED.email_key, phone_key = EXCLUDED.phone_key,
                    home_key = EXCLUDED.home_key, preferred_language = EXCLUDED.preferred_language, changed_at = EXCLUDED.changed_at
                WHERE resident_sign_in_keys.version < EXCLUDED.version AND resident_sign_in_keys.erased_at IS NULL
                RETURNING resident_id, email_key, phone_key, home_key)
            DELETE FROM resident_sign_in_codes c USING applied a
            WHERE c.resident_id = a.resident_id AND c.used_at IS NULL
              AND ((c.channel = 'email' AND a.email_key IS NULL) OR (c.channel = 'sms' AND a.phone_key IS NULL)
                   OR (c.channel = 'letter' AND c.home_key IS DISTINCT FROM a.home_key))
            """,
            new
            {
                ResidentIds = keys.Select(key => key.ResidentId).ToArray(),
                Versions = keys.Select(key => key.Version).ToArray(),
                EmailKeys = keys.Select(key => key.EmailKey).ToArray(),
                PhoneKeys = keys.Select(key => key.PhoneKey).ToArray(),
                HomeKeys = keys.Select(key => key.HomeKey).ToArray(),
                Languages = keys.Select(key => key.PreferredLanguage).ToArray(),
                ChangedAts = keys.Select(key => key.ChangedAt).ToArray(),
            },
            work.Transaction, cancellationToken: cancellationToken));

    /// <summary>Applies a newer version of the keys; an older or repeated one, or one for an erased resident, changes nothing.</summary>
    public static async Task<bool> ApplyKeysAsync(UnitOfWork work, Contracts.ResidentSignInKeysChanged keys, CancellationToken cancellationToken)
    {
        var applied = await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO resident_sign_in_keys (resident_id, version, email_key, phone_key, home_key, preferred_language, changed_at)
            VALUES (@ResidentId, @Version, @EmailKey, @PhoneKey, @HomeKey, @PreferredLanguage, @ChangedAt)
            ON CONFLICT (resident_id) DO UPDATE
            SET version = EXCLUDED.version, email_key = EXCLUDED.email_key, phone_key = EXCLUDED.phone_key,
                home_key = EXCLUDED.home_key, preferred_language = EXCLUDED.preferred_language, changed_at = EXCLUDED.changed_at
            WHERE resident_sign_in_keys.version < EXCLUDED.version AND resident_sign_in_keys.erased_at IS NULL
            """,
            keys, work.Transaction, cancellationToken: cancellationToken)) == 1;
        if (applied)
        {
            // A code sent to an address the resident no longer has, or to a home they left, must not open their account.
            await work.Connection.ExecuteAsync(new CommandDefinition(
                """
                DELETE FROM resident_sign_in_codes
                WHERE resident_id = @ResidentId AND used_at IS NULL
                  AND ((channel = 'email' AND @EmailKey IS NULL) OR (channel = 'sms' AND @PhoneKey IS NULL)
                       OR (channel = 'letter' AND home_key IS DISTINCT FROM @HomeKey))
                """,
                keys, work.Transaction, cancellationToken: cancellationToken));
        }

        return applied;
    }

    /// <summary>Everyone who signs in with this e-mail or phone key: residents of different homes may share one.</summary>
    public static async Task<IReadOnlyList<KnownResident>> FindByKeyAsync(UnitOfWork work, string channel, string key, CancellationToken cancellationToken) =>
        (await work.Connection.QueryAsync<KnownResident>(new CommandDefinition(
            $"""
            SELECT resident_id AS ResidentId, preferred_language AS PreferredLanguage, home_key AS HomeKey
            FROM resident_sign_in_keys
            WHERE {(channel == "email" ? "email_key" : "phone_key")} = @Key AND erased_at IS NULL
            ORDER BY resident_id
            """,
            new { Key = key }, work.Transaction, cancellationToken: cancellationToken))).AsList();

    public static async Task<IReadOnlyList<KnownResident>> FindByHomeAsync(UnitOfWork work, string homeKey, CancellationToken cancellationToken) =>
        (await work.Connection.QueryAsync<KnownResident>(new CommandDefinition(
            """
            SELECT resident_id AS ResidentId, preferred_language AS PreferredLanguage, home_key AS HomeKey
            FROM resident_sign_in_keys
            WHERE home_key = @HomeKey AND erased_at IS NULL
            ORDER BY resident_id
            """,
            new { HomeKey = homeKey }, work.Transaction, cancellationToken: cancellationToken))).AsList();

    /// <summary>Whether the resident can still sign in: known, not erased, with at least one key.</summary>
    public static Task<bool> CanSignInAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid residentId, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (
                SELECT 1 FROM resident_sign_in_keys
                WHERE resident_id = @ResidentId AND erased_at IS NULL
                  AND (email_key IS NOT NULL OR phone_key IS NOT NULL OR home_key IS NOT NULL))
            """,
            new { ResidentId = residentId }, transaction, cancellationToken: cancellationToken));

    /// <summary>Whether the resident still lives at this home (a letter code holds only there).</summary>
    public static Task<bool> LivesAtAsync(UnitOfWork work, Guid residentId, string homeKey, CancellationToken cancellationToken) =>
        work.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM resident_sign_in_keys WHERE resident_id = @ResidentId AND home_key = @HomeKey AND erased_at IS NULL)",
            new { ResidentId = residentId, HomeKey = homeKey }, work.Transaction, cancellationToken: cancellationToken));

    /// <summary>The subject's wrong tries and lock, read without holding it.</summary>
    public static async Task<SignInLock> ReadLockAsync(UnitOfWork work, string subject, CancellationToken cancellationToken) =>
        await work.Connection.QuerySingleOrDefaultAsync<SignInLock>(new CommandDefinition(
            "SELECT failed_attempts AS FailedAttempts, last_failed_at AS LastFailedAt, locked_until AS LockedUntil FROM resident_sign_in_locks WHERE subject = @Subject",
            new { Subject = subject }, work.Transaction, cancellationToken: cancellationToken))
        ?? SignInLock.None;

    /// <summary>
    /// The subject's wrong tries and lock, held until the unit of work ends, so that tries at the same moment are
    /// counted one after the other and none slips past the fifth.
    /// </summary>
    public static async Task<SignInLock> HoldLockAsync(UnitOfWork work, string subject, Guid? residentId, CancellationToken cancellationToken)
    {
        // The resident, once known, owns the lock for their export and erasure; a decoy's try does not take it away.
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO resident_sign_in_locks (subject, resident_id) VALUES (@Subject, @ResidentId)
            ON CONFLICT (subject) DO UPDATE SET resident_id = EXCLUDED.resident_id WHERE EXCLUDED.resident_id IS NOT NULL
            """,
            new { Subject = subject, ResidentId = residentId }, work.Transaction, cancellationToken: cancellationToken));
        return await work.Connection.QuerySingleAsync<SignInLock>(new CommandDefinition(
            """
            SELECT failed_attempts AS FailedAttempts, last_failed_at AS LastFailedAt, locked_until AS LockedUntil
            FROM resident_sign_in_locks WHERE subject = @Subject FOR UPDATE
            """,
            new { Subject = subject }, work.Transaction, cancellationToken: cancellationToken));
    }

    public static Task SetLockAsync(
        UnitOfWork work, string subject, int failedAttempts, DateTimeOffset? lastFailedAt, DateTimeOffset? lockedUntil, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE resident_sign_in_locks SET failed_attempts = @FailedAttempts, last_failed_at = @LastFailedAt, locked_until = @LockedUntil
            WHERE subject = @Subject
            """,
            new { Subject = subject, FailedAttempts = failedAttempts, LastFailedAt = lastFailedAt, LockedUntil = lockedUntil },
            work.Transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Forgets what no longer matters: codes a day past their expiry or use, and wrong tries and locks a day old.
    /// The sign-in history stays (the resident's export shows it) until the resident is erased.
    /// </summary>
    public static async Task<int> DeleteStaleAsync(NpgsqlConnection connection, DateTimeOffset before, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM resident_sign_in_codes WHERE expires_at < @Before OR used_at < @Before;
            DELETE FROM resident_sign_in_locks
            WHERE coalesce(locked_until, '-infinity') < @Before AND coalesce(last_failed_at, '-infinity') < @Before;
            """,
            new { Before = before }, cancellationToken: cancellationToken));

    /// <summary>Stores a challenge; without a resident it is a decoy that only counts wrong tries.</summary>
    public static Task InsertCodeAsync(
        UnitOfWork work, Guid challengeId, Guid? residentId, string channel, string codeHash, string? homeKey, string lockSubject,
        DateTimeOffset createdAt, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO resident_sign_in_codes (challenge_id, resident_id, channel, code_hash, home_key, lock_subject, created_at, expires_at)
            VALUES (@ChallengeId, @ResidentId, @Channel, @CodeHash, @HomeKey, @LockSubject, @CreatedAt, @ExpiresAt)
            """,
            new
            {
                ChallengeId = challengeId, ResidentId = residentId, Channel = channel, CodeHash = codeHash, HomeKey = homeKey,
                LockSubject = lockSubject, CreatedAt = createdAt, ExpiresAt = expiresAt,
            },
            work.Transaction, cancellationToken: cancellationToken));

    /// <summary>Whether a letter with a code that still holds went to the resident recently (letters cost money).</summary>
    public static Task<bool> HasRecentLetterCodeAsync(UnitOfWork work, Guid residentId, DateTimeOffset since, CancellationToken cancellationToken) =>
        work.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (SELECT 1 FROM resident_sign_in_codes
                           WHERE resident_id = @ResidentId AND channel = 'letter' AND used_at IS NULL AND created_at > @Since)
            """,
            new { ResidentId = residentId, Since = since }, work.Transaction, cancellationToken: cancellationToken));

    public static Task<StoredSignInCode?> FindChallengeAsync(UnitOfWork work, Guid challengeId, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleOrDefaultAsync<StoredSignInCode>(new CommandDefinition(
            """
            SELECT challenge_id AS ChallengeId, resident_id AS ResidentId, channel, code_hash AS CodeHash, home_key AS HomeKey,
                   lock_subject AS LockSubject, expires_at AS ExpiresAt, used_at AS UsedAt
            FROM resident_sign_in_codes WHERE challenge_id = @ChallengeId AND channel IN ('email', 'sms')
            """,
            new { ChallengeId = challengeId }, work.Transaction, cancellationToken: cancellationToken));

    public static Task<StoredSignInCode?> FindLetterCodeAsync(UnitOfWork work, string homeKey, string codeHash, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleOrDefaultAsync<StoredSignInCode>(new CommandDefinition(
            """
            SELECT challenge_id AS ChallengeId, resident_id AS ResidentId, channel, code_hash AS CodeHash, home_key AS HomeKey,
                   lock_subject AS LockSubject, expires_at AS ExpiresAt, used_at AS UsedAt
            FROM resident_sign_in_codes WHERE home_key = @HomeKey AND code_hash = @CodeHash AND channel = 'letter' AND resident_id IS NOT NULL
            """,
            new { HomeKey = homeKey, CodeHash = codeHash }, work.Transaction, cancellationToken: cancellationToken));

    /// <summary>Marks the code used; false when another request used it first (a code is good for one token).</summary>
    public static async Task<bool> UseCodeAsync(UnitOfWork work, Guid challengeId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE resident_sign_in_codes SET used_at = @Now WHERE challenge_id = @ChallengeId AND used_at IS NULL",
            new { ChallengeId = challengeId, Now = now }, work.Transaction, cancellationToken: cancellationToken)) == 1;

    public static Task LogAsync(UnitOfWork work, Guid residentId, string kind, string? channel, DateTimeOffset occurredAt, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO resident_sign_in_events (resident_id, kind, channel, occurred_at) VALUES (@ResidentId, @Kind, @Channel, @OccurredAt)",
            new { ResidentId = residentId, Kind = kind, Channel = channel, OccurredAt = occurredAt }, work.Transaction, cancellationToken: cancellationToken));
}
