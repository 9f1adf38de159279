using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Hosting;

namespace Participatie.Residents.Bulk;

/// <summary>
/// Forgets Idempotency-Keys of bulk registrations after <c>Bulk:IdempotencyKeyRetention</c> (30 days by default):
/// long after any client retries a request, and short enough that the stored answers do not pile up.
/// </summary>
public sealed class IdempotencyKeyCleanup(
    NpgsqlDataSource dataSource, IConfiguration configuration, TimeProvider clock, ILogger<IdempotencyKeyCleanup> logger)
    : PeriodicJob(PeriodFrom(configuration, "Bulk:IdempotencyKeyCleanupInterval", TimeSpan.FromHours(1)), clock, logger)
{
    private readonly TimeSpan _retention = PeriodFrom(configuration, "Bulk:IdempotencyKeyRetention", TimeSpan.FromDays(30));

    protected override async Task RunOnceAsync(CancellationToken cancellationToken) => await CleanUpAsync(cancellationToken);

    /// <summary>Deletes the keys past their retention; returns how many.</summary>
    public async Task<int> CleanUpAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM bulk_registrations WHERE received_at < @Cutoff",
            new { Cutoff = (Clock.GetUtcNow() - _retention).UtcDateTime }, cancellationToken: cancellationToken));
    }
}
