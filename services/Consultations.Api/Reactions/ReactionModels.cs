using System.ComponentModel.DataAnnotations;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.Domain;
using Participatie.Contracts;

namespace Participatie.Consultations.Reactions;

/// <summary>How a reaction reached us: online by the resident, or entered by partner staff on the resident's behalf.</summary>
public static class ReactionChannels
{
    public const string Online = "online";
    public const string PaperForm = "paper-form";
    public const string Phone = "phone";
    public const string DoorToDoor = "door-to-door";
    public const string Meeting = "meeting";

    public static readonly IReadOnlyList<string> All = [Online, PaperForm, Phone, DoorToDoor, Meeting];
}

public sealed record SubmitReactionRequest(Guid ResidentId, string? Text, [Vocabulary(typeof(ReactionChannels))] string? Channel, [Vocabulary(typeof(Languages))] string? Language) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        errors.NotEmpty("residentId", ResidentId);
        if (errors.Required("text", Text))
        {
            errors.MaxLength("text", Text, 4000);
        }

        if (Channel is not null)
        {
            errors.OneOf("channel", Channel, ReactionChannels.All);
        }

        if (Language is not null)
        {
            errors.OneOf("language", Language, Languages.All);
        }
    }
}

public sealed record AnswerReactionRequest(
    [Vocabulary(typeof(ReactionStatuses), nameof(ReactionStatuses.Answers))] string? Status, [StringLength(AnswerReactionRequest.MaximumExplanationLength)] string? Explanation,
    [StringLength(AnswerReactionRequest.MaximumExplanationLength)]
    [Vocabulary(typeof(PartnerTranslations), nameof(PartnerTranslations.TranslatedLanguages))] IReadOnlyDictionary<string, string?>? ExplanationTranslations = null) : IValidatableRequest
{
    public const int MaximumExplanationLength = 4000;

    public void Validate(ValidationErrors errors)
    {
        errors.OneOf("status", Status, ReactionStatuses.Answers);
        if (errors.Required("explanation", Explanation))
        {
            if (Explanation!.Trim().Length < ReactionAnswering.MinimumExplanationLength)
            {
                errors.Add("explanation", $"'explanation' must say why, in at least {ReactionAnswering.MinimumExplanationLength} characters.");
            }

            errors.MaxLength("explanation", Explanation, MaximumExplanationLength);
        }

        PartnerTranslations.Validate(
            errors, "explanationTranslations", ExplanationTranslations, MaximumExplanationLength, ReactionAnswering.MinimumExplanationLength);
    }
}

public sealed record AssignReactionRequest(Guid PartnerId, [StringLength(200)] string? Assignee) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        errors.NotEmpty("partnerId", PartnerId);
        errors.MaxLength("assignee", Assignee, 200);
    }
}

public sealed record AddInternalNoteRequest(string? Text, [StringLength(200)] string? Author) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("text", Text))
        {
            errors.MaxLength("text", Text, 4000);
        }

        errors.MaxLength("author", Author, 200);
    }
}

/// <summary>A note partner staff keep on a reaction while they work on its answer; residents never see it.</summary>
public sealed record InternalNote
{
    public required Guid Id { get; init; }

    public required Guid ReactionId { get; init; }

    /// <summary>The partner whose staff wrote it.</summary>
    public required Guid PartnerId { get; init; }

    /// <summary>Who wrote it, as they gave it (a name or an e-mail address of partner staff).</summary>
    public string? Author { get; init; }

    public required string Text { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed record ReactionResponse
{
    public required Guid Id { get; init; }

    public required Guid ConsultationId { get; init; }

    /// <summary>
    /// Pseudonymous: the residents service alone can tell who this is. Null for a partner that did not register the
    /// resident: it reads what was said and what became of it, not who said it.
    /// </summary>
    public required Guid? ResidentId { get; init; }

    public required string Text { get; init; }

    [Vocabulary(typeof(ReactionChannels))]
    public required string Channel { get; init; }

    [Vocabulary(typeof(Languages))]
    public required string Language { get; init; }

    [Vocabulary(typeof(ReactionStatuses))]
    public required string Status { get; init; }

    /// <summary>In Dutch: the default, read by the resident when their language has no translation.</summary>
    public string? Explanation { get; init; }

    /// <summary>The explanation in other languages (language code to text), as the partner gave it; null when none.</summary>
    [Vocabulary(typeof(PartnerTranslations), nameof(PartnerTranslations.TranslatedLanguages))]
    public IReadOnlyDictionary<string, string>? ExplanationTranslations { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    /// <summary>The day (in the Netherlands) by which the resident was promised an answer.</summary>
    public required DateOnly AnswerDueOn { get; init; }

    /// <summary>The partner that prepares the answer, if one was assigned.</summary>
    public Guid? AssignedPartnerId { get; init; }

    /// <summary>The person at that partner who prepares it (a name or an e-mail address of partner staff).</summary>
    public string? Assignee { get; init; }

    public DateTimeOffset? AssignedAt { get; init; }

    /// <summary>The theme the reaction is grouped under, whose answer it gets.</summary>
    public Guid? ThemeId { get; init; }

    public IReadOnlyList<StatusChange>? History { get; init; }
}

public sealed record StatusChange
{
    [Vocabulary(typeof(ReactionStatuses))]
    public required string Status { get; init; }

    public string? Explanation { get; init; }

    /// <summary>The explanation in other languages, as the partner gave it with this step; null when none.</summary>
    [Vocabulary(typeof(PartnerTranslations), nameof(PartnerTranslations.TranslatedLanguages))]
    public IReadOnlyDictionary<string, string>? ExplanationTranslations { get; init; }

    public required DateTimeOffset ChangedAt { get; init; }
}
