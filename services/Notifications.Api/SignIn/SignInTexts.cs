using System.Globalization;
using Participatie.Contracts;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Texts;

namespace Participatie.Notifications.SignIn;

/// <summary>The messages that carry a one-time code: the code first, then how long it works.</summary>
public static class SignInTexts
{
    /// <summary>A sign-in code; by letter it works for days, so the letter names the last day instead of minutes.</summary>
    public static NotificationText SignInCode(string language, string channel, string code, DateTimeOffset requestedAt, DateTimeOffset expiresAt) =>
        TextCatalog.Default.Compose(language, scope => channel == Channels.Letter
            ? new TextMessage(TextShapes.SignInCodeTitle, TextShapes.SignInCodeLetterBody, NotificationTexts.Values(
                ("code", code),
                ("validUntil", scope.Date(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(expiresAt, QuietHours.Amsterdam).DateTime)))))
            : new TextMessage(TextShapes.SignInCodeTitle, TextShapes.SignInCodeBody, NotificationTexts.Values(
                ("code", code),
                ("minutes", Minutes(requestedAt, expiresAt)))));

    public static NotificationText ContactConfirmation(string language, string code, DateTimeOffset requestedAt, DateTimeOffset expiresAt) =>
        TextCatalog.Default.Compose(language, _ => new TextMessage(TextShapes.ContactConfirmationTitle, TextShapes.ContactConfirmationBody, NotificationTexts.Values(
            ("code", code),
            ("minutes", Minutes(requestedAt, expiresAt)))));

    private static string Minutes(DateTimeOffset requestedAt, DateTimeOffset expiresAt) =>
        Math.Max(1, (int)Math.Round((expiresAt - requestedAt).TotalMinutes)).ToString(CultureInfo.InvariantCulture);
}
