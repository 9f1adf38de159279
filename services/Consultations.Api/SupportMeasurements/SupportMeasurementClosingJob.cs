using Dapper;
using Microsoft.Extensions.Options;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Hosting;

namespace Participatie.Consultations.SupportMeasurements;

/// <summary>Closing measurements at their deadline without anyone reading the result (section <c>SupportMeasurements</c>).</summary>
public sealed class SupportMeasurementClosingOptions
{
    public const string Section = "SupportMeasurements";

    /// <summary>
    /// Off only where instances on different clocks share one database (the functional tests' fake clocks): there a
    /// job on one clock would close another clock's measurements before their time.
    /// </summary>
    public bool CloseOnDeadline { get; set; } = true;

    /// <summary>How often the job looks for measurements past their deadline; the notice goes out at most this late.</summary>
    public TimeSpan CloseCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Measurements closed per round; the rest wait for the next round.</summary>
    public int MaxPerRound { get; set; } = 100;
}

/// <summary>
/// Closes every measurement whose deadline has passed, so that the written notice of the result goes to the tenants
/// even when nobody reads the result or closes it. Each measurement is closed in a transaction of its own that takes its
/// row <c>FOR UPDATE SKIP LOCKED</c>: two instances close different measurements, and one that a vote, a read or the
/// other instance holds is left for the next round (closing is idempotent, the row's <c>closed_at</c> says it is done).
/// </summary>
public sealed partial class SupportMeasurementClosingJob(
    UnitOfWorkFactory unitOfWork,
    IOptions<SupportMeasurementClosingOptions> options,
    TimeProvider clock,
    ILogger<SupportMeasurementClosingJob> logger)
    : PeriodicJob(options.Value.CloseCheckInterval, clock, logger)
{
    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.CloseOnDeadline)
        {
            return;
        }

        for (var closed = 0; closed < options.Value.MaxPerRound; closed++)
        {
            var now = Clock.GetUtcNow();
            await using var work = await unitOfWork.BeginAsync(cancellationToken);
            var due = await work.Connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
                """
                SELECT id FROM support_measurements
                WHERE closed_at IS NULL AND deadline <= @Now
                ORDER BY deadline, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED
                """,
                new { Now = now },
                work.Transaction,
                cancellationToken: cancellationToken));
            if (due is not { } measurementId)
            {
                return;
            }

            await SupportMeasurementStore.FreezeIfDueAsync(work, measurementId, now, cancellationToken);
            await work.CommitAsync(cancellationToken);
            LogClosed(Logger, measurementId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Support measurement {MeasurementId} closed at its deadline; the notice goes out")]
    private static partial void LogClosed(ILogger logger, Guid measurementId);
}

public static class SupportMeasurementClosingExtensions
{
    public static IHostApplicationBuilder AddSupportMeasurementClosing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SupportMeasurementClosingOptions>().BindConfiguration(SupportMeasurementClosingOptions.Section)
            .Validate(closing => closing.CloseCheckInterval > TimeSpan.Zero && closing.MaxPerRound > 0,
                "SupportMeasurements: CloseCheckInterval and MaxPerRound must be positive.")
            .ValidateOnStart();
        builder.Services.AddHostedService<SupportMeasurementClosingJob>();
        return builder;
    }
}
