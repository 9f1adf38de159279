using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Reactions;
using Participatie.Contracts;

namespace Participatie.Consultations.Questionnaires;

public sealed record SetQuestionnaireRequest
{
    public IReadOnlyList<QuestionDefinition>? Questions { get; init; }
}

public sealed record SubmitQuestionnaireResponseRequest(
    Guid ResidentId, [Vocabulary(typeof(ReactionChannels))] string? Channel, [Vocabulary(typeof(Languages))] string? Language, IReadOnlyList<AnswerRequest>? Answers)
    : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => ResponseValidation.Validate(errors, ResidentId, Channel, Language);
}

internal static class ResponseValidation
{
    public static void Validate(ValidationErrors errors, Guid residentId, string? channel, string? language)
    {
        errors.NotEmpty("residentId", residentId);
        if (channel is not null)
        {
            errors.OneOf("channel", channel, ReactionChannels.All);
        }

        if (language is not null)
        {
            errors.OneOf("language", language, Languages.All);
        }
    }
}

/// <summary>A questionnaire, or a poll (stored as a questionnaire of one multiple-choice question).</summary>
public static class QuestionnaireKinds
{
    public static readonly IReadOnlyList<string> All = [QuestionnaireStore.Questionnaire, QuestionnaireStore.Poll];
}

public sealed record QuestionnaireResponse
{
    public required Guid Id { get; init; }

    public required Guid ConsultationId { get; init; }

    /// <summary>questionnaire or poll.</summary>
    [Vocabulary(typeof(QuestionnaireKinds))]
    public required string Kind { get; init; }

    public required IReadOnlyList<QuestionDefinition> Questions { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>How many residents answered (<see cref="SmallCount.Rule"/>).</summary>
    public required SmallCount ResponseCount { get; init; }
}

/// <summary>One resident's answers, as stored.</summary>
public sealed record QuestionnaireAnswers
{
    public required Guid QuestionnaireId { get; init; }

    /// <summary>Pseudonymous: the residents service alone can tell who this is.</summary>
    public required Guid ResidentId { get; init; }

    [Vocabulary(typeof(ReactionChannels))]
    public required string Channel { get; init; }

    [Vocabulary(typeof(Languages))]
    public required string Language { get; init; }

    public required IReadOnlyList<AnswerRequest> Answers { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }
}

public sealed record QuestionnaireResults
{
    public required Guid QuestionnaireId { get; init; }

    [Vocabulary(typeof(QuestionnaireKinds))]
    public required string Kind { get; init; }

    /// <summary>How many residents answered (<see cref="SmallCount.Rule"/>).</summary>
    public required SmallCount ResponseCount { get; init; }

    public required IReadOnlyList<QuestionResult> Questions { get; init; }
}

