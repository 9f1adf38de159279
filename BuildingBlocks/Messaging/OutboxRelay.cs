using System.Diagnostics.Metrics;
using System.Text.Json;
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

    public int BatchSize { get; set; } = 100;
}

/// <summary>
/// Publishes committed outbox messages to RabbitMQ, oldest first, and marks them published. A message whose
/// publish fails stays in the outbox and is tried again, so an event outlives a broker that is down.
/// The outbox id becomes the MassTransit message id, which the consumers' inbox uses to drop duplicates.
/// </summary>
public sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IServiceScopeFactory scopeFactory,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    IMeterFactory meterFactory,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private readonly Counter<long> _published = meterFactory.Create("Participatie.Outbox")
        .CreateCounter<long>("participatie.outbox.published", description: "Outbox messages relayed to the broker");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int relayed;
                do
                {
                    relayed = await RelayBatchAsync(stoppingToken);
                }
                while (relayed == options.Value.BatchSize);

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
                await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Publishes one batch; returns how many messages were published.</summary>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var pending = await OutboxStore.LockPendingAsync(connection, transaction, options.Value.BatchSize, cancellationToken);
        if (pending.Count == 0)
        {
            return 0;
        }

        using var scope = scopeFactory.CreateScope();
        var publishEndpoint = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        var published = new List<Guid>(pending.Count);
        Exception? failure = null;
        foreach (var message in pending)
        {
            try
            {
                await PublishAsync(publishEndpoint, message, cancellationToken);
                published.Add(message.Id);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Keep the order: later messages wait for this one.
                await OutboxStore.MarkFailedAsync(connection, transaction, message.Id, exception.Message, cancellationToken);
                failure = exception;
                break;
            }
        }

        await OutboxStore.MarkPublishedAsync(connection, transaction, published, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _published.Add(published.Count);

        if (failure is not null)
        {
            throw new OutboxRelayException("Publishing an outbox message failed; it stays in the outbox.", failure);
        }

        return published.Count;
    }

    private async Task PublishAsync(IPublishEndpoint publishEndpoint, OutboxStore.PendingMessage message, CancellationToken cancellationToken)
    {
        var messageType = Type.GetType(message.MessageType, throwOnError: true)!;
        var body = JsonSerializer.Deserialize(message.Payload, messageType, OutboxStore.SerializerOptions)
            ?? throw new InvalidOperationException($"Outbox message {message.Id} has an empty payload.");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.PublishTimeout);
        await publishEndpoint.Publish(body, messageType, context => context.MessageId = message.Id, timeout.Token);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay failed ({Failures} in a row); messages stay in the outbox")]
    private partial void LogRelayFailed(Exception exception, int failures);
}

public sealed class OutboxRelayException(string message, Exception innerException) : Exception(message, innerException);
