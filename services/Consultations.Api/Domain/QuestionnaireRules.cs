using System.Text.RegularExpressions;
using Participatie.Contracts;

namespace Participatie.Consultations.Domain;

/// <summary>
/// What makes a questionnaire (or a poll, a questionnaire of one multiple-choice question) complete, what makes a
/// resident's answers fit it, and how answers are counted. Residents are reached in their own language, so every
/// text must be given in every language the platform supports (<see cref="Languages.All"/>, Dutch first): a question
/// that a Turkish-speaking resident cannot read would count only the others. Partners that lack a translation must
/// get one before they publish, rather than silently fall back to Dutch.
/// </summary>
public static partial class QuestionnaireRules
{
    public const string Open = "open";
    public const string MultipleChoice = "multiple-choice";

    public static readonly IReadOnlyList<string> QuestionTypes = [Open, MultipleChoice];

    public const int MaxQuestions = 50;
    public const int MinOptions = 2;
    public const int MaxOptions = 20;
    public const int MaxTextLength = 1000;
    public const int MaxAnswerLength = 4000;

    /// <summary>The longest id IdPattern allows.</summary>
    public const int MaxIdLength = 40;

    /// <summary>Every error in the questions, per field (questions[i].texts, questions[i].options[j].id, ...).</summary>
    public static Dictionary<string, string[]> CheckQuestions(IReadOnlyList<QuestionDefinition>? questions)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (questions is null || questions.Count == 0)
        {
            Add(errors, "questions", "'questions' must hold at least one question.");
            return Freeze(errors);
        }

        if (questions.Count > MaxQuestions)
        {
            Add(errors, "questions", $"'questions' may hold at most {MaxQuestions} questions.");
        }

