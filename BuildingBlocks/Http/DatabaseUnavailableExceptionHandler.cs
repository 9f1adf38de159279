using System.Globalization;
using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Participatie.BuildingBlocks.Http;

/// <summary>
/// While the service's database is unreachable, restarting or shutting down, a request fails through no fault of its
/// own and would succeed a few seconds later: that is a 503 with <c>Retry-After</c> (problem+json), not a 500. Nothing
/// was acknowledged, because the transaction did not commit, so the client may safely send the request again.
/// </summary>
internal sealed partial class DatabaseUnavailableExceptionHandler(
    IProblemDetailsService problemDetails, ILogger<DatabaseUnavailableExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>Long enough for a restarting PostgreSQL or a failover, short enough that clients come back soon.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseFailures.IsUnavailable(exception))
        {
            return false;
        }

        LogDatabaseUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path.Value ?? string.Empty, exception.GetBaseException().Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The service is briefly unavailable.",
                Detail = $"The service cannot reach its database right now; nothing of this request was stored. Try again in {(int)RetryAfter.TotalSeconds} seconds.",
                Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the database is unavailable ({Reason})")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string method, string path, string reason);
}

/// <summary>Tells a database that is away from a statement that failed.</summary>
public static class DatabaseFailures
{
    /// <summary>
    /// True when the database itself is out of reach, not when the statement is wrong: a refused or broken connection,
    /// a connection or pool timeout, a server that is shutting down or not yet accepting connections. A deadlock or
    /// serialization failure (also "transient" to Npgsql) is the request's own bad luck and stays what it was.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    return IsUnavailableState(postgres.SqlState);
                case NpgsqlException npgsql when npgsql.IsTransient || HasInner<SocketException>(npgsql) || HasInner<TimeoutException>(npgsql):
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsUnavailable):
                    return true;
            }
        }

        return false;
    }

    private static bool IsUnavailableState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
        || sqlState.StartsWith("57P", StringComparison.Ordinal) // admin or crash shutdown, cannot connect now
        || sqlState == PostgresErrorCodes.TooManyConnections;

    private static bool HasInner<TException>(Exception exception) where TException : Exception
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is TException)
            {
                return true;
            }
        }

        return false;
    }
}
