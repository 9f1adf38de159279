using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Npgsql;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.DataRights;
using Participatie.Contracts;

namespace Participatie.Consultations.Reactions;

/// <summary>A reaction ready to be written: the row, who entered it and its <c>ReactionSubmitted</c>.</summary>
public sealed record NewReaction(ReactionResponse Reaction, EntryAuthor Author, OutboxEntry Submitted);

/// <summary>What became of a reaction handed to <see cref="ReactionWriter"/>.</summary>
public enum ReactionWriteOutcome
{
    Written,

    /// <summary>The resident is outside the consultation's audience or not known here: nothing was written.</summary>
    NotInAudience,

    /// <summary>The resident asked for their data to be erased: the table's trigger refused the reaction.</summary>
    ResidentErased,
}

/// <summary>
/// Writes the reactions that come in at the same time together: each request hands its reaction over and waits for its
/// own outcome, and a writer takes whatever is waiting (up to <see cref="MaxBatch"/>) into one statement and one commit
/// (<see cref="ReactionStore.InsertManyForAudienceAsync"/>). Nothing waits for company: a lone reaction is written at
/// once, alone, and batches form only while an earlier write is still on its way, which is exactly when the database is
/// the queue. A request is answered only after its batch committed, so a 201 means what it meant before (issue 7:
/// PostgreSQL's share of a reaction was the largest part of its cost).
/// </summary>
public sealed partial class ReactionWriter : BackgroundService
{
    /// <summary>A batch's reactions travel as one event, which holds at most this many.</summary>
    private const int MaxBatch = ReactionsSubmitted.MaximumReactions;

    /// <summary>Writes in flight at once: while one batch commits, the next one is already being written.</summary>
    private const int Writers = 2;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly NpgsqlDataSource _database;
    private readonly OutboxSignal _outboxSignal;
    private readonly ILogger<ReactionWriter> _logger;
    private readonly Histogram<int> _batchSizes;

    public ReactionWriter(NpgsqlDataSource database, OutboxSignal outboxSignal, IMeterFactory meterFactory, ILogger<ReactionWriter> logger)
    {
        _database = database;
        _outboxSignal = outboxSignal;
        _logger = logger;
        _batchSizes = meterFactory.Create(OverdueReactionsMetric.MeterName).CreateHistogram<int>(
            "participatie.reactions.write_batch_size", unit: "{reaction}", description: "Reactions written by one statement");
    }

    /// <summary>Writes the reaction, with its history entry and event, when its resident belongs to the audience.</summary>
    public Task<ReactionWriteOutcome> WriteAsync(NewReaction reaction, CancellationToken cancellationToken)
    {
        var pending = new Pending(reaction, cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The consultations service is stopping; the reaction was not written.");
        }

        return pending.Outcome.Task;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // Not stopped by the token: on shutdown the queue is closed (StopAsync) and what is in it is still written.
        Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteUntilClosedAsync, CancellationToken.None)));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteUntilClosedAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                // A request that gave up before its turn is not written behind its back.
                if (pending.Cancellation.IsCancellationRequested)
                {
                    pending.Outcome.TrySetCanceled(pending.Cancellation);
                    continue;
                }

                batch.Add(pending);
            }

            if (batch.Count > 0)
            {
                await WriteBatchAsync(batch);
                batch.Clear();
            }
        }
    }

    /// <summary>Writes a batch and completes each reaction's outcome; a failure goes to every request of the batch.</summary>
    private async Task WriteBatchAsync(IReadOnlyList<Pending> batch)
    {
        try
        {
            var outcomes = await WriteAsync(batch.Select(pending => pending.Reaction).ToList());
            for (var index = 0; index < batch.Count; index++)
            {
                batch[index].Outcome.TrySetResult(outcomes[index]);
            }
        }
        catch (Exception exception)
        {
            LogBatchFailed(exception, batch.Count);
            foreach (var pending in batch)
            {
                pending.Outcome.TrySetException(exception);
            }
        }
    }

    /// <summary>The outcome of each reaction, in order: one statement for all of them, or one each when one was refused.</summary>
    private async Task<IReadOnlyList<ReactionWriteOutcome>> WriteAsync(IReadOnlyList<NewReaction> reactions)
    {
        await using var connection = await _database.OpenConnectionAsync();
        _batchSizes.Record(reactions.Count);
        try
        {
            var written = await ReactionStore.InsertManyForAudienceAsync(connection, reactions, CancellationToken.None);
            return [.. reactions.Select(row => written.Contains(row.Reaction.Id) ? ReactionWriteOutcome.Written : ReactionWriteOutcome.NotInAudience)];
        }
        catch (PostgresException exception) when (exception.SqlState == ErasedResidents.RefusedSqlState)
        {
            // The trigger refused the whole statement for an erased resident: each reaction again on its own, so that
            // only theirs is refused.
            var outcomes = new List<ReactionWriteOutcome>(reactions.Count);
            foreach (var reaction in reactions)
            {
                try
                {
                    var written = await ReactionStore.InsertManyForAudienceAsync(connection, [reaction], CancellationToken.None);
                    outcomes.Add(written.Count == 1 ? ReactionWriteOutcome.Written : ReactionWriteOutcome.NotInAudience);
                }
                catch (PostgresException refused) when (refused.SqlState == ErasedResidents.RefusedSqlState)
                {
                    outcomes.Add(ReactionWriteOutcome.ResidentErased);
                }
            }

            return outcomes;
        }
        finally
        {
            _outboxSignal.Notify();
        }
    }

    private sealed record Pending(NewReaction Reaction, CancellationToken Cancellation)
    {
        public TaskCompletionSource<ReactionWriteOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing a batch of {Count} reactions failed; each request gets the error")]
    private partial void LogBatchFailed(Exception exception, int count);
}
