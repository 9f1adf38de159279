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
    /// <c>Database:Migrations</c> = <c>Job</c>: a migration job has applied the scripts before this service started
    /// (the AppHost starts the service once its job has completed), so the service does not migrate and needs no
    /// owner connection.
    /// </summary>
    public const string MigrationsSetting = "Database:Migrations";

    public const string MigratedByJob = "Job";

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
            logger.LogInformation("Migrations of {Database} are applied by its migration job", service.DatabaseName);
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
            Upgrade(connectionString, buildingBlocks, "Participatie.BuildingBlocks.Migrations.", logger);
            if (keepsTrajectoryProjection)
            {
                Upgrade(connectionString, buildingBlocks, "Participatie.BuildingBlocks.Trajectories.Migrations.", logger);
            }

            Upgrade(connectionString, serviceAssembly, ".Migrations.", logger);
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
