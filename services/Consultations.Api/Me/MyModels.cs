using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Domain;
using Participatie.Contracts;

namespace Participatie.Consultations.Me;

/// <summary>A text a partner wrote, in the resident's language where the partner gave that translation, else in Dutch.</summary>
internal static class MyLanguage
{
    public static (string Text, string Language) Pick(string dutch, IReadOnlyDictionary<string, string>? translations, string language) =>
        language != Languages.Dutch && translations is not null && translations.TryGetValue(language, out var translated)
            ? (translated, language)
            : (dutch, Languages.Dutch);

    /// <summary>A question's or option's text: partners give every language, but an old or odd one may miss one.</summary>
    public static (string Text, string Language) PickComplete(IReadOnlyDictionary<string, string> texts, string language) =>
        texts.TryGetValue(language, out var text) ? (text, language) : (texts[Languages.Dutch], Languages.Dutch);
}

/// <summary>A consultation that is for the resident, in their language, with everything they can do in it.</summary>
public sealed record MyConsultationResponse
{
    public required Guid Id { get; init; }

    public required Guid TrajectoryId { get; init; }

    public required string Title { get; init; }

    public required string Description { get; init; }

    /// <summary>The language of the title and description: the resident's own, or nl when the partner gave no translation.</summary>
    [Vocabulary(typeof(Languages))]
    public required string TextLanguage { get; init; }

    /// <summary>False when the texts are the Dutch ones because there is no translation into the resident's language.</summary>
    public required bool InMyLanguage { get; init; }

    public required string BuurtCode { get; init; }

    public required DateOnly ClosesOn { get; init; }

    /// <summary>Reactions are still taken (until and including <see cref="ClosesOn"/>).</summary>
    public required bool IsOpen { get; init; }

    /// <summary>The resident reacted to it at least once.</summary>
    public required bool Reacted { get; init; }

    /// <summary>Its meetings that have not ended yet, earliest first.</summary>
    public required IReadOnlyList<MyMeetingResponse> Meetings { get; init; }

    /// <summary>Its questionnaire, if it has one.</summary>
    public MyQuestionsLink? Questionnaire { get; init; }

    /// <summary>Its poll, if it has one.</summary>
    public MyQuestionsLink? Poll { get; init; }
}

/// <summary>Where a questionnaire or poll is answered, and whether the resident did.</summary>
public sealed record MyQuestionsLink
{
    public required Guid Id { get; init; }

    public required bool Answered { get; init; }
}

public sealed record MyMeetingResponse
{
    public required Guid Id { get; init; }

    public required Guid ConsultationId { get; init; }

    public required string Place { get; init; }

    public required DateTimeOffset StartsAt { get; init; }

    public required DateTimeOffset EndsAt { get; init; }

    /// <summary>Capacity minus registrations, as the query reads it; never shown, since it gives the registrations away.</summary>
    [JsonIgnore]
    public int PlacesLeft { get; init; }

    /// <summary>"available" (five places or more left), "fewPlaces" (one to four) or "full": no exact number.</summary>
    [Vocabulary(typeof(MeetingAvailability))]
    public string Availability => MeetingRules.AvailabilityOf(PlacesLeft);

    /// <summary>The resident is registered for it.</summary>
    public required bool Registered { get; init; }
}

public sealed record MyMeetingRegistration
{
    public required Guid MeetingId { get; init; }

    public required DateTimeOffset RegisteredAt { get; init; }
}

public sealed record SubmitMyReactionRequest(string? Text, [Vocabulary(typeof(Languages))] string? Language) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("text", Text))
        {
            errors.MaxLength("text", Text, 4000);
        }

        if (Language is not null)
        {
            errors.OneOf("language", Language, Languages.All);
        }
    }
}

/// <summary>One of the resident's own reactions with everything that happened to it, in their language.</summary>
public sealed record MyReactionResponse
{
    public required Guid Id { get; init; }

    public required Guid ConsultationId { get; init; }

    /// <summary>The consultation's title, in the resident's language where there is a translation.</summary>
    public required string ConsultationTitle { get; init; }

    public required string Text { get; init; }

    /// <summary>The language the resident reacted in.</summary>
    [Vocabulary(typeof(Languages))]
    public required string Language { get; init; }

    [Vocabulary(typeof(ReactionStatuses))]
    public required string Status { get; init; }

    /// <summary>Why, as the partner explained its answer; null until answered.</summary>
    public string? Explanation { get; init; }

