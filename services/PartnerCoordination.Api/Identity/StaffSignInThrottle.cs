using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>
/// Slows down password guessing at the staff sign-in: per account and per client address, each failure beyond a few
/// free ones blocks the next try for twice as long as the last (up to 15 minutes). An unknown account is counted and
/// blocked exactly like a known one, so the answers tell nothing about which accounts exist.
/// </summary>
public sealed class StaffSignInThrottle(NpgsqlDataSource database, TimeProvider clock)
{
    public const int FreeFailuresPerAccount = 3;
    public const int FreeFailuresPerAddress = 10;
    public static readonly TimeSpan LongestBlock = TimeSpan.FromMinutes(15);

    // A quiet day forgives the failures before it.
    private static readonly TimeSpan Forgotten = TimeSpan.FromDays(1);

    /// <summary>How long the account or the address must still wait; null when a try is allowed now.</summary>
    public async Task<TimeSpan?> BlockedForAsync(string email, string address, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var until = await connection.ExecuteScalarAsync<DateTimeOffset?>(new CommandDefinition(
            "SELECT max(blocked_until) FROM staff_sign_in_throttle WHERE key = ANY(@Keys)",
            new { Keys = new[] { AccountKey(email), AddressKey(address) } }, cancellationToken: cancellationToken));
        var now = clock.GetUtcNow();
        return until > now ? until - now : null;
    }

    public async Task RecordFailureAsync(string email, string address, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var (key, free) in new[] { (AccountKey(email), FreeFailuresPerAccount), (AddressKey(address), FreeFailuresPerAddress) })
        {
            var failures = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                """
                INSERT INTO staff_sign_in_throttle AS t (key, failures, last_failed_at, blocked_until) VALUES (@Key, 1, @Now, @Now)
                ON CONFLICT (key) DO UPDATE
                SET failures = CASE WHEN t.last_failed_at < @ForgetBefore THEN 1 ELSE t.failures + 1 END, last_failed_at = @Now
                RETURNING failures
                """,
                new { Key = key, Now = now, ForgetBefore = now - Forgotten }, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE staff_sign_in_throttle SET blocked_until = @Until WHERE key = @Key",
                new { Key = key, Until = now + Block(failures, free) }, cancellationToken: cancellationToken));
        }
    }

    /// <summary>A successful sign-in clears the account's count; the address keeps its own (one good account must not wash it).</summary>
    public async Task RecordSuccessAsync(string email, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM staff_sign_in_throttle WHERE key = @Key", new { Key = AccountKey(email) }, cancellationToken: cancellationToken));
    }

    /// <summary>1, 2, 4, 8 ... seconds after the free failures, up to <see cref="LongestBlock"/>.</summary>
    public static TimeSpan Block(int failures, int freeFailures)
    {
        var beyond = failures - freeFailures;
        return beyond <= 0 ? TimeSpan.Zero
            : beyond >= 11 ? LongestBlock
            : TimeSpan.FromSeconds(Math.Min(Math.Pow(2, beyond - 1), LongestBlock.TotalSeconds));
    }

    // Hashed: the table need not keep every address someone typed, known or not.
    private static string AccountKey(string email) =>
        "account:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));

    private static string AddressKey(string address) => "address:" + address;
}
