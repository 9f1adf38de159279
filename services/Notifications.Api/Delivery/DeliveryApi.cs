using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Trajectories;
using Participatie.Contracts;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Notifications;
using Participatie.Notifications.Residents;

namespace Participatie.Notifications.Delivery;

/// <summary>One step on a notification's way: an attempt and how it ended, a hold, a report, a fallback.</summary>
public sealed record DeliveryEventResponse
{
    public required DateTimeOffset OccurredAt { get; init; }

    public required int Attempt { get; init; }

    [Vocabulary(typeof(Channels))]
    public required string Channel { get; init; }

    /// <summary>sent, delivered, retry-scheduled, failed, bounced, held-for-quiet-hours, fallback-created, joined-into-digest.</summary>
    [Vocabulary(typeof(DeliveryEvents))]
    public required string Event { get; init; }

    public string? Detail { get; init; }
}

/// <summary>
/// How many of a consultation's notifications are on each channel in each status. A notification goes to one resident,
/// so these are counts of residents: they follow <see cref="SmallCount.Rule"/> (the cells add up to the total), rounded to 5,
/// since a partner sees only its own residents' notifications one by one and may ask again after every delivery.
/// </summary>
public sealed record DeliveryCountsResponse
{
    public required Guid ConsultationId { get; init; }

    public required SmallCount Total { get; init; }

    public required IReadOnlyList<DeliveryCount> Counts { get; init; }
}

public sealed record DeliveryCount
{
    [Vocabulary(typeof(Channels))]
    public required string Channel { get; init; }

    [Vocabulary(typeof(DeliveryStatuses))]
    public required string Status { get; init; }

    public required SmallCount Count { get; init; }
}

/// <summary>An item of the resident's own app feed: what they were told, in their language, without how it was delivered.</summary>
public sealed record MyNotificationResponse
{
    public required Guid Id { get; init; }

    /// <summary>What it is about: invitation, receipt, answer, meeting reminder, phase news, digest.</summary>
    [Vocabulary(typeof(NotificationKinds))]
    public required string Kind { get; init; }

    /// <summary>The consultation or reaction the notification is about.</summary>
    public required Guid SubjectId { get; init; }

    public Guid? ConsultationId { get; init; }

    [Vocabulary(typeof(Languages))]
    public required string Language { get; init; }

    public required string Title { get; init; }

    public required string Body { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it reached the feed.</summary>
    public DateTimeOffset? DeliveredAt { get; init; }
}

public static class DeliveryApi
{
    public static IEndpointRouteBuilder MapDeliveryApi(this IEndpointRouteBuilder routes)
    {
        routes.MapApiGroup("/v1/notifications/consultations/{consultationId:guid}", "Notifications")
            .MapGet("/delivery-counts", GetDeliveryCounts)
            .WithName("GetDeliveryCounts")
            .WithSummary("Count a consultation's notifications by channel and delivery status")
            .WithDescription(SmallCount.Rule)
            .ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapApiGroup("/v1/notifications/residents/{residentId:guid}", "Notifications")
            .MapGet("/feed", GetFeed)
            .WithName("GetResidentFeed")
            .WithSummary("A resident's app feed, newest first: the notifications that went to the app, for a partner's app to show")
            .ProducesProblem(StatusCodes.Status404NotFound);
        // The same feed for the resident themselves: their own items only, whatever trajectory they came from.
        routes.MapApiGroup("/v1/me/notifications", "Me", AuthenticationExtensions.ResidentPolicy)
            .MapGet("", GetMyFeed)
            .WithName("GetMyNotifications")
            .WithSummary("My app feed, newest first: the notifications that went to the app, in my language");
        routes.MapApiGroup("/v1/notifications/{notificationId:guid}", "Notifications")
            .WithNotificationAccess()
            .MapGet("/delivery-events", GetDeliveryEvents)
            .WithName("GetDeliveryEvents")
            .WithSummary("A notification's delivery history: each attempt and how it ended, holds, reports and fallbacks")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Ok<IReadOnlyList<DeliveryEventResponse>>> GetDeliveryEvents(VisibleNotification visible, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var events = await connection.QueryAsync<DeliveryEventResponse>(new CommandDefinition(
            """
            SELECT occurred_at AS OccurredAt, attempt, channel, event, detail
            FROM delivery_events WHERE notification_id = @NotificationId ORDER BY id
            """,
            new { NotificationId = visible.Notification.Id }, cancellationToken: services.Cancellation));
        return TypedResults.Ok<IReadOnlyList<DeliveryEventResponse>>([.. events]);
    }

    internal static async Task<Results<Ok<DeliveryCountsResponse>, ProblemHttpResult>> GetDeliveryCounts(
        Guid consultationId, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var parameters = new { ConsultationId = consultationId, CallerPartnerId = services.PartnerId };
        var visible = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"""
            SELECT EXISTS (SELECT 1 FROM consultations
                           WHERE consultation_id = @ConsultationId AND trajectory_id IN ({TrajectoryProjection.CallerTrajectories}))
            """,
            parameters, cancellationToken: services.Cancellation));
        if (!visible)
        {
            return Problems.NotFound("consultation", consultationId);
        }