    /// <summary>The language of <see cref="Explanation"/>: the resident's own, or nl when the partner gave no translation.</summary>
    [Vocabulary(typeof(Languages))]
    public string? ExplanationLanguage { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    /// <summary>The day (in the Netherlands) by which the resident was promised an answer.</summary>
    public required DateOnly AnswerDueOn { get; init; }

    /// <summary>Every status it went through, oldest first.</summary>
    public IReadOnlyList<MyStatusChange>? History { get; init; }
}

public sealed record MyStatusChange
{
    [Vocabulary(typeof(ReactionStatuses))]
    public required string Status { get; init; }

    public string? Explanation { get; init; }

    [Vocabulary(typeof(Languages))]
    public string? ExplanationLanguage { get; init; }

    public required DateTimeOffset ChangedAt { get; init; }
}

/// <summary>A questionnaire in the resident's language, with their own answers if they gave them.</summary>
public sealed record MyQuestionnaireResponse
{
    public required Guid Id { get; init; }

    public required Guid ConsultationId { get; init; }

    public required IReadOnlyList<MyQuestion> Questions { get; init; }

    /// <summary>The resident's answers; null while they have not answered.</summary>
    public IReadOnlyList<AnswerRequest>? MyAnswers { get; init; }

    /// <summary>The language the resident's answers were written in; null while they have not answered.</summary>
    [Vocabulary(typeof(Languages))]
    public string? MyAnswersLanguage { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }
}

public sealed record MyQuestion
{
    public required string Id { get; init; }

    /// <summary>open or multiple-choice.</summary>
    [Vocabulary(typeof(QuestionnaireRules), nameof(QuestionnaireRules.QuestionTypes))]
    public required string Type { get; init; }

    public required string Text { get; init; }

    [Vocabulary(typeof(Languages))]
    public required string TextLanguage { get; init; }

    public IReadOnlyList<MyOption>? Options { get; init; }
}

public sealed record MyOption
{
    public required string Id { get; init; }

    public required string Text { get; init; }
}

public sealed record SubmitMyAnswersRequest : IValidatableRequest
{
    public IReadOnlyList<AnswerRequest>? Answers { get; init; }

    /// <summary>
    /// The language the open answers are written in, so that a partner knows what to translate; by default the
    /// resident's own language, as with their reactions.
    /// </summary>
    [Vocabulary(typeof(Languages))]
    public string? Language { get; init; }

    public void Validate(ValidationErrors errors)
    {
        if (Language is not null)
        {
            errors.OneOf("language", Language, Languages.All);
        }
    }
}

/// <summary>The resident's answers as stored.</summary>
public sealed record MyAnswers
{
    public required Guid QuestionnaireId { get; init; }

    public required IReadOnlyList<AnswerRequest> Answers { get; init; }

    /// <summary>The language the answers were written in.</summary>
    [Vocabulary(typeof(Languages))]
    public required string Language { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }
}

/// <summary>A poll in the resident's language, with their own choice if they made one.</summary>
public sealed record MyPollResponse
{
    public required Guid Id { get; init; }

    public required Guid ConsultationId { get; init; }

    public required string Text { get; init; }

    [Vocabulary(typeof(Languages))]
    public required string TextLanguage { get; init; }

    public required IReadOnlyList<MyOption> Options { get; init; }

    /// <summary>The option the resident chose; null while they have not.</summary>
    public string? MyChoice { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }
}

public sealed record SubmitMyPollResponseRequest(string? OptionId) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => errors.Required("optionId", OptionId);
}

public sealed record MyPollChoice
{
    public required Guid PollId { get; init; }

    public required string OptionId { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }
}

/// <summary>A draagvlakmeting for the resident's home, with how their home voted so far.</summary>
public sealed record MySupportMeasurementResponse
{
    public required Guid Id { get; init; }

    public required string Title { get; init; }

    public required string Proposal { get; init; }

    /// <summary>Votes are taken, and changed, until this moment.</summary>
    public required DateTimeOffset Deadline { get; init; }

    /// <summary>open or closed.</summary>
    [Vocabulary(typeof(SupportMeasurementStatuses))]
    public required string Status { get; init; }

    /// <summary>The home's current vote (agree or disagree), whoever cast it; null while the home has not voted.</summary>
    [Vocabulary(typeof(SupportVoteChoices))]
    public string? MyHomeVote { get; init; }

    public DateTimeOffset? VotedAt { get; init; }
}

public sealed record CastMyVoteRequest([Vocabulary(typeof(SupportVoteChoices))] string? Choice, [StringLength(64)] string? Code) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        errors.OneOf("choice", Choice, SupportVoteChoices.All);
        errors.MaxLength("code", Code, 64);
    }
}

public sealed record CastPublicVoteRequest([StringLength(64)] string? Code, [Vocabulary(typeof(SupportVoteChoices))] string? Choice) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("code", Code))
        {
            errors.MaxLength("code", Code, 64);
        }

        errors.OneOf("choice", Choice, SupportVoteChoices.All);
    }
}
