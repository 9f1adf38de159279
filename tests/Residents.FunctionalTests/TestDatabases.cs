using Dapper;
using Npgsql;
using Participatie.Testing;

namespace Participatie.Residents.FunctionalTests;

/// <summary>A fresh database of a test's own on the shared PostgreSQL server.</summary>
public static class TestDatabases
{
    public static async Task<string> CreateAsync(PlatformContainers containers, string name)
    {
        await using var admin = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        await admin.ExecuteAsync($"CREATE DATABASE {name}");
        return new NpgsqlConnectionStringBuilder(containers.Postgres.GetConnectionString()) { Database = name }.ConnectionString;
    }
}
