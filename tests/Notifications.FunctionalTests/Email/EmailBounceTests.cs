using MimeKit;
using Participatie.Notifications.Delivery;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests.Email;

/// <summary>
/// Bounce reports arrive at the real mail server's bounce mailbox and are read over its IMAP server by the bounce
/// job; what the job reports is recorded (the delivery core that acts on it is tested with the lifecycle).
/// </summary>
[Collection(MailCollection.Name)]
public sealed class EmailBounceTests(MailServer mailServer)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_bounce_report_for_a_sent_mail_is_reported_once_as_bounced_and_leaves_the_mailbox()
    {
        await using var email = new EmailHost(mailServer);
        var address = EmailHost.NewAddress();
        var message = EmailHost.Message(address);
        Assert.Equal(SendResult.Sent, (await email.Sender.SendAsync(message, Cancel)).Result);
        var sent = Assert.Single(await mailServer.WaitForMailsToAsync(address));

        await email.StartAsync();
        // The recipient's server gives up and reports to the envelope sender, as any MTA would.
        await mailServer.SendBounceReportAsync(sent.EnvelopeSender, sent.Message, address);

        await Eventually.MatchesAsync(() => Task.FromResult(email.Reports.Reports.Count), count => count > 0, "the bounce to be reported");
        // Several more rounds over the mailbox: none may report it again.
        var roundsThen = email.BounceJob.CompletedRounds;
        await Eventually.MatchesAsync(() => Task.FromResult(email.BounceJob.CompletedRounds), rounds => rounds >= roundsThen + 3, "three more rounds of the bounce job");
        var (notificationId, report, detail) = Assert.Single(email.Reports.Reports);
        Assert.Equal(message.NotificationId, notificationId);
        Assert.Equal(DeliveryReport.Bounced, report);
        Assert.Contains("5.1.1", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("@", detail, StringComparison.Ordinal);
        Assert.Equal(0, await mailServer.CountAsync(MailServer.BounceMailbox));
        Assert.Equal(0, email.BounceJob.FailedRounds);
    }

    [Fact]
    public async Task A_bounce_without_the_notification_in_its_address_is_found_by_the_original_message_id_and_other_mail_is_not_reported()
    {
        await using var email = new EmailHost(mailServer);
        var address = EmailHost.NewAddress();
        var bounced = EmailHost.Message(address);
        var delayed = EmailHost.Message(address);
        Assert.Equal(SendResult.Sent, (await email.Sender.SendAsync(bounced, Cancel)).Result);
        Assert.Equal(SendResult.Sent, (await email.Sender.SendAsync(delayed, Cancel)).Result);
        var sent = (await mailServer.WaitForMailsToAsync(address, 2)).ToDictionary(mail => mail.Message.MessageId ?? string.Empty);

        // A server that drops the "+…" part: only the returned headers name the notification.
        var plainBounceAddress = $"bounces@{EmailHost.Domain}";
        await mailServer.SendBounceReportAsync(plainBounceAddress, sent[$"{bounced.NotificationId:D}@{EmailHost.Domain}"].Message, address);
        // A delay is no bounce; nor is an out-of-office reply.
        await mailServer.SendBounceReportAsync(
            EmailHost.BounceAddress(delayed.NotificationId), sent[$"{delayed.NotificationId:D}@{EmailHost.Domain}"].Message, address, action: "delayed", status: "4.4.1");
        var autoReply = new MimeMessage { Subject = "Afwezig", Body = new TextPart("plain") { Text = "Ik ben op vakantie." } };
        autoReply.From.Add(MailboxAddress.Parse(address));
        autoReply.To.Add(MailboxAddress.Parse(EmailHost.BounceAddress(bounced.NotificationId)));
        await mailServer.SendAsync(autoReply, address, EmailHost.BounceAddress(bounced.NotificationId));
        await Eventually.MatchesAsync(() => mailServer.CountAsync(MailServer.BounceMailbox), count => count == 3, "the three mails in the bounce mailbox");

        var reported = await email.BounceJob.ProcessBouncesAsync(Cancel);

        Assert.Equal(1, reported);
        var (notificationId, report, _) = Assert.Single(email.Reports.Reports);
        Assert.Equal(bounced.NotificationId, notificationId);
        Assert.Equal(DeliveryReport.Bounced, report);
        Assert.Equal(0, await mailServer.CountAsync(MailServer.BounceMailbox));
        Assert.Equal(0, await email.BounceJob.ProcessBouncesAsync(Cancel));
    }

    [Fact]
    public async Task A_wave_of_bounces_larger_than_a_batch_is_reported_in_one_round()
    {
        await using var email = new EmailHost(mailServer, new Dictionary<string, string?> { ["Delivery:Email:Bounces:BatchSize"] = "2" });
        var address = EmailHost.NewAddress();
        var messages = Enumerable.Range(0, 5).Select(_ => EmailHost.Message(address)).ToList();
        foreach (var message in messages)
        {
            Assert.Equal(SendResult.Sent, (await email.Sender.SendAsync(message, Cancel)).Result);
        }

        foreach (var sent in await mailServer.WaitForMailsToAsync(address, messages.Count))
        {
            await mailServer.SendBounceReportAsync(sent.EnvelopeSender, sent.Message, address);
        }

        await Eventually.MatchesAsync(() => mailServer.CountAsync(MailServer.BounceMailbox), count => count == messages.Count, "the bounces in the bounce mailbox");

        Assert.Equal(messages.Count, await email.BounceJob.ProcessBouncesAsync(Cancel));
        Assert.Equal(
            messages.Select(message => message.NotificationId).Order(),
            email.Reports.Reports.Select(report => report.NotificationId).Order());
        Assert.Equal(0, await mailServer.CountAsync(MailServer.BounceMailbox));
    }
}
