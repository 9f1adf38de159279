using System.Net.Sockets;
using Npgsql;
using Participatie.BuildingBlocks.Http;

namespace Participatie.UnitTests;

/// <summary>Which failures make a service answer 503 with Retry-After (the database is away) rather than 500.</summary>
public sealed class DatabaseFailuresTests
{
    [Theory]
    [InlineData("57P01")] // admin shutdown: PostgreSQL is stopping
    [InlineData("57P02")] // crash shutdown
    [InlineData("57P03")] // cannot connect now: still starting
    [InlineData("08006")] // connection failure
    [InlineData("08001")] // unable to connect
    [InlineData("53300")] // too many connections
    public void A_server_that_is_going_away_or_not_yet_there_is_unavailable(string sqlState) =>
        Assert.True(DatabaseFailures.IsUnavailable(new PostgresException("going away", "FATAL", "FATAL", sqlState)));

    [Theory]
    [InlineData("40P01")] // deadlock: this request's bad luck, the database is fine
    [InlineData("40001")] // serialization failure
    [InlineData("23505")] // unique violation
    [InlineData("42P01")] // undefined table: a bug, not an outage
    public void A_statement_that_failed_is_not_the_database_being_away(string sqlState) =>
        Assert.False(DatabaseFailures.IsUnavailable(new PostgresException("failed", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void A_refused_connection_a_timeout_and_a_wrapped_one_are_unavailable()
    {
        var refused = new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused));
        Assert.True(DatabaseFailures.IsUnavailable(refused));
        Assert.True(DatabaseFailures.IsUnavailable(new NpgsqlException("The connection pool has been exhausted", new TimeoutException())));
        Assert.True(DatabaseFailures.IsUnavailable(new InvalidOperationException("while loading", refused)));
    }

    [Fact]
    public void Other_failures_are_not()
    {
        Assert.False(DatabaseFailures.IsUnavailable(new InvalidOperationException("a bug")));
        Assert.False(DatabaseFailures.IsUnavailable(new NpgsqlException("bad parameter")));
    }
}
