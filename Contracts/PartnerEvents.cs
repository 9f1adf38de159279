namespace Participatie.Contracts;

/// <summary>A partner organisation joined the platform.</summary>
public sealed record PartnerRegistered(Guid PartnerId, string Name, string Kind, DateTimeOffset RegisteredAt);

/// <summary>
/// The platform operator set the gemeenten (GM0363) and buurten (BU03630001) a partner works in: the whole set, which
/// replaces the earlier one (empty: no area). A service applies it only when <paramref name="ChangedAt"/> is later
/// than the set it holds, so a late redelivery does not bring back an older grant.
/// </summary>
public sealed record PartnerAreasChanged(Guid PartnerId, IReadOnlyList<string> AreaCodes, DateTimeOffset ChangedAt);
