using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Domain;

namespace Participatie.Consultations.Trajectories;

/// <summary>What a trajectory promises its residents about consultations: within how many working days they are answered.</summary>
public static class TrajectorySettingsApi
{
    public static IEndpointRouteBuilder MapTrajectorySettingsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/consultations/trajectories/{trajectoryId:guid}/settings", "Consultations").WithTrajectoryAccess();
        api.MapGet("", GetTrajectorySettings)
            .WithName("GetTrajectorySettings")
            .WithSummary("Read a trajectory's consultation settings: within how many working days reactions are answered")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("", SetTrajectorySettings)
            .Requires(TrajectoryPermissions.Manage)
            .WithName("SetTrajectorySettings")
            .WithSummary("Set within how many working days (1 to 60) reactions in a trajectory are answered (its lead and co-owners); reactions received from now on get that deadline")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Ok<TrajectorySettingsResponse>> GetTrajectorySettings(
        VisibleTrajectory visible, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(await FindAsync(connection, null, visible.Trajectory.Id, cancellationToken));
    }

    internal static async Task<Ok<TrajectorySettingsResponse>> SetTrajectorySettings(
        VisibleTrajectory visible, SetTrajectorySettingsRequest request, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trajectory_settings (trajectory_id, answer_working_days, updated_by_partner_id, updated_at)
            VALUES (@TrajectoryId, @AnswerWorkingDays, @PartnerId, @Now)
            ON CONFLICT (trajectory_id) DO UPDATE
            SET answer_working_days = excluded.answer_working_days,
                updated_by_partner_id = excluded.updated_by_partner_id,
                updated_at = excluded.updated_at
            """,
            new { TrajectoryId = visible.Trajectory.Id, request.AnswerWorkingDays, services.PartnerId, Now = services.Clock.GetUtcNow() },
            work.Transaction, cancellationToken: services.Cancellation));
        var settings = await FindAsync(work.Connection, work.Transaction, visible.Trajectory.Id, services.Cancellation);
        await work.CommitAsync(services.Cancellation);
        return TypedResults.Ok(settings);
    }

    /// <summary>Within how many working days reactions in the trajectory are answered.</summary>
    internal static async Task<int> AnswerWorkingDaysAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid trajectoryId, CancellationToken cancellationToken) =>
        (await FindAsync(connection, transaction, trajectoryId, cancellationToken)).AnswerWorkingDays;

    private static async Task<TrajectorySettingsResponse> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid trajectoryId, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<TrajectorySettingsResponse>(new CommandDefinition(
            """
            SELECT trajectory_id AS TrajectoryId, answer_working_days AS AnswerWorkingDays, updated_at AS UpdatedAt
            FROM trajectory_settings WHERE trajectory_id = @TrajectoryId
            """,
            new { TrajectoryId = trajectoryId }, transaction, cancellationToken: cancellationToken))
        ?? new TrajectorySettingsResponse { TrajectoryId = trajectoryId, AnswerWorkingDays = AnswerDeadlines.DefaultWorkingDays };
}