        var counts = (await connection.QueryAsync<ChannelStatusCount>(new CommandDefinition(
            """
            SELECT channel, status, count(*) AS Count FROM notifications
            WHERE consultation_id = @ConsultationId GROUP BY channel, status ORDER BY channel, status
            """,
            parameters, cancellationToken: services.Cancellation))).AsList();
        var (total, shown) = SmallCountSuppression.OneGroup(
            counts.Sum(count => count.Count), [.. counts.Select(count => count.Count)], CountRounding.ToFive);
        return TypedResults.Ok(new DeliveryCountsResponse
        {
            ConsultationId = consultationId,
            Total = total,
            Counts = [.. counts.Select((count, index) => new DeliveryCount { Channel = count.Channel, Status = count.Status, Count = shown[index] })],
        });
    }

    /// <summary>
    /// A resident the caller did not register, or has never notified (no notification in its trajectories), is unknown
    /// to it: 404.
    /// </summary>
    internal static async Task<Results<Ok<Page<NotificationResponse>>, ProblemHttpResult>> GetFeed(
        Guid residentId, [AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        const string filter = $"""
            WHERE trajectory_id IN ({TrajectoryProjection.CallerTrajectories})
              AND resident_id = @ResidentId AND channel = @App AND status = @Delivered
            """;
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var known = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"""
            SELECT EXISTS (SELECT 1 FROM notifications WHERE resident_id = @ResidentId AND trajectory_id IN ({TrajectoryProjection.CallerTrajectories})
                                                         AND {ResidentPartners.CallerRegisteredResident})
            """,
            new { ResidentId = residentId, CallerPartnerId = services.PartnerId }, cancellationToken: services.Cancellation));
        if (!known)
        {
            return Problems.NotFound("resident", residentId);
        }

        return TypedResults.Ok(await connection.QueryPageAsync<NotificationResponse>(page, new CommandDefinition(
            $"""
            {NotificationsApi.SelectNotification} {filter} ORDER BY created_at DESC, id DESC OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM notifications {filter};
            """,
            new
            {
                CallerPartnerId = services.PartnerId,
                ResidentId = residentId,
                App = Channels.App,
                Delivered = DeliveryStatuses.Delivered,
                page.Offset,
                page.Size,
            },
            cancellationToken: services.Cancellation)));
    }

    internal static async Task<Ok<Page<MyNotificationResponse>>> GetMyFeed([AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        // Written in the resident's language when it was recorded; an unknown resident simply has an empty feed.
        const string filter = "WHERE resident_id = @ResidentId AND channel = @App AND status = @Delivered";
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        return TypedResults.Ok(await connection.QueryPageAsync<MyNotificationResponse>(page, new CommandDefinition(
            $"""
            SELECT id, kind, subject_id AS SubjectId, consultation_id AS ConsultationId, language, title, body,
                   created_at AS CreatedAt, completed_at AS DeliveredAt
            FROM notifications {filter} ORDER BY created_at DESC, id DESC OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM notifications {filter};
            """,
            new
            {
                ResidentId = services.User.GetResidentId(),
                App = Channels.App,
                Delivered = DeliveryStatuses.Delivered,
                page.Offset,
                page.Size,
            },
            cancellationToken: services.Cancellation)));
    }
}
