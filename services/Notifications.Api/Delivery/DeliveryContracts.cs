namespace Participatie.Notifications.Delivery;

/// <summary>
/// One notification on its way to one resident over one channel. The contact details were fetched from the residents
/// service for this attempt only; they live in memory for the duration of the send and are never stored here.
/// </summary>
public sealed record OutgoingMessage
{
    public required Guid NotificationId { get; init; }

    /// <summary>Pseudonymous resident id.</summary>
    public required Guid ResidentId { get; init; }

    public required string Kind { get; init; }

    public required string Channel { get; init; }

    public required string Language { get; init; }

    public required string Title { get; init; }

    public required string Body { get; init; }

    /// <summary>The partner on whose behalf the message goes out (the trajectory's lead); letters are batched per partner.</summary>
    public Guid? SendingPartnerId { get; init; }

    public required ContactDetails Contact { get; init; }
}

/// <summary>What the residents service discloses for one delivery: only the address of the channel asked for.</summary>
public sealed record ContactDetails
{
    public string? EmailAddress { get; init; }

    public string? PhoneNumber { get; init; }

    public PostalAddress? PostalAddress { get; init; }
}

/// <summary>A postal address as printed in a window envelope.</summary>
public sealed record PostalAddress
{
    public required string Name { get; init; }

    public string? Street { get; init; }

    public required int HouseNumber { get; init; }

    public string? HouseNumberSuffix { get; init; }

    public required string Postcode { get; init; }

    public string? City { get; init; }
}

/// <summary>How a send attempt ended, as far as the channel can tell at once.</summary>
public enum SendResult
{
    /// <summary>Handed over (to the SMTP server, the SMS provider); a later report may still say delivered, failed or bounced.</summary>
    Sent,

    /// <summary>Delivered as far as the platform can know (the app feed, a letter in a print batch).</summary>
    Delivered,

    /// <summary>Worth trying again later (a server that is down, a timeout, a 4xx SMTP reply, a 5xx from the provider).</summary>
    TransientFailure,

    /// <summary>Will never work at this address (a 5xx SMTP reply to the recipient, an invalid number): fall back to another channel.</summary>
    PermanentFailure,
}

public sealed record SendOutcome(SendResult Result, string? ProviderReference = null, string? Error = null)
{
    public static SendOutcome Handed(string? providerReference = null) => new(SendResult.Sent, providerReference);

    public static SendOutcome Done(string? providerReference = null) => new(SendResult.Delivered, providerReference);

    public static SendOutcome TryAgain(string error) => new(SendResult.TransientFailure, Error: error);

    public static SendOutcome Undeliverable(string error) => new(SendResult.PermanentFailure, Error: error);
}

/// <summary>One channel's way out of the platform (SMTP, an SMS provider, the print batch, the app feed).</summary>
public interface IChannelSender
{
    /// <summary>One of <see cref="Contracts.Channels"/>.</summary>
    string Channel { get; }

    Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// Asks the residents service for the one address a delivery needs (its internal endpoint, with the notifications
/// service's own token). Null when the resident has no usable address for the channel (none given, or marked
/// undeliverable).
/// </summary>
public interface IContactDirectory
{
    Task<ContactDetails?> FindAsync(Guid residentId, string channel, Guid notificationId, CancellationToken cancellationToken);

    /// <summary>
    /// With a confirmation id: the new, pending address that confirmation is for, not the resident's current one. A
    /// directory that cannot tell the pending address refuses, rather than send a confirmation code to the old one.
    /// </summary>
    Task<ContactDetails?> FindAsync(Guid residentId, string channel, Guid notificationId, Guid? confirmationId, CancellationToken cancellationToken) =>
        confirmationId is null
            ? FindAsync(residentId, channel, notificationId, cancellationToken)
            : throw new NotSupportedException($"{GetType().Name} cannot find the pending address of a contact confirmation.");
}

/// <summary>What a channel learns after the send: the provider's delivery report, a bounce that came back.</summary>
public enum DeliveryReport
{
    Delivered,
    Failed,
    Bounced,
}

/// <summary>
/// Records a late report about a sent notification (found by its id, or by the provider's reference), moves it to
/// delivered, failed or bounced, and on failure or bounce marks the contact undeliverable and falls back to a letter.
/// </summary>
public interface IDeliveryReports
{
    /// <returns>False when no sent notification matches (an unknown or repeated report).</returns>
    Task<bool> ReportAsync(Guid notificationId, DeliveryReport report, string? detail, CancellationToken cancellationToken);

    Task<bool> ReportByProviderReferenceAsync(string channel, string providerReference, DeliveryReport report, string? detail, CancellationToken cancellationToken);
}
