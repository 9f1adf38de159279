using System.Globalization;
using Participatie.BuildingBlocks.Time;
using Participatie.Contracts;
using Participatie.Notifications.Domain;

namespace Participatie.Notifications.Texts;

/// <summary>
/// The reminder residents read the day before a meeting (words in <c>Texts/Languages/*.json</c>). The time is given
/// as the clock in the Netherlands shows it, in digits, so that it reads the same in every language; the title and
/// the place are quoted as the partners wrote them.
/// </summary>
public static class MeetingTexts
{
    /// <summary>The kind under which reminders are recorded (one per resident and meeting).</summary>
    public const string ReminderKind = NotificationKinds.MeetingReminder;

    public static IReadOnlyCollection<string> SupportedLanguages => Languages.All;

    /// <summary>The reminder in the language, or in Dutch and English when it is not translated into it.</summary>
    public static NotificationText For(string language, PartnerText consultationTitle, string place, DateTimeOffset startsAt, DateTimeOffset endsAt)
    {
        var starts = AmsterdamClock.ToAmsterdam(startsAt);
        var ends = AmsterdamClock.ToAmsterdam(endsAt);
        return TextCatalog.Default.Compose(language, scope => new TextMessage(TextShapes.MeetingReminderTitle, TextShapes.MeetingReminderBody, NotificationTexts.Values(
            ("consultationTitle", scope.PartnerText(consultationTitle)),
            ("place", place),
            ("date", starts.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture)),
            ("startsAt", starts.ToString("HH:mm", CultureInfo.InvariantCulture)),
            ("endsAt", ends.ToString("HH:mm", CultureInfo.InvariantCulture)))));
    }
}
