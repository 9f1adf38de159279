namespace Participatie.Notifications.Subscriptions;

/// <summary>A kind of event a partner can subscribe to (a kanaal in the VNG Notificaties API).</summary>
public sealed record EventKind(string Name, string Type, string Description, string Subject);

/// <summary>
/// The events partners can subscribe to, each with its CloudEvents <c>type</c> in reverse-DNS. The type is the
/// contract with partners' systems: never rename one.
/// </summary>
public static class EventKinds
{
    public static readonly EventKind ReactionSubmitted = new(
        "reaction-submitted", "nl.participatie.reaction.submitted", "A resident reacted to a consultation.", "reaction");

    public static readonly EventKind ReactionAnswered = new(
        "reaction-answered", "nl.participatie.reaction.answered", "A partner answered a reaction.", "reaction");

    public static readonly EventKind ReactionOverdue = new(
        "reaction-overdue", "nl.participatie.reaction.overdue", "A reaction's answer deadline passed without an answer.", "reaction");

    public static readonly EventKind ConsultationOpened = new(
        "consultation-opened", "nl.participatie.consultation.opened", "A consultation opened for residents.", "consultation");

    public static readonly EventKind ConsultationClosed = new(
        "consultation-closed", "nl.participatie.consultation.closed", "A consultation closed: its last day passed.", "consultation");

    public static readonly EventKind SupportMeasurementClosed = new(
        "draagvlakmeting-closed", "nl.participatie.draagvlakmeting.closed", "A draagvlakmeting (support measurement) closed with its result.", "support-measurement");

    public static readonly EventKind AdviceDeadlineApproaching = new(
        "advice-deadline-approaching", "nl.participatie.advice.deadline-approaching", "A deadline of a request for advice (Overlegwet) comes near.", "advice-request");

    public static readonly EventKind TaskOverdue = new(
        "task-overdue", "nl.participatie.task.overdue", "A task of the trajectory passed its due date unfinished.", "task");

    public static readonly EventKind ResidentErased = new(
        "resident-erased", "nl.participatie.resident.erased", "A resident's personal data was erased; remove what you hold on the id.", "resident");

    public static readonly IReadOnlyList<EventKind> All =
    [
        ReactionSubmitted, ReactionAnswered, ReactionOverdue, ConsultationOpened, ConsultationClosed,
        SupportMeasurementClosed, AdviceDeadlineApproaching, TaskOverdue, ResidentErased,
    ];

    public static readonly IReadOnlySet<string> Types = All.Select(kind => kind.Type).ToHashSet(StringComparer.Ordinal);

    public static readonly IReadOnlyList<string> Names = [.. All.Select(kind => kind.Name)];
}
