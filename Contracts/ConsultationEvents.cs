namespace Participatie.Contracts;

/// <summary>
/// A partner opened a consultation, in a trajectory, for the residents of a buurt, or only for those at the given
/// address keys (see <see cref="AddressKeys"/>) when there are any. <see cref="Title"/> is Dutch; the partner may give
/// it in other languages too (<see cref="TitleTranslations"/>, language code to text; absent in older messages).
/// </summary>
public sealed record ConsultationOpened(
    Guid ConsultationId,
    Guid TrajectoryId,
    Guid PartnerId,
    string Title,
    string BuurtCode,
    DateOnly ClosesOn,
    DateTimeOffset OpenedAt,
    IReadOnlyList<string>? AddressKeys = null,
    IReadOnlyDictionary<string, string>? TitleTranslations = null);

/// <summary>
/// Who lives at the addresses a consultation is meant for (its <see cref="ConsultationOpened.AddressKeys"/>), as only the
/// residents service can tell: pseudonymous ids, never the addresses with them. Published again for each resident who
/// registers at one of those addresses later.
/// </summary>
public sealed record ConsultationAudienceResolved(Guid ConsultationId, Guid TrajectoryId, IReadOnlyList<Guid> ResidentIds);

/// <summary>
/// A resident reacted to a consultation; the resident is owed a receipt and, by <see cref="AnswerDueOn"/> (a date in
/// the Netherlands), an answer.
/// </summary>
public sealed record ReactionSubmitted(
    Guid ReactionId,
    Guid ConsultationId,
    Guid TrajectoryId,
    Guid ResidentId,
    string ConsultationTitle,
    DateTimeOffset SubmittedAt,
    DateOnly AnswerDueOn,
    IReadOnlyDictionary<string, string>? TitleTranslations = null);

/// <summary>
/// Reactions written together (the consultations service writes the reactions that arrive at the same moment in one
/// statement): the facts of a <see cref="ReactionSubmitted"/> for each, in one message, so that the broker carries and
/// the consumers read one message instead of one per reaction on a busy evening. A reaction written alone still comes
/// as a <see cref="ReactionSubmitted"/>; a consumer of one takes both. At most <see cref="MaximumReactions"/>.
/// </summary>
public sealed record ReactionsSubmitted(IReadOnlyList<ReactionSubmitted> Reactions)
{
    public const int MaximumReactions = 64;
}

/// <summary>
/// A partner answered a reaction: its status changed and the resident must hear why. The title and explanation are
/// Dutch; the translations the partner gave (language code to text) travel with them, absent in older messages.
/// </summary>
public sealed record ReactionAnswered(
    Guid ReactionId,
    Guid ConsultationId,
    Guid TrajectoryId,
    Guid ResidentId,
    string ConsultationTitle,
    string Status,
    string Explanation,
    DateTimeOffset AnsweredAt,
    IReadOnlyDictionary<string, string>? TitleTranslations = null,
    IReadOnlyDictionary<string, string>? ExplanationTranslations = null);
