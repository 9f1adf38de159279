using Npgsql;

namespace Participatie.Benchmark.Platform;

/// <summary>
/// Reads the services' own databases to see when something was stored: the benchmark's clock for work that happens
/// after an API call has answered (receipts, invitations). Read-only.
/// </summary>
internal sealed class PlatformDatabase(int port, string password)
{
    public async Task<long> CountAsync(string database, string sql, object parameter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(database, cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter("p", parameter) } };
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Rows of (key, count) for the query's one parameter <c>@p</c>, for example a count per status.</summary>
    public async Task<Dictionary<string, long>> CountsByAsync(string database, string sql, object parameter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(database, cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter("p", parameter) } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>Rows of (id, time) for the query's one parameter <c>@p</c>.</summary>
    public async Task<Dictionary<Guid, DateTimeOffset>> TimesByIdAsync(string database, string sql, object parameter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(database, cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter("p", parameter) } };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var times = new Dictionary<Guid, DateTimeOffset>();
        while (await reader.ReadAsync(cancellationToken))
        {
            times[reader.GetGuid(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return times;
    }

    private async Task<NpgsqlConnection> OpenAsync(string database, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder
        {
            Host = "localhost",
            Port = port,
            Username = "postgres",
            Password = password,
            Database = database,
            Pooling = false,
        }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
