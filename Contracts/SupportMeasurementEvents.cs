namespace Participatie.Contracts;

/// <summary>
/// The voting codes of a new support measurement (draagvlakmeting), one per home, for the notifications service to
/// print and send by letter to each home's address. The platform makes and sends them itself, so that no partner ever
/// holds a code. The consultations service keeps only the codes' hashes and blanks the codes out of its outbox row
/// once relayed (migration 0013), as partner coordination does with sign-in codes.
/// </summary>
public sealed record SupportVotingCodesIssued(
    Guid MeasurementId,
    Guid TrajectoryId,
    string Title,
    DateTimeOffset Deadline,
    IReadOnlyList<HomeVotingCode> Homes,
    DateTimeOffset IssuedAt);

/// <summary>The voting code of one home (an address key as <c>AddressKeys.Key</c> makes it).</summary>
public sealed record HomeVotingCode(string HomeKey, string Code);

/// <summary>
/// A support measurement closed with its final result: the written notice of it goes to every home in
/// <see cref="TenantHomeKeys"/>, which since the review of issue 11 are all homes of the complex, the excluded ones too
/// (a tenant of a home wrongly left out as vacant or owner-occupied learns of it in time); <see cref="TenantHomes"/>
/// still counts only the homes the 70% was counted over. From that notice a tenant who disagrees has 8 weeks, ending
/// on a working day, to ask the court to judge the proposal (art. 7:220 lid 3 BW): <see cref="CourtPeriodEndsOn"/>.
/// </summary>
public sealed record SupportMeasurementClosed(
    Guid MeasurementId,
    Guid TrajectoryId,
    string Title,
    int TenantHomes,
    int Agreeing,
    int Disagreeing,
    bool ThresholdMet,
    DateTimeOffset ClosedAt,
    DateOnly CourtPeriodEndsOn,
    IReadOnlyList<string> TenantHomeKeys);
