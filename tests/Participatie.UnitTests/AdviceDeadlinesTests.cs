using Participatie.PartnerCoordination.Domain;

namespace Participatie.UnitTests;

/// <summary>
/// The Overlegwet dates: six weeks to advise, 14 days from the advice's receipt to answer a departure with reasons,
/// three days' wait after that answer, and their reminders.
/// </summary>
public class AdviceDeadlinesTests
{
    private static readonly DateOnly SentOn = new(2027, 3, 1);
    private static readonly IReadOnlySet<DateOnly> NoneDeclared = new HashSet<DateOnly>();

    [Fact]
    public void The_advice_is_due_six_weeks_after_the_request_by_default() =>
        Assert.Equal(new DateOnly(2027, 4, 12), AdviceDeadlines.DefaultAdviceDue(SentOn, NoneDeclared));

    [Fact]
    public void Six_weeks_ending_on_Eerste_Kerstdag_end_on_the_next_working_day()
    {
        // Sent Thursday 13 November 2025: six weeks end on Thursday 25 December, then Tweede Kerstdag and a weekend.
        var sentOn = new DateOnly(2025, 11, 13);

        Assert.Equal(new DateOnly(2025, 12, 29), AdviceDeadlines.DefaultAdviceDue(sentOn, NoneDeclared));
        Assert.False(AdviceDeadlines.IsAdvicePeriodLongEnough(sentOn, new DateOnly(2025, 12, 25), NoneDeclared));
    }

    [Theory]
    [InlineData(42, true)] // exactly six weeks
    [InlineData(43, true)]
    [InlineData(41, false)] // one day short
    [InlineData(0, false)]
    public void The_advice_period_is_at_least_six_weeks(int days, bool longEnough) =>
        Assert.Equal(longEnough, AdviceDeadlines.IsAdvicePeriodLongEnough(SentOn, SentOn.AddDays(days), NoneDeclared));

    // The 14 days used to run from the landlord's decision; art. 5 lid 2 counts them from the receipt of the advice.
    [Fact]
    public void A_reasoned_answer_is_due_14_days_after_the_advice_was_received()
    {
        // Received Wednesday 3 March 2027: due Wednesday 17 March, whenever the landlord decides.
        Assert.Equal(new DateOnly(2027, 3, 17), AdviceDeadlines.ReasonedAnswerDue(new DateOnly(2027, 3, 3), NoneDeclared));
        // Across the turn of the year.
        Assert.Equal(new DateOnly(2028, 1, 4), AdviceDeadlines.ReasonedAnswerDue(new DateOnly(2027, 12, 21), NoneDeclared));
        // Received Friday 12 December 2025: the 14 days end on Tweede Kerstdag, so on Monday 29 December.
        Assert.Equal(new DateOnly(2025, 12, 29), AdviceDeadlines.ReasonedAnswerDue(new DateOnly(2025, 12, 12), NoneDeclared));
    }

    [Fact]
    public void The_landlord_may_go_ahead_three_days_after_the_reasoned_answer_was_received()
    {
        Assert.Equal(new DateOnly(2027, 3, 4), AdviceDeadlines.MayProceedAfterReasonedAnswer(new DateOnly(2027, 3, 1), NoneDeclared));
        // An answer received on a Friday: the three days hold two working days only on Tuesday.
        Assert.Equal(new DateOnly(2027, 3, 9), AdviceDeadlines.MayProceedAfterReasonedAnswer(new DateOnly(2027, 3, 5), NoneDeclared));
    }

    [Fact]
    public void Advice_not_given_in_its_period_lapses_and_the_landlord_may_go_ahead_the_next_day()
    {
        var due = new DateOnly(2027, 4, 12);

        Assert.False(AdviceDeadlines.HasAdviceLapsed(false, due, due));
        Assert.True(AdviceDeadlines.HasAdviceLapsed(false, due, due.AddDays(1)));
        Assert.False(AdviceDeadlines.HasAdviceLapsed(true, due, due.AddDays(1)));
        Assert.Equal(due.AddDays(1), AdviceDeadlines.MayProceedOn(AdviceStates.AdviceLapsed, due, null, null, null));
        Assert.Null(AdviceDeadlines.MayProceedOn(AdviceStates.AwaitingAdvice, due, null, null, null));
        Assert.Null(AdviceDeadlines.MayProceedOn(AdviceStates.AwaitingReasonedAnswer, due, false, new DateOnly(2027, 5, 1), null));
        Assert.Equal(new DateOnly(2027, 5, 1), AdviceDeadlines.MayProceedOn(AdviceStates.Closed, due, true, new DateOnly(2027, 5, 1), null));
        Assert.Equal(new DateOnly(2027, 5, 7), AdviceDeadlines.MayProceedOn(AdviceStates.Closed, due, false, new DateOnly(2027, 5, 1), new DateOnly(2027, 5, 7)));
    }

