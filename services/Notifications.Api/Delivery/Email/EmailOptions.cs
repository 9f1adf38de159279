using MailKit.Security;
using MimeKit;

namespace Participatie.Notifications.Delivery.Email;

/// <summary>The e-mail channel's settings, section <c>Delivery:Email</c>.</summary>
public sealed class EmailOptions
{
    public const string Section = "Delivery:Email";

    public string SmtpHost { get; set; } = "localhost";

    public int SmtpPort { get; set; } = 25;

    /// <summary>Auto: TLS on 465, STARTTLS where the server offers it, plain otherwise (the local mail server).</summary>
    public SecureSocketOptions SmtpSecurity { get; set; } = SecureSocketOptions.Auto;

    /// <summary>Empty: the server is not asked to authenticate us.</summary>
    public string? SmtpUserName { get; set; }

    public string? SmtpPassword { get; set; }

    /// <summary>How many SMTP sessions stay open at once; each carries many messages one after another.</summary>
    public int MaxConnections { get; set; } = 4;

    /// <summary>
    /// A session idle longer than this is closed rather than reused: servers drop idle clients after a while, and a
    /// message sent into a dropped session would fail for no reason of its own.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A session carries at most this many messages and is then closed (QUIT) and replaced: the benchmark showed the
    /// local mail server keeping every message of an open session in memory until it ends.
    /// </summary>
    public int MaxMessagesPerSession { get; set; } = 500;

    /// <summary>How long one SMTP command may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The From header, for example <c>Participatie &lt;noreply@participatie.example&gt;</c>.</summary>
    public string From { get; set; } = "Participatie <noreply@participatie.example>";

    /// <summary>The domain of Message-IDs and of the bounce address; empty means the From address's domain.</summary>
    public string? Domain { get; set; }

    /// <summary>
    /// The local part before the '+' of the envelope sender (VERP): a bounce is sent to
    /// <c>{BounceLocalPart}+{notification id}@{Domain}</c>, so it names the notification.
    /// </summary>
    public string BounceLocalPart { get; set; } = "bounces";

    /// <summary>
    /// Where a one-click unsubscribe is posted (RFC 8058); the notification id is appended as the last path segment.
    /// </summary>
    public Uri UnsubscribeBaseUrl { get; set; } = new("https://participatie.example/unsubscribe");

    public EmailBounceOptions Bounces { get; set; } = new();

    public MailboxAddress FromAddress => MailboxAddress.Parse(From);

    public string MessageDomain => string.IsNullOrWhiteSpace(Domain) ? FromAddress.Domain : Domain;

    /// <summary>The envelope sender of one notification's mail, e.g. <c>bounces+0f8f…@participatie.example</c>.</summary>
    public MailboxAddress BounceAddressFor(Guid notificationId) =>
        new(string.Empty, $"{BounceLocalPart}+{notificationId:N}@{MessageDomain}");
}

/// <summary>The mailbox that receives the bounces (<c>Delivery:Email:Bounces</c>), read over IMAP.</summary>
public sealed class EmailBounceOptions
{
    /// <summary>Empty: no bounce mailbox is read (the job does nothing).</summary>
    public string? ImapHost { get; set; }

    public int ImapPort { get; set; } = 143;

    public SecureSocketOptions ImapSecurity { get; set; } = SecureSocketOptions.Auto;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The folder the bounces arrive in.</summary>
    public string Folder { get; set; } = "INBOX";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>At most this many reports per round, so that one round never holds the mailbox for long.</summary>
    public int BatchSize { get; set; } = 200;
}
