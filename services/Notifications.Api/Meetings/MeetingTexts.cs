using System.Globalization;
using Participatie.BuildingBlocks.Time;
using Participatie.Contracts;
using Participatie.Notifications.Domain;

namespace Participatie.Notifications.Meetings;

/// <summary>
/// The reminder residents read the day before a meeting, at B1 level: Dutch first, then the other supported languages.
/// The time is given as the clock in the Netherlands shows it, in digits, so that it reads the same in every language;
/// the title and the place are quoted as the partners wrote them.
/// </summary>
public static class MeetingTexts
{
    /// <summary>The kind under which reminders are recorded (one per resident and meeting).</summary>
    public const string ReminderKind = "meeting-reminder";

    // {0} consultation title, {1} date, {2} start time, {3} end time, {4} place.
    private static readonly Dictionary<string, (string Title, string Body)> ByLanguage = new(StringComparer.Ordinal)
    {
        [Languages.Dutch] = (
            "Herinnering: bewonersavond {0}",
            "U bent aangemeld voor de bewonersavond over {0}. Die is op {1} van {2} tot {3} uur in {4}. We zien u graag!"),
        [Languages.English] = (
            "Reminder: residents' evening {0}",
            "You signed up for the residents' evening about {0}. It is on {1} from {2} to {3} at {4}. We look forward to seeing you!"),
        [Languages.Turkish] = (
            "Hatırlatma: sakinler toplantısı {0}",
            "{0} hakkındaki sakinler toplantısına kaydoldunuz. Toplantı {1} tarihinde {2} ile {3} saatleri arasında {4} adresinde. Sizi görmekten memnuniyet duyarız!"),
        [Languages.Arabic] = (
            "تذكير: أمسية السكان {0}",
            "لقد سجلت في أمسية السكان حول {0}. ستقام في {1} من {2} إلى {3} في {4}. نتطلع لرؤيتك!"),
        [Languages.Polish] = (
            "Przypomnienie: spotkanie mieszkańców {0}",
            "Zapisałeś się na spotkanie mieszkańców w sprawie {0}. Odbędzie się {1} od {2} do {3} w {4}. Do zobaczenia!"),
        [Languages.Ukrainian] = (
            "Нагадування: зустріч мешканців {0}",
            "Ви зареєструвалися на зустріч мешканців щодо {0}. Вона відбудеться {1} з {2} до {3} у {4}. Чекаємо на вас!"),
    };

    public static IReadOnlyCollection<string> SupportedLanguages => ByLanguage.Keys;

    /// <summary>The reminder in the language, or in Dutch when there is no text in it.</summary>
    public static NotificationText For(string language, string consultationTitle, string place, DateTimeOffset startsAt, DateTimeOffset endsAt)
    {
        var (code, templates) = ByLanguage.TryGetValue(language, out var found)
            ? (language, found)
            : (Languages.Dutch, ByLanguage[Languages.Dutch]);
        var starts = AmsterdamClock.ToAmsterdam(startsAt);
        var ends = AmsterdamClock.ToAmsterdam(endsAt);
        return new NotificationText(
            code,
            string.Format(CultureInfo.InvariantCulture, templates.Title, consultationTitle),
            string.Format(
                CultureInfo.InvariantCulture,
                templates.Body,
                consultationTitle,
                starts.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture),
                starts.ToString("HH:mm", CultureInfo.InvariantCulture),
                ends.ToString("HH:mm", CultureInfo.InvariantCulture),
                place));
    }
}
