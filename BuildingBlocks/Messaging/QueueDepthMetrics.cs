using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Participatie.BuildingBlocks.Messaging;

public sealed class QueueDepthOptions
{
    /// <summary>How often the depths are read: often enough for a dashboard, rarely enough to cost the broker nothing.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The service's name, set by <see cref="MessagingExtensions.AddMessaging"/>: names the connection on the broker.</summary>
    public string ServiceName { get; set; } = "participatie";
}

/// <summary>
/// The depth of each of the service's queues and of the <c>_error</c> and <c>_skipped</c> queues beside them, as the
/// observable gauge <c>participatie.messaging.queue.messages</c> (tags <c>queue</c>, <c>kind</c>: input, error,
/// skipped) on the meter <see cref="MeterName"/>, which the service defaults export to the dashboard. A message in an
/// error queue waits for an operator (docs/architecture.md says what to do); this makes it visible.
/// </summary>
/// <remarks>
/// The depths come from passive queue declarations over one AMQP connection as the service's own broker user: they need
/// no permission and no management API credentials, and only the service's own queues are asked about. The queues are
/// the ones MassTransit reports ready (<see cref="ReceiveEndpointQueues"/>). A queue that does not exist (no message has
/// ever failed there) counts 0.
/// </remarks>
internal sealed partial class QueueDepthMetrics : BackgroundService
{
    public const string MeterName = "Participatie.Messaging";
    public const string InstrumentName = "participatie.messaging.queue.messages";

    private static readonly (string Suffix, string Kind)[] Kinds = [(string.Empty, "input"), ("_error", "error"), ("_skipped", "skipped")];

    private readonly ReceiveEndpointQueues _queues;
    private readonly IConfiguration _configuration;
    private readonly IOptions<QueueDepthOptions> _options;
    private readonly ILogger<QueueDepthMetrics> _logger;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<(string Queue, string Kind), long> _depths = new();
    private IConnection? _connection;

    public QueueDepthMetrics(
        ReceiveEndpointQueues queues,
        IConfiguration configuration,
        IOptions<QueueDepthOptions> options,
        ILogger<QueueDepthMetrics> logger,
        TimeProvider clock,
        IMeterFactory meters)
    {
        _queues = queues;
        _configuration = configuration;
        _options = options;
        _logger = logger;
        _clock = clock;
        meters.Create(MeterName).CreateObservableGauge(
            InstrumentName,
            Observe,
            unit: "{message}",
            description: "Messages waiting in a queue of the service: its input queues and their error and skipped queues.");
    }

    /// <summary>Reads every depth once now; the hosted loop does this every <see cref="QueueDepthOptions.PollInterval"/>.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        try
        {
            _connection ??= await ConnectAsync(cancellationToken);
            foreach (var queue in _queues.Names)
            {
                foreach (var (suffix, kind) in Kinds)
                {
                    _depths[(queue, kind)] = await CountAsync(_connection, queue + suffix, cancellationToken);
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // No figure is better than an old one shown as current: the gauges are empty until the broker answers
            // again. A metric must never stop the service, so whatever went wrong is only logged.
            LogUnavailable(_logger, exception.Message);
            _depths.Clear();
            await DisconnectAsync();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Value.PollInterval, _clock);
        do
        {
            await PollAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await DisconnectAsync();
    }

    private IEnumerable<Measurement<long>> Observe() =>
        _depths.Select(depth => new Measurement<long>(
            depth.Value, new KeyValuePair<string, object?>("queue", depth.Key.Queue), new KeyValuePair<string, object?>("kind", depth.Key.Kind)));

    private static async Task<long> CountAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        // A passive declaration of a missing queue closes its channel, so each queue is asked on a channel of its own.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            var declared = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            return declared.MessageCount;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return 0;
        }
    }

    private async Task<IConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var broker = BrokerAddress.Parse(_configuration.GetConnectionString(MessagingExtensions.BrokerConnectionName)
            ?? throw new InvalidOperationException($"Connection string '{MessagingExtensions.BrokerConnectionName}' is missing."));
        var factory = new ConnectionFactory
        {
            HostName = broker.Host,
            Port = broker.Port,
            VirtualHost = broker.VirtualHost,
            UserName = broker.Username,
            Password = broker.Password,
            // The poll reconnects itself; a recovering connection would only hide that the broker was gone.
            AutomaticRecoveryEnabled = false,
            ClientProvidedName = $"{_options.Value.ServiceName}-queue-depth",
        };
        return await factory.CreateConnectionAsync(cancellationToken);
    }

    private async Task DisconnectAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            try
            {
                await connection.CloseAsync();
            }
            catch (Exception exception) when (exception is AlreadyClosedException or OperationInterruptedException or IOException)
            {
                // Already gone with the broker.
            }

            connection.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue depths unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}

/// <summary>The names of the service's receive queues, as MassTransit reports each endpoint ready.</summary>
internal sealed class ReceiveEndpointQueues : IReceiveEndpointObserver
{
    private readonly ConcurrentDictionary<string, bool> _names = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => [.. _names.Keys.Order(StringComparer.Ordinal)];

    public Task Ready(ReceiveEndpointReady ready)
    {
        var queue = ready.InputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        // The bus's own temporary queue (responses) is not one an operator looks after.
        if (queue is not null && !ready.InputAddress.Query.Contains("temporary=true", StringComparison.OrdinalIgnoreCase)
            && !queue.Contains("-bus-", StringComparison.Ordinal))
        {
            _names.TryAdd(queue, true);
        }

        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;
}
