using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Participatie.PartnerCoordination.Domain;

/// <summary>
/// The rules of a resident's sign-in without a password: how codes look, how long they hold, and when wrong tries lock.
/// </summary>
public static class ResidentSignInRules
{
    public const int MaximumWrongTries = 5;

    public static readonly TimeSpan CodeValidity = TimeSpan.FromMinutes(10);

    public static readonly TimeSpan LetterCodeValidity = TimeSpan.FromDays(30);

    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(15);

    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(15);

    /// <summary>Long enough for a visit to the portal, short because without a token store it cannot be revoked.</summary>
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromHours(8);

    /// <summary>Six digits, cryptographically random, zeros kept ("004711").</summary>
    public static string NewCode() =>
        RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>
    /// The stored form of an e-mail or SMS code. Its challenge id goes into the hash, so a code is worth nothing for
    /// another challenge; six digits are few, which is why a code holds ten minutes and five wrong tries lock.
    /// </summary>
    public static string HashCode(Guid challengeId, string code) =>
        Hash($"code:{challengeId:N}:{code.Trim()}");

    /// <summary>Whether what was typed can be a code at all (six digits, spaces allowed).</summary>
    public static bool LooksLikeCode(string? code) =>
        code is not null && code.Trim().Length == 6 && code.Trim().All(char.IsAsciiDigit);

    /// <summary>
    /// The stored form of a letter code. Letter codes are random and long (60 bits), so a plain hash cannot be turned
    /// back; the home they were made for is checked beside it.
    /// </summary>
    public static string HashLetterCode(string code) => Hash($"letter:{LetterCodes.Normalise(code)}");

    /// <summary>
    /// What a wrong try does: the count goes up, and the fifth locks the subject for a while. Tries further back than
    /// the lock's duration no longer count, so a few typos spread over months lock nobody.
    /// </summary>
    public static (int FailedAttempts, DateTimeOffset? LockedUntil) AfterWrongTry(int failedAttempts, DateTimeOffset? lastFailedAt, DateTimeOffset now)
    {
        var counted = lastFailedAt is { } last && now - last < LockDuration ? failedAttempts : 0;
        return counted + 1 >= MaximumWrongTries ? (0, now + LockDuration) : (counted + 1, null);
    }

    /// <summary>Seconds until the lock ends, rounded up, as Retry-After wants them.</summary>
    public static int RetryAfterSeconds(DateTimeOffset lockedUntil, DateTimeOffset now) =>
        Math.Max(1, (int)Math.Ceiling((lockedUntil - now).TotalSeconds));

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}

/// <summary>
/// The personal sign-in code printed on a letter to a resident's home: twelve characters in groups of four, from an
/// alphabet without look-alikes (no 0/O, no 1/I), like the voting codes of a draagvlakmeting.
/// </summary>
public static class LetterCodes
{
    public const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    public const int Length = 12;
    private const int GroupLength = 4;

    /// <summary>A new code, for example "K7QM-3XRD-9HTW".</summary>
    public static string New()
    {
        var characters = RandomNumberGenerator.GetItems<char>(Alphabet, Length);
        return string.Join('-', characters.Chunk(GroupLength).Select(group => new string(group)));
    }

    /// <summary>The code as typed, without spaces or dashes and in capitals.</summary>
    public static string Normalise(string code) =>
        string.Concat(code.Where(character => character is not (' ' or '-'))).ToUpperInvariant();
}
