using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;

namespace Participatie.Notifications.Apis;

public static class NotificationsApi
{
    private const string SelectNotification = """
        SELECT id, resident_id AS ResidentId, kind, subject_id AS SubjectId, trajectory_id AS TrajectoryId, language, channel, title, body, status,
               created_at AS CreatedAt
        FROM notifications
        """;

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/notifications", "Notifications");

        api.MapGet("", ListNotifications)
            .WithName("ListNotifications")
            .WithSummary("List the notifications of the caller's trajectories, oldest first, for a resident and/or a subject (consultation or reaction)");
        api.MapGet("/{notificationId:guid}", GetNotification)
            .WithName("GetNotification")
            .WithSummary("Read one notification")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Ok<Page<NotificationResponse>>> ListNotifications(
        [FromQuery] Guid? residentId,
        [FromQuery] Guid? subjectId,
        [AsParameters] PageQuery page,
        TrajectoryDirectory trajectories,
        NpgsqlDataSource database,
        CancellationToken cancellationToken)
    {
        var mine = (await trajectories.MineAsync(cancellationToken)).Select(trajectory => trajectory.Id).ToArray();
        const string filter = """
            WHERE trajectory_id = ANY(@Trajectories)
              AND (@ResidentId::uuid IS NULL OR resident_id = @ResidentId)
              AND (@SubjectId::uuid IS NULL OR subject_id = @SubjectId)
            """;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(await connection.QueryPageAsync<NotificationResponse>(page, new CommandDefinition(
            $"""
            {SelectNotification} {filter} ORDER BY created_at, id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM notifications {filter};
            """,
            new { Trajectories = mine, ResidentId = residentId, SubjectId = subjectId, page.Offset, page.Size }, cancellationToken: cancellationToken)));
    }

    internal static async Task<Results<Ok<NotificationResponse>, ProblemHttpResult>> GetNotification(
        Guid notificationId, TrajectoryDirectory trajectories, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var notification = await connection.QuerySingleOrDefaultAsync<NotificationResponse>(new CommandDefinition(
            $"{SelectNotification} WHERE id = @NotificationId", new { NotificationId = notificationId }, cancellationToken: cancellationToken));
        // Only the partners of the notification's trajectory learn that it exists.
        var visible = notification?.TrajectoryId is { } trajectoryId && await trajectories.FindAsync(trajectoryId, cancellationToken) is { MyRole: not null };
        return visible ? TypedResults.Ok(notification!) : Problems.NotFound("notification", notificationId);
    }
}

public sealed record NotificationResponse
{
    public required Guid Id { get; init; }

    /// <summary>Pseudonymous resident id.</summary>
    public required Guid ResidentId { get; init; }

    public required string Kind { get; init; }

    /// <summary>The consultation or reaction the notification is about.</summary>
    public required Guid SubjectId { get; init; }

    public Guid? TrajectoryId { get; init; }

    public required string Language { get; init; }

    public required string Channel { get; init; }

    public required string Title { get; init; }

    public required string Body { get; init; }

    public required string Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
