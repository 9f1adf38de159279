using System.Reflection;
using DbUp;
using DbUp.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Participatie.BuildingBlocks.Data;

/// <summary>
/// Applies the versioned SQL scripts embedded in the building blocks (outbox, inbox) and in the service itself,
/// journaled in <c>schema_versions</c>. Runs before the service takes traffic.
/// </summary>
/// <remarks>
/// Least privilege: the scripts run as the database's owner (connection string <c>{database}-owner</c>), while the
/// service itself connects with <c>{database}</c> as a login role of its own that may only read and write rows
/// (granted by the building blocks' script 0002, with default privileges for every later table). The migrator
/// creates that role, or sets its password again, from the service's connection string before the scripts run.
/// </remarks>
public static class DatabaseMigrator
{
    /// <summary>Suffix of the connection string name the migrations run with: the owner of the schema.</summary>
    public const string OwnerConnectionSuffix = "-owner";

    /// <summary>
    /// The session setting through which the scripts learn the service's role name (scripts are versioned and
    /// shared, the role name is configuration).
    /// </summary>
    public const string ServiceRoleSetting = "participatie.service_role";

    // Any constant works; it only has to be the same for every instance of every service.
    private const long MigrationLockKey = 0x50415254_49434950;

    /// <summary>
    /// The argument that makes a service's executable its own migration job: it applies the scripts as the owner and
    /// exits, so that the long-running service never holds the owner's credentials.
    /// </summary>
    public const string MigrateOnlyArgument = "--migrate-only";

    /// <summary>
    /// <c>Database:Migrations</c> = <c>Job</c>: a migration job applies the scripts, so the service does not migrate
    /// and needs no owner connection. The service may start beside its job (the AppHost starts both at once, to keep
    /// the job off the cold start's path): it waits until the job has applied every script it carries before it
    /// takes traffic or messages.
    /// </summary>
    public const string MigrationsSetting = "Database:Migrations";

    public const string MigratedByJob = "Job";

    /// <summary>How long a service waits for its migration job (<c>Database:MigrationJobTimeout</c>); 5 minutes by default.</summary>
    public const string MigrationJobTimeoutSetting = "Database:MigrationJobTimeout";

    private static readonly TimeSpan DefaultMigrationJobTimeout = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan MigrationJobPollInterval = TimeSpan.FromMilliseconds(250);

    private const string BuildingBlocksScripts = "Participatie.BuildingBlocks.Migrations.";

    private const string ProjectionScripts = "Participatie.BuildingBlocks.Trajectories.Migrations.";

    private const string ServiceScripts = ".Migrations.";

    /// <summary>
    /// Runs the migrations and returns true when the process was started as a migration job
    /// (<see cref="MigrateOnlyArgument"/>); returns false at once otherwise. Only configuration and logging are built:
    /// the job starts in a second and takes no traffic.
    /// </summary>
    public static async Task<bool> RunAsMigrationJobAsync(ServiceDescription service, string[] args)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(args);
        if (!args.Contains(MigrateOnlyArgument, StringComparer.Ordinal))
        {
            return false;
        }

