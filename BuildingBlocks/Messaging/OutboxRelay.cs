using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Participatie.BuildingBlocks.Messaging;

public sealed class OutboxOptions
{
    /// <summary>How often the relay looks for events when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one publish may wait for the broker before the relay tries again later.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a claimed batch stays with the instance that claimed it. An instance that dies mid-batch holds its
    /// rows this long; then another instance publishes them again (the consumers' inbox drops the repeats).
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    public int BatchSize { get; set; } = 100;

    /// <summary>How long a relayed row is kept (for looking back at what was sent) before housekeeping deletes it.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// Publishes committed outbox messages to RabbitMQ, oldest first (a batch's publishes started in order and confirmed
/// together), and marks them published. A batch is claimed with a
/// lease in one short transaction, published outside any transaction, and marked in another, so the database never
/// waits on the broker. A message whose publish fails stays in the outbox and is tried again, before any later one,
/// so an event outlives a broker that is down; a row that cannot be read back is set aside with its error.
/// The outbox id becomes the MassTransit message id, which the consumers' inbox uses to drop duplicates.
/// </summary>
public sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IServiceScopeFactory scopeFactory,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    IMeterFactory meterFactory,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private static readonly string MeterName = "Participatie.Outbox";

    /// <summary>How many publishes of a batch may wait for the broker's confirmation at once.</summary>
    private const int MaximumInFlight = 16;

    private readonly Counter<long> _published = meterFactory.Create(MeterName)
        .CreateCounter<long>("participatie.outbox.published", description: "Outbox messages relayed to the broker");

    private readonly Counter<long> _setAside = meterFactory.Create(MeterName)
        .CreateCounter<long>("participatie.outbox.set_aside", description: "Outbox messages that could not be read back and were set aside");

    // Identifies this instance's leases; a restarted instance is a new relay and waits for the old lease to end.
    private readonly Guid _relayId = Guid.NewGuid();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RelayBatchAsync(stoppingToken) == options.Value.BatchSize)
                {
                    // A full batch: there may be more waiting.
                }

                failures = 0;
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The broker or the database is away: back off, keep the messages, try again.
                failures++;
                LogRelayFailed(exception, failures);
                var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(failures, 5))));
                await Task.Delay(delay, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Relays one claimed batch; returns how many rows it claimed (published or set aside).</summary>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var claimed = await OutboxStore.ClaimAsync(dataSource, _relayId, settings.BatchSize, settings.LeaseDuration, cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }

        // Stop publishing while a publish can still finish inside the lease, measured from before the claim.
        var publishUntil = clock.GetUtcNow() + settings.LeaseDuration - settings.PublishTimeout;
        var published = new List<Guid>(claimed.Count);
        var setAside = new List<(Guid Id, string Error)>();
        (Guid Id, string Error)? failed = null;
        Exception? failure = null;
        using (var scope = scopeFactory.CreateScope())
        {
            var publishEndpoint = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            // A batch's publishes are started in order and their confirmations awaited together: one publish at a time,
            // each waiting for the broker, relayed ~440 messages/s on two busy cores and let receipts fall 20 s behind.
            // The first publish of each message type goes alone, so that its send endpoint exists: a publish that must
            // still create it can be overtaken by later ones (the in-order tests of the relay caught that).
            var inFlight = new Queue<(Guid Id, Task Publish)>();
            var endpointsReady = new HashSet<string>(StringComparer.Ordinal);
            var stopped = false;

            // Awaits the oldest publish still in flight and records its outcome; after a failure only observes the rest.
            async Task SettleOldestAsync()
            {
                var (id, publish) = inFlight.Dequeue();
                if (stopped)
                {
                    // Not marked: it goes out again after the failed one, and the consumers' inbox drops the repeat.
                    await publish.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    return;
                }

                try
                {
                    await publish;
                    published.Add(id);
                }
                catch (Exception exception)
                {
                    // Keep the order: this one and every later one are tried again, this one first. Whatever the
                    // failure, the batch is completed below, which gives the lease on what did not go out back: a
                    // stopping instance whose bus failed a publish (not a cancellation) once kept it, and every
                    // other instance waited the whole lease (60 s) before relaying anything (CI, test fixtures).
                    stopped = true;
                    if (!cancellationToken.IsCancellationRequested)
                    {
                        failed = (id, exception.Message);
                        failure = exception;
                    }
                }
            }

            foreach (var row in claimed)
            {
                if (stopped || cancellationToken.IsCancellationRequested || clock.GetUtcNow() > publishUntil)
                {
                    break;
                }

                var read = OutboxMessageReader.Read(row.Id, row.MessageType, row.Payload);
                if (!read.IsReadable)
                {
                    LogSetAside(row.Id, read.Error!);
                    setAside.Add((row.Id, read.Error!));
                    continue;
                }

                var firstOfItsType = endpointsReady.Add(row.MessageType);
                inFlight.Enqueue((row.Id, PublishAsync(publishEndpoint, row.Id, read, cancellationToken)));
                if (firstOfItsType)
                {
                    // Settled alone, so that its send endpoint exists before later publishes of its type start.
                    while (inFlight.Count > 0)
                    {
                        await SettleOldestAsync();
                    }
                }
                else if (inFlight.Count > MaximumInFlight)
                {
                    // A window, not the whole batch: no publish waits behind so many others that its timeout runs out.
                    await SettleOldestAsync();
                }
            }

            while (inFlight.Count > 0)
            {
                await SettleOldestAsync();
            }
        }

        // Recorded even when stopping: what went out must not go out again without need.
        await OutboxStore.CompleteAsync(
            dataSource, _relayId, new OutboxStore.BatchOutcome([.. claimed.Select(row => row.Id)], published, setAside, failed), CancellationToken.None);
        _published.Add(published.Count);
        _setAside.Add(setAside.Count);

        if (failure is not null)
        {
            throw new OutboxRelayException("Publishing an outbox message failed; it stays in the outbox.", failure);
        }

        return published.Count + setAside.Count;
    }

    private async Task PublishAsync(IPublishEndpoint publishEndpoint, Guid id, OutboxMessageReader.Result read, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.PublishTimeout);
        await publishEndpoint.Publish(read.Message!, read.MessageType!, context => context.MessageId = id, timeout.Token);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay failed ({Failures} in a row); messages stay in the outbox")]
    private partial void LogRelayFailed(Exception exception, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {Id} set aside: {Error}")]
    private partial void LogSetAside(Guid id, string error);
}

public sealed class OutboxRelayException(string message, Exception innerException) : Exception(message, innerException);
