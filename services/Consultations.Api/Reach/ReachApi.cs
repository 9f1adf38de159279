using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Time;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.Domain;
using Participatie.Contracts;

namespace Participatie.Consultations.Reach;

/// <summary>
/// Whom a consultation reaches, and whom it misses, from pseudonymous attributes only: against the residents of its
/// buurt, or, for a consultation meant for some addresses, against the residents the residents service named there.
/// </summary>
public static class ReachApi
{
    public static IEndpointRouteBuilder MapReachApi(this IEndpointRouteBuilder routes)
    {
        routes.MapApiGroup("/v1/consultations/{consultationId:guid}/reach", "Reach")
            .WithConsultationAccess()
            .MapGet("", GetReach)
            .WithName("GetConsultationReach")
            .WithSummary("Participation by language, age band, tenure and buurt against the residents concerned; groups far below their share are flagged")
            .WithDescription(SmallCount.Rule)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Ok<ReachReport>> GetReach(
        VisibleConsultation visible, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);

        var rows = (await connection.QueryAsync<ConcernedRow>(new CommandDefinition(
            """
            SELECT r.language AS Language, r.age_band AS AgeBand, r.birth_year AS BirthYear, r.tenure AS Tenure, r.buurt_code AS BuurtCode,
                   EXISTS (SELECT 1 FROM reactions x WHERE x.consultation_id = @ConsultationId AND x.resident_id = r.resident_id) AS Responded
            FROM residents_concerned r
            WHERE CASE WHEN @AddressScoped
                       THEN EXISTS (SELECT 1 FROM consultation_audience a WHERE a.consultation_id = @ConsultationId AND a.resident_id = r.resident_id)
                       ELSE r.buurt_code = @BuurtCode END
            """,
            new { ConsultationId = visible.Consultation.Id, visible.Consultation.BuurtCode, visible.Consultation.AddressScoped },
            cancellationToken: services.Cancellation))).AsList();
        // The age band as it is today, from the birth year; a resident known only by a stored band keeps that one.
        var currentYear = AmsterdamClock.Today(services.Clock).Year;
        var residents = rows
            .Select(row => new ConcernedResident(
                row.Language, row.BirthYear is null ? row.AgeBand : AgeBands.Of(row.BirthYear, currentYear), row.Tenure, row.BuurtCode, row.Responded))
            .ToList();
        return TypedResults.Ok(ReachAnalysis.Analyse(residents));
    }

    private sealed record ConcernedRow(string Language, string AgeBand, int? BirthYear, string Tenure, string BuurtCode, bool Responded);
}
