using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Questionnaires;
using Participatie.Consultations.Reactions;
using Participatie.Contracts;

namespace Participatie.Consultations.Polls;

/// <summary>
/// A consultation's poll: one multiple-choice question, in every supported language. Stored and counted as a
/// questionnaire of that one question (<see cref="QuestionnaireStore"/>), so that it follows the same rules; the API
/// speaks of the poll's own fields (texts, options, optionId) and problems name those.
/// </summary>
public static class PollsApi
{
    /// <summary>The id the poll's single question has inside the questionnaire machinery.</summary>
    internal const string QuestionId = "poll";

    public static IEndpointRouteBuilder MapPollsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/consultations/{consultationId:guid}/poll", "Polls")
            .WithConsultationAccess()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPut("", SetPoll)
            .Requires(ConsultationPermissions.Answer)
            .WithName("SetPoll")
            .WithSummary("Give a consultation its poll, or change it while nobody has voted (those who answer its reactions)")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", GetPoll)
            .WithName("GetPoll")
            .WithSummary("Read a consultation's poll with its question and options in every language");
        api.MapPost("/responses", SubmitPollResponse)
            .Requires(ConsultationPermissions.Contribute)
            .WithName("SubmitPollResponse")
            .WithSummary("Enter a resident's choice; a resident's second choice replaces the first (a partner replaces only what it entered itself: 409 otherwise); 422 for a resident who was erased, is outside the consultation's audience or is not known to this service yet")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesValidationProblem(StatusCodes.Status409Conflict);
        api.MapGet("/results", GetPollResults)
            .WithName("GetPollResults")
            .WithSummary("Count the votes per option")
            .WithDescription(SmallCount.Rule);
        return routes;
    }

    /// <summary>questions[0].options[1].texts becomes options[1].texts; answers[0].optionId becomes optionId.</summary>
    internal static string FieldName(string field) =>
        field.StartsWith("questions[0].", StringComparison.Ordinal) ? field["questions[0].".Length..]
        : field.StartsWith("answers[0].", StringComparison.Ordinal) ? field["answers[0].".Length..]
        : field == "questions" ? "options"
        : field;

    internal static async Task<Results<Created<PollResponse>, Ok<PollResponse>, ProblemHttpResult>> SetPoll(
        VisibleConsultation visible, SetPollRequest request, [AsParameters] ApiServices services)
    {
        var question = new QuestionDefinition
        {
            Id = QuestionId, Type = QuestionnaireRules.MultipleChoice, Texts = request.Texts, Options = request.Options,
        };
        var result = await QuestionnaireStore.SetAsync(
            visible, QuestionnaireStore.Poll, [question], services, FieldName);
        return result.Result switch
        {
            Created<QuestionnaireResponse> created => TypedResults.Created(created.Location, PollResponse.From(created.Value!)),
            Ok<QuestionnaireResponse> ok => TypedResults.Ok(PollResponse.From(ok.Value!)),
            _ => (ProblemHttpResult)result.Result,
        };
    }

    internal static async Task<Results<Ok<PollResponse>, ProblemHttpResult>> GetPoll(
        VisibleConsultation visible, [AsParameters] ApiServices services)
    {
        var result = await QuestionnaireStore.GetAsync(visible, QuestionnaireStore.Poll, services);
        return result.Result is Ok<QuestionnaireResponse> ok ? TypedResults.Ok(PollResponse.From(ok.Value!)) : (ProblemHttpResult)result.Result;
    }

    internal static async Task<Results<Created<PollVote>, Ok<PollVote>, ProblemHttpResult>> SubmitPollResponse(
        VisibleConsultation visible, SubmitPollResponseRequest request, [AsParameters] ApiServices services)
    {
        var result = await QuestionnaireStore.SubmitAsync(
            visible, QuestionnaireStore.Poll, request.ResidentId, request.Channel, request.Language,
            [new AnswerRequest { QuestionId = QuestionId, OptionId = request.OptionId }],
            services, FieldName);
        return result.Result switch
        {
            Created<QuestionnaireAnswers> created => TypedResults.Created(created.Location, PollVote.From(created.Value!)),
            Ok<QuestionnaireAnswers> ok => TypedResults.Ok(PollVote.From(ok.Value!)),
            _ => (ProblemHttpResult)result.Result,
        };
    }

    internal static async Task<Results<Ok<PollResults>, ProblemHttpResult>> GetPollResults(
        VisibleConsultation visible, [AsParameters] ApiServices services)
    {
        var result = await QuestionnaireStore.ResultsAsync(visible, QuestionnaireStore.Poll, services);
        if (result.Result is not Ok<QuestionnaireResults> ok)
        {
            return (ProblemHttpResult)result.Result;
        }

        return TypedResults.Ok(new PollResults
        {
            PollId = ok.Value!.QuestionnaireId,
            // The question's answer count: the total the options were checked against, so that it hides what they hide.
            VoteCount = ok.Value.Questions[0].AnswerCount,
            Options = ok.Value.Questions[0].Options!,
        });
    }
}

