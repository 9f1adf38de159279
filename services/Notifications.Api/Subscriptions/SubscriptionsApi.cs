using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Trajectories;

namespace Participatie.Notifications.Subscriptions;

/// <summary>
/// Partners' subscriptions to the events of their trajectories, shaped after the VNG Notificaties API: channels
/// (kanalen) name the kinds of event, a subscription (abonnement) names a callback URL and what it wants.
/// </summary>
public static class SubscriptionsApi
{
    private const string Tag = "Subscriptions";

    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapApiGroup("/v1/channels", Tag)
            .MapGet("", ListChannels)
            .WithName("ListChannels")
            .WithSummary("List the kinds of event a partner can subscribe to, with their CloudEvents type");

        var subscriptions = routes.MapApiGroup("/v1/subscriptions", Tag);
        subscriptions.MapPost("", CreateSubscription)
            .WithName("CreateSubscription")
            .WithSummary("Subscribe to events of a trajectory the caller takes part in; the signing secret is shown once, here")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        subscriptions.MapGet("", ListSubscriptions)
            .WithName("ListSubscriptions")
            .WithSummary("List the caller's subscriptions, optionally of one trajectory");

        var one = routes.MapApiGroup("/v1/subscriptions/{subscriptionId:guid}", Tag).WithAccessCheck<SubscriptionAccessCheck>();
        one.MapGet("", GetSubscription)
            .WithName("GetSubscription")
            .WithSummary("Read one subscription (without its secret)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        one.MapDelete("", DeleteSubscription)
            .WithName("DeleteSubscription")
            .WithSummary("End a subscription; deliveries not yet made are dropped")
            .ProducesProblem(StatusCodes.Status404NotFound);
        one.MapPost("/secret-rotations", RotateSecret)
            .WithName("RotateSubscriptionSecret")
            .WithSummary("Make a new signing secret, shown once; the previous one keeps signing beside it for the overlap (24 hours)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        one.MapGet("/deliveries", ListDeliveries)
            .WithName("ListSubscriptionDeliveries")
            .WithSummary("List the subscription's deliveries, newest first, optionally by status (pending, delivered, failed)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        one.MapPost("/deliveries/{deliveryId:guid}/replay", ReplayDelivery)
            .WithName("ReplaySubscriptionDelivery")
            .WithSummary("Send a delivery again, now, from its first try")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static Ok<ChannelsResponse> ListChannels() =>
        TypedResults.Ok(new ChannelsResponse([.. EventKinds.All.Select(kind => new ChannelResponse(kind.Name, kind.Type, kind.Description))]));

    internal static async Task<Results<Created<SubscriptionResponse>, ProblemHttpResult>> CreateSubscription(
        CreateSubscriptionRequest request, IOptionsSnapshot<SubscriptionOptions> options, IHostEnvironment environment, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        // A body names the trajectory, so the route cannot decide: the same projection answers, and refuses as a bad reference.
        if (services.PartnerId is not { } partnerId
            || await TrajectoryProjection.RoleOfAsync(connection, request.TrajectoryId, partnerId, services.Cancellation) is null)
        {
            return Problems.Unprocessable("trajectoryId", $"You take part in no trajectory '{request.TrajectoryId}'.");
        }

        var allowPrivate = options.Value.AllowPrivateCallbacks ?? environment.IsDevelopment();
        if (await CallbackUrlPolicy.RefusalAsync(request.CallbackUrl!, allowPrivate, services.Cancellation) is { } refusal)
        {
            return Problems.Unprocessable("callbackUrl", refusal);
        }

        var created = await SubscriptionStore.CreateAsync(connection, partnerId, request, services.Clock.GetUtcNow(), services.Cancellation);
        return TypedResults.Created($"/v1/subscriptions/{created.Id}", created.ToResponse() with { Secret = created.Secret });
    }

    internal static async Task<Ok<Page<SubscriptionResponse>>> ListSubscriptions(
        [FromQuery] Guid? trajectoryId, [AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        return TypedResults.Ok(await SubscriptionStore.ListAsync(connection, services.PartnerId, trajectoryId, page, services.Cancellation));
    }

    internal static Ok<SubscriptionResponse> GetSubscription(VisibleSubscription visible) => TypedResults.Ok(visible.Subscription.ToResponse());

    internal static async Task<NoContent> DeleteSubscription(VisibleSubscription visible, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        await SubscriptionStore.DeleteAsync(connection, visible.Subscription.Id, services.Cancellation);
        return TypedResults.NoContent();
    }

    internal static async Task<Created<SecretRotationResponse>> RotateSecret(
        VisibleSubscription visible, IOptions<SubscriptionOptions> options, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var rotation = await SubscriptionStore.RotateSecretAsync(
            connection, visible.Subscription.Id, services.Clock.GetUtcNow() + options.Value.SecretOverlap, services.Cancellation);
        return TypedResults.Created($"/v1/subscriptions/{visible.Subscription.Id}", rotation);
    }

    internal static async Task<Ok<Page<DeliveryResponse>>> ListDeliveries(
        VisibleSubscription visible, [AsParameters] DeliveriesQuery query, [AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        return TypedResults.Ok(await SubscriptionStore.ListDeliveriesAsync(connection, visible.Subscription.Id, query.Status, page, services.Cancellation));
    }

    internal static async Task<Results<Accepted<DeliveryResponse>, ProblemHttpResult>> ReplayDelivery(
        VisibleSubscription visible, Guid deliveryId, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var replayed = await SubscriptionStore.ReplayAsync(connection, visible.Subscription.Id, deliveryId, services.Clock.GetUtcNow(), services.Cancellation);
        if (replayed is null)
        {
            return Problems.NotFound("delivery", deliveryId);
        }

        return TypedResults.Accepted($"/v1/subscriptions/{visible.Subscription.Id}/deliveries", replayed);
    }
}