    [Theory]
    [InlineData(false, null, false, false, AdviceStates.AwaitingAdvice)]
    [InlineData(false, null, false, true, AdviceStates.AdviceLapsed)]
    [InlineData(true, null, false, false, AdviceStates.AwaitingDecision)]
    [InlineData(true, true, false, false, AdviceStates.Closed)]
    [InlineData(true, false, false, false, AdviceStates.AwaitingReasonedAnswer)]
    [InlineData(true, false, true, false, AdviceStates.Closed)]
    public void The_state_follows_what_has_been_recorded(bool adviceReceived, bool? followsAdvice, bool answered, bool lapsed, string state) =>
        Assert.Equal(state, AdviceDeadlines.State(adviceReceived, followsAdvice, answered, lapsed));

    [Fact]
    public void The_open_deadline_is_owed_by_the_partner_that_takes_the_next_step()
    {
        var landlord = Guid.NewGuid();
        var tenants = Guid.NewGuid();
        var due = SentOn.AddDays(42);
        var answerDue = new DateOnly(2027, 5, 24);

        var advice = AdviceDeadlines.OpenDeadline(AdviceStates.AwaitingAdvice, due, null, landlord, tenants);
        var answer = AdviceDeadlines.OpenDeadline(AdviceStates.AwaitingReasonedAnswer, due, answerDue, landlord, tenants);

        Assert.Equal(new OpenAdviceDeadline { Kind = AdviceDeadlineKinds.Advice, DueOn = due, OwedByPartnerId = tenants }, advice);
        Assert.Equal(new OpenAdviceDeadline { Kind = AdviceDeadlineKinds.ReasonedAnswer, DueOn = answerDue, OwedByPartnerId = landlord }, answer);
        // The answer's 14 days run from receipt, so they are open while the landlord has not decided yet (they used not to be).
        Assert.Equal(
            new OpenAdviceDeadline { Kind = AdviceDeadlineKinds.ReasonedAnswer, DueOn = answerDue, OwedByPartnerId = landlord },
            AdviceDeadlines.OpenDeadline(AdviceStates.AwaitingDecision, due, answerDue, landlord, tenants));
        Assert.Null(AdviceDeadlines.OpenDeadline(AdviceStates.AdviceLapsed, due, null, landlord, tenants));
        Assert.Null(AdviceDeadlines.OpenDeadline(AdviceStates.Closed, due, answerDue, landlord, tenants));
    }

    [Theory]
    // The advice: due soon from 7 days before, overdue only the day after its due date.
    [InlineData(AdviceDeadlineKinds.Advice, 8, false, false, false)]
    [InlineData(AdviceDeadlineKinds.Advice, 7, false, true, true)]
    [InlineData(AdviceDeadlineKinds.Advice, 0, false, true, true)]
    [InlineData(AdviceDeadlineKinds.Advice, -1, true, false, true)]
    // The reasoned answer: due soon from 3 days before.
    [InlineData(AdviceDeadlineKinds.ReasonedAnswer, 4, false, false, false)]
    [InlineData(AdviceDeadlineKinds.ReasonedAnswer, 3, false, true, true)]
    [InlineData(AdviceDeadlineKinds.ReasonedAnswer, 0, false, true, true)]
    [InlineData(AdviceDeadlineKinds.ReasonedAnswer, -1, true, false, true)]
    public void Overdue_and_due_soon_have_sharp_boundaries(string deadline, int daysLeft, bool overdue, bool dueSoon, bool remind)
    {
        var today = new DateOnly(2027, 6, 15);
        var dueOn = today.AddDays(daysLeft);

        Assert.Equal(overdue, AdviceDeadlines.IsOverdue(dueOn, today));
        Assert.Equal(dueSoon, AdviceDeadlines.IsDueSoon(deadline, dueOn, today));
        Assert.Equal(remind, AdviceDeadlines.IsReminderDue(deadline, dueOn, today));
    }
}
