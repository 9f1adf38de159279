using Participatie.Contracts;
using Participatie.Notifications.Domain;

namespace Participatie.Notifications.Texts;

/// <summary>
/// What residents read about consultations and their reactions, and the digests that join several messages. The
/// words are in <c>Texts/Languages/*.json</c>; this class only gives each template its values. A text the partner
/// wrote (a title, an explanation) is quoted as written, or in the resident's language when given per language.
/// </summary>
public static class NotificationTexts
{
    /// <summary>Every language residents can choose, Dutch first; each gets a text, translated or the fallback.</summary>
    public static IReadOnlyCollection<string> SupportedLanguages => Languages.All;

    public static NotificationText Invitation(string language, PartnerText consultationTitle, DateOnly closesOn) =>
        TextCatalog.Default.Compose(language, scope => new TextMessage(TextShapes.InvitationTitle, TextShapes.InvitationBody, Values(
            ("consultationTitle", scope.PartnerText(consultationTitle)),
            ("closesOn", scope.Date(closesOn)))));

    /// <summary>
    /// The receipt, saying by when the answer comes. Without a date (only a receipt announced before answers had
    /// deadlines) it promises an answer without one, rather than a meaningless date.
    /// </summary>
    public static NotificationText Receipt(string language, PartnerText consultationTitle, DateOnly? answerDueOn) =>
        TextCatalog.Default.Compose(language, scope => answerDueOn is { } dueOn
            ? new TextMessage(TextShapes.ReceiptTitle, TextShapes.ReceiptBodyWithDeadline, Values(
                ("consultationTitle", scope.PartnerText(consultationTitle)),
                ("answerDueOn", scope.Date(dueOn))))
            : new TextMessage(TextShapes.ReceiptTitle, TextShapes.ReceiptBody, Values(
                ("consultationTitle", scope.PartnerText(consultationTitle)))));

    public static NotificationText Answer(string language, PartnerText consultationTitle, string status, PartnerText explanation) =>
        TextCatalog.Default.Compose(language, scope => new TextMessage(TextShapes.AnswerTitle, TextShapes.AnswerBody, Values(
            ("consultationTitle", scope.PartnerText(consultationTitle)),
            ("status", scope.Word(TextShapes.ReactionStatus(status), status)),
            ("explanation", scope.PartnerText(explanation)))));

    /// <summary>
    /// One message that joins the period's notifications (daily or weekly): a title, then the titles in a list, then
    /// each message in full, in the order given.
    /// </summary>
    public static NotificationText Digest(string language, string frequency, IReadOnlyList<NotificationText> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (!TextShapes.DigestFrequencies.Contains(frequency))
        {
            throw new ArgumentOutOfRangeException(nameof(frequency), frequency, $"A digest is sent {string.Join(" or ", TextShapes.DigestFrequencies)}.");
        }

        if (items.Count == 0)
        {
            throw new ArgumentException("A digest joins at least one notification.", nameof(items));
        }

        return TextCatalog.Default.Compose(language, _ => new TextMessage(TextShapes.DigestTitle(frequency), TextShapes.DigestBody(frequency), new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["count"] = items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["items"] = items.Select(item => TextShapes.DigestItem(item.Title, item.Body)).ToArray(),
        })
        {
            QuotesMessages = true,
        });
    }

    internal static Dictionary<string, object> Values(params (string Name, string Value)[] values) =>
        values.ToDictionary(value => value.Name, value => (object)value.Value, StringComparer.Ordinal);
}
