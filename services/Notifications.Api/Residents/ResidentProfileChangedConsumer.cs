using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Contracts;
using Participatie.Notifications.Delivery;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Recipients;

namespace Participatie.Notifications.Residents;

/// <summary>
/// A resident's newer snapshot: their language, channel, digest, own quiet hours and consents, applied only when its
/// version is newer than the one held (a late or redelivered snapshot never undoes a later change). What is still
/// waiting to be sent for a purpose the resident no longer consents to is not sent; a resident who moved is invited to
/// what is open in the new buurt.
/// </summary>
public sealed class ResidentProfileChangedConsumer(UnitOfWorkFactory unitOfWork, TimeProvider clock) : IdempotentConsumer<ResidentProfileChanged>(unitOfWork)
{
    protected override async Task HandleAsync(ResidentProfileChanged message, UnitOfWork work, CancellationToken cancellationToken)
    {
        await NotificationStore.LockBuurtenAsync(work, [message.BuurtCode], cancellationToken);
        var applied = await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO recipients (resident_id, buurt_code, preferred_language, preferred_channel, registered_at, digest_frequency,
                                    consents, quiet_hours_start, quiet_hours_end, profile_version)
            VALUES (@ResidentId, @BuurtCode, @PreferredLanguage, @PreferredChannel, @ChangedAt, @DigestFrequency,
                    @Consents, @QuietHoursStart, @QuietHoursEnd, @Version)
            ON CONFLICT (resident_id) DO UPDATE
                SET buurt_code = excluded.buurt_code, preferred_language = excluded.preferred_language,
                    preferred_channel = excluded.preferred_channel, digest_frequency = excluded.digest_frequency,
                    consents = excluded.consents, quiet_hours_start = excluded.quiet_hours_start,
                    quiet_hours_end = excluded.quiet_hours_end, profile_version = excluded.profile_version
                WHERE recipients.profile_version IS NULL OR recipients.profile_version < excluded.profile_version
            """,
            new
            {
                message.ResidentId, message.BuurtCode, message.PreferredLanguage, message.PreferredChannel, message.ChangedAt,
                message.DigestFrequency, Consents = message.Consents.ToArray(), message.QuietHoursStart, message.QuietHoursEnd, message.Version,
            },
            work.Transaction, cancellationToken: cancellationToken));
        if (applied == 0)
        {
            return;
        }

        await WithholdWithoutConsentAsync(work, message, cancellationToken);
        // Open consultations of the (perhaps new) buurt; those already invited to are left alone.
        await Newcomers.WelcomeAsync(
            work,
            [new ResidentRegistered(message.ResidentId, message.BuurtCode, message.PreferredLanguage, message.PreferredChannel, message.ChangedAt,
                Tenure: message.Tenure, DigestFrequency: message.DigestFrequency)],
            cancellationToken);
    }

    /// <summary>Notifications still waiting, of a purpose the resident withdrew: they end here, with the reason recorded.</summary>
    private async Task WithholdWithoutConsentAsync(UnitOfWork work, ResidentProfileChanged message, CancellationToken cancellationToken)
    {
        var pendingKinds = await work.Connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT kind FROM notifications WHERE resident_id = @ResidentId AND status = 'pending'",
            new { message.ResidentId }, work.Transaction, cancellationToken: cancellationToken));
        string[] withheld = [.. pendingKinds.Where(kind => NotificationPurposes.Of(kind) is { } purpose && !message.Consents.Contains(purpose))];
        if (withheld.Length == 0)
        {
            return;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            WITH withheld AS (
                UPDATE notifications SET status = @Failed, completed_at = @Now, next_attempt_at = NULL
                WHERE resident_id = @ResidentId AND status = 'pending' AND kind = ANY(@Kinds)
                RETURNING id, attempts, channel)
            INSERT INTO delivery_events (notification_id, occurred_at, attempt, channel, event, detail)
            SELECT id, @Now, attempts, channel, @Failed, 'not sent: the resident withdrew consent for its purpose' FROM withheld
            """,
            new { message.ResidentId, Kinds = withheld, Now = clock.GetUtcNow(), Failed = DeliveryStatuses.Failed },
            work.Transaction, cancellationToken: cancellationToken));
    }
}
