using System.Text.Json.Serialization;
using Participatie.BuildingBlocks.Http;

namespace Participatie.Notifications.Subscriptions;

/// <summary>A kind of event (kanaal) a partner can subscribe to.</summary>
public sealed record ChannelResponse(
    [Vocabulary(typeof(EventKinds), nameof(EventKinds.Names))] string Name,
    [Vocabulary(typeof(EventKinds), nameof(EventKinds.Types))] string Type,
    string Description);

public sealed record ChannelsResponse(IReadOnlyList<ChannelResponse> Items);

/// <summary>
/// A subscription (abonnement) to events of one trajectory: the platform POSTs each event of the listed types to the
/// callback URL, signed per Standard Webhooks, with <c>auth</c> as the Authorization header when given.
/// </summary>
public sealed record CreateSubscriptionRequest : IValidatableRequest
{
    public const int MaxAuthLength = 1000;

    /// <summary>Where the events go: an https URL on the public internet.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>The trajectory whose events the partner wants; it must take part in it.</summary>
    public Guid TrajectoryId { get; init; }

    /// <summary>CloudEvents types, as <c>GET /v1/channels</c> lists them, for example <c>nl.participatie.reaction.submitted</c>.</summary>
    [Vocabulary(typeof(EventKinds), nameof(EventKinds.Types))]
    public IReadOnlyList<string>? EventTypes { get; init; }

    /// <summary>Optional: the Authorization header value the platform sends with every delivery (for example "Bearer ...").</summary>
    public string? Auth { get; init; }

    public void Validate(ValidationErrors errors)
    {
        if (CallbackUrlPolicy.FormatError(CallbackUrl) is { } callbackError)
        {
            errors.Add("callbackUrl", callbackError);
        }

        errors.NotEmpty("trajectoryId", TrajectoryId);
        if (EventTypes is not { Count: > 0 })
        {
            errors.Add("eventTypes", "'eventTypes' must list at least one type of event.");
        }
        else if (EventTypes.Where(type => !EventKinds.Types.Contains(type)).ToList() is { Count: > 0 } unknown)
        {
            errors.Add("eventTypes", $"'eventTypes' must be one of: {string.Join(", ", EventKinds.Types)}; unknown: {string.Join(", ", unknown)}.");
        }

        errors.MaxLength("auth", Auth, MaxAuthLength);
        if (Auth is not null && Auth.Any(char.IsControl))
        {
            errors.Add("auth", "'auth' may contain no control characters: it is sent as a header value.");
        }
    }
}

/// <summary>A subscription as its partner sees it; the secret only in the answer that made it.</summary>
public sealed record SubscriptionResponse(
    Guid Id,
    Guid TrajectoryId,
    string CallbackUrl,
    [Vocabulary(typeof(EventKinds), nameof(EventKinds.Types))] IReadOnlyList<string> EventTypes,
    bool HasAuth,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PreviousSecretExpiresAt)
{
    /// <summary>The signing secret (<c>whsec_...</c>), shown once: at creation.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; init; }
}

/// <summary>A new signing secret, shown once; the previous one signs beside it until <see cref="PreviousSecretExpiresAt"/>.</summary>
public sealed record SecretRotationResponse(Guid SubscriptionId, string Secret, DateTimeOffset PreviousSecretExpiresAt);

/// <summary>One event's way to one subscription.</summary>
public sealed record DeliveryResponse
{
    public required Guid Id { get; init; }

    public required Guid EventId { get; init; }

    [Vocabulary(typeof(EventKinds), nameof(EventKinds.Types))]
    public required string EventType { get; init; }

    [Vocabulary(typeof(DeliveryStatusValues))]
    public required string Status { get; init; }

    public required int Attempts { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? NextAttemptAt { get; init; }

    public DateTimeOffset? LastAttemptAt { get; init; }

    public int? LastStatusCode { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }
}

public static class DeliveryStatusValues
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Delivered, Failed];
}

/// <summary>The filter of the deliveries list.</summary>
public sealed record DeliveriesQuery : IValidatableRequest
{
    [Microsoft.AspNetCore.Mvc.FromQuery(Name = "status")]
    [Vocabulary(typeof(DeliveryStatusValues))]
    public string? Status { get; init; }

    public void Validate(ValidationErrors errors)
    {
        if (Status is not null && !DeliveryStatusValues.All.Contains(Status))
        {
            errors.Add("status", $"'status' must be one of: {string.Join(", ", DeliveryStatusValues.All)}.");
        }
    }
}