        var builder = Host.CreateApplicationBuilder(args.Where(arg => arg != MigrateOnlyArgument).ToArray());
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseMigrator));
        var (owner, serviceConnection) = ConnectionStrings(builder.Configuration, service, logger);
        await MigrateAsync(owner, service.Assembly, logger, service.KeepsTrajectoryProjection, serviceConnection);
        logger.LogInformation("Migrations of {Database} applied; the migration job ends", service.DatabaseName);
        return true;
    }

    public static async Task MigrateDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        var service = app.Services.GetRequiredService<ServiceDescription>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseMigrator));
        if (string.Equals(app.Configuration[MigrationsSetting], MigratedByJob, StringComparison.OrdinalIgnoreCase))
        {
            var serviceConnectionString = app.Configuration.GetConnectionString(service.DatabaseName)
                ?? throw new InvalidOperationException($"Connection string '{service.DatabaseName}' is missing.");
            var timeout = app.Configuration.GetValue(MigrationJobTimeoutSetting, DefaultMigrationJobTimeout);
            await WaitForMigrationJobAsync(service, serviceConnectionString, timeout, logger, cancellationToken);
            return;
        }

        var (owner, serviceConnection) = ConnectionStrings(app.Configuration, service, logger);
        await MigrateAsync(owner, service.Assembly, logger, service.KeepsTrajectoryProjection, serviceConnection, cancellationToken);
    }

    private static (string Owner, string Service) ConnectionStrings(IConfiguration configuration, ServiceDescription service, ILogger logger)
    {
        var serviceConnectionString = configuration.GetConnectionString(service.DatabaseName)
            ?? throw new InvalidOperationException($"Connection string '{service.DatabaseName}' is missing.");
        var ownerConnectionString = configuration.GetConnectionString(service.DatabaseName + OwnerConnectionSuffix);
        if (ownerConnectionString is null)
        {
            logger.LogWarning(
                "No connection string '{Owner}': migrations run as the service's own role, which then owns the schema",
                service.DatabaseName + OwnerConnectionSuffix);
        }

        return (ownerConnectionString ?? serviceConnectionString, serviceConnectionString);
    }

    /// <param name="connectionString">The owner's connection: the scripts run with it.</param>
    /// <param name="serviceConnectionString">
    /// The service's own connection; its user is created (or its password set) and granted the rows. Null: the
    /// owner is also the service's role.
    /// </param>
    public static async Task MigrateAsync(
        string connectionString,
        Assembly serviceAssembly,
        ILogger logger,
        bool keepsTrajectoryProjection = false,
        string? serviceConnectionString = null,
        CancellationToken cancellationToken = default)
    {
        var owner = new NpgsqlConnectionStringBuilder(connectionString);
        var service = new NpgsqlConnectionStringBuilder(serviceConnectionString ?? connectionString);
        var serviceRole = service.Username
            ?? throw new InvalidOperationException("The service's connection string names no user.");
        await using var lockConnection = await OpenWithRetryAsync(connectionString, logger, cancellationToken);
        // Two instances starting at once must not both apply the same script.
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", lockConnection))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            if (!string.Equals(serviceRole, owner.Username, StringComparison.Ordinal))
            {
                await EnsureServiceRoleAsync(lockConnection, serviceRole, service.Password, cancellationToken);
            }

            // Every script reads the service's role name from this setting of its session.
            owner.Options = $"{owner.Options} -c {ServiceRoleSetting}={serviceRole}".Trim();
            connectionString = owner.ConnectionString;
            var buildingBlocks = typeof(DatabaseMigrator).Assembly;
            Upgrade(connectionString, buildingBlocks, BuildingBlocksScripts, logger);
            if (keepsTrajectoryProjection)
            {
                Upgrade(connectionString, buildingBlocks, ProjectionScripts, logger);
            }

            Upgrade(connectionString, serviceAssembly, ServiceScripts, logger);
        }
        finally
        {
            // Released explicitly: a pooled connection keeps its session, and its locks, after it is closed.
            await using var unlockCommand = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", lockConnection);
            await unlockCommand.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Creates the service's login role, or sets its password again (the password is configuration and may change).
    /// Roles belong to the whole server, so two databases' migrators may race to create the same one.
    /// </summary>
    private static async Task EnsureServiceRoleAsync(
        NpgsqlConnection connection, string role, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(password))
        {
            throw new InvalidOperationException($"The service's connection string gives no password for role '{role}'.");
        }

        // CREATE ROLE takes no parameters: format() quotes the name and the password on the server.
        const string statements = """
            SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @role)
                THEN format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD %L', @role, @password)
                ELSE format('CREATE ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD %L', @role, @password)
            END
            """;
        for (var attempt = 1; ; attempt++)
        {
            await using var build = new NpgsqlCommand(statements, connection);
            build.Parameters.AddWithValue("role", role);
            build.Parameters.AddWithValue("password", password);
            var statement = (string)(await build.ExecuteScalarAsync(cancellationToken))!;
            try
            {
                await using var apply = new NpgsqlCommand(statement, connection);
                await apply.ExecuteNonQueryAsync(cancellationToken);
                return;
            }
            catch (PostgresException exception) when (attempt < 3
                && exception.SqlState is PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.InternalError)
            {
                // Another database's migrator created it (or changed it) a moment before: try again, now with ALTER.
            }
        }
    }

    private static void Upgrade(string connectionString, Assembly assembly, string scriptsIn, ILogger logger)
    {
        var upgrader = DeployChanges.To
            .PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(assembly, name => name.Contains(scriptsIn, StringComparison.Ordinal))
            .WithTransactionPerScript()
            .JournalToPostgresqlTable("public", "schema_versions")
            .LogToNowhere()
            .Build();

        var result = upgrader.PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException(
                $"Migration script {result.ErrorScript?.Name} failed: {result.Error?.Message}", result.Error);
        }

        foreach (SqlScript script in result.Scripts)
        {
            logger.LogInformation("Applied migration {Script}", script.Name);
        }
    }

    /// <summary>Every script the migrator applies for this service, by the name its journal keeps (the resource name).</summary>
    public static IReadOnlyList<string> ScriptNames(Assembly serviceAssembly, bool keepsTrajectoryProjection)
    {
        ArgumentNullException.ThrowIfNull(serviceAssembly);
        var buildingBlocks = typeof(DatabaseMigrator).Assembly.GetManifestResourceNames();
        return
        [
            .. buildingBlocks.Where(name => name.Contains(BuildingBlocksScripts, StringComparison.Ordinal)),
            .. keepsTrajectoryProjection ? buildingBlocks.Where(name => name.Contains(ProjectionScripts, StringComparison.Ordinal)) : [],
            .. serviceAssembly.GetManifestResourceNames().Where(name => name.Contains(ServiceScripts, StringComparison.Ordinal)),
        ];
    }

    /// <summary>
    /// Waits until the migration job has applied every script this executable carries, read from the journal with
    /// the service's own connection. Until the job has created the service's role, granted it the journal
    /// (building blocks' script 0003) and applied the rest, each look fails or comes up short, and is tried again.
    /// </summary>
    public static async Task WaitForMigrationJobAsync(
        ServiceDescription service, string serviceConnectionString, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(logger);
        var expected = ScriptNames(service.Assembly, service.KeepsTrajectoryProjection);
        // Unpooled: a refused login (the role not made yet) must not linger in the pool the service uses afterwards.
        var connectionString = new NpgsqlConnectionStringBuilder(serviceConnectionString) { Pooling = false }.ConnectionString;
        var started = DateTime.UtcNow;
        string? waitingFor = null;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT scriptname FROM schema_versions", connection);
                var applied = new HashSet<string>(StringComparer.Ordinal);
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        applied.Add(reader.GetString(0));
                    }
                }

                var missing = expected.Where(script => !applied.Contains(script)).ToList();
                if (missing.Count == 0)
                {
                    logger.LogInformation(
                        "Migrations of {Database} applied by its migration job ({Scripts} scripts; waited {Waited:0.0} s)",
                        service.DatabaseName, expected.Count, (DateTime.UtcNow - started).TotalSeconds);
                    return;
                }

                waitingFor = $"{missing.Count} of {expected.Count} scripts not applied yet, the first {missing[0]}";
            }
            catch (NpgsqlException exception)
            {
                // The role, the database or the journal's grant is not there yet: the job is still at work.
                waitingFor = exception.Message;
            }

            if (DateTime.UtcNow - started > timeout)
            {
                throw new InvalidOperationException(
                    $"The migration job of {service.DatabaseName} has not applied this version's scripts within {timeout} ({waitingFor}). Did the job fail?");
            }

            await Task.Delay(MigrationJobPollInterval, cancellationToken);
        }
    }

    private static async Task<NpgsqlConnection> OpenWithRetryAsync(
        string connectionString, ILogger logger, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                return connection;
            }
            catch (NpgsqlException exception) when (DateTime.UtcNow < deadline)
            {
                logger.LogWarning(exception, "Database not reachable yet; retrying");
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }
}
