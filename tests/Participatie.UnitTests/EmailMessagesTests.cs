using MimeKit;
using Participatie.Contracts;
using Participatie.Notifications.Delivery;
using Participatie.Notifications.Delivery.Email;

namespace Participatie.UnitTests;

/// <summary>
/// How the e-mail channel lays out a mail and reads a bounce report, in the shapes real mail servers send that the
/// functional tests' mail server does not (a whole returned message, a server that drops the "+" part).
/// </summary>
public class EmailMessagesTests
{
    private static readonly EmailOptions Options = new() { From = "Participatie <noreply@participatie.test>" };

    [Theory]
    [InlineData("ar", true)]
    [InlineData("ar-EG", true)]
    [InlineData("nl", false)]
    [InlineData("ti", false)]
    [InlineData("so", false)]
    public void Only_right_to_left_languages_get_an_rtl_html_direction(string language, bool rightToLeft)
    {
        var html = EmailLayout.Html(Message(language, "Titel", "Tekst."));

        Assert.Contains($"<html lang=\"{language}\"{(rightToLeft ? " dir=\"rtl\"" : string.Empty)}>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Paragraphs_and_line_breaks_of_the_body_are_kept_and_nothing_in_it_becomes_markup()
    {
        var html = EmailLayout.Html(Message("nl", "Uw <reactie>", "Eerste regel\r\ntweede regel.\r\n\r\n\r\nNieuwe alinea met \"aanhalingstekens\" & <b>vet</b>."));

        Assert.Contains("<title>Uw &lt;reactie&gt;</title>", html, StringComparison.Ordinal);
        Assert.Contains(">Eerste regel<br>\ntweede regel.</p>", html, StringComparison.Ordinal);
        Assert.Contains(">Nieuwe alinea met &quot;aanhalingstekens&quot; &amp; &lt;b&gt;vet&lt;/b&gt;.</p>", html, StringComparison.Ordinal);
        Assert.Equal(2, html.Split("<p ").Length - 1);
    }

    [Fact]
    public void A_bounce_addressed_to_the_notifications_own_bounce_address_names_it()
    {
        var notificationId = Guid.NewGuid();
        var report = Report(to: $"bounces+{notificationId:N}@participatie.test", original: null);

        var bounce = BounceReports.Read(report, Options, out _);

        Assert.Equal(notificationId, bounce?.NotificationId);
    }

    [Fact]
    public void A_bounce_to_the_plain_bounce_address_is_matched_by_the_whole_returned_messages_id()
    {
        var notificationId = Guid.NewGuid();
        var original = new MimeMessage { MessageId = $"{notificationId:D}@participatie.test", Subject = "Uw reactie", Body = new TextPart("plain") { Text = "…" } };
        var report = Report(to: "bounces@participatie.test", original: new MessagePart { Message = original });

        var bounce = BounceReports.Read(report, Options, out _);

        Assert.Equal(notificationId, bounce?.NotificationId);
        Assert.Equal("bounced: status 5.1.1; smtp; 550 5.1.1 <(address)>: Recipient address rejected: User unknown", bounce?.Detail);
    }

    [Fact]
    public void A_bounce_of_someone_elses_mail_names_no_notification()
    {
        var original = new MimeMessage { MessageId = $"{Guid.NewGuid():D}@elsewhere.test", Body = new TextPart("plain") { Text = "…" } };
        var report = Report(to: $"bounces+{Guid.NewGuid():N}@elsewhere.test", original: new MessagePart { Message = original });

        Assert.Null(BounceReports.Read(report, Options, out var reason));
        Assert.Contains("names no notification", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_of_another_kind_is_no_bounce()
    {
        var notificationId = Guid.NewGuid();
        var report = Report(to: $"bounces+{notificationId:N}@participatie.test", original: null);
        Assert.IsType<MultipartReport>(report.Body).ReportType = "disposition-notification";

        Assert.Null(BounceReports.Read(report, Options, out var reason));
        Assert.Equal("not a delivery status report", reason);
    }

    private static OutgoingMessage Message(string language, string title, string body) => new()
    {
        NotificationId = Guid.NewGuid(),
        ResidentId = Guid.NewGuid(),
        Kind = "reaction-received",
        Channel = Channels.Email,
        Language = language,
        Title = title,
        Body = body,
        Contact = new ContactDetails { EmailAddress = "resident@example.org" },
    };

    private static MimeMessage Report(string to, MessagePart? original)
    {
        var status = new MessageDeliveryStatus();
        status.StatusGroups.Add(new HeaderList { { "Reporting-MTA", "dns; mx.example.test" } });
        status.StatusGroups.Add(new HeaderList
        {
            { "Final-Recipient", "rfc822; resident@example.org" },
            { "Action", "failed" },
            { "Status", "5.1.1" },
            { "Diagnostic-Code", "smtp; 550 5.1.1 <resident@example.org>:\r\n Recipient address rejected: User unknown" },
        });
        var body = new MultipartReport("delivery-status") { new TextPart("plain") { Text = "Undeliverable." }, status };
        if (original is not null)
        {
            body.Add(original);
        }

        var report = new MimeMessage { Subject = "Undelivered Mail Returned to Sender", Body = body };
        report.From.Add(MailboxAddress.Parse("MAILER-DAEMON@mx.example.test"));
        report.To.Add(MailboxAddress.Parse(to));
        return report;
    }
}
