using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Participatie.BuildingBlocks;
using Participatie.BuildingBlocks.Data;
using Participatie.Consultations.Meetings;
using Participatie.Contracts;
using Participatie.Testing;
using RabbitMQ.Client;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>
/// Two replicas of a service on one database and one broker, as the Docker Swarm stack and the Kubernetes manifests
/// run them: migrations started at once apply each script once, the two outbox relays publish each row once, and the
/// two instances of a scheduled job do each piece of work once.
/// </summary>
public sealed class ReplicaSafetyTests(PlatformContainers containers) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _disposables = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task Migrations_started_by_four_instances_at_once_all_succeed_and_journal_each_script_once()
    {
        var owner = await NewDatabaseAsync();
        var service = DatabaseRoles.ServiceConnectionString(owner);

        // Four replicas' migration steps at the same moment (a start-up race, or two migration jobs of one release).
        using var start = new ManualResetEventSlim();
        var runs = Enumerable.Range(0, 4).Select(_ => Task.Run(
            async () =>
            {
                start.Wait(Cancel);
                await DatabaseMigrator.MigrateAsync(
                    owner, typeof(EntryPoint).Assembly, NullLogger.Instance, keepsTrajectoryProjection: true, service, Cancel);
            },
            Cancel)).ToList();
        start.Set();
        await Task.WhenAll(runs);

        await using var connection = new NpgsqlConnection(owner);
        var journal = (await connection.QueryAsync<string>("SELECT scriptname FROM schema_versions")).ToList();
        // The scripts the migrator picks (its filters): the building blocks', the trajectory projection's, the service's.
        var embedded = typeof(DatabaseMigrator).Assembly.GetManifestResourceNames()
                .Count(name => name.Contains("Participatie.BuildingBlocks.Migrations.", StringComparison.Ordinal)
                    || name.Contains("Participatie.BuildingBlocks.Trajectories.Migrations.", StringComparison.Ordinal))
            + typeof(EntryPoint).Assembly.GetManifestResourceNames().Count(name => name.Contains(".Migrations.", StringComparison.Ordinal));
        Assert.Equal(journal.Count, journal.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(embedded, journal.Count);
        // And the service's role works on the result: it reads and writes rows.
        await using var asService = new NpgsqlConnection(service);
        Assert.Equal(0, await asService.ExecuteScalarAsync<int>("SELECT count(*)::int FROM outbox_messages WHERE published_at IS NULL"));
    }

    [Fact]
    public async Task Two_replicas_relay_500_outbox_rows_and_the_broker_gets_each_exactly_once()
    {
        var owner = await NewDatabaseAsync();
        var broker = await BrokerVirtualHosts.CreateAsync(containers.RabbitMq, $"replicas-{Guid.NewGuid():N}");

        // Listen where MassTransit publishes ReactionSubmitted (the consultations service itself does not consume it).
        var factory = new ConnectionFactory { Uri = new Uri(broker) };
        await using var brokerConnection = await factory.CreateConnectionAsync(Cancel);
        await using var channel = await brokerConnection.CreateChannelAsync(cancellationToken: Cancel);
        const string exchange = "Participatie.Contracts:ReactionSubmitted";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, cancellationToken: Cancel);
        var queue = (await channel.QueueDeclareAsync(exclusive: true, cancellationToken: Cancel)).QueueName;
        await channel.QueueBindAsync(queue, exchange, string.Empty, cancellationToken: Cancel);

        // Two replicas started at once: their migrations race too.
        var replicas = new[] { Replica(owner, broker), Replica(owner, broker) };
        await Task.WhenAll(replicas.Select(replica => Task.Run(() => replica.Services, Cancel)));
        foreach (var replica in replicas)
        {
            using var client = replica.CreateClient();
            await replica.WaitUntilHealthyAsync(client);
        }

        // 500 events committed at once, as a burst of reactions leaves them; small batches, so both relays take turns.
        const int Rows = 500;
        var ids = Enumerable.Range(0, Rows).Select(_ => Guid.CreateVersion7()).ToArray();
        var payloads = ids.Select(id => JsonSerializer.Serialize(
            new ReactionSubmitted(id, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "Herinrichting van het Mercatorplein", DateTimeOffset.UtcNow, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(21))),
            JsonSerializerOptions.Web)).ToArray();
        await using var connection = new NpgsqlConnection(owner);
        await connection.ExecuteAsync(
            """
            INSERT INTO outbox_messages (id, message_type, payload)
            SELECT m.id, @MessageType, CAST(m.payload AS jsonb)
            FROM unnest(@Ids, @Payloads) WITH ORDINALITY AS m(id, payload, position)
            ORDER BY m.position
            """,
            new { MessageType = $"{typeof(ReactionSubmitted).FullName}, {typeof(ReactionSubmitted).Assembly.GetName().Name}", Ids = ids, Payloads = payloads });

        await Eventually.MatchesAsync(
            () => connection.ExecuteScalarAsync<int>("SELECT count(*)::int FROM outbox_messages WHERE published_at IS NULL"),
            pending => pending == 0,
            "both relays to have published every row",
            TimeSpan.FromSeconds(60));

        // Everything on the broker: each outbox id (the message id) once, none twice, none missing.
        var seen = new Dictionary<Guid, int>();
        var quietSince = DateTime.UtcNow;
        while (DateTime.UtcNow - quietSince < TimeSpan.FromSeconds(2))
        {
            var get = await channel.BasicGetAsync(queue, autoAck: true, Cancel);
            if (get is null)
            {
                await Task.Delay(100, Cancel);
                continue;
            }

            using var envelope = JsonDocument.Parse(get.Body);
            var messageId = envelope.RootElement.GetProperty("messageId").GetGuid();
            seen[messageId] = seen.GetValueOrDefault(messageId) + 1;
            quietSince = DateTime.UtcNow;
        }

        Assert.Equal(Rows, seen.Count);
        Assert.DoesNotContain(seen, entry => entry.Value != 1);
        Assert.True(ids.ToHashSet().SetEquals(seen.Keys), "the broker got other messages than the outbox's");
    }

    [Fact]
    public async Task Two_replicas_running_the_meeting_reminder_job_at_the_same_moments_publish_each_reminder_once()
    {
        // Both replicas on the assembly's database (it has the token server's trajectory projection), each on a clock of
        // its own that starts at the real time: the test moves both at once, so that both jobs' rounds start together.
        var replicas = new[] { StartReminderReplica(), StartReminderReplica() };
        var clients = replicas.Select(replica => replica.CreateClient()).ToArray();
        var lead = await containers.TokenServer.RegisterPartnerAsync("municipality");
        lead.Authorize(clients[0]);
        var trajectory = await containers.TokenServer.StartTrajectoryAsync(lead);
        var consultation = await clients[0].OpenConsultationAsync(trajectory);

        // Ten meetings within the next day, each with a registered resident: every one is due at the first round.
        var meetings = new List<Guid>();
        for (var index = 0; index < 10; index++)
        {
            var startsAt = DateTimeOffset.UtcNow.AddHours(2 + index);
            var planned = await clients[0].PostAsJsonAsync(
                $"/v1/consultations/{consultation.Id()}/meetings",
                new { place = "Buurthuis De Meeuw, Mercatorplein 1", startsAt, endsAt = startsAt.AddHours(2), capacity = 40 },
                Cancel);
            planned.EnsureSuccessStatusCode();
            var meeting = (await planned.Content.ReadFromJsonAsync<JsonElement>(Cancel)).Id();
            (await clients[0].PostAsJsonAsync(
                $"/v1/consultations/{consultation.Id()}/meetings/{meeting}/registrations", new { residentId = await containers.NewResidentOfAsync(consultation.Id()) }, Cancel))
                .EnsureSuccessStatusCode();
            meetings.Add(meeting);
        }

        // Five rounds, each started on both replicas at the same moment.
        var jobs = replicas.Select(replica => replica.Services.GetServices<IHostedService>().OfType<MeetingReminderService>().Single()).ToArray();
        for (var round = 1; round <= 5; round++)
        {
            foreach (var replica in replicas)
            {
                replica.Clock!.Advance(ReminderReplica.CheckInterval);
            }

            await Eventually.MatchesAsync(
                () => Task.FromResult(jobs.Min(job => job.CompletedRounds + job.FailedRounds)),
                rounds => rounds >= round,
                $"round {round} of both replicas' reminder jobs");
        }

        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        var reminders = (await connection.QueryAsync<(Guid MeetingId, int Count)>(
            """
            SELECT (payload->>'meetingId')::uuid, count(*)::int FROM outbox_messages
            WHERE message_type LIKE 'Participatie.Contracts.MeetingReminderDue%' AND (payload->>'meetingId')::uuid = ANY(@Ids)
            GROUP BY 1
            """,
            new { Ids = meetings.ToArray() })).ToDictionary(row => row.MeetingId, row => row.Count);
        Assert.Equal(meetings.Order(), reminders.Keys.Order());
        Assert.All(reminders.Values, count => Assert.Equal(1, count));
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    /// <summary>A database of the test's own on the shared server, with no other service's host on it.</summary>
    [Fact]
    public async Task A_service_started_beside_its_migration_job_waits_until_the_job_has_applied_every_script()
    {
        var owner = await NewDatabaseAsync();
        var service = DatabaseRoles.ServiceConnectionString(owner);
        var description = new ServiceDescription("consultations", "consultationsdb", "Consultations", typeof(EntryPoint).Assembly)
        {
            KeepsTrajectoryProjection = true,
        };

        // The service is up before its job has made its role: it keeps looking, and takes nothing in meanwhile.
        var waiting = DatabaseMigrator.WaitForMigrationJobAsync(description, service, TimeSpan.FromMinutes(2), NullLogger.Instance, Cancel);
        await Task.Delay(TimeSpan.FromSeconds(1.5), Cancel);
        Assert.False(waiting.IsCompleted);

        await DatabaseMigrator.MigrateAsync(owner, typeof(EntryPoint).Assembly, NullLogger.Instance, keepsTrajectoryProjection: true, service, Cancel);
        await waiting.WaitAsync(TimeSpan.FromSeconds(30), Cancel);

        // A job that never ran is named after the wait, rather than the service hanging on.
        var neverMigrated = DatabaseRoles.ServiceConnectionString(await NewDatabaseAsync());
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => DatabaseMigrator.WaitForMigrationJobAsync(
            description, neverMigrated, TimeSpan.FromSeconds(1), NullLogger.Instance, Cancel));
        Assert.Contains("migration job of consultationsdb", failed.Message, StringComparison.Ordinal);
    }

    private async Task<string> NewDatabaseAsync()
    {
        var name = $"replicas_{Guid.NewGuid():N}";
        await using (var server = new NpgsqlConnection(containers.Postgres.GetConnectionString()))
        {
            await server.ExecuteAsync($"CREATE DATABASE {name}");
        }

        return new NpgsqlConnectionStringBuilder(containers.Postgres.GetConnectionString()) { Database = name }.ConnectionString;
    }

    private ServiceFactory<EntryPoint> Replica(string owner, string broker)
    {
        // No token server: these replicas take no authenticated requests, and its projection watch stays on the
        // assembly's own database.
        var replica = new ServiceFactory<EntryPoint>("consultationsdb", owner, broker, configureServices: null);
        _disposables.Add(replica);
        return replica;
    }

    private ReminderReplica StartReminderReplica()
    {
        var replica = new ReminderReplica(containers);
        _disposables.Add(replica);
        return replica;
    }
}

/// <summary>
/// The consultations service as <see cref="ConsultationsService"/>, on a clock of its own that starts at the real time
/// and moves only when the test moves it, with its meeting reminder job every <see cref="CheckInterval"/> of it.
/// </summary>
internal sealed class ReminderReplica(PlatformContainers containers)
    : ServiceFactory<EntryPoint>("consultationsdb", containers, containers.TokenServer, clock: new FakeTimeProvider(DateTimeOffset.UtcNow))
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(1);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.TurnOffClosingOnDeadline();
        builder.UseSetting("Meetings:ReminderCheckInterval", CheckInterval.ToString());
    }
}