        var questionIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < questions.Count; i++)
        {
            var question = questions[i];
            var at = $"questions[{i}]";
            if (question is null)
            {
                Add(errors, at, $"'{at}' is required.");
                continue;
            }

            CheckId(errors, $"{at}.id", question.Id, questionIds);
            CheckTexts(errors, $"{at}.texts", question.Texts);
            switch (question.Type)
            {
                case Open when question.Options is { Count: > 0 }:
                    Add(errors, $"{at}.options", "An open question has no options.");
                    break;
                case Open:
                    break;
                case MultipleChoice:
                    CheckOptions(errors, $"{at}.options", question.Options);
                    break;
                default:
                    Add(errors, $"{at}.type", $"'{at}.type' must be one of: {string.Join(", ", QuestionTypes)}.");
                    break;
            }
        }

        return Freeze(errors);
    }

    /// <summary>Every error in a resident's answers to the questions (answers[i].questionId, answers[i].optionId, ...).</summary>
    public static Dictionary<string, string[]> CheckAnswers(IReadOnlyList<QuestionDefinition> questions, IReadOnlyList<AnswerRequest>? answers)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (answers is null || answers.Count == 0)
        {
            Add(errors, "answers", "'answers' must hold at least one answer.");
            return Freeze(errors);
        }

        var answered = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < answers.Count; i++)
        {
            var answer = answers[i];
            var at = $"answers[{i}]";
            var question = questions.FirstOrDefault(question => question.Id == answer?.QuestionId);
            if (answer is null || question is null)
            {
                Add(errors, $"{at}.questionId", $"The questionnaire has no question with id '{answer?.QuestionId}'.");
                continue;
            }

            if (!answered.Add(question.Id!))
            {
                Add(errors, $"{at}.questionId", $"Question '{question.Id}' is answered more than once.");
            }

            if (question.Type == Open)
            {
                if (string.IsNullOrWhiteSpace(answer.Text))
                {
                    Add(errors, $"{at}.text", $"Question '{question.Id}' is open: '{at}.text' is required.");
                }
                else if (answer.Text.Length > MaxAnswerLength)
                {
                    Add(errors, $"{at}.text", $"'{at}.text' may be at most {MaxAnswerLength} characters long.");
                }

                if (answer.OptionId is not null)
                {
                    Add(errors, $"{at}.optionId", $"Question '{question.Id}' is open and has no options.");
                }
            }
            else if (question.Options?.Any(option => option.Id == answer.OptionId) != true)
            {
                Add(errors, $"{at}.optionId", $"Question '{question.Id}' has no option with id '{answer.OptionId}'.");
            }
        }

        return Freeze(errors);
    }

    /// <summary>
    /// The results: per multiple-choice question how often each option was chosen (every option listed, also those
    /// nobody chose), per open question the answers given, without whom they came from.
    /// </summary>
    public static IReadOnlyList<QuestionResult> Tally(
        IReadOnlyList<QuestionDefinition> questions, IReadOnlyList<(string Language, IReadOnlyList<AnswerRequest> Answers)> responses) =>
        [.. questions.Select(question =>
        {
            var answers = responses
                .SelectMany(response => response.Answers.Where(answer => answer.QuestionId == question.Id).Select(answer => (response.Language, answer)))
                .ToList();
            // The options add up to the answer count, so one hidden option could be worked out from the others.
            var chosen = question.Type == MultipleChoice
                ? [.. question.Options!.Select(option => (long)answers.Count(answer => answer.answer.OptionId == option.Id))]
                : Array.Empty<long>();
            var (answerCount, optionCounts) = SmallCountSuppression.OneGroup(answers.Count, chosen);
            return new QuestionResult
            {
                QuestionId = question.Id!,
                Type = question.Type!,
                AnswerCount = answerCount,
                Options = question.Type == MultipleChoice
                    ? [.. question.Options!.Select((option, index) => new OptionResult { OptionId = option.Id!, Count = optionCounts[index] })]
                    : null,
                OpenAnswers = question.Type == Open
                    ? [.. answers.Select(answer => new OpenAnswer { Text = answer.answer.Text!, Language = answer.Language })]
                    : null,
            };
        })];

    private static void CheckOptions(Dictionary<string, List<string>> errors, string at, IReadOnlyList<OptionDefinition>? options)
    {
        if (options is null || options.Count is < MinOptions or > MaxOptions)
        {
            Add(errors, at, $"A multiple-choice question has between {MinOptions} and {MaxOptions} options.");
            return;
        }

        var optionIds = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < options.Count; j++)
        {
            if (options[j] is null)
            {
                Add(errors, $"{at}[{j}]", $"'{at}[{j}]' is required.");
                continue;
            }

            CheckId(errors, $"{at}[{j}].id", options[j].Id, optionIds);
            CheckTexts(errors, $"{at}[{j}].texts", options[j].Texts);
        }
    }

    private static void CheckId(Dictionary<string, List<string>> errors, string field, string? id, HashSet<string> taken)
    {
        if (id is null || !IdPattern().IsMatch(id))
        {
            Add(errors, field, $"'{field}' must be 1 to 40 lowercase letters, digits or dashes.");
        }
        else if (!taken.Add(id))
        {
            Add(errors, field, $"The id '{id}' is used more than once.");
        }
    }

    private static void CheckTexts(Dictionary<string, List<string>> errors, string field, IReadOnlyDictionary<string, string>? texts)
    {
        var missing = Languages.All.Where(language => texts is null || !texts.TryGetValue(language, out var text) || string.IsNullOrWhiteSpace(text)).ToList();
        if (missing.Count > 0)
        {
            Add(errors, field, $"'{field}' must have a text in every supported language; missing: {string.Join(", ", missing)}.");
        }

        var unknown = texts?.Keys.Except(Languages.All, StringComparer.Ordinal).ToList() ?? [];
        if (unknown.Count > 0)
        {
            Add(errors, field, $"'{field}' has texts in unsupported languages: {string.Join(", ", unknown)}.");
        }

        if (texts?.Values.Any(text => text?.Length > MaxTextLength) == true)
        {
            Add(errors, field, $"Each text in '{field}' may be at most {MaxTextLength} characters long.");
        }
    }

    private static void Add(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages))
        {
            messages = [];
            errors[field] = messages;
        }

        messages.Add(message);
    }

    private static Dictionary<string, string[]> Freeze(Dictionary<string, List<string>> errors) =>
        errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$", RegexOptions.None, matchTimeoutMilliseconds: PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex IdPattern();
}
