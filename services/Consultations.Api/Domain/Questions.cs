using System.ComponentModel.DataAnnotations;
using Participatie.Contracts;

namespace Participatie.Consultations.Domain;

/// <summary>A question as partners write it: an id of their choosing, a type, texts per language and, if multiple-choice, options.</summary>
public sealed record QuestionDefinition
{
    /// <summary>Chosen by the partner (lowercase letters, digits, dashes), so that answers refer to it.</summary>
    [StringLength(QuestionnaireRules.MaxIdLength)]
    public string? Id { get; init; }

    /// <summary>open or multiple-choice.</summary>
    [AllowedValues(QuestionnaireRules.Open, QuestionnaireRules.MultipleChoice)]
    public string? Type { get; init; }

    /// <summary>The question in every supported language, keyed by language code (nl, en, tr, ar, pl, uk, so, ti).</summary>
    [StringLength(QuestionnaireRules.MaxTextLength)]
    public IReadOnlyDictionary<string, string>? Texts { get; init; }

    public IReadOnlyList<OptionDefinition>? Options { get; init; }
}

public sealed record OptionDefinition
{
    [StringLength(QuestionnaireRules.MaxIdLength)]
    public string? Id { get; init; }

    [StringLength(QuestionnaireRules.MaxTextLength)]
    public IReadOnlyDictionary<string, string>? Texts { get; init; }
}

/// <summary>An answer to one question: text for an open question, an option id for a multiple-choice one.</summary>
public sealed record AnswerRequest
{
    // An answer names a question or option by its id, which is never longer.
    [StringLength(QuestionnaireRules.MaxIdLength)]
    public string? QuestionId { get; init; }

    [StringLength(QuestionnaireRules.MaxAnswerLength)]
    public string? Text { get; init; }

    [StringLength(QuestionnaireRules.MaxIdLength)]
    public string? OptionId { get; init; }
}

public sealed record QuestionResult
{
    public required string QuestionId { get; init; }

    // The domain names its vocabularies without [Vocabulary] (an HTTP concern); a unit test holds these to the lists.
    [AllowedValues(QuestionnaireRules.Open, QuestionnaireRules.MultipleChoice)]
    public required string Type { get; init; }

    /// <summary>How many residents answered it (<see cref="SmallCount.Rule"/>).</summary>
    public required SmallCount AnswerCount { get; init; }

    /// <summary>For a multiple-choice question: every option with how often it was chosen.</summary>
    public IReadOnlyList<OptionResult>? Options { get; init; }

    /// <summary>For an open question: the answers, with the language they were given in, never with who gave them.</summary>
    public IReadOnlyList<OpenAnswer>? OpenAnswers { get; init; }
}

public sealed record OptionResult
{
    public required string OptionId { get; init; }

    /// <summary>How many chose it (<see cref="SmallCount.Rule"/>; the options of a question add up to its answer count).</summary>
    public required SmallCount Count { get; init; }
}

public sealed record OpenAnswer
{
    public required string Text { get; init; }

    [AllowedValues(Languages.Dutch, Languages.English, Languages.Turkish, Languages.Arabic, Languages.Polish, Languages.Ukrainian, Languages.Somali, Languages.Tigrinya)]
    public required string Language { get; init; }
}
