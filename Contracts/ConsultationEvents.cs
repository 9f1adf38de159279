namespace Participatie.Contracts;

/// <summary>A partner opened a consultation, in a trajectory, for the residents of a buurt.</summary>
public sealed record ConsultationOpened(
    Guid ConsultationId,
    Guid TrajectoryId,
    Guid PartnerId,
    string Title,
    string BuurtCode,
    DateOnly ClosesOn,
    DateTimeOffset OpenedAt);

/// <summary>
/// A resident reacted to a consultation; the resident is owed a receipt and, by <see cref="AnswerDueOn"/> (a date in
/// the Netherlands), an answer.
/// </summary>
public sealed record ReactionSubmitted(
    Guid ReactionId,
    Guid ConsultationId,
    Guid TrajectoryId,
    Guid ResidentId,
    string ConsultationTitle,
    DateTimeOffset SubmittedAt,
    DateOnly AnswerDueOn);

/// <summary>A partner answered a reaction: its status changed and the resident must hear why.</summary>
public sealed record ReactionAnswered(
    Guid ReactionId,
    Guid ConsultationId,
    Guid TrajectoryId,
    Guid ResidentId,
    string ConsultationTitle,
    string Status,
    string Explanation,
    DateTimeOffset AnsweredAt);
