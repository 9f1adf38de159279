namespace Participatie.Contracts;

/// <summary>A partner organisation joined the platform.</summary>
public sealed record PartnerRegistered(Guid PartnerId, string Name, string Kind, DateTimeOffset RegisteredAt);
