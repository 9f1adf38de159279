using System.Globalization;
using Participatie.Contracts;

namespace Participatie.Notifications.Domain;

/// <summary>A notification's title and body in one language.</summary>
public sealed record NotificationText(string Language, string Title, string Body);

/// <summary>
/// What residents read, at B1 level: Dutch first, then the other supported languages. A text the partner wrote
/// (a title, an explanation) is quoted as written.
/// </summary>
public static class NotificationTexts
{
    private static readonly Dictionary<string, Templates> ByLanguage = new(StringComparer.Ordinal)
    {
        [Languages.Dutch] = new(
            InvitationTitle: "Uw mening gevraagd: {0}",
            InvitationBody: "Er is een nieuwe raadpleging in uw buurt: {0}. U kunt reageren tot en met {1}.",
            ReceiptTitle: "We hebben uw reactie ontvangen",
            ReceiptBody: "Bedankt voor uw reactie op: {0}. We laten u weten wat we ermee doen.",
            ReceiptBodyWithDeadline: "Bedankt voor uw reactie op: {0}. Uiterlijk {1} laten we u weten wat we ermee doen.",
            AnswerTitle: "Antwoord op uw reactie: {0}",
            AnswerBody: "Uw reactie op {0} is {1}. Uitleg: {2}",
            Statuses: new(StringComparer.Ordinal)
            {
                [ReactionStatuses.UnderConsideration] = "in behandeling",
                [ReactionStatuses.Adopted] = "overgenomen",
                [ReactionStatuses.PartlyAdopted] = "deels overgenomen",
                [ReactionStatuses.NotAdopted] = "niet overgenomen",
            }),
        [Languages.English] = new(
            InvitationTitle: "Your opinion is asked: {0}",
            InvitationBody: "There is a new consultation in your neighbourhood: {0}. You can react until {1}.",
            ReceiptTitle: "We received your reaction",
            ReceiptBody: "Thank you for your reaction to: {0}. We will tell you what we do with it.",
            ReceiptBodyWithDeadline: "Thank you for your reaction to: {0}. By {1} at the latest, we will tell you what we do with it.",
            AnswerTitle: "Answer to your reaction: {0}",
            AnswerBody: "Your reaction to {0} is {1}. Why: {2}",
            Statuses: new(StringComparer.Ordinal)
            {
                [ReactionStatuses.UnderConsideration] = "under consideration",
                [ReactionStatuses.Adopted] = "adopted",
                [ReactionStatuses.PartlyAdopted] = "partly adopted",
                [ReactionStatuses.NotAdopted] = "not adopted",
            }),
        [Languages.Turkish] = new(
            InvitationTitle: "Fikriniz soruluyor: {0}",
            InvitationBody: "Mahallenizde yeni bir danışma var: {0}. {1} tarihine kadar yanıt verebilirsiniz.",
            ReceiptTitle: "Tepkinizi aldık",
            ReceiptBody: "{0} hakkındaki tepkiniz için teşekkürler. Onunla ne yaptığımızı size bildireceğiz.",
            ReceiptBodyWithDeadline: "{0} hakkındaki tepkiniz için teşekkürler. Onunla ne yaptığımızı size en geç {1} tarihinde bildireceğiz.",
            AnswerTitle: "Tepkinize yanıt: {0}",
            AnswerBody: "{0} hakkındaki tepkiniz: {1}. Açıklama: {2}",
            Statuses: new(StringComparer.Ordinal)
            {
                [ReactionStatuses.UnderConsideration] = "değerlendiriliyor",
                [ReactionStatuses.Adopted] = "kabul edildi",
                [ReactionStatuses.PartlyAdopted] = "kısmen kabul edildi",
                [ReactionStatuses.NotAdopted] = "kabul edilmedi",
            }),
        [Languages.Arabic] = new(
            InvitationTitle: "نطلب رأيك: {0}",
            InvitationBody: "هناك استشارة جديدة في حيّك: {0}. يمكنك الرد حتى {1}.",
            ReceiptTitle: "لقد استلمنا ردّك",
            ReceiptBody: "شكرًا على ردّك على: {0}. سنخبرك بما سنفعله به.",
            ReceiptBodyWithDeadline: "شكرًا على ردّك على: {0}. سنخبرك بما سنفعله به في موعد أقصاه {1}.",
            AnswerTitle: "جواب على ردّك: {0}",
            AnswerBody: "ردّك على {0}: {1}. السبب: {2}",
            Statuses: new(StringComparer.Ordinal)
            {
                [ReactionStatuses.UnderConsideration] = "قيد الدراسة",
                [ReactionStatuses.Adopted] = "تم اعتماده",
                [ReactionStatuses.PartlyAdopted] = "تم اعتماده جزئيًا",
                [ReactionStatuses.NotAdopted] = "لم يتم اعتماده",
            }),
        [Languages.Polish] = new(
            InvitationTitle: "Prosimy o Twoją opinię: {0}",
            InvitationBody: "W Twojej okolicy jest nowa konsultacja: {0}. Możesz odpowiedzieć do {1}.",
            ReceiptTitle: "Otrzymaliśmy Twoją reakcję",
            ReceiptBody: "Dziękujemy za reakcję na: {0}. Powiemy Ci, co z nią zrobimy.",
            ReceiptBodyWithDeadline: "Dziękujemy za reakcję na: {0}. Najpóźniej {1} powiemy Ci, co z nią zrobimy.",
            AnswerTitle: "Odpowiedź na Twoją reakcję: {0}",
            AnswerBody: "Twoja reakcja na {0}: {1}. Dlaczego: {2}",
            Statuses: new(StringComparer.Ordinal)
            {
                [ReactionStatuses.UnderConsideration] = "w trakcie rozpatrywania",
                [ReactionStatuses.Adopted] = "przyjęta",
                [ReactionStatuses.PartlyAdopted] = "częściowo przyjęta",
                [ReactionStatuses.NotAdopted] = "nieprzyjęta",
            }),
        [Languages.Ukrainian] = new(
            InvitationTitle: "Ми питаємо вашу думку: {0}",
            InvitationBody: "У вашому районі нова консультація: {0}. Ви можете відповісти до {1}.",
            ReceiptTitle: "Ми отримали вашу реакцію",
            ReceiptBody: "Дякуємо за вашу реакцію на: {0}. Ми повідомимо вам, що ми з нею зробимо.",
            ReceiptBodyWithDeadline: "Дякуємо за вашу реакцію на: {0}. Не пізніше {1} ми повідомимо вам, що ми з нею зробимо.",
            AnswerTitle: "Відповідь на вашу реакцію: {0}",
            AnswerBody: "Ваша реакція на {0}: {1}. Чому: {2}",
            Statuses: new(StringComparer.Ordinal)
            {
                [ReactionStatuses.UnderConsideration] = "розглядається",
                [ReactionStatuses.Adopted] = "прийнято",
                [ReactionStatuses.PartlyAdopted] = "частково прийнято",
                [ReactionStatuses.NotAdopted] = "не прийнято",
            }),
    };

