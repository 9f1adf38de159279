using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Hosting;
using Participatie.Contracts;

namespace Participatie.Consultations.DataRights;

/// <summary>
/// Tells the residents service, once an hour (<c>DataRights:ActivityReportInterval</c>), which residents acted
/// themselves since the last report: their reactions, questionnaire and poll answers and meeting registrations keep
/// them from being anonymised as inactive. One batched event an hour instead of a message per reaction keeps the
/// evening a consultation closes cheap. Actions are reported up to a few minutes ago, so that a transaction still
/// committing with an earlier time is not skipped.
/// </summary>
public sealed class ResidentActivityReport(
    UnitOfWorkFactory unitOfWork, IConfiguration configuration, TimeProvider clock, ILogger<ResidentActivityReport> logger)
    : PeriodicJob(PeriodFrom(configuration, "DataRights:ActivityReportInterval", TimeSpan.FromHours(1)), clock, logger)
{
    /// <summary>Longer than any transaction that writes one of these rows takes to commit.</summary>
    public static readonly TimeSpan CommitMargin = TimeSpan.FromMinutes(5);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => ReportAsync(cancellationToken);

    /// <summary>One report: the residents active since the last one, in batches, and the mark moved; in one transaction.</summary>
    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        // Locked: a second instance waits, then sees the moved mark and reports only what is new.
        var reportedUntil = await work.Connection.ExecuteScalarAsync<DateTimeOffset>(new CommandDefinition(
            "SELECT reported_until FROM resident_activity_report FOR UPDATE", transaction: work.Transaction, cancellationToken: cancellationToken));
        var until = Clock.GetUtcNow() - CommitMargin;
        if (until <= reportedUntil)
        {
            return;
        }

        var residentIds = (await work.Connection.QueryAsync<Guid>(new CommandDefinition(
            """
            SELECT resident_id FROM reactions WHERE resident_id IS NOT NULL AND submitted_at > @Since AND submitted_at <= @Until
            UNION
            SELECT resident_id FROM questionnaire_responses WHERE resident_id IS NOT NULL AND submitted_at > @Since AND submitted_at <= @Until
            UNION
            SELECT resident_id FROM meeting_registrations WHERE resident_id IS NOT NULL AND registered_at > @Since AND registered_at <= @Until
            """,
            new { Since = reportedUntil, Until = until }, work.Transaction, cancellationToken: cancellationToken))).AsList();
        foreach (var batch in residentIds.Chunk(ResidentsWereActive.MaxResidents))
        {
            await work.PublishAsync(new ResidentsWereActive(Guid.CreateVersion7(), batch, until), cancellationToken);
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE resident_activity_report SET reported_until = @Until", new { Until = until }, work.Transaction, cancellationToken: cancellationToken));
        await work.CommitAsync(cancellationToken);
    }
}
