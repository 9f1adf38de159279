using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Participatie.BuildingBlocks.Http;

namespace Participatie.Notifications.Apis;

public static class NotificationsApi
{
    private const string SelectNotification = """
        SELECT id, resident_id AS ResidentId, kind, subject_id AS SubjectId, language, channel, title, body, status,
               created_at AS CreatedAt
        FROM notifications
        """;

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/notifications", "Notifications");

        api.MapGet("", ListNotifications)
            .WithName("ListNotifications")
            .WithSummary("List notifications, oldest first, for a resident and/or a subject (consultation or reaction)");
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
        NpgsqlDataSource database,
        CancellationToken cancellationToken)
    {
        const string filter = """
            WHERE (@ResidentId::uuid IS NULL OR resident_id = @ResidentId)
              AND (@SubjectId::uuid IS NULL OR subject_id = @SubjectId)
            """;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            {SelectNotification} {filter} ORDER BY created_at, id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM notifications {filter};
            """,
            new { ResidentId = residentId, SubjectId = subjectId, page.Offset, page.Size }, cancellationToken: cancellationToken));
        var notifications = (await results.ReadAsync<NotificationResponse>()).AsList();
        return TypedResults.Ok(page.ToPage<NotificationResponse>(notifications, await results.ReadSingleAsync<long>()));
    }

    internal static async Task<Results<Ok<NotificationResponse>, ProblemHttpResult>> GetNotification(
        Guid notificationId, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var notification = await connection.QuerySingleOrDefaultAsync<NotificationResponse>(new CommandDefinition(
            $"{SelectNotification} WHERE id = @NotificationId", new { NotificationId = notificationId }, cancellationToken: cancellationToken));
        return notification is null ? Problems.NotFound("notification", notificationId) : TypedResults.Ok(notification);
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

    public required string Language { get; init; }

    public required string Channel { get; init; }

    public required string Title { get; init; }

    public required string Body { get; init; }

    public required string Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
