using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using Participatie.Notifications.Delivery;
using Participatie.Notifications.Domain;

namespace Participatie.Notifications.Notifications;

public sealed record NotificationResponse
{
    public required Guid Id { get; init; }

    /// <summary>Pseudonymous resident id.</summary>
    public required Guid ResidentId { get; init; }

    [Vocabulary(typeof(NotificationKinds))]
    public required string Kind { get; init; }

    /// <summary>The consultation or reaction the notification is about.</summary>
    public required Guid SubjectId { get; init; }

    public Guid? TrajectoryId { get; init; }

    [Vocabulary(typeof(Languages))]
    public required string Language { get; init; }

    [Vocabulary(typeof(Channels))]
    public required string Channel { get; init; }

    public required string Title { get; init; }

    public required string Body { get; init; }

    [Vocabulary(typeof(DeliveryStatuses))]
    public required string Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The consultation the notification belongs to (an invitation, a receipt, an answer, a meeting reminder).</summary>
    public Guid? ConsultationId { get; init; }

    /// <summary>Send attempts made on its channel.</summary>
    public required int Attempts { get; init; }

    /// <summary>Not before this moment: a retry's backoff, or held for quiet hours.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    public DateTimeOffset? SentAt { get; init; }

    /// <summary>When it was delivered, failed or bounced.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The notification this one replaces on another channel (a letter for a bounced e-mail).</summary>
    public Guid? FallbackFor { get; init; }

    /// <summary>The digest it was joined into, for a resident who asked for a daily or weekly digest.</summary>
    public Guid? DigestId { get; init; }
}
