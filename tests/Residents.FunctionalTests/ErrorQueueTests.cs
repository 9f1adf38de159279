using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.ErrorQueues;
using Participatie.Testing;
using RabbitMQ.Client;

namespace Participatie.Residents.FunctionalTests;

/// <summary>
/// What an operator sees and does when a message lands in an error queue, against a real broker: a consumer that
/// fails (its table is away) sends the message to <c>&lt;queue&gt;_error</c>, the queue-depth gauge shows it, and after
/// the fix the requeue tool (tools/ErrorQueues) moves it back, where the consumer handles it once.
/// </summary>
public sealed class ErrorQueueTests(PlatformContainers containers) : IAsyncLifetime
{
    public const string Queue = "outbox-test-consumer-recording-registration";
    private const string QueueDepthInstrument = "participatie.messaging.queue.messages";

    private readonly List<IAsyncDisposable> _disposables = [];
    private ConsumingService _consumer = null!;
    private ServiceFactory<EntryPoint> _residents = null!;
    private string _broker = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _broker = await BrokerVirtualHosts.CreateAsync(containers.RabbitMq, "error-queues");
        _consumer = await ConsumingService.StartAsync(
            await TestDatabases.CreateAsync(containers, "error_queues_consumer"),
            _broker,
            new Dictionary<string, string?>
            {
                // Fail fast into the error queue, and measure often, so that the test need not wait out the defaults.
                ["Messaging:Retry:FaultIntervals:0"] = "00:00:00.100",
                ["Messaging:QueueDepth:PollInterval"] = "00:00:00.500",
            });
        _disposables.Add(_consumer);
        _residents = new ServiceFactory<EntryPoint>(
            "residentsdb", await TestDatabases.CreateAsync(containers, "error_queues_residents"), _broker, containers.TokenServer);
        _disposables.Add(_residents);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_failed_message_shows_in_the_error_queue_gauge_and_after_the_fix_the_requeue_tool_has_it_handled_once()
    {
        using var depths = new QueueDepthReader(_consumer.Services.GetRequiredService<IMeterFactory>());
        Assert.Equal(0, await depths.WaitForAsync(Queue, "input", depth => depth == 0));
        var client = (await containers.TokenServer.RegisterPartnerAsync()).Authorize(_residents.CreateClient());
        await _residents.WaitUntilHealthyAsync(client);
        await using var consumerDatabase = new NpgsqlConnection(_consumer.ConnectionString);

        // The fault: the consumer's table is away, so every attempt fails and the message ends in the error queue.
        await consumerDatabase.ExecuteAsync("ALTER TABLE handled_registrations RENAME TO handled_registrations_away");
        var residentId = await RegisterAsync(client);
        Assert.Equal(1, await depths.WaitForAsync(Queue, "error", depth => depth == 1, TimeSpan.FromSeconds(60)));
        await using var connection = await new ConnectionFactory { Uri = new Uri(_broker) }.CreateConnectionAsync(Cancel);
        Assert.Equal(1u, await MessagesInAsync(connection, Queue + "_error"));

        // The fix, then the operator's move back.
        await consumerDatabase.ExecuteAsync("ALTER TABLE handled_registrations_away RENAME TO handled_registrations");
        var output = new StringWriter();
        var moved = await ErrorQueueMover.RequeueAsync(connection, Queue + "_error", output, Cancel);

        Assert.Equal(1, moved);
        Assert.Contains($"to {Queue}", output.ToString(), StringComparison.Ordinal);
        await Eventually.MatchesAsync(
            _consumer.HandledResidentIdsAsync,
            handled => handled.Contains(residentId),
            "the consumer to handle the requeued message");
        Assert.Equal(0, await depths.WaitForAsync(Queue, "error", depth => depth == 0));
        Assert.Equal(0u, await MessagesInAsync(connection, Queue + "_error"));
        // Handled once: a second run finds nothing to move, and the consumer recorded the resident a single time.
        Assert.Equal(0, await ErrorQueueMover.RequeueAsync(connection, Queue, TextWriter.Null, Cancel));
        await Task.Delay(TimeSpan.FromSeconds(1), Cancel);
        Assert.Single(await _consumer.HandledResidentIdsAsync(), id => id == residentId);
    }

    private static async Task<uint> MessagesInAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancel);
        return (await channel.QueueDeclarePassiveAsync(queue, Cancel)).MessageCount;
    }

    private static async Task<Guid> RegisterAsync(HttpClient client)
    {
        var created = await client.PostAsJsonAsync("/v1/residents", new
        {
            fullName = "Bewoner in de wacht",
            postcode = "3011 AA",
            houseNumber = 9,
            buurtCode = "BU91639997",
            preferredLanguage = "nl",
            preferredChannel = "letter",
        }, Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
    }

    /// <summary>Reads the queue-depth gauge of one host (its meter factory), as an exporter would.</summary>
    private sealed class QueueDepthReader : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<(string Queue, string Kind), long> _depths = new();

        public QueueDepthReader(IMeterFactory host)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                // Other tests' services in this process report the same queue names on their own brokers.
                if (ReferenceEquals(instrument.Meter.Scope, host) && instrument.Name == QueueDepthInstrument)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? queue = null, kind = null;
                foreach (var tag in tags)
                {
                    queue = tag.Key == "queue" ? tag.Value as string : queue;
                    kind = tag.Key == "kind" ? tag.Value as string : kind;
                }

                if (queue is not null && kind is not null)
                {
                    _depths[(queue, kind)] = value;
                }
            });
            _listener.Start();
        }

        public Task<long> WaitForAsync(string queue, string kind, Func<long, bool> isDone, TimeSpan? timeout = null) =>
            Eventually.MatchesAsync(
                () =>
                {
                    _depths.Clear();
                    _listener.RecordObservableInstruments();
                    return Task.FromResult(_depths.TryGetValue((queue, kind), out var depth) ? depth : -1);
                },
                isDone,
                $"the gauge {QueueDepthInstrument} to report a fitting depth of {queue} ({kind})",
                timeout);

        public void Dispose() => _listener.Dispose();
    }
}

/// <summary>What the requeue tool sends back: the message as it was before it failed.</summary>
public sealed class ErrorQueueMoverTests
{
    [Fact]
    public void The_requeued_copy_keeps_body_and_headers_but_not_the_fault_MassTransit_recorded()
    {
        var properties = new BasicProperties
        {
            MessageId = "7f3c2a9e-0000-0000-0000-000000000001",
            ContentType = "application/vnd.masstransit+json",
            Headers = new Dictionary<string, object?>
            {
                ["MT-Reason"] = "fault",
                ["MT-Fault-ExceptionType"] = "Npgsql.PostgresException",
                ["MT-Fault-Message"] = "relation \"handled_registrations\" does not exist",
                ["MT-Host-MachineName"] = "residents-1",
                ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            },
        };
        var message = new BasicGetResult(1, false, "", ErrorQueueTests.Queue + "_error", 0, properties, new byte[] { 1, 2, 3 });

        var copy = ErrorQueueMover.WithoutFault(message);

        Assert.Equal(properties.MessageId, copy.MessageId);
        Assert.Equal(properties.ContentType, copy.ContentType);
        Assert.Equal(["MT-Host-MachineName", "traceparent"], copy.Headers!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ErrorQueueTests.Queue, ErrorQueueMover.InputQueue(ErrorQueueTests.Queue + "_error"));
        Assert.Equal(ErrorQueueTests.Queue, ErrorQueueMover.InputQueue(ErrorQueueTests.Queue));
    }
}
