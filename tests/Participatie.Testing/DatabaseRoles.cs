using Npgsql;

namespace Participatie.Testing;

/// <summary>
/// A service under test connects as its own login role, as in the AppHost: the migrations run with the container's
/// superuser connection (the schema's owner), the service with a role named after its database that may only read
/// and write rows there (created by the service's migrator).
/// </summary>
public static class DatabaseRoles
{
    /// <summary>The password every test service role gets; the roles themselves differ per database.</summary>
    public const string ServicePassword = "test-service-role-password";

    /// <summary>The role a service on this database connects as.</summary>
    public static string ServiceRole(string ownerConnectionString) =>
        $"{new NpgsqlConnectionStringBuilder(ownerConnectionString).Database}_service";

    /// <summary>The owner's connection string with the service's role and password instead.</summary>
    public static string ServiceConnectionString(string ownerConnectionString) =>
        new NpgsqlConnectionStringBuilder(ownerConnectionString)
        {
            Username = ServiceRole(ownerConnectionString),
            Password = ServicePassword,
        }.ConnectionString;
}
