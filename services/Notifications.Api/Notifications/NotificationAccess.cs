using System.Security.Claims;
using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Trajectories;
using Participatie.Notifications.Residents;

namespace Participatie.Notifications.Notifications;

/// <summary>A notification the caller may read: it takes part in the trajectory the notification is about.</summary>
public sealed record VisibleNotification(NotificationResponse Notification)
{
    public static ValueTask<VisibleNotification?> BindAsync(HttpContext context) => RouteAccess.Loaded<VisibleNotification>(context);
}

/// <summary>
/// Only the partners of the notification's trajectory that registered its resident learn that it exists (404 for
/// everyone else).
/// </summary>
public sealed class NotificationAccessCheck(NpgsqlDataSource database) : RouteAccessCheck<VisibleNotification>("notificationId", "notification")
{
    protected override async Task<VisibleNotification?> LoadAsync(HttpContext context, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var notification = await connection.QuerySingleOrDefaultAsync<NotificationResponse>(new CommandDefinition(
            $"""
            {NotificationsApi.SelectNotification}
            WHERE id = @NotificationId
              AND trajectory_id IN ({TrajectoryProjection.CallerTrajectories})
              AND {ResidentPartners.CallerRegisteredResident}
            """,
            new { NotificationId = id, CallerPartnerId = context.User.GetPartnerId() }, cancellationToken: cancellationToken));
        return notification is null ? null : new VisibleNotification(notification);
    }

    // Reading is all a partner does with a notification.
    protected override string? Refuse(VisibleNotification subject, string permission, ClaimsPrincipal user) => null;
}

public static class NotificationAccessExtensions
{
    public static RouteGroupBuilder WithNotificationAccess(this RouteGroupBuilder group)
    {
        return group.WithAccessCheck<NotificationAccessCheck>();
    }
}
