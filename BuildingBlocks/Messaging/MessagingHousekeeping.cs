using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Participatie.BuildingBlocks.Hosting;

namespace Participatie.BuildingBlocks.Messaging;

public sealed class InboxOptions
{
    /// <summary>
    /// How long a handled message id is remembered. It must outlast every way the same message can come again: the
    /// consumer's retries (minutes), an outbox row published but not yet marked (until its lease ends, or its
    /// service is back), and a message an operator moves back from an _error queue. Thirty days covers all three.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>
/// Deletes outbox rows some time after they were relayed (<c>Outbox:Retention</c>) and inbox rows once no
/// redelivery can come any more (<c>Inbox:Retention</c>), every <c>Messaging:HousekeepingInterval</c> (an hour by default).
/// Rows not yet relayed, and rows set aside for an error, are never deleted. Deletes go in small chunks, so that
/// no long transaction or lock builds up on a busy table.
/// </summary>
public sealed partial class MessagingHousekeeping(
    NpgsqlDataSource dataSource,
    IOptions<OutboxOptions> outboxOptions,
    IOptions<InboxOptions> inboxOptions,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<MessagingHousekeeping> logger)
    : PeriodicJob(PeriodFrom(configuration, "Messaging:HousekeepingInterval", TimeSpan.FromHours(1)), clock, logger)
{
    private const int ChunkSize = 5000;

    public sealed record Removed(long OutboxRows, long InboxRows);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken) => await CleanUpAsync(cancellationToken);

    /// <summary>One round of deletes; returns how many rows went.</summary>
    public async Task<Removed> CleanUpAsync(CancellationToken cancellationToken)
    {
        var inboxRetention = inboxOptions.Value.Retention;
        if (inboxRetention <= TimeSpan.Zero || outboxOptions.Value.Retention <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Outbox:Retention and Inbox:Retention must be positive time spans.");
        }

        var now = Clock.GetUtcNow();
        var outbox = await DeleteInChunksAsync(
            """
            DELETE FROM outbox_messages WHERE id IN (
                SELECT id FROM outbox_messages WHERE published_at < @Cutoff LIMIT @ChunkSize)
            """,
            now - outboxOptions.Value.Retention,
            cancellationToken);
        var inbox = await DeleteInChunksAsync(
            """
            DELETE FROM inbox_messages WHERE (message_id, consumer) IN (
                SELECT message_id, consumer FROM inbox_messages WHERE processed_at < @Cutoff LIMIT @ChunkSize)
            """,
            now - inboxRetention,
            cancellationToken);
        if (outbox + inbox > 0)
        {
            LogRemoved(Logger, outbox, inbox);
        }

        return new Removed(outbox, inbox);
    }

    private async Task<long> DeleteInChunksAsync(string sql, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        long total = 0;
        int deleted;
        do
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            deleted = await connection.ExecuteAsync(new CommandDefinition(
                sql, new { Cutoff = cutoff.UtcDateTime, ChunkSize }, cancellationToken: cancellationToken));
            total += deleted;
        }
        while (deleted == ChunkSize);
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Housekeeping deleted {OutboxRows} relayed outbox rows and {InboxRows} old inbox rows")]
    private static partial void LogRemoved(ILogger logger, long outboxRows, long inboxRows);
}
