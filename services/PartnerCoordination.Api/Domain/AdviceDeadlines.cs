using System.ComponentModel.DataAnnotations;
using Participatie.Contracts;

namespace Participatie.PartnerCoordination.Domain;

/// <summary>
/// The dates of the Overlegwet: a tenants' organisation gets at least six weeks to advise (art. 5); a landlord that
/// departs from the advice answers in writing, with reasons, within 14 days of receiving the advice (art. 5 lid 2), and
/// goes ahead no sooner than three days after the tenants' organisation received that answer (art. 5 lid 3). Advice not
/// given within its period lapses, and the landlord may go ahead. Each statutory term ends as the Algemene termijnenwet
/// says (<see cref="StatutoryTerms"/>). Dates are days in Europe/Amsterdam (the shared Amsterdam clock's, passed in as
/// today); a deadline falling today is not yet passed.
/// </summary>
public static class AdviceDeadlines
{
    /// <summary>Six weeks, the shortest advice period the law allows.</summary>
    public const int MinimumAdviceDays = 42;

    public const int ReasonedAnswerDays = 14;

    /// <summary>How long after receiving the reasoned answer the tenants' organisation has before the landlord goes ahead.</summary>
    public const int WaitAfterReasonedAnswerDays = 3;

    /// <summary>How many days before its deadline the tenants' organisation is reminded of the advice.</summary>
    public const int AdviceReminderDays = 7;

    /// <summary>How many days before its deadline the landlord is reminded of the reasoned answer.</summary>
    public const int ReasonedAnswerReminderDays = 3;

    /// <summary>The end of the statutory six weeks; a landlord may give longer.</summary>
    public static DateOnly DefaultAdviceDue(DateOnly sentOn, IReadOnlySet<DateOnly> declaredHolidays) =>
        StatutoryTerms.End(sentOn, MinimumAdviceDays, declaredHolidays);

    public static bool IsAdvicePeriodLongEnough(DateOnly sentOn, DateOnly adviceDueOn, IReadOnlySet<DateOnly> declaredHolidays) =>
        adviceDueOn >= DefaultAdviceDue(sentOn, declaredHolidays);

    /// <summary>Counted from the receipt of the advice, not from the landlord's decision (art. 5 lid 2).</summary>
    public static DateOnly ReasonedAnswerDue(DateOnly adviceReceivedOn, IReadOnlySet<DateOnly> declaredHolidays) =>
        StatutoryTerms.End(adviceReceivedOn, ReasonedAnswerDays, declaredHolidays);

    /// <summary>The first day a landlord that departed from the advice may carry out its proposal (art. 5 lid 3).</summary>
    public static DateOnly MayProceedAfterReasonedAnswer(DateOnly answerReceivedOn, IReadOnlySet<DateOnly> declaredHolidays) =>
        StatutoryTerms.End(answerReceivedOn, WaitAfterReasonedAnswerDays, declaredHolidays);

    /// <summary>No advice was received and its period has passed.</summary>
    public static bool HasAdviceLapsed(bool adviceReceived, DateOnly adviceDueOn, DateOnly today) => !adviceReceived && adviceDueOn < today;

    /// <summary>
    /// The first day the landlord may carry out its proposal, once that is known: the day after a lapsed advice period,
    /// the day of a decision that follows the advice, or three days after the reasoned answer.
    /// </summary>
    public static DateOnly? MayProceedOn(
        string state, DateOnly adviceDueOn, bool? followsAdvice, DateOnly? decidedOn, DateOnly? proceedAfterAnswerOn) =>
        state switch
        {
            AdviceStates.AdviceLapsed => adviceDueOn.AddDays(1),
            AdviceStates.Closed when followsAdvice == true => decidedOn,
            AdviceStates.Closed => proceedAfterAnswerOn,
            _ => null,
        };

    public static int ReminderDays(string deadline) =>
        deadline == AdviceDeadlineKinds.Advice ? AdviceReminderDays : ReasonedAnswerReminderDays;

    /// <summary>Where a request stands, from what has been recorded on it and whether its advice period has lapsed.</summary>
    public static string State(bool adviceReceived, bool? followsAdvice, bool answered, bool adviceLapsed) =>
        (adviceReceived, followsAdvice, answered) switch
        {
            (false, _, _) => adviceLapsed ? AdviceStates.AdviceLapsed : AdviceStates.AwaitingAdvice,
            (true, null, _) => AdviceStates.AwaitingDecision,
            (true, false, false) => AdviceStates.AwaitingReasonedAnswer,
            _ => AdviceStates.Closed,
        };

    /// <summary>
    /// The deadline still open, and the partner that owes it: the advice (the tenants' organisation), or, once the
    /// advice is in, the landlord's reasoned answer should it depart from it (due 14 days after receipt, so it runs
    /// while the landlord has not decided yet).
    /// </summary>
    public static OpenAdviceDeadline? OpenDeadline(
        string state, DateOnly adviceDueOn, DateOnly? answerDueOn, Guid landlordPartnerId, Guid tenantsOrganisationPartnerId) =>
        state switch
        {
            AdviceStates.AwaitingAdvice => new OpenAdviceDeadline
            {
                Kind = AdviceDeadlineKinds.Advice, DueOn = adviceDueOn, OwedByPartnerId = tenantsOrganisationPartnerId,
            },
            AdviceStates.AwaitingDecision or AdviceStates.AwaitingReasonedAnswer when answerDueOn is { } due => new OpenAdviceDeadline
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
    [AllowedValues(AdviceDeadlineKinds.Advice, AdviceDeadlineKinds.ReasonedAnswer)]
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

    /// <summary>The advice period passed without advice: the landlord may go ahead.</summary>
    public const string AdviceLapsed = "advice-lapsed";
    public const string AwaitingDecision = "awaiting-decision";
    public const string AwaitingReasonedAnswer = "awaiting-reasoned-answer";

    /// <summary>The landlord followed the advice, or gave its reasoned answer.</summary>
    public const string Closed = "closed";

    public static readonly IReadOnlyList<string> All = [AwaitingAdvice, AdviceLapsed, AwaitingDecision, AwaitingReasonedAnswer, Closed];
}