    public static IReadOnlyCollection<string> SupportedLanguages => ByLanguage.Keys;

    public static NotificationText Invitation(string language, string consultationTitle, DateOnly closesOn)
    {
        var (code, templates) = For(language);
        return new(
            code, Format(templates.InvitationTitle, consultationTitle), Format(templates.InvitationBody, consultationTitle, FormatDate(closesOn, code)));
    }

    /// <summary>
    /// The receipt, saying by when the answer comes. Without a date (only a receipt announced before answers had
    /// deadlines) it promises an answer without one, rather than a meaningless date.
    /// </summary>
    public static NotificationText Receipt(string language, string consultationTitle, DateOnly? answerDueOn)
    {
        var (code, templates) = For(language);
        var body = answerDueOn is { } dueOn
            ? Format(templates.ReceiptBodyWithDeadline, consultationTitle, FormatDate(dueOn, code))
            : Format(templates.ReceiptBody, consultationTitle);
        return new(code, templates.ReceiptTitle, body);
    }

    public static NotificationText Answer(string language, string consultationTitle, string status, string explanation)
    {
        var (code, templates) = For(language);
        var statusText = templates.Statuses.GetValueOrDefault(status, status);
        return new(code, Format(templates.AnswerTitle, statusText), Format(templates.AnswerBody, consultationTitle, statusText, explanation));
    }

    /// <summary>A digest: several notifications joined into one message, their titles listed (replaced by the template files).</summary>
    public static NotificationText Digest(string language, string frequency, IReadOnlyList<NotificationText> items)
    {
        var dutch = language == Languages.Dutch || !ByLanguage.ContainsKey(language);
        var title = dutch
            ? (frequency == DigestFrequencies.Weekly ? "Nieuws van deze week uit uw buurt" : "Nieuws van vandaag uit uw buurt")
            : (frequency == DigestFrequencies.Weekly ? "This week's news from your neighbourhood" : "Today's news from your neighbourhood");
        var body = string.Join("\n", items.Select(item => "- " + item.Title));
        return new(dutch ? Languages.Dutch : Languages.English, title, body);
    }

    /// <summary>A language we have no texts for falls back to Dutch, which every partner can answer in.</summary>
    private static (string Code, Templates Templates) For(string language) =>
        ByLanguage.TryGetValue(language, out var templates)
            ? (language, templates)
            : (Languages.Dutch, ByLanguage[Languages.Dutch]);

    private static CultureInfo Culture(string language) => CultureInfo.GetCultureInfo(language);

    /// <summary>A date as residents read it: "5 mei 2026" in Dutch, the same pattern in their own language.</summary>
    private static string FormatDate(DateOnly date, string language) => date.ToString("d MMMM yyyy", Culture(language));

    private static string Format(string template, params object[] values) =>
        string.Format(CultureInfo.InvariantCulture, template, values);

    private sealed record Templates(
        string InvitationTitle,
        string InvitationBody,
        string ReceiptTitle,
        string ReceiptBody,
        string ReceiptBodyWithDeadline,
        string AnswerTitle,
        string AnswerBody,
        Dictionary<string, string> Statuses);
}
