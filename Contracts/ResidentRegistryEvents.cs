namespace Participatie.Contracts;

/// <summary>
/// The whole pseudonymous picture of a resident after any change (a partner's update, a move, the resident's own
/// preferences, consent), as one snapshot with a <see cref="Version"/> that only grows: consumers apply it only when
/// it is newer than what they hold, so reordered or redelivered snapshots converge. Carries no name, address or
/// contact detail. <see cref="BirthYear"/> lets the age band be computed when it is asked for, not frozen.
/// <see cref="Consents"/> lists the purposes (<see cref="ConsentPurposes"/>) the resident currently consents to.
/// <see cref="QuietHoursStart"/>/<see cref="QuietHoursEnd"/> are the resident's own quiet hours (Amsterdam time),
/// null for the platform's default.
/// </summary>
public sealed record ResidentProfileChanged(
    Guid ResidentId,
    long Version,
    string BuurtCode,
    string PreferredLanguage,
    string PreferredChannel,
    string DigestFrequency,
    int? BirthYear,
    string Tenure,
    IReadOnlyList<string> Consents,
    TimeOnly? QuietHoursStart,
    TimeOnly? QuietHoursEnd,
    DateTimeOffset ChangedAt);

/// <summary>
/// The purposes a resident can consent to, each given with a date and a channel. No message is sent for a purpose
/// without consent. Participation covers everything about the consultations of the resident's own buurt or home
/// (invitations, receipts, answers, meetings, phase news); research covers questionnaires and polls sent for study;
/// newsletter covers general news. Sign-in and confirmation codes are asked for by the resident and need none.
/// </summary>
public static class ConsentPurposes
{
    public const string Participation = "participation";
    public const string Research = "research";
    public const string Newsletter = "newsletter";

    public static readonly IReadOnlyList<string> All = [Participation, Research, Newsletter];
}

/// <summary>
/// The homes of a support measurement (draagvlakmeting) as only the residents service can tell who lives there: for
/// each home key the measurement named, the pseudonymous ids of the residents registered at it. Published when the
/// measurement opens and again for a resident who registers at, or moves to, one of its homes later.
/// </summary>
public sealed record SupportMeasurementHomesResolved(Guid MeasurementId, IReadOnlyList<HomeResidents> Homes);

public sealed record HomeResidents(string HomeKey, IReadOnlyList<Guid> ResidentIds);

/// <summary>A support measurement was opened for these homes (address keys); the residents service answers with
/// <see cref="SupportMeasurementHomesResolved"/>.</summary>
public sealed record SupportMeasurementOpened(Guid MeasurementId, Guid TrajectoryId, IReadOnlyList<string> HomeKeys, DateTimeOffset Deadline);
