using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.Testing;
using RabbitMQ.Client;
using Testcontainers.RabbitMq;

namespace Participatie.Residents.FunctionalTests;

/// <summary>
/// A resident registered while the broker is down is not lost: the event waits in the outbox and reaches the
/// broker once it is back. This test owns its broker (it stops it) and its database (no other service instance
/// may relay its outbox).
/// </summary>
public sealed class OutboxBrokerDownTests(PlatformContainers containers) : IAsyncLifetime
{
    private const string EventExchange = "Participatie.Contracts:ResidentRegistered";
    private const string ObserverQueue = "outbox-test-resident-registered";

    private readonly RabbitMqContainer _broker = PlatformContainers.CreateRabbitMq(fixedHostPort: true);
    private ServiceFactory<EntryPoint> _service = null!;
    private string _connectionString = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _broker.StartAsync(Cancel);
        _connectionString = await CreateDatabaseAsync("residents_outbox_test");
        _service = new ServiceFactory<EntryPoint>(
            "residentsdb", _connectionString, _broker.GetConnectionString(), containers.TokenServer);
    }

    public async ValueTask DisposeAsync()
    {
        await _service.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task An_event_committed_while_the_broker_is_down_is_delivered_when_it_returns()
    {
        await ObserveEventsAsync();
        var partner = await containers.TokenServer.RegisterPartnerAsync();
        var client = partner.Authorize(_service.CreateClient());
        await _service.WaitUntilHealthyAsync(client);

        await _broker.StopAsync(Cancel);

        var created = await client.PostAsJsonAsync("/v1/residents", ResidentsApiTests.NewResident("BU91639999"), Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var residentId = (await created.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetString()!;

        // The relay tried, failed, and kept the message.
        await using var database = new NpgsqlConnection(_connectionString);
        var pending = await Eventually.MatchesAsync(
            () => database.QuerySingleAsync<(int Attempts, DateTime? PublishedAt)>(
                "SELECT attempts, published_at FROM outbox_messages WHERE message_type LIKE 'Participatie.Contracts.ResidentRegistered%' AND payload->>'residentId' = @ResidentId",
                new { ResidentId = residentId }),
            row => row.Attempts >= 1,
            "the relay to try to publish while the broker is down");
        Assert.Null(pending.PublishedAt);

        await _broker.StartAsync(Cancel);

        var delivered = await Eventually.MatchesAsync(
            ReadObservedEventsAsync,
            bodies => bodies.Any(body => body.Contains(residentId, StringComparison.Ordinal)),
            "the event to reach the broker after it came back",
            TimeSpan.FromSeconds(90));
        Assert.Single(delivered, body => body.Contains(residentId, StringComparison.Ordinal));
        // The relay marks a message published once the broker confirmed it, a moment after a consumer may see it.
        await Eventually.MatchesAsync(
            () => database.ExecuteScalarAsync<DateTime?>(
                "SELECT published_at FROM outbox_messages WHERE message_type LIKE 'Participatie.Contracts.ResidentRegistered%' AND payload->>'residentId' = @ResidentId", new { ResidentId = residentId }),
            publishedAt => publishedAt is not null,
            "the relay to mark the event published");
    }

    /// <summary>A durable queue of our own on the event's exchange, declared before the broker goes down.</summary>
    private async Task ObserveEventsAsync()
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancel);
        await channel.ExchangeDeclareAsync(EventExchange, ExchangeType.Fanout, durable: true, cancellationToken: Cancel);
        await channel.QueueDeclareAsync(ObserverQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: Cancel);
        await channel.QueueBindAsync(ObserverQueue, EventExchange, string.Empty, cancellationToken: Cancel);
    }

    private readonly List<string> _observed = [];

    private async Task<IReadOnlyList<string>> ReadObservedEventsAsync()
    {
        try
        {
            await using var connection = await ConnectAsync();
            await using var channel = await connection.CreateChannelAsync(cancellationToken: Cancel);
            while (await channel.BasicGetAsync(ObserverQueue, autoAck: true, Cancel) is { } message)
            {
                _observed.Add(Encoding.UTF8.GetString(message.Body.Span));
            }
        }
        catch (Exception exception) when (exception is RabbitMQ.Client.Exceptions.BrokerUnreachableException or IOException)
        {
            // The broker is still starting; look again.
        }

        return _observed;
    }

    private Task<IConnection> ConnectAsync() =>
        new ConnectionFactory { Uri = new Uri(_broker.GetConnectionString()) }.CreateConnectionAsync(Cancel);

    private async Task<string> CreateDatabaseAsync(string name)
    {
        await using var admin = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        await admin.ExecuteAsync($"CREATE DATABASE {name}");
        return new NpgsqlConnectionStringBuilder(containers.Postgres.GetConnectionString()) { Database = name }.ConnectionString;
    }
}
