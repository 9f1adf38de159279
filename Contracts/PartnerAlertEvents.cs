namespace Participatie.Contracts;

/// <summary>
/// A consultation's last day (<see cref="ClosesOn"/>, a date in the Netherlands) has passed: residents can no longer
/// react. Published once per consultation by the consultations service's periodic job.
/// </summary>
public sealed record ConsultationClosed(Guid ConsultationId, Guid TrajectoryId, DateOnly ClosesOn, DateTimeOffset ClosedAt);

/// <summary>
/// A reaction's answer deadline (<see cref="AnswerDueOn"/>) passed while it still had no outcome. Published once per
/// reaction by the consultations service's periodic job. Ids only.
/// </summary>
public sealed record ReactionOverdue(Guid ReactionId, Guid ConsultationId, Guid TrajectoryId, DateOnly AnswerDueOn, DateTimeOffset DetectedAt);

/// <summary>
/// A deadline of a request for advice under the Overlegwet comes within its reminder window: <see cref="Deadline"/>
/// names which one (the advice, or the landlord's reasoned answer), <see cref="OwedByPartnerId"/> who owes the step.
/// Published once per request and deadline by partner coordination, with the reminder it records.
/// </summary>
public sealed record AdviceDeadlineApproaching(
    Guid AdviceRequestId, Guid TrajectoryId, string Deadline, DateOnly DueOn, Guid OwedByPartnerId, DateTimeOffset RemindedAt);

/// <summary>A task of a trajectory passed its due date unfinished. Published once per task and due date by partner coordination.</summary>
public sealed record TaskOverdue(Guid TaskId, Guid TrajectoryId, Guid? AssigneePartnerId, DateOnly DueOn, DateTimeOffset DetectedAt);
