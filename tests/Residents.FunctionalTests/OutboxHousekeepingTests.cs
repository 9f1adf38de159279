using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using MassTransit;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;
using Participatie.Testing;

namespace Participatie.Residents.FunctionalTests;

/// <summary>Outbox rows that cannot be read back are set aside; relayed outbox rows and old inbox rows are deleted.</summary>
public sealed class OutboxHousekeepingTests(PlatformContainers containers)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unreadable_outbox_row_is_set_aside_with_its_error_and_the_rows_after_it_still_go_out()
    {
        var connectionString = await TestDatabases.CreateAsync(containers, "outbox_poison_residents");
        await using var service = new ServiceFactory<EntryPoint>("residentsdb", connectionString, containers.RabbitMq.GetConnectionString(), containers.TokenServer);
        var client = (await containers.TokenServer.RegisterPartnerAsync()).Authorize(service.CreateClient());
        await service.WaitUntilHealthyAsync(client);
        await using var database = new NpgsqlConnection(connectionString);
        // Ahead of the resident's event: a type that no longer exists, and a payload that does not fit its type.
        var unknownType = Guid.CreateVersion7();
        var badPayload = Guid.CreateVersion7();
        await database.ExecuteAsync(
            """
            INSERT INTO outbox_messages (id, message_type, payload) VALUES
                (@UnknownType, 'Participatie.Contracts.ResidentMovedAway, Participatie.Contracts', '{}'),
                (@BadPayload, 'Participatie.Contracts.ResidentRegistered, Participatie.Contracts', '{"residentId": "not-a-guid"}')
            """,
            new { UnknownType = unknownType, BadPayload = badPayload });

        var created = await client.PostAsJsonAsync("/v1/residents", ResidentsApiTests.NewResident("BU91639997"), Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var residentId = (await created.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetString();

        await Eventually.MatchesAsync(
            () => database.ExecuteScalarAsync<DateTime?>(
                "SELECT published_at FROM outbox_messages WHERE message_type LIKE 'Participatie.Contracts.ResidentRegistered%' AND payload->>'residentId' = @ResidentId", new { ResidentId = residentId }),
            publishedAt => publishedAt is not null,
            "the resident's event to go out past the unreadable rows");
        var setAside = (await database.QueryAsync<(Guid Id, DateTime? SetAsideAt, DateTime? PublishedAt, string? LastError, DateTime? LockedUntil)>(
            "SELECT id, set_aside_at, published_at, last_error, locked_until FROM outbox_messages WHERE id = ANY(@Ids) ORDER BY sequence",
            new { Ids = new[] { unknownType, badPayload } })).ToList();
        Assert.Equal([unknownType, badPayload], setAside.Select(row => row.Id));
        Assert.All(setAside, row =>
        {
            Assert.NotNull(row.SetAsideAt);
            Assert.Null(row.PublishedAt);
            Assert.Null(row.LockedUntil);
        });
        Assert.Contains("unknown message type 'Participatie.Contracts.ResidentMovedAway", setAside[0].LastError, StringComparison.Ordinal);
        Assert.Contains("cannot be read as ResidentRegistered", setAside[1].LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relayed_outbox_rows_and_inbox_rows_past_their_retention_are_deleted_and_nothing_else()
    {
        var connectionString = await TestDatabases.CreateAsync(containers, "outbox_housekeeping");
        await DatabaseMigrator.MigrateAsync(connectionString, typeof(EntryPoint).Assembly, NullLogger.Instance, cancellationToken: Cancel);
        await using var database = new NpgsqlConnection(connectionString);
        var now = new DateTimeOffset(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);
        await database.ExecuteAsync(
            """
            INSERT INTO outbox_messages (id, message_type, payload, occurred_at, published_at, set_aside_at, last_error)
            SELECT gen_random_uuid(), 'Old', '{}', @Now - interval '9 days', @Now - interval '8 days', NULL, NULL FROM generate_series(1, 12000);
            INSERT INTO outbox_messages (id, message_type, payload, occurred_at, published_at, set_aside_at, last_error) VALUES
                (gen_random_uuid(), 'Recent', '{}', @Now - interval '6 days', @Now - interval '6 days', NULL, NULL),
                (gen_random_uuid(), 'NeverRelayed', '{}', @Now - interval '60 days', NULL, NULL, NULL),
                (gen_random_uuid(), 'SetAside', '{}', @Now - interval '60 days', NULL, @Now - interval '60 days', 'unknown type');
            INSERT INTO inbox_messages (message_id, consumer, processed_at) VALUES
                (gen_random_uuid(), 'Old', @Now - interval '31 days'),
                (gen_random_uuid(), 'Recent', @Now - interval '29 days');
            """,
            new { Now = now.UtcDateTime });
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        using var housekeeping = new MessagingHousekeeping(
            dataSource,
            Options.Create(new OutboxOptions { Retention = TimeSpan.FromDays(7) }),
            Options.Create(new InboxOptions { Retention = TimeSpan.FromDays(30) }),
            new ConfigurationBuilder().Build(),
            new FixedClock(now),
            NullLogger<MessagingHousekeeping>.Instance);

        var removed = await housekeeping.CleanUpAsync(Cancel);

        Assert.Equal(new MessagingHousekeeping.Removed(12000, 1), removed);
        Assert.Equal(["NeverRelayed", "Recent", "SetAside"], await database.QueryAsync<string>("SELECT message_type FROM outbox_messages ORDER BY message_type"));
        Assert.Equal(["Recent"], await database.QueryAsync<string>("SELECT consumer FROM inbox_messages"));
    }

    [Fact]
    public async Task A_publish_that_fails_while_the_instance_stops_gives_its_lease_back_at_once()
    {
        var connectionString = await TestDatabases.CreateAsync(containers, "outbox_stopping_relay");
        await DatabaseMigrator.MigrateAsync(connectionString, typeof(EntryPoint).Assembly, NullLogger.Instance, cancellationToken: Cancel);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var events = Enumerable.Range(0, 3).Select(_ => new ResidentRegistered(Guid.NewGuid(), "BU91639996", "nl", "email", DateTimeOffset.UtcNow)).ToList();
        await using (var connection = await dataSource.OpenConnectionAsync(Cancel))
        {
            await connection.ExecuteAsync(OutboxEntry.InsertSelect, events.Select(OutboxEntry.For));
        }

        // The host stops while the first publish is out, and the stopping bus fails it with an error of its own
        // (RabbitMQ's disposed channel), not with a cancellation.
        using var stopping = new CancellationTokenSource();
        await NewRelay(dataSource, StoppingPublishEndpoint.Create(stopping)).RelayBatchAsync(stopping.Token);

        await using var database = new NpgsqlConnection(connectionString);
        var rows = (await database.QueryAsync<(DateTime? LockedUntil, DateTime? PublishedAt, string? LastError)>(
            "SELECT locked_until, published_at, last_error FROM outbox_messages ORDER BY sequence")).ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.Null(row.LockedUntil);
            Assert.Null(row.PublishedAt);
            // Stopping is no fault of the message.
            Assert.Null(row.LastError);
        });
        // Another instance relays them now, not after the 60 s lease.
        Assert.Equal(3, await NewRelay(dataSource, StoppingPublishEndpoint.Create(stopping: null)).RelayBatchAsync(Cancel));
    }

    private static OutboxRelay NewRelay(NpgsqlDataSource dataSource, IPublishEndpoint publishEndpoint)
    {
        var services = new ServiceCollection().AddMetrics().AddSingleton(publishEndpoint).BuildServiceProvider();
        return new OutboxRelay(
            dataSource, services.GetRequiredService<IServiceScopeFactory>(), new OutboxSignal(), Options.Create(new OutboxOptions()),
            TimeProvider.System, services.GetRequiredService<IMeterFactory>(), NullLogger<OutboxRelay>.Instance);
    }

    /// <summary>
    /// A publish endpoint whose every publish finds the host stopping and fails as a disposed channel does; without a
    /// host to stop (<c>null</c>), one whose publishes all succeed.
    /// </summary>
    public class StoppingPublishEndpoint : DispatchProxy
    {
        private CancellationTokenSource? _stopping;

        public static IPublishEndpoint Create(CancellationTokenSource? stopping)
        {
            var endpoint = Create<IPublishEndpoint, StoppingPublishEndpoint>();
            ((StoppingPublishEndpoint)(object)endpoint)._stopping = stopping;
            return endpoint;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (_stopping is null)
            {
                return Task.CompletedTask;
            }

            _stopping.Cancel();
            return Task.FromException(new ObjectDisposedException("IModel", "The channel was closed while the host stopped."));
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
