using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.Consultations.Domain;

namespace Participatie.Consultations.SupportMeasurements;

/// <summary>The wrong voting codes per measurement and client address (<see cref="WrongCodeLimit"/>), kept in the database so every instance counts alike.</summary>
internal static class WrongCodeAttempts
{
    /// <summary>
    /// The client address as the gateway passed it on (the first X-Forwarded-For entry), else the connection's. A caller
    /// that bypasses the gateway can name another address, but each wrong code still costs it a request.
    /// </summary>
    public static string ClientAddress(HttpContext context)
    {
        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
        var first = forwarded.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return first ?? context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    /// <summary>429 with Retry-After when this client has had too many wrong codes for the measurement; null when it may try.</summary>
    public static async Task<ProblemHttpResult?> RefuseIfLockedAsync(
        NpgsqlDataSource database, Guid measurementId, string clientAddress, DateTimeOffset now, HttpContext context, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var attempts = (await connection.QueryAsync<DateTimeOffset>(new CommandDefinition(
            """
            SELECT attempted_at FROM support_code_attempts
            WHERE measurement_id = @MeasurementId AND client_address = @ClientAddress AND attempted_at > @Since
            ORDER BY attempted_at
            """,
            new { MeasurementId = measurementId, ClientAddress = clientAddress, Since = now - WrongCodeLimit.Window },
            cancellationToken: cancellationToken))).AsList();
        if (WrongCodeLimit.WaitFor(attempts, now) is not { } wait)
        {
            return null;
        }

        var seconds = (int)Math.Ceiling(wait.TotalSeconds);
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many wrong voting codes.",
            detail: $"{WrongCodeLimit.MaximumWrongCodes} wrong codes were given for this support measurement within {WrongCodeLimit.Window.TotalMinutes} minutes; try again in {seconds} seconds.",
            type: "https://www.rfc-editor.org/rfc/rfc6585#section-4");
    }

    /// <summary>Counts a wrong code, in its own transaction (the vote's was rolled back), and forgets tries that left the window.</summary>
    public static async Task RecordAsync(NpgsqlDataSource database, Guid measurementId, string clientAddress, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO support_code_attempts (measurement_id, client_address, attempted_at) VALUES (@MeasurementId, @ClientAddress, @Now);
            DELETE FROM support_code_attempts WHERE attempted_at <= @Since;
            """,
            new { MeasurementId = measurementId, ClientAddress = clientAddress, Now = now, Since = now - WrongCodeLimit.Window },
            cancellationToken: cancellationToken));
    }
}
