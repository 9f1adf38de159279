using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.Testing;
using Testcontainers.RabbitMq;

namespace Participatie.Residents.FunctionalTests;

/// <summary>
/// The outbox to the end: from the residents service's outbox, through a real broker, into another service's inbox.
/// Each test owns its broker and its databases, so no other test's events mix in.
/// </summary>
public sealed class OutboxDeliveryTests(PlatformContainers containers) : IAsyncLifetime
{
    private readonly RabbitMqContainer _broker = PlatformContainers.CreateRabbitMq(fixedHostPort: true);
    private readonly List<IAsyncDisposable> _disposables = [];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _broker.StartAsync(Cancel);

    public async ValueTask DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }

        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Events_held_while_the_broker_was_down_are_each_handled_once_and_in_order_when_it_returns()
    {
        var (residents, residentsDatabase, consumer) = await StartBothSidesAsync("held");
        var client = (await containers.TokenServer.RegisterPartnerAsync()).Authorize(residents.CreateClient());
        await residents.WaitUntilHealthyAsync(client);

        await _broker.StopAsync(Cancel);
        var registered = new List<Guid>();
        for (var index = 0; index < 5; index++)
        {
            registered.Add(await RegisterAsync(client, $"Bewoner {index}"));
        }

        // The relay tries while the broker is away, and never holds a transaction open while it does.
        await using var database = new NpgsqlConnection(residentsDatabase);
        var openTransactionSeen = false;
        await Eventually.MatchesAsync(
            async () =>
            {
                openTransactionSeen |= await database.ExecuteScalarAsync<bool>(
                    """
                    SELECT EXISTS (SELECT 1 FROM pg_stat_activity
                                   WHERE datname = current_database() AND pid <> pg_backend_pid()
                                     AND state LIKE 'idle in transaction%' AND now() - xact_start > interval '500 milliseconds')
                    """);
                return await database.ExecuteScalarAsync<int>("SELECT coalesce(max(attempts), 0) FROM outbox_messages");
            },
            attempts => attempts >= 2,
            "the relay to try twice while the broker is down");
        Assert.False(openTransactionSeen, "The relay held a database transaction open while the broker was away.");
        Assert.Equal(0, await database.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox_messages WHERE published_at IS NOT NULL"));

        await _broker.StartAsync(Cancel);

        var handled = await Eventually.MatchesAsync(
            consumer.HandledResidentIdsAsync, ids => ids.Count >= registered.Count, "the held events to be handled", TimeSpan.FromSeconds(120));
        await Eventually.MatchesAsync(
            () => database.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL"),
            unpublished => unpublished == 0,
            "every held event to be marked published");
        Assert.Equal(registered, await consumer.HandledResidentIdsAsync());
        foreach (var messageId in await OutboxIdsAsync(database, registered))
        {
            Assert.Equal(1, await consumer.InboxRowsAsync(messageId));
        }
    }

    [Fact]
    public async Task A_crash_between_publishing_and_marking_leads_to_a_redelivery_that_the_inbox_drops()
    {
        var (residents, residentsDatabase, consumer) = await StartBothSidesAsync("crash");
        var client = (await containers.TokenServer.RegisterPartnerAsync()).Authorize(residents.CreateClient());
        await residents.WaitUntilHealthyAsync(client);
        await using var database = new NpgsqlConnection(residentsDatabase);
        // The relay's first attempt to mark a row published fails after it has published: as if it died right there.
        await database.ExecuteAsync(
            """
            CREATE SEQUENCE simulated_crash;
            CREATE FUNCTION crash_once_between_publish_and_mark() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                -- Only the registration event: the snapshot and sign-in keys published with it are marked as usual.
                IF NEW.message_type LIKE 'Participatie.Contracts.ResidentRegistered%' THEN
                    IF NEW.published_at IS NOT NULL AND OLD.published_at IS NULL AND nextval('simulated_crash') = 1 THEN
                        RAISE EXCEPTION 'simulated crash between publishing and marking';
                    END IF;
                END IF;
                RETURN NEW;
            END
            $$;
            CREATE TRIGGER crash_once BEFORE UPDATE ON outbox_messages
                FOR EACH ROW EXECUTE FUNCTION crash_once_between_publish_and_mark();
            """);

        var residentId = await RegisterAsync(client, "Bewoner Crash");
        var messageId = Assert.Single(await OutboxIdsAsync(database, [residentId]));

        await Eventually.MatchesAsync(
            () => Task.FromResult(consumer.Deliveries.Of(messageId)), deliveries => deliveries >= 2, "the event to be delivered a second time");
        await Eventually.MatchesAsync(
            () => database.ExecuteScalarAsync<DateTime?>("SELECT published_at FROM outbox_messages WHERE id = @Id", new { Id = messageId }),
            publishedAt => publishedAt is not null,
            "the event to be marked published after the second publish");

        Assert.Equal(2, await database.ExecuteScalarAsync<long>("SELECT last_value FROM simulated_crash"));
        Assert.Equal(2, consumer.Deliveries.Of(messageId));
        Assert.Equal([residentId], await consumer.HandledResidentIdsAsync());
        Assert.Equal(1, await consumer.InboxRowsAsync(messageId));
    }

    [Fact]
    public async Task Two_instances_relaying_one_outbox_publish_each_event_once_and_in_order()
    {
        var (first, residentsDatabase, consumer) = await StartBothSidesAsync("two_instances");
        var second = new ServiceFactory<EntryPoint>("residentsdb", residentsDatabase, _broker.GetConnectionString(), containers.TokenServer);
        _disposables.Add(second);
        var partner = await containers.TokenServer.RegisterPartnerAsync();
        HttpClient[] clients = [partner.Authorize(first.CreateClient()), partner.Authorize(second.CreateClient())];
        await first.WaitUntilHealthyAsync(clients[0]);
        await second.WaitUntilHealthyAsync(clients[1]);

        // Registrations written through both instances in turn, so that both relays find work at once. (A bulk
        // registration announces its residents a thousand to a message, so single ones make the many events here.)
        var registered = new List<Guid>();
        for (var number = 0; number < 400; number++)
        {
            registered.Add(await RegisterAsync(clients[number % 2], $"Bewoner {number}", buurtCode: "BU91639996", houseNumber: number + 1));
        }

        await Eventually.MatchesAsync(
            consumer.HandledResidentIdsAsync, ids => ids.Count >= registered.Count, "every event to be handled", TimeSpan.FromSeconds(120));
        await using var database = new NpgsqlConnection(residentsDatabase);
        await Eventually.MatchesAsync(
            () => database.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL"),
            unpublished => unpublished == 0,
            "every event to be marked published");
        Assert.Equal(registered, await consumer.HandledResidentIdsAsync());
        Assert.All(await OutboxIdsAsync(database, registered), messageId => Assert.Equal(1, consumer.Deliveries.Of(messageId)));
    }

    private async Task<(ServiceFactory<EntryPoint> Residents, string ResidentsDatabase, ConsumingService Consumer)> StartBothSidesAsync(string name)
    {
        var consumer = await ConsumingService.StartAsync(
            await TestDatabases.CreateAsync(containers, $"outbox_{name}_consumer"), _broker.GetConnectionString());
        _disposables.Add(consumer);
        var residentsDatabase = await TestDatabases.CreateAsync(containers, $"outbox_{name}_residents");
        var residents = new ServiceFactory<EntryPoint>("residentsdb", residentsDatabase, _broker.GetConnectionString(), containers.TokenServer);
        _disposables.Add(residents);
        return (residents, residentsDatabase, consumer);
    }

    private static async Task<Guid> RegisterAsync(HttpClient client, string fullName, string buurtCode = "BU91639998", int houseNumber = 7)
    {
        var created = await client.PostAsJsonAsync("/v1/residents", new
        {
            fullName,
            postcode = "3011 AA",
            houseNumber,
            buurtCode,
            preferredLanguage = "nl",
            preferredChannel = "letter",
        }, Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("id").GetGuid();
    }

    private static async Task<IReadOnlyList<Guid>> OutboxIdsAsync(NpgsqlConnection database, IReadOnlyList<Guid> residentIds) =>
        [.. await database.QueryAsync<Guid>(
            """
            SELECT id FROM outbox_messages
            WHERE message_type LIKE 'Participatie.Contracts.ResidentRegistered%' AND (payload->>'residentId')::uuid = ANY(@Ids)
            ORDER BY sequence
            """,
            new { Ids = residentIds.ToArray() })];
}
