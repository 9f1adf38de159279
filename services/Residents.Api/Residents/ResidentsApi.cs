using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Residents.AccessLog;
using Participatie.Residents.Bulk;
using Participatie.Residents.Registration;

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
            .WithSummary("Count the residents of a buurt by language and channel: what every partner may see");
        api.MapGet("/{residentId:guid}", GetResident)
            .WithName("GetResident")
            .WithSummary("Read a resident's personal data (the partner that registered the resident); every read is logged")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapAccessLog();
        return routes;
    }

    internal static async Task<Results<Ok<ResidentResponse>, ProblemHttpResult>> GetResident(
        Guid residentId,
        [FromQuery] string? purpose,
        HttpContext httpContext,
        UnitOfWorkFactory unitOfWork,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var resident = await work.Connection.QuerySingleOrDefaultAsync<ResidentResponse>(new CommandDefinition(
            """
            SELECT id, full_name AS FullName, postcode, house_number AS HouseNumber,
                   house_number_suffix AS HouseNumberSuffix, buurt_code AS BuurtCode, email,
                   phone_number AS PhoneNumber, preferred_language AS PreferredLanguage,
                   preferred_channel AS PreferredChannel, birth_year AS BirthYear, tenure, street, city,
                   digest_frequency AS DigestFrequency, registered_at AS RegisteredAt,
                   registered_by_partner_id AS RegisteredByPartnerId
            FROM residents WHERE id = @ResidentId AND registered_by_partner_id = @PartnerId
            """,
            new { ResidentId = residentId, PartnerId = httpContext.User.GetPartnerId() }, work.Transaction, cancellationToken: cancellationToken));
        if (resident is null)
        {
            // Another partner's resident is, to the caller, no resident at all.
            return Problems.NotFound("resident", residentId);
        }

        // The read and its record commit together: no personal data leaves without a trace.
        await AccessLogStore.LogAsync(work, residentId, AccessLogCaller.From(httpContext.User), "read", purpose ?? "unspecified", cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(resident);
    }

    internal static async Task<Ok<ResidentAggregates>> GetAggregates(
        [AsParameters] AggregatesQuery query, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(string Dimension, string Value, int Count)>(new CommandDefinition(
            """
            SELECT 'language', preferred_language, count(*)::int FROM residents WHERE buurt_code = @BuurtCode GROUP BY preferred_language
            UNION ALL
            SELECT 'channel', preferred_channel, count(*)::int FROM residents WHERE buurt_code = @BuurtCode GROUP BY preferred_channel
            """,
            new { query.BuurtCode }, cancellationToken: cancellationToken))).AsList();
        Dictionary<string, int> Of(string dimension) =>
            rows.Where(row => row.Dimension == dimension).ToDictionary(row => row.Value, row => row.Count, StringComparer.Ordinal);
        var byLanguage = Of("language");
        return TypedResults.Ok(new ResidentAggregates(query.BuurtCode!, byLanguage.Values.Sum(), byLanguage, Of("channel")));
    }
}
