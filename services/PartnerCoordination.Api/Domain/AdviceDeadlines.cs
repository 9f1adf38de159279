namespace Participatie.PartnerCoordination.Domain;

/// <summary>
/// The dates of the Overlegwet: a tenants' organisation gets at least six weeks to advise (art. 5), and a landlord
/// that departs from the advice answers in writing, with reasons, within 14 days of its decision. Dates are days in
/// Europe/Amsterdam (the shared Amsterdam clock's, passed in as today); a deadline falling today is not yet passed.
/// </summary>
public static class AdviceDeadlines
{
    /// <summary>Six weeks, the shortest advice period the law allows.</summary>
    public const int MinimumAdviceDays = 42;

    public const int ReasonedAnswerDays = 14;

    /// <summary>How many days before its deadline the tenants' organisation is reminded of the advice.</summary>
    public const int AdviceReminderDays = 7;

    /// <summary>How many days before its deadline the landlord is reminded of the reasoned answer.</summary>
    public const int ReasonedAnswerReminderDays = 3;

    public static DateOnly DefaultAdviceDue(DateOnly sentOn) => sentOn.AddDays(MinimumAdviceDays);

    public static bool IsAdvicePeriodLongEnough(DateOnly sentOn, DateOnly adviceDueOn) => adviceDueOn >= sentOn.AddDays(MinimumAdviceDays);

    public static DateOnly ReasonedAnswerDue(DateOnly decidedOn) => decidedOn.AddDays(ReasonedAnswerDays);

    public static int ReminderDays(string deadline) =>
        deadline == AdviceDeadlineKinds.Advice ? AdviceReminderDays : ReasonedAnswerReminderDays;

    /// <summary>Where a request stands, from what has been recorded on it.</summary>
    public static string State(bool adviceReceived, bool? followsAdvice, bool answered) =>
        (adviceReceived, followsAdvice, answered) switch
        {
            (false, _, _) => AdviceStates.AwaitingAdvice,
            (true, null, _) => AdviceStates.AwaitingDecision,
            (true, false, false) => AdviceStates.AwaitingReasonedAnswer,
            _ => AdviceStates.Closed,
        };

    /// <summary>
    /// The deadline still open, and the partner that owes it: the advice (the tenants' organisation), or the
    /// reasoned answer after a departing decision (the landlord). The decision itself has no legal deadline.
    /// </summary>
    public static OpenAdviceDeadline? OpenDeadline(
        string state, DateOnly adviceDueOn, DateOnly? answerDueOn, Guid landlordPartnerId, Guid tenantsOrganisationPartnerId) =>
        state switch
        {
            AdviceStates.AwaitingAdvice => new OpenAdviceDeadline
            {
                Kind = AdviceDeadlineKinds.Advice, DueOn = adviceDueOn, OwedByPartnerId = tenantsOrganisationPartnerId,
            },
            AdviceStates.AwaitingReasonedAnswer when answerDueOn is { } due => new OpenAdviceDeadline
            {
                Kind = AdviceDeadlineKinds.ReasonedAnswer, DueOn = due, OwedByPartnerId = landlordPartnerId,
            },
            _ => null,
        };

    public static bool IsOverdue(DateOnly dueOn, DateOnly today) => dueOn < today;

    /// <summary>Not yet passed, and within the deadline's reminder window (the due date itself included).</summary>
    public static bool IsDueSoon(string deadline, DateOnly dueOn, DateOnly today) =>
        !IsOverdue(dueOn, today) && dueOn.DayNumber - today.DayNumber <= ReminderDays(deadline);

    /// <summary>
    /// A reminder is owed once the deadline is within its window; also when it has already passed, so that a check
    /// that did not run in time (the service was down) still reminds once.
    /// </summary>
    public static bool IsReminderDue(string deadline, DateOnly dueOn, DateOnly today) =>
        dueOn.DayNumber - today.DayNumber <= ReminderDays(deadline);
}

/// <summary>The deadline a request for advice waits on, and who owes the next step.</summary>
public sealed record OpenAdviceDeadline
{
    public required string Kind { get; init; }

    public required DateOnly DueOn { get; init; }

    public required Guid OwedByPartnerId { get; init; }
}

/// <summary>Which deadline of a request for advice: the advice, or the reasoned answer to a departing decision.</summary>
public static class AdviceDeadlineKinds
{
    public const string Advice = "advice";
    public const string ReasonedAnswer = "reasoned-answer";

    public static readonly IReadOnlyList<string> All = [Advice, ReasonedAnswer];
}

/// <summary>Where a request for advice stands.</summary>
public static class AdviceStates
{
    public const string AwaitingAdvice = "awaiting-advice";
    public const string AwaitingDecision = "awaiting-decision";
    public const string AwaitingReasonedAnswer = "awaiting-reasoned-answer";

    /// <summary>The landlord followed the advice, or gave its reasoned answer.</summary>
    public const string Closed = "closed";
}
