using System.Security.Claims;
using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Trajectories;

namespace Participatie.Notifications.Subscriptions;

/// <summary>A subscription the caller may manage: its own, in a trajectory it still takes part in.</summary>
public sealed record VisibleSubscription(SubscriptionRow Subscription)
{
    public static ValueTask<VisibleSubscription?> BindAsync(HttpContext context) => RouteAccess.Loaded<VisibleSubscription>(context);
}

/// <summary>
/// Only the partner that made a subscription learns that it exists (404 for everyone else), and only while it takes
/// part in the subscription's trajectory, by this service's own projection of the trajectories.
/// </summary>
public sealed class SubscriptionAccessCheck(NpgsqlDataSource database) : RouteAccessCheck<VisibleSubscription>("subscriptionId", "subscription")
{
    protected override async Task<VisibleSubscription?> LoadAsync(HttpContext context, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var subscription = await connection.QuerySingleOrDefaultAsync<SubscriptionRow>(new CommandDefinition(
            $"""
            {SubscriptionStore.SelectSubscription}
            WHERE id = @SubscriptionId
              AND partner_id = @CallerPartnerId
              AND trajectory_id IN ({TrajectoryProjection.CallerTrajectories})
            """,
            new { SubscriptionId = id, CallerPartnerId = context.User.GetPartnerId() }, cancellationToken: cancellationToken));
        return subscription is null ? null : new VisibleSubscription(subscription);
    }

    // Every member role may subscribe to what it can read, so whoever sees its subscription may manage it.
    protected override string? Refuse(VisibleSubscription subject, string permission, ClaimsPrincipal user) => null;
}
