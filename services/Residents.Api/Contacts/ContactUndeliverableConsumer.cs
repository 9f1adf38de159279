using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;
using Participatie.Residents.AccessLog;

namespace Participatie.Residents.Contacts;

/// <summary>
/// A bounce or a provider's failure report: marks the resident's e-mail address or phone number undeliverable, so
/// that the contact endpoint no longer discloses it, and logs the change. A contact already marked keeps the time
/// of its first report, and a repeated report logs nothing (the inbox drops a redelivered message as well).
/// </summary>
public sealed class ContactUndeliverableConsumer(UnitOfWorkFactory unitOfWork, ILogger<ContactUndeliverableConsumer> logger)
    : IdempotentConsumer<ContactUndeliverable>(unitOfWork)
{
    /// <summary>The changes are the notifications service's, reported over the broker rather than by a client.</summary>
    private static readonly AccessLogCaller Notifications = new("notifications", null, null);

    /// <summary>A provider's reason is kept in the log, within reason.</summary>
    private const int MaxReasonLength = 500;

    protected override async Task HandleAsync(ContactUndeliverable message, UnitOfWork work, CancellationToken cancellationToken)
    {
        var sql = message.Channel switch
        {
            Channels.Email =>
                """
                UPDATE residents SET email_undeliverable_at = @ReportedAt
                WHERE id = @ResidentId AND email IS NOT NULL AND email_undeliverable_at IS NULL
                """,
            Channels.Sms =>
                """
                UPDATE residents SET phone_undeliverable_at = @ReportedAt
                WHERE id = @ResidentId AND phone_number IS NOT NULL AND phone_undeliverable_at IS NULL
                """,
            _ => null,
        };
        if (sql is null)
        {
            // A letter or the app feed has no address that could be marked.
            logger.LogWarning("Ignored an undeliverable report for channel {Channel} of resident {ResidentId}.", message.Channel, message.ResidentId);
            return;
        }

        var changed = await work.Connection.ExecuteAsync(new CommandDefinition(
            sql, new { message.ResidentId, message.ReportedAt }, work.Transaction, cancellationToken: cancellationToken));
        if (changed == 0)
        {
            return;
        }

        var reason = message.Reason.Length > MaxReasonLength ? message.Reason[..MaxReasonLength] : message.Reason;
        await AccessLogStore.LogAsync(
            work, message.ResidentId, Notifications, "update",
            $"{message.Channel} marked undeliverable after notification {message.NotificationId}: {reason}", cancellationToken);
    }
}
