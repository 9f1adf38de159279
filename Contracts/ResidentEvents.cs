namespace Participatie.Contracts;

/// <summary>
/// A resident was registered. Carries only pseudonymous attributes: the id, the buurt and how the resident wants
/// to be reached. Names and addresses never leave the residents service.
/// </summary>
public sealed record ResidentRegistered(
    Guid ResidentId,
    string BuurtCode,
    string PreferredLanguage,
    string PreferredChannel,
    DateTimeOffset RegisteredAt);
