using Participatie.Contracts;

namespace Participatie.Consultations.Domain;

/// <summary>By when a resident gets an answer to a reaction, and when that promise is broken.</summary>
public static class AnswerDeadlines
{
    /// <summary>What a trajectory promises unless its lead sets otherwise: three working weeks.</summary>
    public const int DefaultWorkingDays = 15;

    public const int MinimumWorkingDays = 1;

    /// <summary>Twelve working weeks: longer than that is no answer residents wait for.</summary>
    public const int MaximumWorkingDays = 60;

    /// <summary>The statuses of a reaction that still waits for an outcome.</summary>
    public static readonly IReadOnlyList<string> AwaitingOutcome = [ReactionStatuses.Received, ReactionStatuses.UnderConsideration];

    /// <summary>The day the answer is due, counted from the day (in the Netherlands) the reaction was received.</summary>
    public static DateOnly DueOn(DateOnly receivedOn, int workingDays) => WorkingDays.Add(receivedOn, workingDays);

    /// <summary>
    /// Overdue once the due day has passed without an outcome. "Under consideration" tells the resident we are busy,
    /// but it is no answer: the reaction stays overdue until it is adopted, partly adopted or not adopted.
    /// </summary>
    public static bool IsOverdue(DateOnly answerDueOn, string status, DateOnly today) =>
        answerDueOn < today && AwaitingOutcome.Contains(status);
}
