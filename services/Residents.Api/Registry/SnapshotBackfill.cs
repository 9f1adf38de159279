using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Hosting;

namespace Participatie.Residents.Registry;

/// <summary>
/// Residents registered before snapshots existed (version 0) get their first snapshot and sign-in keys, so that they
/// can sign in and the other services learn their birth year: at start, and hourly in case a start was interrupted.
/// Sign-in keys need the platform secret, so this cannot be done in a migration script.
/// </summary>
public sealed class SnapshotBackfill(
    UnitOfWorkFactory unitOfWork, ResidentSnapshots snapshots, IConfiguration configuration, TimeProvider clock, ILogger<SnapshotBackfill> logger)
    : PeriodicJob(PeriodFrom(configuration, "Residents:SnapshotBackfillInterval", TimeSpan.FromHours(1)), clock, logger)
{
    private const int BatchSize = 1000;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken) => await BackfillAsync(cancellationToken);

    /// <summary>Publishes a first snapshot for every resident without one, a batch per transaction; returns how many.</summary>
    public async Task<int> BackfillAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var work = await unitOfWork.BeginAsync(cancellationToken);
            var ids = (await work.Connection.QueryAsync<Guid>(new CommandDefinition(
                "SELECT id FROM residents WHERE profile_version = 0 ORDER BY id LIMIT @BatchSize FOR UPDATE SKIP LOCKED",
                new { BatchSize }, work.Transaction, cancellationToken: cancellationToken))).AsList();
            if (ids.Count == 0)
            {
                return total;
            }

            await snapshots.PublishAsync(work, ids, Clock.GetUtcNow(), cancellationToken);
            await work.CommitAsync(cancellationToken);
            total += ids.Count;
        }
    }
}
