using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;
using Participatie.Contracts;

namespace Participatie.Notifications.Delivery.Email;

/// <summary>
/// Hands a notification to the SMTP server over a pooled session. The envelope sender names the notification
/// (<c>bounces+{id}@domain</c>, VERP), so a bounce that comes back later can be matched to it without storing the
/// address. What the server said decides the outcome: accepted is sent, a 5xx reply to the recipient means the address
/// will never work, and anything else (a 4xx reply, a timeout, a server that is down) is worth another try.
/// </summary>
public sealed partial class SmtpEmailSender(
    SmtpConnectionPool pool, IOptions<EmailOptions> options, TimeProvider clock, ILogger<SmtpEmailSender> logger) : IChannelSender
{
    private readonly EmailOptions _options = options.Value;

    public string Channel => Channels.Email;

    public async Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (!MailboxAddress.TryParse(message.Contact.EmailAddress, out var recipient) || string.IsNullOrEmpty(recipient.Domain))
        {
            return SendOutcome.Undeliverable("No valid e-mail address for the resident.");
        }

        using var mail = EmailLayout.Compose(message, _options, recipient, clock.GetUtcNow());
        var envelopeSender = _options.BounceAddressFor(message.NotificationId);
        try
        {
            await pool.UseAsync(
                (client, cancel) => client.SendAsync(mail, envelopeSender, [recipient], cancel), cancellationToken);
            return SendOutcome.Handed(mail.MessageId);
        }
        catch (SmtpCommandException rejected) when (rejected.ErrorCode == SmtpErrorCode.RecipientNotAccepted && IsPermanent(rejected.StatusCode))
        {
            LogRejected(logger, message.NotificationId, (int)rejected.StatusCode);
            return SendOutcome.Undeliverable(WithoutAddresses($"{(int)rejected.StatusCode} {rejected.Message}"));
        }
        catch (SmtpCommandException refused)
        {
            // A 4xx, or a 5xx about the sender or the message: the address is not to blame, so it is tried again.
            var error = WithoutAddresses($"{(int)refused.StatusCode} {refused.Message}");
            LogTransient(logger, message.NotificationId, error);
            return SendOutcome.TryAgain(error);
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            // No connection, a timeout, a broken session, refused credentials: nothing is known about the address.
            var error = WithoutAddresses($"{failure.GetType().Name}: {failure.Message}");
            LogTransient(logger, message.NotificationId, error);
            return SendOutcome.TryAgain(error);
        }
    }

    private static bool IsPermanent(SmtpStatusCode status) => (int)status is >= 500 and < 600;

    /// <summary>
    /// Servers often repeat the address in their reply; the error is stored with the notification, which never keeps
    /// a resident's contact details.
    /// </summary>
    internal static string WithoutAddresses(string text) => EmailAddressPattern().Replace(text, "(address)");

    [GeneratedRegex(@"[^\s<>""'(),;:]+@[^\s<>""'(),;:]+", RegexOptions.None, matchTimeoutMilliseconds: PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex EmailAddressPattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "The mail server refused the recipient of notification {NotificationId} with {StatusCode}")]
    private static partial void LogRejected(ILogger logger, Guid notificationId, int statusCode);

    // The error text without addresses rather than the exception: its message may repeat the resident's address.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {NotificationId} could not be handed to the mail server now ({Error}); it is tried again later")]
    private static partial void LogTransient(ILogger logger, Guid notificationId, string error);
}
