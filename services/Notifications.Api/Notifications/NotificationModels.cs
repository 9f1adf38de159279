namespace Participatie.Notifications.Notifications;

public sealed record NotificationResponse
{
    public required Guid Id { get; init; }

    /// <summary>Pseudonymous resident id.</summary>
    public required Guid ResidentId { get; init; }

    public required string Kind { get; init; }

    /// <summary>The consultation or reaction the notification is about.</summary>
    public required Guid SubjectId { get; init; }

    public Guid? TrajectoryId { get; init; }

    public required string Language { get; init; }

    public required string Channel { get; init; }

    public required string Title { get; init; }

    public required string Body { get; init; }

    public required string Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
