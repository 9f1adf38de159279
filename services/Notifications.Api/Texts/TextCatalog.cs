using System.Globalization;
using System.Text.Json;
using Fluid;
using Participatie.Notifications.Domain;

namespace Participatie.Notifications.Texts;

/// <summary>A message to render: the keys of its title and body and the values its placeholders take.</summary>
public sealed record TextMessage(string TitleKey, string BodyKey, IReadOnlyDictionary<string, object> Values)
{
    /// <summary>
    /// The body quotes other messages in full (a digest). Not translated, it is then given once, in Dutch, and not
    /// again in English: the messages it quotes carry their own translations, and twice they would be twice as long.
    /// </summary>
    public bool QuotesMessages { get; init; }
}

/// <summary>
/// The texts residents read, one Liquid template per key and language, from one JSON file per language
/// (<c>Texts/Languages/{language}.json</c>). A message whose texts are not all translated into the resident's language
/// is sent in Dutch and English, both, in that order, and says so; Dutch and English must therefore be complete.
/// </summary>
public sealed class TextCatalog
{
    private static readonly Lazy<TextCatalog> Embedded = new(LoadEmbedded);

    // Rendering throws on a placeholder the model does not provide, instead of leaving a hole in a resident's message.
    private static readonly TemplateOptions Options = new()
    {
        StrictVariables = true,
        StrictFilters = true,
        CultureInfo = CultureInfo.InvariantCulture,
    };

    private readonly Dictionary<string, Dictionary<string, IFluidTemplate>> _templates;

    private TextCatalog(Dictionary<string, Dictionary<string, IFluidTemplate>> templates) => _templates = templates;

    /// <summary>The catalog of the language files embedded in the service.</summary>
    public static TextCatalog Default => Embedded.Value;

    /// <summary>The languages with a file, in the order of <see cref="Contracts.Languages.All"/> (Dutch first).</summary>
    public IReadOnlyList<string> Languages => [.. _templates.Keys.OrderBy(Position).ThenBy(language => language, StringComparer.Ordinal)];

    public bool Has(string language, string key) => _templates.TryGetValue(language, out var texts) && texts.ContainsKey(key);

