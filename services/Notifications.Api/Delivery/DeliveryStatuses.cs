namespace Participatie.Notifications.Delivery;

/// <summary>Where a notification is on its way to the resident.</summary>
public static class DeliveryStatuses
{
    /// <summary>Waiting to be sent: new, waiting for a retry, held for quiet hours or for a digest.</summary>
    public const string Pending = "pending";

    /// <summary>A worker has it now.</summary>
    public const string Sending = "sending";

    /// <summary>Handed to the mail server, the SMS provider or the print batch.</summary>
    public const string Sent = "sent";

    /// <summary>Delivered as far as the platform can know: the provider reported it, or it is in the app feed.</summary>
    public const string Delivered = "delivered";

    /// <summary>Could not be delivered on this channel; a fallback letter follows where one can go.</summary>
    public const string Failed = "failed";

    /// <summary>The e-mail came back; a fallback letter follows.</summary>
    public const string Bounced = "bounced";

    public static readonly IReadOnlyList<string> All = [Pending, Sending, Sent, Delivered, Failed, Bounced];
}

/// <summary>The steps recorded in a notification's delivery history.</summary>
public static class DeliveryEvents
{
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string RetryScheduled = "retry-scheduled";
    public const string Failed = "failed";
    public const string Bounced = "bounced";
    public const string HeldForQuietHours = "held-for-quiet-hours";
    public const string FallbackCreated = "fallback-created";
    public const string JoinedIntoDigest = "joined-into-digest";

    /// <summary>Not sent: the resident withdrew consent for the notification's purpose before it went out.</summary>
    public const string ConsentWithdrawn = "consent-withdrawn";

    public static readonly IReadOnlyList<string> All =
        [Sent, Delivered, RetryScheduled, Failed, Bounced, HeldForQuietHours, FallbackCreated, JoinedIntoDigest, ConsentWithdrawn];
}
