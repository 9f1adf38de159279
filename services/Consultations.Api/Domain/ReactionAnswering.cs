using Participatie.Contracts;

namespace Participatie.Consultations.Domain;

public enum AnswerOutcome
{
    /// <summary>The status or the explanation (or its translations) changed: record it and tell the resident.</summary>
    Changed,

    /// <summary>The same answer was given again: nothing to record, nobody to tell.</summary>
    Unchanged,

    /// <summary>The answer is not allowed from the reaction's current status.</summary>
    NotAllowed,
}

/// <summary>The rules for answering a resident's reaction.</summary>
public static class ReactionAnswering
{
    public const int MinimumExplanationLength = 10;

    /// <param name="sameTranslations">
    /// Whether the explanation's translations stay as they were: a new or corrected translation is a new answer for
    /// the residents who read that language.
    /// </param>
    public static AnswerOutcome Decide(
        string currentStatus, string? currentExplanation, string newStatus, string newExplanation, bool sameTranslations = true)
    {
        if (currentStatus == newStatus && string.Equals(currentExplanation, newExplanation, StringComparison.Ordinal) && sameTranslations)
        {
            return AnswerOutcome.Unchanged;
        }

        // Once an outcome is given it may be revised to another outcome, but not withdrawn into
        // "under consideration": residents must be able to rely on a decision they were told.
        if (ReactionStatuses.IsOutcome(currentStatus) && newStatus == ReactionStatuses.UnderConsideration)
        {
            return AnswerOutcome.NotAllowed;
        }

        return AnswerOutcome.Changed;
    }
}
