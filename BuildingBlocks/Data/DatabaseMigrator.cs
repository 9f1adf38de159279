using System.Reflection;
using DbUp;
using DbUp.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Participatie.BuildingBlocks.Data;

/// <summary>
/// Applies the versioned SQL scripts embedded in the building blocks (outbox, inbox) and in the service itself,
/// journaled in <c>schema_versions</c>. Runs before the service takes traffic.
/// </summary>
public static class DatabaseMigrator
{
    // Any constant works; it only has to be the same for every instance of every service.
    private const long MigrationLockKey = 0x50415254_49434950;

    public static async Task MigrateDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        var service = app.Services.GetRequiredService<ServiceDescription>();
        var connectionString = app.Configuration.GetConnectionString(service.DatabaseName)
            ?? throw new InvalidOperationException($"Connection string '{service.DatabaseName}' is missing.");
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseMigrator));
        await MigrateAsync(connectionString, service.Assembly, logger, service.KeepsTrajectoryProjection, cancellationToken);
    }

    public static async Task MigrateAsync(
        string connectionString,
        Assembly serviceAssembly,
        ILogger logger,
        bool keepsTrajectoryProjection = false,
        CancellationToken cancellationToken = default)
    {
        await using var lockConnection = await OpenWithRetryAsync(connectionString, logger, cancellationToken);
        // Two instances starting at once must not both apply the same script.
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", lockConnection))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
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
