using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Participatie.BuildingBlocks.Hosting;
using Participatie.BuildingBlocks.Time;

namespace Participatie.Notifications.Delivery.Letters;

/// <summary>
/// Cuts the day's print batches once the time of day in Amsterdam has passed <see cref="LetterOptions.DailyBatchAt"/>
/// (16:00 by default). Each instance looks every <see cref="LetterOptions.CheckInterval"/>; the first to record the
/// date in <c>letter_batch_days</c> cuts, the others find it recorded. An instance that starts after the hour cuts that
/// day's batch at once. With <see cref="LetterOptions.CutEvery"/> set (local runs) it cuts at that interval instead.
/// </summary>
public sealed class DailyLetterBatchJob(
    IServiceScopeFactory scopes,
    NpgsqlDataSource database,
    IOptions<LetterOptions> options,
    TimeProvider clock,
    ILogger<DailyLetterBatchJob> logger)
    : PeriodicJob(options.Value.CutEvery ?? options.Value.CheckInterval, clock, logger)
{
    /// <summary>Whether the day's batch is due at this moment, given the last date one was cut.</summary>
    public static bool IsDue(DateTimeOffset now, TimeOnly dailyBatchAt, DateOnly? lastCut)
    {
        var amsterdam = AmsterdamClock.ToAmsterdam(now);
        var today = DateOnly.FromDateTime(amsterdam.DateTime);
        return TimeOnly.FromDateTime(amsterdam.DateTime) >= dailyBatchAt && lastCut != today;
    }

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (options.Value.CutEvery is not null)
        {
            await CutAsync(LetterBatcher.Scheduled, cancellationToken);
            return;
        }

        var now = Clock.GetUtcNow();
        var today = AmsterdamClock.Today(Clock);
        if (!IsDue(now, options.Value.DailyBatchAt, await LastCutAsync(cancellationToken)))
        {
            return;
        }

        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            var mine = await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO letter_batch_days (print_date, cut_at) VALUES (@Today, @Now) ON CONFLICT DO NOTHING",
                new { Today = today, Now = now },
                cancellationToken: cancellationToken)) == 1;
            if (!mine)
            {
                return;
            }
        }

        try
        {
            await CutAsync(LetterBatcher.Daily, cancellationToken);
        }
        catch
        {
            // Not cut after all: the next round (or instance) tries the day again.
            await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
            await connection.ExecuteAsync("DELETE FROM letter_batch_days WHERE print_date = @Today", new { Today = today });
            throw;
        }
    }

    private async Task CutAsync(string cutBy, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LetterBatcher>().CutAsync(null, cutBy, cancellationToken);
    }

    private async Task<DateOnly?> LastCutAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DateOnly?>(new CommandDefinition(
            "SELECT max(print_date) FROM letter_batch_days", cancellationToken: cancellationToken));
    }
}
