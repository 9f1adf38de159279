using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Domain;

namespace Participatie.Consultations.Apis;

/// <summary>
/// Whom a consultation reaches, and whom it misses, from pseudonymous attributes only: against the residents of its
/// buurt, or, for a consultation meant for some addresses, against the residents the residents service named there.
/// </summary>
public static class ReachApi
{
    public static IEndpointRouteBuilder MapReachApi(this IEndpointRouteBuilder routes)
    {
        routes.MapApiGroup("/v1/consultations/{consultationId:guid}/reach", "Reach")
            .MapGet("", GetReach)
            .WithName("GetConsultationReach")
            .WithSummary("Participation by language, age band, tenure and buurt against the residents concerned; groups far below their share are flagged")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Results<Ok<ReachReport>, ProblemHttpResult>> GetReach(
        Guid consultationId, TrajectoryDirectory trajectories, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var visible = await ConsultationAccess.FindVisibleAsync(connection, null, consultationId, trajectories, cancellationToken);
        if (visible is null)
        {
            return Problems.NotFound("consultation", consultationId);
        }

        var residents = (await connection.QueryAsync<ConcernedResident>(new CommandDefinition(
            """
            SELECT r.language AS Language, r.age_band AS AgeBand, r.tenure AS Tenure, r.buurt_code AS BuurtCode,
                   EXISTS (SELECT 1 FROM reactions x WHERE x.consultation_id = @ConsultationId AND x.resident_id = r.resident_id) AS Responded
            FROM residents_concerned r
            WHERE CASE WHEN @AddressScoped
                       THEN EXISTS (SELECT 1 FROM consultation_audience a WHERE a.consultation_id = @ConsultationId AND a.resident_id = r.resident_id)
                       ELSE r.buurt_code = @BuurtCode END
            """,
            new { ConsultationId = consultationId, visible.Consultation.BuurtCode, visible.Consultation.AddressScoped },
            cancellationToken: cancellationToken))).AsList();
        return TypedResults.Ok(ReachAnalysis.Analyse(residents));
    }
}
