using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Participatie.BuildingBlocks.Data;

namespace Participatie.BuildingBlocks.DataProtection;

/// <summary>
/// The Data Protection key ring of a web client (the resident portal, the partner console: their sign-in and
/// antiforgery cookies, the console's pending sign-in) in a small PostgreSQL database of the client's own, encrypted
/// there as partner coordination's is (<see cref="SharedKeyRing"/>). Every replica of the client, on any node, reads the
/// same keys; a volume did that on one node only.
/// </summary>
/// <remarks>
/// The database is made like a service's: its table (<c>data_protection_keys</c>) by a versioned migration, which the
/// client's own executable applies as the database's owner when started with <c>--migrate-only</c> (a migration job),
/// while the client connects as a role of its own that may only read and add rows. The script lives in
/// <c>BuildingBlocks/DataProtection/Migrations/</c>, linked into each client's <c>Migrations/</c>.
/// </remarks>
public static class WebClientKeyRing
{
    /// <summary>The secret the key ring is encrypted under (at least 32 characters), one per client.</summary>
    public const string SecretSetting = "DataProtection:KeyEncryptionKey";

    /// <summary>The resident portal's application name and database.</summary>
    public static readonly WebClientStore ResidentPortal = new("resident-portal", "residentportaldb", "participatie-resident-portal");

    /// <summary>The partner console's application name and database.</summary>
    public static readonly WebClientStore PartnerConsole = new("partner-console", "partnerconsoledb", "participatie-partner-console");

    /// <summary>
    /// Applies the key ring database's migrations and returns true when the process was started as its migration job
    /// (<see cref="DatabaseMigrator.MigrateOnlyArgument"/>); returns false at once otherwise.
    /// </summary>
    public static Task<bool> RunAsMigrationJobAsync(WebClientStore client, Assembly clientAssembly, string[] args) =>
        DatabaseMigrator.RunAsMigrationJobAsync(Description(client, clientAssembly), args);

    /// <summary>
    /// Keeps the client's key ring in its database (connection string named <see cref="WebClientStore.DatabaseName"/>),
    /// encrypted with a key derived from <see cref="SecretSetting"/>; the database's health is part of the client's
    /// readiness, as it cannot issue or read a cookie without it.
    /// </summary>
    public static IDataProtectionBuilder AddWebClientKeyRing(this IHostApplicationBuilder builder, WebClientStore client, Assembly clientAssembly)
    {
        builder.Services.AddSingleton(Description(client, clientAssembly));
        builder.AddNpgsqlDataSource(client.DatabaseName);
        return builder.Services.AddSharedKeyRing(builder.Configuration, client.ApplicationName, SecretSetting);
    }

    /// <summary>
    /// Applies the migrations at start-up unless a migration job did (<c>Database:Migrations</c> = <c>Job</c>, as under
    /// the AppHost, the swarm stack and Kubernetes).
    /// </summary>
    public static Task MigrateKeyRingDatabaseAsync(this WebApplication app) => app.MigrateDatabaseAsync();

    private static ServiceDescription Description(WebClientStore client, Assembly clientAssembly) =>
        new(client.Name, client.DatabaseName, client.ApplicationName, clientAssembly);
}

/// <summary>Where one web client keeps its key ring.</summary>
/// <param name="Name">The client's resource name (<c>resident-portal</c>).</param>
/// <param name="DatabaseName">Its database and the name of its connection string.</param>
/// <param name="ApplicationName">
/// Its Data Protection application name: the same for every replica (whose content roots may differ), different from
/// any other application's, so that a payload of one client never opens in another.
/// </param>
public sealed record WebClientStore(string Name, string DatabaseName, string ApplicationName);
