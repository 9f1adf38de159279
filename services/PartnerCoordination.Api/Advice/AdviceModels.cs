using System.ComponentModel.DataAnnotations;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Domain;

namespace Participatie.PartnerCoordination.Advice;

/// <summary>
/// A request for advice, to a tenants' organisation or a bewonerscommissie (<c>tenantsOrganisationPartnerId</c>).
/// Without <c>sentOn</c> it is sent today; without <c>adviceDueOn</c> the advice is due when the statutory six weeks end.
/// </summary>
public sealed record NewAdviceRequest(Guid? TenantsOrganisationPartnerId, [StringLength(200)] string? Subject, [StringLength(20000)] string? Proposal, DateOnly? SentOn, DateOnly? AdviceDueOn)
    : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        errors.NotEmpty("tenantsOrganisationPartnerId", TenantsOrganisationPartnerId ?? Guid.Empty);
        if (errors.Required("subject", Subject))
        {
            errors.MaxLength("subject", Subject, 200);
        }

        if (errors.Required("proposal", Proposal))
        {
            errors.MaxLength("proposal", Proposal, 20000);
        }
    }
}

/// <summary>The advice; without <c>receivedOn</c> the landlord received it today (its 14 days for an answer run from then).</summary>
public sealed record AdviceGivenRequest([StringLength(20000)] string? Text, DateOnly? ReceivedOn) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("text", Text))
        {
            errors.MaxLength("text", Text, 20000);
        }
    }
}

/// <summary>The reasoned answer.</summary>
public sealed record AdviceTextRequest([StringLength(20000)] string? Text) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("text", Text))
        {
            errors.MaxLength("text", Text, 20000);
        }
    }
}

/// <summary>The landlord's decision; without <c>decidedOn</c> it was taken today.</summary>
public sealed record AdviceDecisionRequest(bool? FollowsAdvice, DateOnly? DecidedOn) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (FollowsAdvice is null)
        {
            errors.Add("followsAdvice", "'followsAdvice' is required.");
        }
    }
}

public sealed record AdviceRequest
{
    public required Guid Id { get; init; }

    public required Guid TrajectoryId { get; init; }

    /// <summary>The housing corporation that asked for the advice.</summary>
    public required Guid LandlordPartnerId { get; init; }

    /// <summary>The tenants' organisation or bewonerscommissie asked for advice.</summary>
    public required Guid TenantsOrganisationPartnerId { get; init; }

    public required string Subject { get; init; }

    public required string Proposal { get; init; }

    public required DateOnly SentOn { get; init; }

    public required DateOnly AdviceDueOn { get; init; }

    public string? Advice { get; init; }

    public DateOnly? AdviceReceivedOn { get; init; }

    /// <summary>Null until the landlord has decided.</summary>
    public bool? FollowsAdvice { get; init; }

    public DateOnly? DecidedOn { get; init; }

    /// <summary>
    /// When a reasoned answer is due should the landlord depart from the advice: 14 days after receiving the advice,
    /// moved past weekends and holidays; null before the advice and once the landlord follows it.
    /// </summary>
    public DateOnly? AnswerDueOn { get; init; }

    public string? ReasonedAnswer { get; init; }

    public DateOnly? AnsweredOn { get; init; }

    /// <summary>
    /// The first day the landlord may carry out its proposal: the day after a lapsed advice period, the day of a decision
    /// following the advice, or three days after the tenants' organisation received the reasoned answer; null until known.
    /// </summary>
    public DateOnly? MayProceedOn { get; init; }

    /// <summary>awaiting-advice, advice-lapsed, awaiting-decision, awaiting-reasoned-answer or closed.</summary>
    [Vocabulary(typeof(AdviceStates))]
    public string State { get; init; } = AdviceStates.AwaitingAdvice;

    /// <summary>The deadline the request waits on and who owes it; null when none is open.</summary>
    public OpenAdviceDeadline? OpenDeadline { get; init; }

    /// <summary>The open deadline has passed (in the Netherlands).</summary>
    public bool Overdue { get; init; }

    /// <summary>The open deadline is near: within 7 days for the advice, 3 for the reasoned answer.</summary>
    public bool DueSoon { get; init; }

    /// <summary>The reminders sent to the partner owing the next step; only when the request is read on its own.</summary>
    public IReadOnlyList<AdviceReminder> Reminders { get; init; } = [];

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}

public sealed record AdviceReminder
{
    /// <summary>advice or reasoned-answer.</summary>
    public required string Deadline { get; init; }

    public required DateOnly DueOn { get; init; }

    public required Guid RecipientPartnerId { get; init; }

    public required DateTimeOffset SentAt { get; init; }
}
