using Participatie.Contracts;

namespace Participatie.Consultations.Domain;

public enum AnswerOutcome
{
    /// <summary>The status or the explanation changed: record it and tell the resident.</summary>
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

    public static AnswerOutcome Decide(string currentStatus, string? currentExplanation, string newStatus, string newExplanation)
    {
        if (currentStatus == newStatus && string.Equals(currentExplanation, newExplanation, StringComparison.Ordinal))
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
