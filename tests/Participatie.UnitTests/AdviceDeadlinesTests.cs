using Participatie.PartnerCoordination.Domain;

namespace Participatie.UnitTests;

/// <summary>The Overlegwet dates: six weeks to advise, 14 days to answer a departure with reasons, and their reminders.</summary>
public class AdviceDeadlinesTests
{
    private static readonly DateOnly SentOn = new(2027, 3, 1);

    [Fact]
    public void The_advice_is_due_six_weeks_after_the_request_by_default() =>
        Assert.Equal(new DateOnly(2027, 4, 12), AdviceDeadlines.DefaultAdviceDue(SentOn));

    [Theory]
    [InlineData(42, true)] // exactly six weeks
    [InlineData(43, true)]
    [InlineData(41, false)] // one day short
    [InlineData(0, false)]
    public void The_advice_period_is_at_least_six_weeks(int days, bool longEnough) =>
        Assert.Equal(longEnough, AdviceDeadlines.IsAdvicePeriodLongEnough(SentOn, SentOn.AddDays(days)));

    [Fact]
    public void A_reasoned_answer_is_due_14_days_after_a_departing_decision()
    {
        Assert.Equal(new DateOnly(2027, 5, 24), AdviceDeadlines.ReasonedAnswerDue(new DateOnly(2027, 5, 10)));
        // Across the turn of the year.
        Assert.Equal(new DateOnly(2028, 1, 4), AdviceDeadlines.ReasonedAnswerDue(new DateOnly(2027, 12, 21)));
    }

    [Theory]
    [InlineData(false, null, false, AdviceStates.AwaitingAdvice)]
    [InlineData(true, null, false, AdviceStates.AwaitingDecision)]
    [InlineData(true, true, false, AdviceStates.Closed)]
    [InlineData(true, false, false, AdviceStates.AwaitingReasonedAnswer)]
    [InlineData(true, false, true, AdviceStates.Closed)]
    public void The_state_follows_what_has_been_recorded(bool adviceReceived, bool? followsAdvice, bool answered, string state) =>
        Assert.Equal(state, AdviceDeadlines.State(adviceReceived, followsAdvice, answered));

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
        Assert.Null(AdviceDeadlines.OpenDeadline(AdviceStates.AwaitingDecision, due, null, landlord, tenants));
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
