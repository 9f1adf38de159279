namespace Participatie.Contracts;

/// <summary>
/// A resident was registered. Carries only pseudonymous attributes: the id, the buurt, how the resident wants to be
/// reached, an age band and whether they rent or own (when known), so that partners can see whom they reach.
/// Names and addresses never leave the residents service; the birth year goes only to consultations, in
/// <see cref="ResidentProfileChanged"/>, so that the age band is computed when reach is asked for (reach shows bands).
/// <see cref="DigestFrequency"/> is one of <see cref="DigestFrequencies"/>: how often the resident wants messages.
/// A registration is the resident's first picture: <see cref="ResidentProfileChanged"/> follows only on a change (a
/// registration records participation consent and nothing else, which is what consumers assume), so a bulk
/// registration of 100,000 residents is 100 messages, not 100,000 more.
/// <see cref="RegisteredByPartnerId"/> is the partner that registered the resident, so that only that partner (and the
/// partners linked later, <see cref="ResidentsLinkedToPartner"/>) sees the resident's pseudonymous id on reactions,
/// registrations, answers and notifications; null in messages from before it was added.
/// </summary>
public sealed record ResidentRegistered(
    Guid ResidentId,
    string BuurtCode,
    string PreferredLanguage,
    string PreferredChannel,
    DateTimeOffset RegisteredAt,
    string AgeBand = AgeBands.Unknown,
    string Tenure = Tenures.Unknown,
    string DigestFrequency = DigestFrequencies.Immediately,
    int? BirthYear = null,
    Guid? RegisteredByPartnerId = null);

/// <summary>
/// A partner registered residents who were already known (same home, same e-mail address or phone number): the partner
/// is now linked to them, and sees their pseudonymous ids as it sees those of the residents it registered first.
/// </summary>
public sealed record ResidentsLinkedToPartner(IReadOnlyList<Guid> ResidentIds, Guid PartnerId, DateTimeOffset LinkedAt);

/// <summary>Age bands: coarse enough that nobody can be told apart by theirs.</summary>
public static class AgeBands
{
    public const string Unknown = "unknown";

    public static readonly IReadOnlyList<string> All = ["under-25", "25-44", "45-64", "65-74", "75-plus", Unknown];

    public static string Of(int? birthYear, int currentYear) => (currentYear - birthYear) switch
    {
        null => Unknown,
        < 25 => "under-25",
        < 45 => "25-44",
        < 65 => "45-64",
        < 75 => "65-74",
        _ => "75-plus",
    };
}

/// <summary>Whether a resident rents their home (the tenants the Overlegwet and art. 7:220 BW speak of) or owns it.</summary>
public static class Tenures
{
    public const string Tenant = "tenant";
    public const string OwnerOccupier = "owner-occupier";
    public const string Unknown = "unknown";

    public static readonly IReadOnlyList<string> Known = [Tenant, OwnerOccupier];
}

/// <summary>
/// Many residents were registered at once (a partner's bulk registration): the facts of a <see cref="ResidentRegistered"/>
/// for each, in one message, so that the other services take them in with one transaction instead of one per resident.
/// At most <see cref="MaximumResidents"/> per message.
/// </summary>
public sealed record ResidentsRegistered(IReadOnlyList<ResidentRegistered> Residents)
{
    public const int MaximumResidents = 1000;
}

/// <summary>How often a resident wants messages of a kind: at once, or joined into a daily or weekly digest.</summary>
public static class DigestFrequencies
{
    public const string Immediately = "immediately";
    public const string Daily = "daily";
    public const string Weekly = "weekly";

    public static readonly IReadOnlyList<string> All = [Immediately, Daily, Weekly];
}

/// <summary>
/// A message to a resident could not be delivered at an address (an e-mail bounced, the SMS provider reported the
/// number unreachable): the residents service marks that contact undeliverable, so no one relies on it again until
/// the resident gives a new one. Carries the channel, never the address itself.
/// </summary>
public sealed record ContactUndeliverable(Guid ResidentId, string Channel, string Reason, Guid NotificationId, DateTimeOffset ReportedAt);
