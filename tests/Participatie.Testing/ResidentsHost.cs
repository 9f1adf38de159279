using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Participatie.BuildingBlocks.Auth;

namespace Participatie.Testing;

/// <summary>
/// The real residents service, on a database of its own in this assembly's PostgreSQL, validating tokens against the
/// assembly's token server: what the notifications service asks for addresses. It keeps no trajectory projection,
/// so it is not one the token server waits for (which <see cref="ServiceFactory{TEntryPoint}"/> with a token server
/// would make it).
/// </summary>
public sealed class ResidentsHost : ServiceFactory<Participatie.Residents.EntryPoint>
{
    private const string DatabaseName = "residents_for_notifications";

    private readonly TokenServer _tokenServer;

    private ResidentsHost(string connectionString, PlatformContainers containers)
        : base("residentsdb", connectionString, containers.RabbitMq.GetConnectionString())
    {
        _tokenServer = containers.TokenServer;
        ConnectionString = connectionString;
    }

    /// <summary>The residents database, for a test that sets up what only a resident's own request would make.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// A new address the resident gave and has not confirmed yet (as POST /v1/me/contact-details leaves it), so that
    /// delivery asks for this pending address by its confirmation id.
    /// </summary>
    public async Task AddPendingContactAsync(Guid confirmationId, Guid residentId, string channel, string value, DateTimeOffset requestedAt)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.ExecuteAsync(
            """
            INSERT INTO contact_confirmations (id, resident_id, channel, value, code_hash, requested_at, expires_at)
            VALUES (@ConfirmationId, @ResidentId, @Channel, @Value, '\x00'::bytea, @RequestedAt, @RequestedAt + interval '10 minutes')
            """,
            new { ConfirmationId = confirmationId, ResidentId = residentId, Channel = channel, Value = value, RequestedAt = requestedAt.UtcDateTime });
    }

    public static async Task<ResidentsHost> StartAsync(PlatformContainers containers)
    {
        await using (var admin = new NpgsqlConnection(containers.Postgres.GetConnectionString()))
        {
            if (!await admin.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @Name)", new { Name = DatabaseName }))
            {
                await admin.ExecuteAsync($"CREATE DATABASE {DatabaseName}");
            }
        }

        var connectionString = new NpgsqlConnectionStringBuilder(containers.Postgres.GetConnectionString()) { Database = DatabaseName }.ConnectionString;
        var host = new ResidentsHost(connectionString, containers);
        using var client = host.CreateClient();
        await host.WaitUntilHealthyAsync(client);
        // Started without the token server's projection watch (it keeps no trajectories), but it does keep the
        // partners' areas: the grants are written into it as they are made, so a registration right after a grant
        // does not race the PartnerAreasChanged event.
        containers.TokenServer.ProjectAreasInto(connectionString);
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Identity:JwksUri", "http://token-server/.well-known/jwks");
        builder.ConfigureServices(services => services
            .AddHttpClient(AuthenticationExtensions.TokenServerHttpClientName)
            .ConfigurePrimaryHttpMessageHandler(_tokenServer.CreateHandler));
    }
}
