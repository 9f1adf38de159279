using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using Participatie.Residents.AccessLog;
using Participatie.Residents.Areas;
using Participatie.Residents.Bulk;
using Participatie.Residents.Registration;
using Participatie.Residents.Registry;

namespace Participatie.Residents.Residents;

/// <summary>The residents API: one route group, each feature mapping its own endpoints into it.</summary>
public static class ResidentsApi
{
    public static IEndpointRouteBuilder MapResidentsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/residents", "Residents");

        api.MapRegistration();
        api.MapBulkRegistration();
        api.MapGet("/aggregates", GetAggregates)
            .WithName("GetResidentAggregates")
            .WithSummary("Count the residents of a buurt by language and channel: what every partner may see inside its own areas (403 naming buurtCode outside them)")
            .WithDescription(SmallCount.Rule);
        api.MapResidentList();

        // One resident: only the partners linked to them reach it (404 for others), decided once for the group.
        var resident = api.MapGroup("/{residentId:guid}").WithAccessCheck<LinkedResidentCheck>();
        resident.MapGet("", GetResident)
            .WithName("GetResident")
            .WithSummary("Read a resident's personal data (any partner linked to the resident); every read is logged")
            .ProducesProblem(StatusCodes.Status404NotFound);
        resident.MapAccessLog();
        resident.MapRegistry();
        return routes;
    }

    /// <summary>The longest purpose of a read the access log keeps.</summary>
    public const int MaximumPurposeLength = 200;

    internal static async Task<Results<Ok<ResidentResponse>, ValidationProblem>> GetResident(
        LinkedResident linked,
        [FromQuery][System.ComponentModel.DataAnnotations.StringLength(MaximumPurposeLength)] string? purpose,
        HttpContext httpContext,
        UnitOfWorkFactory unitOfWork,
        CancellationToken cancellationToken)
    {
        if (purpose is { Length: > MaximumPurposeLength })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["purpose"] = [$"'purpose' must be at most {MaximumPurposeLength} characters."],
            });
        }

        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var resident = await ResidentQueries.GetAsync(work, linked.Id, cancellationToken);
        // The read and its record commit together: no personal data leaves without a trace.
        await AccessLogStore.LogAsync(work, linked.Id, AccessLogCaller.From(httpContext.User), "read", purpose ?? "unspecified", cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(resident);
    }

    internal static async Task<Results<Ok<ResidentAggregates>, ProblemHttpResult>> GetAggregates(
        [AsParameters] AggregatesQuery query, ClaimsPrincipal user, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        if (!(await CallerAreas.LoadAsync(connection, null, user, cancellationToken)).Includes(query.BuurtCode!))
        {
            return CallerAreas.RefuseCount(query.BuurtCode!);
        }

        var rows = (await connection.QueryAsync<(string Dimension, string Value, int Count)>(new CommandDefinition(
            """
            SELECT 'language', preferred_language, count(*)::int FROM residents WHERE buurt_code = @BuurtCode GROUP BY preferred_language
            UNION ALL
            SELECT 'channel', preferred_channel, count(*)::int FROM residents WHERE buurt_code = @BuurtCode GROUP BY preferred_channel
            ORDER BY 1, 2
            """,
            new { query.BuurtCode }, cancellationToken: cancellationToken))).AsList();
        // The languages add up to the total and so do the channels: both are groups of the suppression. The caller sees
        // other partners' residents only as these counts and may ask after every registration, so they are rounded to 5.
        var languages = rows.Where(row => row.Dimension == "language").ToList();
        var channels = rows.Where(row => row.Dimension == "channel").ToList();
        var shown = new SmallCountSuppression([languages.Sum(row => (long)row.Count), .. languages.Select(row => (long)row.Count), .. channels.Select(row => (long)row.Count)])
            .Group(Enumerable.Range(1, languages.Count))
            .Group(Enumerable.Range(1 + languages.Count, channels.Count))
            .Apply(CountRounding.ToFive);
        return TypedResults.Ok(new ResidentAggregates(
            query.BuurtCode!,
            shown[0],
            languages.Select((row, index) => (row, index)).ToDictionary(pair => pair.row.Value, pair => shown[1 + pair.index], StringComparer.Ordinal),
            channels.Select((row, index) => (row, index)).ToDictionary(pair => pair.row.Value, pair => shown[1 + languages.Count + pair.index], StringComparer.Ordinal)));
    }
}
