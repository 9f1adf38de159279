using System.Net;
using System.Text;
using MimeKit;
using MimeKit.Text;

namespace Participatie.Notifications.Delivery.Email;

/// <summary>
/// Turns a notification into a mail: a plain-text part and an HTML part with the same words (multipart/alternative),
/// the HTML in the resident's language and reading direction, with no images, fonts or links to load from elsewhere
/// (nothing that tracks, nothing that a mail client blocks).
/// </summary>
public static class EmailLayout
{
    /// <summary>Languages written right to left; of the platform's languages only Arabic.</summary>
    private static readonly HashSet<string> RightToLeftLanguages = new(StringComparer.OrdinalIgnoreCase) { "ar", "fa", "he", "ur" };

    public static bool IsRightToLeft(string language) => RightToLeftLanguages.Contains(PrimaryLanguage(language));

    public static MimeMessage Compose(OutgoingMessage outgoing, EmailOptions options, MailboxAddress recipient, DateTimeOffset date)
    {
        var message = new MimeMessage
        {
            Date = date,
            Subject = outgoing.Title,
            MessageId = $"{outgoing.NotificationId:D}@{options.MessageDomain}",
            Body = new MultipartAlternative
            {
                new TextPart(TextFormat.Plain) { Text = PlainText(outgoing) },
                new TextPart(TextFormat.Html) { Text = Html(outgoing) },
            },
        };
        message.From.Add(options.FromAddress);
        message.To.Add(recipient);
        // Content-Language (a body header) lets a mail client or screen reader pick the language before it renders.
        message.Body.Headers.Add(HeaderId.ContentLanguage, outgoing.Language);

        var unsubscribeUrl = UnsubscribeUrl(options, outgoing.NotificationId);
        var unsubscribeMail = $"mailto:unsubscribe+{outgoing.NotificationId:N}@{options.MessageDomain}?subject=unsubscribe";
        message.Headers.Add(HeaderId.ListUnsubscribe, $"<{unsubscribeMail}>, <{unsubscribeUrl}>");
        // RFC 8058: mail clients may unsubscribe with one POST, without opening a page.
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        // RFC 3834: a notification, so out-of-office replies are not sent back to the bounce address.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        return message;
    }

    public static Uri UnsubscribeUrl(EmailOptions options, Guid notificationId)
    {
        var baseUrl = options.UnsubscribeBaseUrl.ToString().TrimEnd('/');
        return new Uri($"{baseUrl}/{notificationId:N}");
    }

    public static string PlainText(OutgoingMessage outgoing) =>
        $"{outgoing.Title}\n\n{NormaliseLineEnds(outgoing.Body).Trim()}\n";

    public static string Html(OutgoingMessage outgoing)
    {
        var direction = IsRightToLeft(outgoing.Language) ? " dir=\"rtl\"" : string.Empty;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n");
        html.Append("<html lang=\"").Append(WebUtility.HtmlEncode(outgoing.Language)).Append('"').Append(direction).Append(">\n");
        html.Append("<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(WebUtility.HtmlEncode(outgoing.Title)).Append("</title>\n</head>\n");
        // Inline styles only: many mail clients drop <style> blocks, and nothing may be fetched from elsewhere.
        html.Append("<body style=\"margin:0;padding:24px;background:#ffffff;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:17px;line-height:1.5\">\n");
        html.Append("<div style=\"max-width:600px\">\n");
        html.Append("<h1 style=\"font-size:22px;line-height:1.3;margin:0 0 16px\">").Append(WebUtility.HtmlEncode(outgoing.Title)).Append("</h1>\n");
        foreach (var paragraph in Paragraphs(outgoing.Body))
        {
            var lines = paragraph.Split('\n').Select(WebUtility.HtmlEncode);
            html.Append("<p style=\"margin:0 0 16px\">").AppendJoin("<br>\n", lines).Append("</p>\n");
        }

        html.Append("</div>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Paragraphs are separated by an empty line; single line breaks stay within their paragraph.</summary>
    private static IEnumerable<string> Paragraphs(string body) =>
        NormaliseLineEnds(body)
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(paragraph => paragraph.Length > 0);

    private static string NormaliseLineEnds(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private static string PrimaryLanguage(string language)
    {
        var separator = language.IndexOfAny(['-', '_']);
        return separator < 0 ? language : language[..separator];
    }
}
