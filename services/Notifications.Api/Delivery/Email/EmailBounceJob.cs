using MailKit;
using MailKit.Net.Imap;
using Microsoft.Extensions.Options;
using Participatie.BuildingBlocks.Hosting;

namespace Participatie.Notifications.Delivery.Email;

/// <summary>
/// Reads the bounce mailbox over IMAP every <see cref="EmailBounceOptions.PollInterval"/>: each delivery status
/// report that names a notification is reported as bounced (which marks the contact undeliverable and falls back to a
/// letter), and then deleted from the mailbox, so it is handled once. A mail that is no bounce of ours is deleted as
/// well, with a log line; a report whose notification could not be updated (the database is away) stays for the next
/// round.
/// </summary>
public sealed partial class EmailBounceJob(
    IServiceScopeFactory scopes, IOptions<EmailOptions> options, TimeProvider clock, ILogger<EmailBounceJob> logger)
    : PeriodicJob(options.Value.Bounces.PollInterval, clock, logger)
{
    private readonly EmailOptions _options = options.Value;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken) => await ProcessBouncesAsync(cancellationToken);

    /// <summary>One pass over the mailbox.</summary>
    /// <returns>How many bounces were reported.</returns>
    public async Task<int> ProcessBouncesAsync(CancellationToken cancellationToken)
    {
        var mailbox = _options.Bounces;
        if (string.IsNullOrWhiteSpace(mailbox.ImapHost))
        {
            return 0;
        }

        using var imap = new ImapClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
        await imap.ConnectAsync(mailbox.ImapHost, mailbox.ImapPort, mailbox.ImapSecurity, cancellationToken);
        if (!string.IsNullOrEmpty(mailbox.UserName))
        {
            await imap.AuthenticateAsync(mailbox.UserName, mailbox.Password ?? string.Empty, cancellationToken);
        }

        var folder = string.Equals(mailbox.Folder, "INBOX", StringComparison.OrdinalIgnoreCase)
            ? imap.Inbox
            : await imap.GetFolderAsync(mailbox.Folder, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);

        // Batch after batch while they come full, so that a wave of bounces is not spread over many rounds.
        var reported = 0;
        while (true)
        {
            var (reportedNow, handled) = await ProcessBatchAsync(imap, folder, cancellationToken);
            reported += reportedNow;
            // A batch that was not full emptied the mailbox; one with a failure waits for the next round.
            if (handled < _options.Bounces.BatchSize)
            {
                break;
            }
        }

        await imap.DisconnectAsync(quit: true, cancellationToken);
        return reported;
    }

    private async Task<(int Reported, int Handled)> ProcessBatchAsync(ImapClient imap, IMailFolder folder, CancellationToken cancellationToken)
    {
        var mailbox = _options.Bounces;
        // FETCH rather than SEARCH UNDELETED, which not every server understands (smtp4dev does not).
        var summaries = folder.Count == 0
            ? []
            : await folder.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags, cancellationToken);
        var waiting = summaries
            .Where(summary => summary.Flags is not { } flags || !flags.HasFlag(MessageFlags.Deleted))
            .Select(summary => summary.UniqueId)
            .Take(mailbox.BatchSize)
            .ToList();
        var reported = 0;
        var handled = new List<UniqueId>();
        foreach (var uid in waiting)
        {
            using var report = await folder.GetMessageAsync(uid, cancellationToken);
            var bounce = BounceReports.Read(report, _options, out var reason);
            if (bounce is null)
            {
                LogIgnored(Logger, reason);
                handled.Add(uid);
                continue;
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var reports = scope.ServiceProvider.GetRequiredService<IDeliveryReports>();
                var matched = await reports.ReportAsync(bounce.NotificationId, DeliveryReport.Bounced, bounce.Detail, cancellationToken);
                if (matched)
                {
                    reported++;
                }
                else
                {
                    LogUnmatched(Logger, bounce.NotificationId);
                }

                handled.Add(uid);
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
            {
                // Kept in the mailbox: the next round reports it again.
                LogReportFailed(Logger, failure, bounce.NotificationId);
            }
        }

        if (handled.Count > 0)
        {
            await folder.AddFlagsAsync(handled, MessageFlags.Deleted, silent: true, cancellationToken);
            // Servers without UIDPLUS can only expunge every deleted message, which are only ours anyway.
            if (imap.Capabilities.HasFlag(ImapCapabilities.UidPlus))
            {
                await folder.ExpungeAsync(handled, cancellationToken);
            }
            else
            {
                await folder.ExpungeAsync(cancellationToken);
            }
        }

        return (reported, handled.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A mail in the bounce mailbox was deleted unread: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "A bounce for notification {NotificationId} matched no sent notification (already reported, or unknown)")]
    private static partial void LogUnmatched(ILogger logger, Guid notificationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The bounce for notification {NotificationId} could not be recorded; it stays in the mailbox for the next round")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, Guid notificationId);
}