    /// <summary>
    /// Reads the language files (language code to JSON object of key to template) and checks them: every template
    /// parses, every key is one of <see cref="TextShapes.Samples"/>, Dutch and English have every key, and every
    /// template renders with its key's sample model (so it uses no placeholder that model lacks).
    /// </summary>
    public static TextCatalog FromJson(IReadOnlyDictionary<string, string> jsonByLanguage)
    {
        var parser = new FluidParser();
        var problems = new List<string>();
        var templates = new Dictionary<string, Dictionary<string, IFluidTemplate>>(StringComparer.Ordinal);
        foreach (var (language, json) in jsonByLanguage)
        {
            var texts = new Dictionary<string, IFluidTemplate>(StringComparer.Ordinal);
            foreach (var (key, source) in JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [])
            {
                if (!TextShapes.Samples.TryGetValue(key, out var sample))
                {
                    problems.Add($"{language}: '{key}' is not a known text.");
                }
                else if (!parser.TryParse(source, out var template, out var error))
                {
                    problems.Add($"{language}: '{key}' does not parse: {error}");
                }
                else if (TryRender(template, sample, out var renderError))
                {
                    texts[key] = template;
                }
                else
                {
                    problems.Add($"{language}: '{key}' uses a placeholder its model does not provide: {renderError}");
                }
            }

            templates[language] = texts;
        }

        foreach (var complete in new[] { Contracts.Languages.Dutch, Contracts.Languages.English })
        {
            var missing = TextShapes.Samples.Keys.Where(key => !templates.TryGetValue(complete, out var texts) || !texts.ContainsKey(key)).Order(StringComparer.Ordinal);
            problems.AddRange(missing.Select(key => $"{complete}: '{key}' is missing; every message falls back to this language."));
        }

        return problems.Count == 0
            ? new TextCatalog(templates)
            : throw new InvalidOperationException($"The texts for residents are not valid:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
    }

    /// <summary>
    /// The message in the resident's language; when any of its texts is not translated into it (or the language is
    /// unknown), in Dutch and then English with a notice saying so. The text keeps the resident's language when the
    /// platform supports it, so that it reaches the residents of that language; otherwise it is marked Dutch.
    /// </summary>
    public NotificationText Compose(string language, Func<TextScope, TextMessage> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        if (_templates.ContainsKey(language))
        {
            TryCompose(language, build, out var translated);
            if (translated is { } complete)
            {
                return new NotificationText(language, complete.Title, complete.Body);
            }
        }

        // Dutch and English hold every key (checked at load), so both are complete.
        var quotesMessages = TryCompose(Contracts.Languages.Dutch, build, out var inDutch);
        TryCompose(Contracts.Languages.English, build, out var inEnglish);
        var (dutch, english) = (inDutch!.Value, inEnglish!.Value);
        string[] notices = [.. new[] { language, Contracts.Languages.Dutch, Contracts.Languages.English }
            .Where(noticeLanguage => Has(noticeLanguage, TextShapes.FallbackNotice))
            .Select(noticeLanguage => Render(noticeLanguage, TextShapes.FallbackNotice, EmptyModel))
            .Distinct(StringComparer.Ordinal)];
        const string paragraph = "\n\n";
        return new NotificationText(
            Contracts.Languages.All.Contains(language) ? language : Contracts.Languages.Dutch,
            $"{dutch.Title} / {english.Title}",
            string.Join('\n', notices) + paragraph + dutch.Body + (quotesMessages ? "" : paragraph + english.Body));
    }

    internal string Render(string language, string key, IReadOnlyDictionary<string, object> values) =>
        Render(_templates[language][key], values);

    private static string Render(IFluidTemplate template, IReadOnlyDictionary<string, object> values)
    {
        var context = new TemplateContext(Options);
        foreach (var (name, value) in values)
        {
            context.SetValue(name, value);
        }

        return template.Render(context).Trim();
    }

    /// <summary>Renders the message in the language when all its texts are there; returns whether it quotes messages.</summary>
    private bool TryCompose(string language, Func<TextScope, TextMessage> build, out (string Title, string Body)? text)
    {
        var scope = new TextScope(this, language);
        var message = build(scope);
        text = scope.IsComplete && Has(language, message.TitleKey) && Has(language, message.BodyKey)
            ? (Render(language, message.TitleKey, message.Values), Render(language, message.BodyKey, message.Values))
            : null;
        return message.QuotesMessages;
    }

    private static readonly IReadOnlyDictionary<string, object> EmptyModel = new Dictionary<string, object>(StringComparer.Ordinal);

    private static bool TryRender(IFluidTemplate template, IReadOnlyDictionary<string, object> sample, out string error)
    {
        try
        {
            Render(template, sample);
            error = "";
            return true;
        }
        catch (FluidException exception)
        {
            error = exception.Message;
            return false;
        }
        catch (InvalidOperationException exception)
        {
            error = exception.Message;
            return false;
        }
    }

    private static int Position(string language)
    {
        for (var position = 0; position < Contracts.Languages.All.Count; position++)
        {
            if (Contracts.Languages.All[position] == language)
            {
                return position;
            }
        }

        return int.MaxValue;
    }

    private static TextCatalog LoadEmbedded()
    {
        var assembly = typeof(TextCatalog).Assembly;
        const string prefix = "Participatie.Notifications.Texts.";
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            files[name[prefix.Length..^".json".Length]] = reader.ReadToEnd();
        }

        return FromJson(files);
    }
}

/// <summary>
/// What a message's model may ask of the language it is rendered in: its words (a status, a phase) and dates as its
/// readers write them. A word the language lacks makes the whole message fall back to Dutch and English.
/// </summary>
public sealed class TextScope(TextCatalog catalog, string language)
{
    public string Language => language;

    public bool IsComplete { get; private set; } = true;

    /// <summary>A word in this language; a code with no word in any language (an unknown status) is shown as it is.</summary>
    public string Word(string key, string otherwise)
    {
        if (catalog.Has(language, key))
        {
            return catalog.Render(language, key, new Dictionary<string, object>(StringComparer.Ordinal));
        }

        if (catalog.Has(Contracts.Languages.Dutch, key))
        {
            IsComplete = false;
        }

        return otherwise;
    }

    /// <summary>A date as residents read it: "5 mei 2026" in Dutch, the same pattern in their own language.</summary>
    public string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo(language));

    /// <summary>
    /// A text the partner wrote in several languages, in this one; otherwise in the first the partner gave (Dutch
    /// before others), marked as not translated in this language's words.
    /// </summary>
    public string PartnerText(PartnerText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.In(language) is { } translated)
        {
            return translated;
        }

        var marker = catalog.Has(language, TextShapes.NotTranslated)
            ? catalog.Render(language, TextShapes.NotTranslated, new Dictionary<string, object>(StringComparer.Ordinal))
            : catalog.Render(Contracts.Languages.Dutch, TextShapes.NotTranslated, new Dictionary<string, object>(StringComparer.Ordinal));
        return $"{text.Original} {marker}";
    }
}
