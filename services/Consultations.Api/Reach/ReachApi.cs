using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.Domain;

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
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Ok<ReachReport>> GetReach(
        VisibleConsultation visible, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);

        var residents = (await connection.QueryAsync<ConcernedResident>(new CommandDefinition(
            """
            SELECT r.language AS Language, r.age_band AS AgeBand, r.tenure AS Tenure, r.buurt_code AS BuurtCode,
                   EXISTS (SELECT 1 FROM reactions x WHERE x.consultation_id = @ConsultationId AND x.resident_id = r.resident_id) AS Responded
            FROM residents_concerned r
            WHERE CASE WHEN @AddressScoped
                       THEN EXISTS (SELECT 1 FROM consultation_audience a WHERE a.consultation_id = @ConsultationId AND a.resident_id = r.resident_id)
                       ELSE r.buurt_code = @BuurtCode END
            """,
            new { ConsultationId = visible.Consultation.Id, visible.Consultation.BuurtCode, visible.Consultation.AddressScoped },
            cancellationToken: services.Cancellation))).AsList();
        return TypedResults.Ok(ReachAnalysis.Analyse(residents));
    }
}
