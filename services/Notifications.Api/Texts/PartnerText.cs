using Participatie.Contracts;

namespace Participatie.Notifications.Texts;

/// <summary>
/// A text a partner wrote for residents (a consultation's title, an answer's explanation): either once, quoted as
/// written whatever the resident's language, or per language, where a language the partner left out gets the Dutch
/// text (or the first one given) marked "not translated".
/// </summary>
public sealed class PartnerText
{
    private readonly IReadOnlyDictionary<string, string>? _byLanguage;

    private PartnerText(string original, IReadOnlyDictionary<string, string>? byLanguage)
    {
        Original = original;
        _byLanguage = byLanguage;
    }

    /// <summary>The text as written once, or the Dutch one (else the first given) of a text per language.</summary>
    public string Original { get; }

    public static PartnerText AsWritten(string text) => new(text, byLanguage: null);

    /// <summary>A text per language (language code to text); blank ones count as missing.</summary>
    public static PartnerText PerLanguage(IReadOnlyDictionary<string, string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var given = texts
            .Where(pair => !string.IsNullOrWhiteSpace(pair.Value))
            .ToDictionary(pair => pair.Key, pair => pair.Value.Trim(), StringComparer.Ordinal);
        var original = given.GetValueOrDefault(Languages.Dutch)
            ?? Languages.All.Select(language => given.GetValueOrDefault(language)).FirstOrDefault(text => text is not null)
            ?? given.Values.FirstOrDefault()
            ?? throw new ArgumentException("A partner text needs at least one language.", nameof(texts));
        return new PartnerText(original, given);
    }

    /// <summary>
    /// A Dutch text with the partner's translations of it, as the events carry them: per language when there are any
    /// (so that a language left out is marked), otherwise quoted as written.
    /// </summary>
    public static PartnerText WithTranslations(string dutch, IReadOnlyDictionary<string, string>? translations)
    {
        if (translations is not { Count: > 0 })
        {
            return AsWritten(dutch);
        }

        var texts = new Dictionary<string, string>(translations, StringComparer.Ordinal) { [Languages.Dutch] = dutch };
        return PerLanguage(texts);
    }

    public static PartnerText FromString(string text) => AsWritten(text);

    public static implicit operator PartnerText(string text) => AsWritten(text);

    /// <summary>The text in the language, or null when the partner gave texts per language but not this one.</summary>
    public string? In(string language) => _byLanguage is null ? Original : _byLanguage.GetValueOrDefault(language);

    public override string ToString() => Original;
}
