using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Hosting;
using Participatie.Residents.AccessLog;

namespace Participatie.Residents.DataRights;

/// <summary>
/// Retention (AVG art. 5(1)(e)): once a day, residents with no activity for <c>Retention:InactiveFor</c> (two years by
/// default) are anonymised by the same erasure a resident can ask for, recorded as by "retention". Activity is the
/// registration, a change of their data and their own reactions (<c>last_activity_at</c>). The trajectories of their
/// buurt are not looked at: no service records that a trajectory ended (its phases end in aftercare, with no end), so
/// the last activity alone decides. Exports older than <c>Retention:ExportsFor</c> (30 days) are deleted too, with
/// their copies of the data. One instance at a time: the round holds an advisory lock.
/// </summary>
public sealed partial class RetentionJob(
    UnitOfWorkFactory unitOfWork, IConfiguration configuration, TimeProvider clock, ILogger<RetentionJob> logger)
    : PeriodicJob(PeriodFrom(configuration, "Retention:Interval", TimeSpan.FromDays(1)), clock, logger)
{
    private const int BatchSize = 100;
    private static readonly AccessLogCaller Caller = new("retention job", null, null);

    /// <summary>How long a resident may be inactive before they are anonymised.</summary>
    public TimeSpan InactiveFor { get; } = PeriodFrom(configuration, "Retention:InactiveFor", TimeSpan.FromDays(730));

    public TimeSpan ExportsFor { get; } = PeriodFrom(configuration, "Retention:ExportsFor", TimeSpan.FromDays(30));

    protected override async Task RunOnceAsync(CancellationToken cancellationToken) => await AnonymiseInactiveAsync(cancellationToken);

    /// <summary>One round: anonymises every resident inactive for too long; returns how many (0 when another instance runs).</summary>
    public async Task<int> AnonymiseInactiveAsync(CancellationToken cancellationToken)
    {
        var anonymised = 0;
        // In batches, each in its own transaction, so that a large first run neither holds locks long nor fails whole.
        while (true)
        {
            var now = Clock.GetUtcNow();
            await using var work = await unitOfWork.BeginAsync(cancellationToken);
            if (!await work.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT pg_try_advisory_xact_lock(hashtext('retention'))", transaction: work.Transaction, cancellationToken: cancellationToken)))
            {
                return anonymised;
            }

            if (anonymised == 0)
            {
                await ExportStore.DeleteOlderThanAsync(work, now - ExportsFor, cancellationToken);
            }

            // Locked and skipped when busy, as a request's erasure would lock it: the next round takes it.
            var inactive = (await work.Connection.QueryAsync<Guid>(new CommandDefinition(
                """
                SELECT id FROM residents WHERE last_activity_at < @Cutoff
                ORDER BY last_activity_at LIMIT @BatchSize FOR UPDATE SKIP LOCKED
                """,
                new { Cutoff = now - InactiveFor, BatchSize }, work.Transaction, cancellationToken: cancellationToken))).AsList();
            foreach (var residentId in inactive)
            {
                await ErasureStore.EraseAsync(work, residentId, Requesters.Retention, null, now, cancellationToken);
                await AccessLogStore.LogAsync(work, residentId, Caller, "erased", $"retention: no activity for {InactiveFor.TotalDays:0} days", cancellationToken);
            }

            await work.CommitAsync(cancellationToken);
            anonymised += inactive.Count;
            if (inactive.Count < BatchSize)
            {
                if (anonymised > 0)
                {
                    LogAnonymised(Logger, anonymised, InactiveFor);
                }

                return anonymised;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention anonymised {Count} residents inactive for longer than {InactiveFor}")]
    private static partial void LogAnonymised(ILogger logger, int count, TimeSpan inactiveFor);
}
