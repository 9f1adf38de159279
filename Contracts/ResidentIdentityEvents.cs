namespace Participatie.Contracts;

/// <summary>
/// What the token server needs to recognise a resident who signs in, and nothing more: keyed hashes
/// (HMAC-SHA256 with the platform's <c>Identity:ResidentIdentifierKey</c>, see <see cref="ResidentIdentifierKeys"/>)
/// of the resident's e-mail address, phone number and home, never the values themselves. Published by the residents
/// service on every registration (in bulk as <see cref="ResidentsSignInKeysChanged"/>) and every change of these details, with a <see cref="Version"/> that only grows, so a
/// late or redelivered message never undoes a newer one. All keys null: the resident can no longer sign in (erased).
/// </summary>
public sealed record ResidentSignInKeysChanged(
    Guid ResidentId,
    long Version,
    string? EmailKey,
    string? PhoneKey,
    string? HomeKey,
    string PreferredLanguage,
    DateTimeOffset ChangedAt);

/// <summary>
/// The sign-in keys of many residents at once (a partner's bulk registration), at most <see cref="MaximumResidents"/>
/// per message, so that the token server takes them in one transaction instead of one per resident.
/// </summary>
public sealed record ResidentsSignInKeysChanged(IReadOnlyList<ResidentSignInKeysChanged> Keys)
{
    public const int MaximumResidents = 1000;
}

/// <summary>
/// A resident asked to sign in (or a letter code was made for their home): the notifications service sends the code
/// on <see cref="Channel"/> (email, sms or letter) at once, ignoring quiet hours and digests. The code travels only
/// to be sent; the token server keeps its hash.
/// </summary>
public sealed record SignInCodeRequested(
    Guid ChallengeId,
    Guid ResidentId,
    string Channel,
    string Code,
    DateTimeOffset ExpiresAt,
    DateTimeOffset RequestedAt);

/// <summary>
/// A resident gave a new e-mail address or phone number: the notifications service sends the confirmation code to
/// that new address, which it asks the residents service for with <see cref="ConfirmationId"/> at the moment of
/// sending (the address itself never leaves the residents service).
/// </summary>
public sealed record ContactConfirmationRequested(
    Guid ConfirmationId,
    Guid ResidentId,
    string Channel,
    string Code,
    DateTimeOffset ExpiresAt,
    DateTimeOffset RequestedAt);
