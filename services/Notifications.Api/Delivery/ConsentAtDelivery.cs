namespace Participatie.Notifications.Delivery;

/// <summary>
/// Consent is checked when a notification goes out, not only when it is made: one made while the resident was
/// withdrawing consent for its purpose (the two transactions did not see each other) is never sent. The worker's and
/// the letter batcher's claims take it like any other due notification, so that the check costs no more than the
/// batch, and end it <see cref="DeliveryStatuses.Failed"/> with a <see cref="DeliveryEvents.ConsentWithdrawn"/> event
/// instead of sending it.
/// </summary>
public static class ConsentAtDelivery
{
    /// <summary>The condition, on a notification <c>n</c> and its recipient <c>r</c>, that it may go out.</summary>
    public const string Consented = "(n.purpose IS NULL OR n.purpose = ANY(r.consents))";

    /// <summary>
    /// The claim's statements that end the claimed notifications (<c>claimable</c>, with a <c>consented</c> column)
    /// whose consent is gone, each with its event; they take parameters <c>@Now</c>, <c>@Failed</c>,
    /// <c>@ConsentWithdrawn</c> and <c>@ConsentWithdrawnDetail</c>.
    /// </summary>
    public const string WithholdClaimed = """
        withheld AS (
            UPDATE notifications n SET status = @Failed, completed_at = @Now, next_attempt_at = NULL, claimed_until = NULL
            FROM claimable
            WHERE n.id = claimable.id AND NOT claimable.consented
            RETURNING n.id, n.attempts, n.channel),
        withheld_events AS (
            INSERT INTO delivery_events (notification_id, occurred_at, attempt, channel, event, detail)
            SELECT id, @Now, attempts, channel, @ConsentWithdrawn, @ConsentWithdrawnDetail FROM withheld)
        """;

    public const string Detail = "not sent: the resident no longer consents to its purpose";
}
