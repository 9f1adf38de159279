using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Participatie.Contracts;
using Participatie.Testing;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// The token server for resident sign-in, on a clock the tests move (locks, expiry) and on a database and broker
/// virtual host of its own: every partner-coordination instance of this assembly (the assembly's token server too)
/// consumes the residents' events from the same queues, and this one must be the one that gets them. Each instance
/// of the fixture has new ones, so that no pooled connection of an earlier fixture points at a dropped database.
/// </summary>
public sealed class ResidentTokenServer : ServiceFactory<EntryPoint>, IAsyncLifetime
{
    public const string IdentifierSecret = "test-resident-identifier-key-2027";
    public const string PortalRedirectUri = "https://mijn.participatie.example/callback";
    public const string PortalOrigin = "https://mijn.participatie.example";
    private readonly PlatformContainers _containers;
    private readonly ConcurrentQueue<SignInCodeRequested> _codesOnTheBroker = new();

    public ResidentTokenServer(PlatformContainers containers)
        : this(containers, $"resident_sign_in_{Guid.NewGuid():N}")
    {
    }

    private ResidentTokenServer(PlatformContainers containers, string name)
        : base(
            "partnersdb",
            new NpgsqlConnectionStringBuilder(containers.Postgres.GetConnectionString()) { Database = name }.ConnectionString,
            new UriBuilder(containers.RabbitMq.GetConnectionString()) { Path = "/" + name }.Uri.ToString(),
            clock: new FakeTimeProvider(DateTimeOffset.UtcNow))
    {
        _containers = containers;
        DatabaseName = name;
        VirtualHost = name;
    }

    private string DatabaseName { get; }

    private string VirtualHost { get; }

    public FakeTimeProvider Time => Clock!;

    public string ConnectionString => new NpgsqlConnectionStringBuilder(_containers.Postgres.GetConnectionString()) { Database = DatabaseName }.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(_containers.Postgres.GetConnectionString()))
        {
            await admin.ExecuteAsync($"CREATE DATABASE {DatabaseName}");
        }

        foreach (var command in new[] { new[] { "rabbitmqctl", "add_vhost", VirtualHost }, ["rabbitmqctl", "set_permissions", "-p", VirtualHost, "participatie", ".*", ".*", ".*"] })
        {
            var result = await _containers.RabbitMq.ExecAsync(command, TestContext.Current.CancellationToken);
            Assert.True(result.ExitCode == 0 || result.Stderr.Contains("already exists", StringComparison.Ordinal), $"{string.Join(' ', command)}: {result.Stderr}");
        }

        using var client = CreateClient();
        await WaitUntilHealthyAsync(client);

        // Stands in for notifications: the code is read where notifications gets it, from the broker, because the
        // outbox row keeps it only until it is relayed.
        var listener = Services.GetRequiredService<IBus>().ConnectReceiveEndpoint(
            new TemporaryEndpointDefinition(), DefaultEndpointNameFormatter.Instance,
            endpoint => endpoint.Handler<SignInCodeRequested>(context =>
            {
                _codesOnTheBroker.Enqueue(context.Message);
                return Task.CompletedTask;
            }));
        await listener.Ready;
    }

    /// <summary>The code sent for a challenge, as notifications receives it from the broker.</summary>
    public async Task<SignInCodeRequested> SentCodeAsync(Guid challengeId) =>
        (await Eventually.MatchesAsync(
            () => Task.FromResult(_codesOnTheBroker.SingleOrDefault(message => message.ChallengeId == challengeId)),
            message => message is not null, $"the code of challenge {challengeId} on the broker"))!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Identity:ResidentIdentifierKey", IdentifierSecret);
        builder.UseSetting("Identity:ResidentClients:resident-portal:RedirectUris", PortalRedirectUri);
        builder.UseSetting("Identity:ResidentClients:resident-portal:AllowedOrigins", PortalOrigin);
    }

    /// <summary>Publishes a message into this server's broker, as another service would, with a message id of the test's choosing.</summary>
    public Task PublishAsync<TMessage>(TMessage message, Guid? messageId = null)
        where TMessage : class =>
        Services.GetRequiredService<IBus>().Publish(
            message, context => context.MessageId = messageId ?? NewId.NextGuid(), TestContext.Current.CancellationToken);

    /// <summary>The messages of one type this server published through its outbox, oldest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> PublishedAsync<TMessage>()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        var payloads = await connection.QueryAsync<string>(
            "SELECT payload::text FROM outbox_messages WHERE message_type LIKE @Type ORDER BY sequence",
            new { Type = typeof(TMessage).FullName + ",%" });
        return [.. payloads.Select(payload => JsonDocument.Parse(payload).RootElement.Clone())];
    }

    public async Task<T?> QueryScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql, parameters);
    }
}
