using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;

namespace Participatie.Consultations.Consultations;

/// <summary>
/// A text a partner writes for residents (a consultation's title or description, an answer's explanation) in other
/// languages than Dutch: language code to text. The Dutch text keeps its own field and stays the default, so a
/// translation of it here would be a second Dutch text that could disagree with the first.
/// </summary>
public static class PartnerTranslations
{
    /// <summary>The languages a translation may be in: every language residents can choose but Dutch.</summary>
    public static readonly IReadOnlyList<string> TranslatedLanguages = [.. Languages.All.Where(language => language != Languages.Dutch)];

    /// <summary>
    /// Checks each translation as its Dutch text is checked, naming the field of the language
    /// (<c>titleTranslations.tr</c>), so that a partner sees which translation to fix.
    /// </summary>
    public static void Validate(
        ValidationErrors errors, string field, IReadOnlyDictionary<string, string?>? translations, int maxLength, int minLength = 0)
    {
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var (language, text) in translations ?? new Dictionary<string, string?>())
        {
            var name = $"{field}.{language}";
            if (language == Languages.Dutch)
            {
                errors.Add(name, $"'{name}': the Dutch text is the one without translations; give translations in other languages only.");
            }
            else if (!Languages.All.Contains(language, StringComparer.Ordinal))
            {
                errors.Add(name, $"'{language}' is not a language residents can choose; use one of: {string.Join(", ", Languages.All.Where(code => code != Languages.Dutch))}.");
            }
            else if (errors.Required(name, text))
            {
                if (text!.Trim().Length < minLength)
                {
                    errors.Add(name, $"'{name}' must say why, in at least {minLength} characters.");
                }

                errors.MaxLength(name, text, maxLength);
            }
        }
    }

    /// <summary>The validated translations trimmed, in the order of <see cref="Languages.All"/>; null when none were given.</summary>
    public static IReadOnlyDictionary<string, string>? Normalize(IReadOnlyDictionary<string, string?>? translations)
    {
        if (translations is not { Count: > 0 })
        {
            return null;
        }

        var normalized = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var language in Languages.All)
        {
            if (translations.TryGetValue(language, out var text) && !string.IsNullOrWhiteSpace(text))
            {
                normalized[language] = text.Trim();
            }
        }

        return normalized.Count > 0 ? normalized : null;
    }

    /// <summary>Whether two sets of translations say the same; none and an empty set are the same.</summary>
    public static bool AreEqual(IReadOnlyDictionary<string, string>? first, IReadOnlyDictionary<string, string>? second)
    {
        var left = first ?? new Dictionary<string, string>();
        var right = second ?? new Dictionary<string, string>();
        return left.Count == right.Count
            && left.All(pair => right.TryGetValue(pair.Key, out var other) && string.Equals(pair.Value, other, StringComparison.Ordinal));
    }

    /// <summary>The translations as the JSON a jsonb column is written from (<c>CAST(@x AS jsonb)</c>); null when none.</summary>
    public static string? ToJson(IReadOnlyDictionary<string, string>? translations) =>
        translations is { Count: > 0 } ? System.Text.Json.JsonSerializer.Serialize(translations) : null;
}
