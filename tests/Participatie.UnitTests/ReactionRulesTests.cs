using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Reactions;
using Participatie.Consultations.Domain;
using Participatie.Contracts;

namespace Participatie.UnitTests;

public class ReactionRulesTests
{
    [Theory]
    [InlineData(ReactionStatuses.Received, ReactionStatuses.UnderConsideration)]
    [InlineData(ReactionStatuses.Received, ReactionStatuses.Adopted)]
    [InlineData(ReactionStatuses.UnderConsideration, ReactionStatuses.NotAdopted)]
    [InlineData(ReactionStatuses.Adopted, ReactionStatuses.PartlyAdopted)]
    public void A_new_answer_is_a_change_the_resident_hears_of(string from, string to) =>
        Assert.Equal(AnswerOutcome.Changed, ReactionAnswering.Decide(from, "earlier reason", to, "a new reason"));

    [Fact]
    public void The_same_answer_twice_changes_nothing() =>
        Assert.Equal(
            AnswerOutcome.Unchanged,
            ReactionAnswering.Decide(ReactionStatuses.Adopted, "Er komt extra licht.", ReactionStatuses.Adopted, "Er komt extra licht."));

    [Fact]
    public void A_new_explanation_for_the_same_status_is_a_change() =>
        Assert.Equal(
            AnswerOutcome.Changed,
            ReactionAnswering.Decide(ReactionStatuses.Adopted, "Er komt extra licht.", ReactionStatuses.Adopted, "Er komt extra licht, in 2027."));

    [Theory]
    [InlineData(ReactionStatuses.Adopted)]
    [InlineData(ReactionStatuses.PartlyAdopted)]
    [InlineData(ReactionStatuses.NotAdopted)]
    public void A_decision_cannot_be_withdrawn_into_consideration(string outcome) =>
        Assert.Equal(
            AnswerOutcome.NotAllowed,
            ReactionAnswering.Decide(outcome, "reason given", ReactionStatuses.UnderConsideration, "we think again"));

    [Fact]
    public void An_answer_needs_a_real_status_and_a_reason()
    {
        var errors = new ValidationErrors();
        new AnswerReactionRequest(ReactionStatuses.Received, "ok").Validate(errors);

        Assert.Equal(["explanation", "status"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_reaction_from_an_unknown_channel_is_refused()
    {
        var errors = new ValidationErrors();
        new SubmitReactionRequest(Guid.NewGuid(), "Meer groen graag", "carrier-pigeon", "nl").Validate(errors);

        Assert.Equal(["channel"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void A_consultation_is_open_through_its_closing_day_in_Dutch_time()
    {
        // 22:30 UTC on 31 March is 00:30 on 1 April in Amsterdam (summer time).
        var clock = new FixedClock(new DateTimeOffset(2026, 3, 31, 22, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateOnly(2026, 4, 1), DutchCalendar.Today(clock));
        Assert.False(DutchCalendar.IsOpen(new DateOnly(2026, 3, 31), clock));
        Assert.True(DutchCalendar.IsOpen(new DateOnly(2026, 4, 1), clock));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
