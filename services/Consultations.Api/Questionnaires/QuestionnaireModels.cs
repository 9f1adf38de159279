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

/// <summary>A question as partners write it: an id of their choosing, a type, texts per language and, if multiple-choice, options.</summary>
public sealed record QuestionDefinition
{
    /// <summary>Chosen by the partner (lowercase letters, digits, dashes), so that answers refer to it.</summary>
    public string? Id { get; init; }

    /// <summary>open or multiple-choice.</summary>
    public string? Type { get; init; }

    /// <summary>The question in every supported language, keyed by language code (nl, en, tr, ar, pl, uk).</summary>
    public IReadOnlyDictionary<string, string>? Texts { get; init; }

    public IReadOnlyList<OptionDefinition>? Options { get; init; }
}

public sealed record OptionDefinition
{
    public string? Id { get; init; }

    public IReadOnlyDictionary<string, string>? Texts { get; init; }
}

public sealed record SubmitQuestionnaireResponseRequest(Guid ResidentId, string? Channel, string? Language, IReadOnlyList<AnswerRequest>? Answers)
    : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => ResponseValidation.Validate(errors, ResidentId, Channel, Language);
}

/// <summary>An answer to one question: text for an open question, an option id for a multiple-choice one.</summary>
public sealed record AnswerRequest
{
    public string? QuestionId { get; init; }

    public string? Text { get; init; }

    public string? OptionId { get; init; }
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

public sealed record QuestionnaireResponse
{
    public required Guid Id { get; init; }

    public required Guid ConsultationId { get; init; }

    /// <summary>questionnaire or poll.</summary>
    public required string Kind { get; init; }

    public required IReadOnlyList<QuestionDefinition> Questions { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>How many residents answered.</summary>
    public required int ResponseCount { get; init; }
}

/// <summary>One resident's answers, as stored.</summary>
public sealed record QuestionnaireAnswers
{
    public required Guid QuestionnaireId { get; init; }

    /// <summary>Pseudonymous: the residents service alone can tell who this is.</summary>
    public required Guid ResidentId { get; init; }

    public required string Channel { get; init; }

    public required string Language { get; init; }

    public required IReadOnlyList<AnswerRequest> Answers { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }
}

public sealed record QuestionnaireResults
{
    public required Guid QuestionnaireId { get; init; }

    public required string Kind { get; init; }

    public required int ResponseCount { get; init; }

    public required IReadOnlyList<QuestionResult> Questions { get; init; }
}

public sealed record QuestionResult
{
    public required string QuestionId { get; init; }

    public required string Type { get; init; }

    public required int AnswerCount { get; init; }

    /// <summary>For a multiple-choice question: every option with how often it was chosen.</summary>
    public IReadOnlyList<OptionResult>? Options { get; init; }

    /// <summary>For an open question: the answers, with the language they were given in, never with who gave them.</summary>
    public IReadOnlyList<OpenAnswer>? OpenAnswers { get; init; }
}

public sealed record OptionResult
{
    public required string OptionId { get; init; }

    public required int Count { get; init; }
}

public sealed record OpenAnswer
{
    public required string Text { get; init; }

    public required string Language { get; init; }
}
