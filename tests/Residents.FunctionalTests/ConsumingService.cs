using System.Collections.Concurrent;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;

namespace Participatie.Residents.FunctionalTests;

/// <summary>
/// A service on the other side of the broker, wired as every Participatie service is (the building blocks'
/// messaging, its inbox in its own PostgreSQL database), with one consumer that records each ResidentRegistered it
/// handles. It counts every delivery too, so a test can tell a redelivery that the inbox dropped from one that
/// never came.
/// </summary>
public sealed class ConsumingService : IAsyncDisposable
{
    private readonly IHost _host;

    private ConsumingService(IHost host, string connectionString)
    {
        _host = host;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public DeliveryCounter Deliveries { get; } = new();

    /// <summary>The host's services, for a test that looks at what it measures (its IMeterFactory).</summary>
    public IServiceProvider Services => _host.Services;

    public static async Task<ConsumingService> StartAsync(
        string databaseConnectionString, string brokerConnectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        await DatabaseMigrator.MigrateAsync(databaseConnectionString, typeof(ConsumingService).Assembly, NullLogger.Instance);
        await using (var connection = new NpgsqlConnection(databaseConnectionString))
        {
            await connection.ExecuteAsync(
                """
                CREATE TABLE IF NOT EXISTS handled_registrations (
                    position    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    resident_id uuid NOT NULL)
                """);
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:consumerdb"] = databaseConnectionString;
        builder.Configuration["ConnectionStrings:messaging"] = brokerConnectionString;
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        DapperTypeHandlers.Register();
        builder.AddNpgsqlDataSource("consumerdb");
        // The only consumer in this assembly is the recording one below.
        builder.AddMessaging("outbox-test-consumer", typeof(ConsumingService).Assembly);
        // Its queue must be bound before the residents service publishes.
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        var host = builder.Build();
        var service = new ConsumingService(host, databaseConnectionString);
        host.Services.GetRequiredService<IBus>().ConnectConsumeObserver(service.Deliveries);
        await host.StartAsync(TestContext.Current.CancellationToken);
        return service;
    }

    /// <summary>The registrations the consumer handled, in the order it handled them.</summary>
    public async Task<IReadOnlyList<Guid>> HandledResidentIdsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return [.. await connection.QueryAsync<Guid>("SELECT resident_id FROM handled_registrations ORDER BY position")];
    }

    public async Task<int> InboxRowsAsync(Guid messageId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM inbox_messages WHERE message_id = @MessageId", new { MessageId = messageId });
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }

    public sealed class DeliveryCounter : IConsumeObserver
    {
        private readonly ConcurrentDictionary<Guid, int> _deliveries = new();

        public int Of(Guid messageId) => _deliveries.GetValueOrDefault(messageId);

        public Task PreConsume<T>(ConsumeContext<T> context)
            where T : class
        {
            if (context.MessageId is { } id)
            {
                _deliveries.AddOrUpdate(id, 1, (_, count) => count + 1);
            }

            return Task.CompletedTask;
        }

        public Task PostConsume<T>(ConsumeContext<T> context)
            where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
            where T : class => Task.CompletedTask;
    }
}

/// <summary>Records each registration it handles, through the inbox, one at a time so that the order shows.</summary>
public sealed class RecordingRegistrationConsumer(UnitOfWorkFactory unitOfWork) : IdempotentConsumer<ResidentRegistered>(unitOfWork)
{
    protected override Task HandleAsync(ResidentRegistered message, UnitOfWork work, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO handled_registrations (resident_id) VALUES (@ResidentId)",
            new { message.ResidentId }, work.Transaction, cancellationToken: cancellationToken));
}

public sealed class RecordingRegistrationConsumerDefinition : ConsumerDefinition<RecordingRegistrationConsumer>
{
    public RecordingRegistrationConsumerDefinition() => ConcurrentMessageLimit = 1;
}