public sealed record SetPollRequest
{
    /// <summary>The question in every supported language, keyed by language code (nl, en, tr, ar, pl, uk, so, ti).</summary>
    [StringLength(QuestionnaireRules.MaxTextLength)]
    [Vocabulary(typeof(Languages))]
    public IReadOnlyDictionary<string, string>? Texts { get; init; }

    public IReadOnlyList<OptionDefinition>? Options { get; init; }
}

public sealed record SubmitPollResponseRequest(
    Guid ResidentId, [Vocabulary(typeof(ReactionChannels))] string? Channel, [Vocabulary(typeof(Languages))] string? Language, string? OptionId) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        ResponseValidation.Validate(errors, ResidentId, Channel, Language);
        errors.Required("optionId", OptionId);
    }
}

public sealed record PollResponse
{
    public required Guid Id { get; init; }

    public required Guid ConsultationId { get; init; }

    [Vocabulary(typeof(Languages))]
    public required IReadOnlyDictionary<string, string> Texts { get; init; }

    public required IReadOnlyList<OptionDefinition> Options { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>How many residents voted (<see cref="SmallCount.Rule"/>).</summary>
    public required SmallCount VoteCount { get; init; }

    internal static PollResponse From(QuestionnaireResponse questionnaire) => new()
    {
        Id = questionnaire.Id,
        ConsultationId = questionnaire.ConsultationId,
        Texts = questionnaire.Questions[0].Texts!,
        Options = questionnaire.Questions[0].Options!,
        CreatedAt = questionnaire.CreatedAt,
        UpdatedAt = questionnaire.UpdatedAt,
        VoteCount = questionnaire.ResponseCount,
    };
}

public sealed record PollVote
{
    public required Guid PollId { get; init; }

    /// <summary>Pseudonymous: the residents service alone can tell who this is.</summary>
    public required Guid ResidentId { get; init; }

    [Vocabulary(typeof(ReactionChannels))]
    public required string Channel { get; init; }

    [Vocabulary(typeof(Languages))]
    public required string Language { get; init; }

    public required string OptionId { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }

    internal static PollVote From(QuestionnaireAnswers answers) => new()
    {
        PollId = answers.QuestionnaireId,
        ResidentId = answers.ResidentId,
        Channel = answers.Channel,
        Language = answers.Language,
        OptionId = answers.Answers[0].OptionId!,
        SubmittedAt = answers.SubmittedAt,
    };
}

public sealed record PollResults
{
    public required Guid PollId { get; init; }

    /// <summary>How many residents voted (<see cref="SmallCount.Rule"/>).</summary>
    public required SmallCount VoteCount { get; init; }

    /// <summary>Every option with how many residents chose it.</summary>
    public required IReadOnlyList<OptionResult> Options { get; init; }
}
