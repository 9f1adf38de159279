using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Trajectories;
using Participatie.Notifications.Residents;

namespace Participatie.Notifications.Notifications;

public static class NotificationsApi
{
    internal const string SelectNotification = """
        SELECT id, resident_id AS ResidentId, kind, subject_id AS SubjectId, trajectory_id AS TrajectoryId, language, channel, title, body, status,
               created_at AS CreatedAt, consultation_id AS ConsultationId, attempts, next_attempt_at AS NextAttemptAt, sent_at AS SentAt,
               completed_at AS CompletedAt, fallback_for AS FallbackFor, digest_id AS DigestId
        FROM notifications
        """;

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapApiGroup("/v1/notifications", "Notifications")
            .MapGet("", ListNotifications)
            .WithName("ListNotifications")
            .WithSummary("List the notifications of the caller's trajectories to the residents it registered, oldest first, for a resident and/or a subject (consultation or reaction)")
            .WithDescription(
                "Only the notifications to residents the caller registered (or was linked to): another partner's residents' ids, language and "
                + "channel are not shown; their numbers are in GET /v1/notifications/consultations/{consultationId}/delivery-counts.");
        routes.MapApiGroup("/v1/notifications/{notificationId:guid}", "Notifications")
            .WithNotificationAccess()
            .MapGet("", GetNotification)
            .WithName("GetNotification")
            .WithSummary("Read one notification")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Ok<Page<NotificationResponse>>> ListNotifications(
        [FromQuery] Guid? residentId, [FromQuery] Guid? subjectId, [AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        // Only the notifications of trajectories the caller takes part in, from this service's projection of them, and
        // only to its own residents: a title in Turkish to a pseudonymous id is already more than another partner may know.
        const string filter = $"""
            WHERE trajectory_id IN ({TrajectoryProjection.CallerTrajectories})
              AND {ResidentPartners.CallerRegisteredResident}
              AND (@ResidentId::uuid IS NULL OR resident_id = @ResidentId)
              AND (@SubjectId::uuid IS NULL OR subject_id = @SubjectId)
            """;
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        return TypedResults.Ok(await connection.QueryPageAsync<NotificationResponse>(page, new CommandDefinition(
            $"""
            {SelectNotification} {filter} ORDER BY created_at, id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM notifications {filter};
            """,
            new { CallerPartnerId = services.PartnerId, ResidentId = residentId, SubjectId = subjectId, page.Offset, page.Size },
            cancellationToken: services.Cancellation)));
    }

    internal static Ok<NotificationResponse> GetNotification(VisibleNotification visible) => TypedResults.Ok(visible.Notification);
}
