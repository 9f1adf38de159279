using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Participatie.EndToEndTests;

/// <summary>
/// Least privilege inside the platform, as the AppHost wires it: each service reaches PostgreSQL as its own role
/// and RabbitMQ as its own user, and neither reaches anything of another service's.
/// </summary>
public sealed class LeastPrivilegeTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("residents", "residentsdb")]
    [InlineData("consultations", "consultationsdb")]
    [InlineData("notifications", "notificationsdb")]
    [InlineData("partner-coordination", "partnersdb")]
    public async Task A_running_service_holds_only_its_own_roles_credentials_its_migration_job_ran_as_owner(string service, string database)
    {
        // The job applied the scripts as the owner and ended (the service, started beside it, waited for that).
        var (state, exitCode) = await platform.EndedResourceAsync($"{service}-migrations");
        Assert.Equal("Finished", state);
        Assert.Equal(0, exitCode);

        // The long-running process never saw the owner's (the server's superuser's) connection string.
        var environment = await platform.ProcessEnvironmentAsync(service);
        Assert.DoesNotContain(environment.Keys, key => key.EndsWith("-owner", StringComparison.Ordinal));
        var own = new NpgsqlConnectionStringBuilder(environment[$"ConnectionStrings__{database}"]);
        Assert.Equal($"{database}_service", own.Username);
        Assert.Equal("Job", environment["Database__Migrations"]);
    }

    [Fact]
    public async Task The_notifications_services_database_role_cannot_read_the_residents_database()
    {
        var notificationsRole = await ServiceConnectionAsync("notificationsdb", "notifications");

        // Its own database it reads.
        await using (var own = new NpgsqlConnection(notificationsRole))
        {
            await own.OpenAsync(Cancel);
            await using var count = new NpgsqlCommand("SELECT count(*) FROM notifications", own);
            Assert.True((long)(await count.ExecuteScalarAsync(Cancel))! >= 0);
        }

        // The residents database refuses it at the door.
        var intoResidents = new NpgsqlConnectionStringBuilder(notificationsRole) { Database = "residentsdb" }.ConnectionString;
        await using var other = new NpgsqlConnection(intoResidents);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => other.OpenAsync(Cancel));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Theory]
    [InlineData("residentsdb", "residents", "UPDATE personal_data_access_log SET action = action")]
    [InlineData("residentsdb", "residents", "DELETE FROM personal_data_access_log")]
    [InlineData("residentsdb", "residents", "TRUNCATE personal_data_access_log")]
    [InlineData("partnersdb", "partner-coordination", "UPDATE audit_log SET action = action")]
    [InlineData("partnersdb", "partner-coordination", "DELETE FROM credential_audit")]
    [InlineData("consultationsdb", "consultations", "UPDATE support_vote_log SET choice = choice")]
    [InlineData("consultationsdb", "consultations", "DELETE FROM support_counted_votes")]
    [InlineData("residentsdb", "residents", "CREATE TABLE intruder (id int)")]
    [InlineData("residentsdb", "residents", "DELETE FROM schema_versions")]
    public async Task A_service_role_may_not_change_its_audit_tables_nor_its_schema(string database, string service, string statement)
    {
        await using var connection = new NpgsqlConnection(await ServiceConnectionAsync(database, service));
        await connection.OpenAsync(Cancel);
        // Control: the same role reads the same table, so a refusal below is about the statement, not the login.
        await using (var read = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", connection))
        {
            Assert.True((long)(await read.ExecuteScalarAsync(Cancel))! > 0);
        }

        await using var command = new NpgsqlCommand(statement, connection);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync(Cancel));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task A_service_broker_user_reads_its_own_queue_but_not_another_services()
    {
        var queues = await QueueNamesAsync();
        var ownQueue = queues.First(queue => queue.StartsWith("notifications-", StringComparison.Ordinal) && !queue.Contains('_', StringComparison.Ordinal));
        var othersQueue = queues.First(queue => queue.StartsWith("residents-", StringComparison.Ordinal) && !queue.Contains('_', StringComparison.Ordinal));
        var broker = new Uri(await platform.ConnectionStringAsync("messaging"));
        var factory = new ConnectionFactory
        {
            HostName = broker.Host,
            Port = broker.Port,
            UserName = "notifications-service",
            Password = PlatformFixture.BrokerPassword("notifications"),
        };
        await using var connection = await factory.CreateConnectionAsync(Cancel);

        await using (var own = await connection.CreateChannelAsync(cancellationToken: Cancel))
        {
            // Reads (and leaves) whatever is there: the permission is what counts.
            var message = await own.BasicGetAsync(ownQueue, autoAck: false, Cancel);
            if (message is not null)
            {
                await own.BasicNackAsync(message.DeliveryTag, multiple: false, requeue: true, Cancel);
            }
        }

        await using var other = await connection.CreateChannelAsync(cancellationToken: Cancel);
        var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() => other.BasicGetAsync(othersQueue, autoAck: false, Cancel));
        Assert.Equal((ushort)403, refused.ShutdownReason?.ReplyCode);
    }

    private async Task<string> ServiceConnectionAsync(string database, string service) =>
        new NpgsqlConnectionStringBuilder(await platform.ConnectionStringAsync(database))
        {
            Username = $"{database}_service",
            Password = PlatformFixture.DatabasePassword(service),
            Pooling = false,
        }.ConnectionString;

    /// <summary>The queues on the broker, as its administrator sees them in the management API.</summary>
    private async Task<List<string>> QueueNamesAsync()
    {
        var admin = new Uri(await platform.ConnectionStringAsync("messaging"));
        var credentials = Uri.UnescapeDataString(admin.UserInfo);
        using var client = new HttpClient { BaseAddress = platform.Endpoint("messaging", "management") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var queues = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/queues", UriKind.Relative), Cancel));
        return [.. queues.RootElement.EnumerateArray().Select(queue => queue.GetProperty("name").GetString()!)];
    }
}
