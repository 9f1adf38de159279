namespace Participatie.Contracts;

/// <summary>
/// A meeting (bewonersavond) starts within a day: each resident registered for it is owed a reminder. Published once
/// per meeting, with the residents registered at that moment; the time and place are as the partner gave them,
/// the title in Dutch with the partner's translations of it (absent in older messages).
/// </summary>
public sealed record MeetingReminderDue(
    Guid MeetingId,
    Guid ConsultationId,
    Guid TrajectoryId,
    string ConsultationTitle,
    string Place,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    IReadOnlyList<Guid> ResidentIds,
    IReadOnlyDictionary<string, string>? TitleTranslations = null);
