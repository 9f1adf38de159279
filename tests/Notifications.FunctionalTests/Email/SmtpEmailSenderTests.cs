using System.Diagnostics;
using MimeKit;
using Participatie.Notifications.Delivery;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests.Email;

/// <summary>The e-mail sender against a real mail server (smtp4dev); every check reads the mail back from it.</summary>
[Collection(MailCollection.Name)]
public sealed class SmtpEmailSenderTests(MailServer mailServer)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_mail_reaches_the_resident_with_text_and_html_in_their_language_and_the_headers_that_name_the_notification()
    {
        await using var email = new EmailHost(mailServer);
        var address = EmailHost.NewAddress();
        var message = EmailHost.Message(
            address,
            language: "ar",
            title: "تم استلام ردك",
            body: "شكراً على ردك <script>alert(1)</script> & رأيك.\nسطر ثانٍ.\n\nفقرة ثانية.");

        var outcome = await email.Sender.SendAsync(message, Cancel);

        Assert.Equal(SendResult.Sent, outcome.Result);
        Assert.Equal($"{message.NotificationId:D}@{EmailHost.Domain}", outcome.ProviderReference);
        var received = Assert.Single(await mailServer.WaitForMailsToAsync(address));
        var mail = received.Message;
        Assert.Equal(EmailHost.BounceAddress(message.NotificationId), received.EnvelopeSender);
        Assert.Equal(address, Assert.Single(mail.To.Mailboxes).Address);
        Assert.Equal($"noreply@{EmailHost.Domain}", Assert.Single(mail.From.Mailboxes).Address);
        Assert.Equal(message.Title, mail.Subject);
        Assert.Equal($"{message.NotificationId:D}@{EmailHost.Domain}", mail.MessageId);
        Assert.Equal(
            $"<mailto:unsubscribe+{message.NotificationId:N}@{EmailHost.Domain}?subject=unsubscribe>, <{EmailHost.UnsubscribeBase}/{message.NotificationId:N}>",
            mail.Headers[HeaderId.ListUnsubscribe]);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);

        var alternative = Assert.IsType<MultipartAlternative>(mail.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(part => part.ContentType.MimeType));
        Assert.Contains("سطر ثانٍ.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("<script>alert(1)</script>", mail.TextBody, StringComparison.Ordinal);
        var html = mail.HtmlBody;
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; رأيك.<br>\nسطر ثانٍ.</p>", html, StringComparison.Ordinal);
        Assert.Contains(">فقرة ثانية.</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        // Nothing to load from elsewhere: no images, style sheets, fonts or scripts.
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_mail_in_a_left_to_right_language_has_its_lang_and_no_rtl_direction()
    {
        await using var email = new EmailHost(mailServer);
        var address = EmailHost.NewAddress();

        var outcome = await email.Sender.SendAsync(EmailHost.Message(address, language: "pl", title: "Otrzymaliśmy Twoją reakcję"), Cancel);

        Assert.Equal(SendResult.Sent, outcome.Result);
        var mail = Assert.Single(await mailServer.WaitForMailsToAsync(address)).Message;
        Assert.Equal("Otrzymaliśmy Twoją reakcję", mail.Subject);
        Assert.Contains("<html lang=\"pl\">", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("pl", Assert.IsType<MultipartAlternative>(mail.Body).Headers[HeaderId.ContentLanguage]);
    }

    [Fact]
    public async Task A_recipient_refused_for_good_is_a_permanent_failure_and_a_busy_mailbox_a_transient_one()
    {
        await using var email = new EmailHost(mailServer);
        var unknown = EmailHost.NewAddress(MailServer.RejectingDomain);
        var busy = EmailHost.NewAddress(MailServer.DeferringDomain);
        var fine = EmailHost.NewAddress();

        var refused = await email.Sender.SendAsync(EmailHost.Message(unknown), Cancel);
        var deferred = await email.Sender.SendAsync(EmailHost.Message(busy), Cancel);
        var accepted = await email.Sender.SendAsync(EmailHost.Message(fine), Cancel);

        Assert.Equal(SendResult.PermanentFailure, refused.Result);
        Assert.StartsWith("550", refused.Error, StringComparison.Ordinal);
        Assert.Equal(SendResult.TransientFailure, deferred.Result);
        Assert.StartsWith("451", deferred.Error, StringComparison.Ordinal);
        // The errors are stored with the notification, which never keeps an address.
        Assert.DoesNotContain("@", refused.Error + deferred.Error, StringComparison.Ordinal);
        // A refusal closes nothing for the next resident.
        Assert.Equal(SendResult.Sent, accepted.Result);
        Assert.Single(await mailServer.WaitForMailsToAsync(fine));
        Assert.Empty(await mailServer.MailsToAsync(unknown));
        Assert.Empty(await mailServer.MailsToAsync(busy));
    }

    [Fact]
    public async Task A_mail_server_that_does_not_answer_is_a_transient_failure_and_no_address_a_permanent_one()
    {
        await using var email = new EmailHost(mailServer, new Dictionary<string, string?>
        {
            // A port nobody listens on: the server is down.
            ["Delivery:Email:SmtpPort"] = "1",
            ["Delivery:Email:Timeout"] = "00:00:05",
        });

        var down = await email.Sender.SendAsync(EmailHost.Message(EmailHost.NewAddress()), Cancel);
        var noAddress = await email.Sender.SendAsync(EmailHost.Message("not an address"), Cancel);

        Assert.Equal(SendResult.TransientFailure, down.Result);
        Assert.Equal(SendResult.PermanentFailure, noAddress.Result);
    }

    [Fact]
    public async Task Many_mails_at_once_share_a_few_smtp_sessions_and_each_arrives_once()
    {
        const int Mails = 400;
        await using var email = new EmailHost(mailServer, new Dictionary<string, string?> { ["Delivery:Email:MaxConnections"] = "4" });
        var address = EmailHost.NewAddress();
        var messages = Enumerable.Range(0, Mails).Select(i => EmailHost.Message(address, title: $"Bericht {i}")).ToList();

        var watch = Stopwatch.StartNew();
        var outcomes = await Task.WhenAll(messages.Select(message => email.Sender.SendAsync(message, Cancel)));
        watch.Stop();

        Assert.All(outcomes, outcome => Assert.Equal(SendResult.Sent, outcome.Result));
        Assert.InRange(email.Pool.SessionsOpened, 1, 4);
        var received = await mailServer.WaitForMailsToAsync(address, Mails);
        Assert.Equal(
            messages.Select(message => $"{message.NotificationId:D}@{EmailHost.Domain}").Order(StringComparer.Ordinal),
            received.Select(mail => mail.Message.MessageId).Order(StringComparer.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Mails} mails over {email.Pool.SessionsOpened} sessions in {watch.Elapsed.TotalSeconds:0.00} s ({Mails / watch.Elapsed.TotalSeconds:0} per second)");
    }

    [Fact]
    public async Task A_session_is_replaced_after_its_share_of_mails_so_that_the_server_can_let_go_of_them()
    {
        await using var email = new EmailHost(mailServer, new Dictionary<string, string?>
        {
            ["Delivery:Email:MaxConnections"] = "1",
            ["Delivery:Email:MaxMessagesPerSession"] = "10",
        });
        var address = EmailHost.NewAddress();

        foreach (var message in Enumerable.Range(0, 25).Select(i => EmailHost.Message(address, title: $"Bericht {i}")))
        {
            Assert.Equal(SendResult.Sent, (await email.Sender.SendAsync(message, Cancel)).Result);
        }

        Assert.Equal(3, email.Pool.SessionsOpened);
        Assert.Equal(25, (await mailServer.WaitForMailsToAsync(address, 25)).Count);
    }
}
