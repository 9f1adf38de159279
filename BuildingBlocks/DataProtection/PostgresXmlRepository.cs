using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Participatie.BuildingBlocks.DataProtection;

/// <summary>
/// The Data Protection key ring in the service's own PostgreSQL database (table <c>data_protection_keys</c>, made by
/// the service's migration), so that every replica reads the same keys: a cookie or antiforgery token protected by
/// one replica is read by the other, on one node or many, under Docker Swarm or Kubernetes, without a shared volume.
/// Elements arrive here already encrypted (<see cref="KeyRingEncryptor"/>).
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource database) : IXmlRepository
{
    // The framework calls these synchronously (at the first protect or unprotect, and when it makes a key); a
    // handful of rows, read rarely.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.OpenConnection();
        return [.. connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, friendly_name").Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.OpenConnection();
        // Two replicas that make a key at the same moment each store their own (different names); the key manager
        // then uses the one with the latest activation, on both. A name stored twice keeps the first.
        connection.Execute(
            "INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES (@FriendlyName, @Xml, now()) ON CONFLICT (friendly_name) DO NOTHING",
            new { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}
