using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Time;
using Participatie.Contracts;
using Participatie.Notifications.Domain;

namespace Participatie.Notifications.Delivery;

/// <summary>A notification a worker has claimed to send now.</summary>
public sealed record ClaimedNotification
{
    public required Guid Id { get; init; }

    public required Guid ResidentId { get; init; }

    public required string Kind { get; init; }

    public required string Channel { get; init; }

    public required string Language { get; init; }

    public required string Title { get; init; }

    public required string Body { get; init; }

    public Guid? SendingPartnerId { get; init; }

    /// <summary>Attempts made, this one included.</summary>
    public required int Attempts { get; init; }

    public int Priority { get; init; }

    /// <summary>For a contact confirmation: the confirmation whose new, pending address the notification goes to.</summary>
    public Guid? ConfirmationId { get; init; }
}

/// <summary>The SQL of a notification's way out: claiming what is due, and recording how each attempt ended.</summary>
public sealed class DeliveryStore(NpgsqlDataSource database, UnitOfWorkFactory unitOfWork)
{
    /// <summary>
    /// Claims up to <paramref name="limit"/> due notifications on the given channels, most urgent first, and marks them
    /// sending under a lease; app feed items, which need no sender, are delivered by the claim itself. SKIP LOCKED lets
    /// several instances claim side by side without taking the same one.
    /// News of a whole buurt for a resident who wants a digest is left to the digest.
    /// </summary>
    /// <param name="quietChannels">
    /// The channels quiet hours apply to (empty when they are not kept): on them nothing is claimed for a resident in
    /// their quiet hours, their own when they set them, the platform's (<paramref name="inDefaultQuietHours"/>) otherwise.
    /// </param>
    /// <remarks>Nothing is sent for a purpose the resident no longer consents to: such a notification ends here (<see cref="ConsentAtDelivery"/>).</remarks>
    public async Task<IReadOnlyList<ClaimedNotification>> ClaimDueAsync(
        IReadOnlyCollection<string> channels, int limit, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken,
        IReadOnlyCollection<string>? quietChannels = null, bool inDefaultQuietHours = false)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var claimed = await connection.QueryAsync<ClaimedNotification>(new CommandDefinition(
            $$"""
            WITH claimable AS (
                SELECT n.id, t.lead_partner_id, {{ConsentAtDelivery.Consented}} AS consented
                FROM notifications n
                JOIN recipients r ON r.resident_id = n.resident_id
                LEFT JOIN trajectory_projection t ON t.id = n.trajectory_id
                WHERE n.status = 'pending' AND n.channel <> 'letter'
                  AND coalesce(n.next_attempt_at, n.created_at) <= @Now
                  AND n.channel = ANY(@Channels)
                  AND (n.kind <> ALL(@DigestibleKinds) OR r.digest_frequency = @Immediately OR n.fallback_for IS NOT NULL)
                  -- A resident waiting for a sign-in or confirmation code wants it now, also at night.
                  AND (n.kind = ANY(@NeverHeld) OR NOT (n.channel = ANY(@QuietChannels) AND CASE
                      WHEN r.quiet_hours_start IS NULL THEN @InDefaultQuietHours
                      WHEN r.quiet_hours_start < r.quiet_hours_end THEN @LocalTime >= r.quiet_hours_start AND @LocalTime < r.quiet_hours_end
                      ELSE @LocalTime >= r.quiet_hours_start OR @LocalTime < r.quiet_hours_end END))
                ORDER BY n.priority, coalesce(n.next_attempt_at, n.created_at)
                LIMIT @Limit
                FOR UPDATE OF n SKIP LOCKED),
            -- Made while consent for its purpose was being withdrawn (ConsentAtDelivery): ends here instead of going out.
            {{ConsentAtDelivery.WithholdClaimed}},
            -- An app feed item is delivered the moment it is claimed (the notification itself is the feed item): it is
            -- marked delivered here, with its event, instead of sending and then delivered by a second update. App feed
            -- receipts never come here: NotificationStore.RecordManyAsync records them delivered.
            claimed AS (
                UPDATE notifications n
                SET status = CASE WHEN n.channel = @App THEN @Delivered ELSE 'sending' END,
                    attempts = n.attempts + 1,
                    claimed_until = CASE WHEN n.channel = @App THEN NULL ELSE @LeaseEnds END,
                    sent_at = CASE WHEN n.channel = @App THEN coalesce(n.sent_at, @Now) ELSE n.sent_at END,
                    completed_at = CASE WHEN n.channel = @App THEN @Now ELSE n.completed_at END
                FROM claimable
                WHERE n.id = claimable.id AND claimable.consented
                RETURNING n.id, n.resident_id AS ResidentId, n.kind, n.channel, n.language, n.title, n.body,
                          claimable.lead_partner_id AS SendingPartnerId, n.attempts, n.priority, n.confirmation_id AS ConfirmationId),
            feed_delivered AS (
                INSERT INTO delivery_events (notification_id, occurred_at, attempt, channel, event)
                SELECT id, @Now, attempts, channel, @DeliveredEvent FROM claimed WHERE channel = @App)
            SELECT * FROM claimed
            """,
            new
            {
                Now = now,
                Channels = channels.ToArray(),
                NeverHeld = NotificationKinds.AnsweringTheResidentNow.ToArray(),
                DigestibleKinds = DigestSchedule.DigestibleKinds.ToArray(),
                Immediately = DigestFrequencies.Immediately,
                Limit = limit,
                LeaseEnds = now + lease,
                QuietChannels = (quietChannels ?? []).ToArray(),
                InDefaultQuietHours = inDefaultQuietHours,
                LocalTime = TimeOnly.FromDateTime(AmsterdamClock.ToAmsterdam(now).DateTime),
                Failed = DeliveryStatuses.Failed,
                App = Channels.App,
                Delivered = DeliveryStatuses.Delivered,
                DeliveredEvent = DeliveryEvents.Delivered,
                DeliveryEvents.ConsentWithdrawn,
                ConsentWithdrawnDetail = ConsentAtDelivery.Detail,
            },
            cancellationToken: cancellationToken));
        // Receipts and answers first within the batch too.
        return [.. claimed.OrderBy(notification => notification.Priority)];
    }

    /// <summary>
    /// Notifications whose worker vanished mid-send (its lease ran out) go back to pending, to be tried again; one that
    /// has used all its attempts so (a message that keeps bringing its worker down) ends failed.
    /// </summary>
    public async Task<int> ReleaseExpiredLeasesAsync(DateTimeOffset now, int maximumAttempts, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            WITH released AS (
                UPDATE notifications
                SET status = CASE WHEN attempts >= @MaximumAttempts THEN 'failed' ELSE 'pending' END, claimed_until = NULL,
                    completed_at = CASE WHEN attempts >= @MaximumAttempts THEN @Now ELSE completed_at END
                WHERE status = 'sending' AND claimed_until < @Now AND channel <> 'letter'
                RETURNING id, attempts, channel, status)
            INSERT INTO delivery_events (notification_id, occurred_at, attempt, channel, event, detail)
            SELECT id, @Now, attempts, channel, CASE WHEN status = 'failed' THEN 'failed' ELSE 'retry-scheduled' END,
                   'the worker sending it stopped before it recorded the outcome'
            FROM released
            """,
            new { Now = now, MaximumAttempts = maximumAttempts }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Extends the lease of one claimed notification just before it is sent, so that a slow batch does not lose it to
    /// another worker. False when it is no longer this worker's (its lease ran out and another took it).
    /// </summary>
    public async Task<bool> RenewLeaseAsync(ClaimedNotification notification, DateTimeOffset leaseEnds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE notifications SET claimed_until = @LeaseEnds WHERE id = @Id AND status = 'sending' AND attempts = @Attempts",
            new { notification.Id, notification.Attempts, LeaseEnds = leaseEnds }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// E-mails and SMS that fall due in the platform's quiet hours wait until they end; the hold is recorded once.
    /// Residents with quiet hours of their own are held by <see cref="HoldForOwnQuietHoursAsync"/> instead.
    /// </summary>
    public Task<int> HoldForQuietHoursAsync(IReadOnlyCollection<string> channels, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken) =>
        InChunksAsync(new CommandDefinition(
            """
            WITH candidates AS (
                SELECT id FROM notifications
                WHERE status = 'pending' AND channel <> 'letter' AND channel = ANY(@Channels)
                  AND coalesce(next_attempt_at, created_at) <= @Now AND kind <> ALL(@NeverHeld)
                  AND NOT EXISTS (SELECT 1 FROM recipients r WHERE r.resident_id = notifications.resident_id AND r.quiet_hours_start IS NOT NULL)
                LIMIT @ChunkSize FOR UPDATE SKIP LOCKED),
            held AS (
                UPDATE notifications n SET next_attempt_at = @Until FROM candidates c WHERE n.id = c.id
                RETURNING n.id, n.attempts, n.channel)
            INSERT INTO delivery_events (notification_id, occurred_at, attempt, channel, event, detail)
            SELECT id, @Now, attempts, channel, @Event, 'quiet hours: until ' || to_char(@Until AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD HH24:MI')
            FROM held
            """,
            new
            {
                Channels = channels.ToArray(),
                Now = now,
                Until = until,
                Event = DeliveryEvents.HeldForQuietHours,
                NeverHeld = NotificationKinds.AnsweringTheResidentNow.ToArray(),
                ChunkSize = HoldChunkSize,
            },
            cancellationToken: cancellationToken),
            cancellationToken);

    // A whole buurt's invitations due at night are many rows: holding them in one statement outlasted the command
    // timeout and failed on every look, so they were never held (nor sent). Chunks commit one by one.
    private const int HoldChunkSize = 2000;

    /// <summary>Runs a hold statement (with <c>@ChunkSize</c>) until a chunk holds fewer rows; returns how many in all.</summary>
    private async Task<int> InChunksAsync(CommandDefinition command, CancellationToken cancellationToken)
    {
        var total = 0;
        int held;
        do
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            held = await connection.ExecuteAsync(command);
            total += held;
        }
        while (held == HoldChunkSize && !cancellationToken.IsCancellationRequested);

        return total;
    }

    /// <summary>
    /// E-mails and SMS due now for residents who are in quiet hours of their own (Amsterdam time, possibly across
    /// midnight) wait until those end; the hold is recorded once.
    /// </summary>
    public Task<int> HoldForOwnQuietHoursAsync(IReadOnlyCollection<string> channels, DateTimeOffset now, CancellationToken cancellationToken) =>
        InChunksAsync(new CommandDefinition(
            """
            WITH quiet AS (
                SELECT r.resident_id,
                       ((@LocalDate + CASE WHEN @LocalTime < r.quiet_hours_end THEN 0 ELSE 1 END) + r.quiet_hours_end) AT TIME ZONE 'Europe/Amsterdam' AS until
                FROM recipients r
                WHERE r.quiet_hours_start IS NOT NULL AND CASE
                    WHEN r.quiet_hours_start < r.quiet_hours_end THEN @LocalTime >= r.quiet_hours_start AND @LocalTime < r.quiet_hours_end
                    ELSE @LocalTime >= r.quiet_hours_start OR @LocalTime < r.quiet_hours_end END),
            candidates AS (
                SELECT n.id, quiet.until
                FROM notifications n JOIN quiet ON n.resident_id = quiet.resident_id
                WHERE n.status = 'pending' AND n.channel <> 'letter' AND n.channel = ANY(@Channels)
                  AND coalesce(n.next_attempt_at, n.created_at) <= @Now AND n.kind <> ALL(@NeverHeld)
                LIMIT @ChunkSize FOR UPDATE OF n SKIP LOCKED),
            held AS (
                UPDATE notifications n SET next_attempt_at = c.until
                FROM candidates c
                WHERE n.id = c.id
                RETURNING n.id, n.attempts, n.channel, c.until)
            INSERT INTO delivery_events (notification_id, occurred_at, attempt, channel, event, detail)
            SELECT id, @Now, attempts, channel, @Event, 'own quiet hours: until ' || to_char(until AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD HH24:MI')
            FROM held
            """,
            new
            {
                Channels = channels.ToArray(), Now = now, Event = DeliveryEvents.HeldForQuietHours,
                NeverHeld = NotificationKinds.AnsweringTheResidentNow.ToArray(),
                LocalDate = DateOnly.FromDateTime(AmsterdamClock.ToAmsterdam(now).DateTime),
                LocalTime = TimeOnly.FromDateTime(AmsterdamClock.ToAmsterdam(now).DateTime),
                ChunkSize = HoldChunkSize,
            },
            cancellationToken: cancellationToken),
            cancellationToken);

    /// <summary>Records how an attempt ended that needs no fallback: sent, delivered, or to be retried at a later moment.</summary>
    public async Task RecordAsync(ClaimedNotification notification, string status, string @event, DateTimeOffset now,
        string? providerReference = null, DateTimeOffset? retryAt = null, string? detail = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            WITH changed AS (
                UPDATE notifications
                SET status = @Status, claimed_until = NULL, next_attempt_at = @RetryAt,
                    provider_reference = coalesce(@ProviderReference, provider_reference),
                    sent_at = CASE WHEN @Status IN ('sent', 'delivered') THEN coalesce(sent_at, @Now) ELSE sent_at END,
                    completed_at = CASE WHEN @Status = 'delivered' THEN @Now ELSE completed_at END
                WHERE id = @Id AND status = 'sending' AND attempts = @Attempt
                RETURNING id)
            INSERT INTO delivery_events (notification_id, occurred_at, attempt, channel, event, detail)
            SELECT id, @Now, @Attempt, @Channel, @Event, @Detail FROM changed
            """,
            new
            {
                notification.Id,
                Status = status,
                Event = @event,
                Now = now,
                ProviderReference = providerReference,
                RetryAt = retryAt,
                Detail = detail,
                Attempt = notification.Attempts,
                notification.Channel,
            },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The channel failed for good (after its retries, or at once: no address, a rejected recipient): the notification
    /// ends failed or bounced and goes again by letter. When the address itself was refused, the residents service is
    /// told, so that no one relies on it again.
    /// </summary>
    public async Task FailAsync(ClaimedNotification notification, string status, string detail, bool addressRefused, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var changed = await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE notifications SET status = @Status, claimed_until = NULL, completed_at = @Now
            WHERE id = @Id AND status = 'sending' AND attempts = @Attempt
            """,
            new { notification.Id, Status = status, Now = now, Attempt = notification.Attempts }, work.Transaction, cancellationToken: cancellationToken));
        if (changed == 0)
        {
            return;
        }

        await AddEventAsync(work, notification.Id, notification.Attempts, notification.Channel, status, detail, now, cancellationToken);
        // A refused new address says nothing about the address the resident has now.
        await FallBackAsync(work, notification.Id, notification.ResidentId, notification.Channel, notification.Attempts,
            addressRefused && notification.Kind != NotificationKinds.ContactConfirmation, detail, now, cancellationToken);
        await work.CommitAsync(cancellationToken);
    }

    /// <summary>A late report (a delivery report, a bounce) about a sent notification. False when none matches.</summary>
    public async Task<bool> ApplyReportAsync(Guid notificationId, DeliveryReport report, string? detail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (status, from) = report switch
        {
            // From 'sending' too: a report can overtake the worker's record of the send, which then changes nothing.
            DeliveryReport.Delivered => (DeliveryStatuses.Delivered, new[] { DeliveryStatuses.Sending, DeliveryStatuses.Sent }),
            DeliveryReport.Failed => (DeliveryStatuses.Failed, new[] { DeliveryStatuses.Sending, DeliveryStatuses.Sent, DeliveryStatuses.Delivered }),
            DeliveryReport.Bounced => (DeliveryStatuses.Bounced, new[] { DeliveryStatuses.Sending, DeliveryStatuses.Sent, DeliveryStatuses.Delivered }),
            _ => throw new ArgumentOutOfRangeException(nameof(report), report, null),
        };
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var changed = await work.Connection.QuerySingleOrDefaultAsync<ReportedNotification>(new CommandDefinition(
            """
            UPDATE notifications SET status = @Status, completed_at = @Now, claimed_until = NULL, sent_at = coalesce(sent_at, @Now)
            WHERE id = @Id AND status = ANY(@From)
            RETURNING resident_id AS ResidentId, channel, attempts, kind
            """,
            new { Id = notificationId, Status = status, From = from, Now = now }, work.Transaction, cancellationToken: cancellationToken));
        if (changed is null)
        {
            return false;
        }

        await AddEventAsync(work, notificationId, changed.Attempts, changed.Channel, status, detail, now, cancellationToken);
        if (report is not DeliveryReport.Delivered)
        {
            await FallBackAsync(work, notificationId, changed.ResidentId, changed.Channel, changed.Attempts,
                addressRefused: changed.Kind != NotificationKinds.ContactConfirmation,
                detail ?? status, now, cancellationToken);
        }

        await work.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<Guid?> FindByProviderReferenceAsync(string channel, string providerReference, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM notifications WHERE channel = @Channel AND provider_reference = @ProviderReference",
            new { Channel = channel, ProviderReference = providerReference }, cancellationToken: cancellationToken));
    }

    private static async Task FallBackAsync(
        UnitOfWork work, Guid notificationId, Guid residentId, string channel, int attempt, bool addressRefused, string detail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (addressRefused && channel is Channels.Email or Channels.Sms)
        {
            await work.PublishAsync(new ContactUndeliverable(residentId, channel, detail, notificationId, now), cancellationToken);
        }

        if (FallbackChannel.After(channel) is not { } fallback)
        {
            return;
        }

        var fallbackId = Guid.CreateVersion7(now);
        var created = await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO notifications (id, resident_id, kind, purpose, subject_id, trajectory_id, consultation_id, language, channel, title, body, fallback_for, created_at)
            SELECT @FallbackId, resident_id, kind, purpose, subject_id, trajectory_id, consultation_id, language, @Channel, title, body, id, @Now
            FROM notifications n
            WHERE id = @Id AND kind <> ALL(@NoFallback)
            ON CONFLICT DO NOTHING
            """,
            // A code by letter would arrive after it expired (and a confirmation must reach the new address).
            new { Id = notificationId, FallbackId = fallbackId, Channel = fallback, Now = now, NoFallback = NotificationKinds.AnsweringTheResidentNow.ToArray() }, work.Transaction, cancellationToken: cancellationToken));
        if (created > 0)
        {
            await AddEventAsync(work, notificationId, attempt, channel, DeliveryEvents.FallbackCreated, $"again by {fallback}: {fallbackId}", now, cancellationToken);
        }
    }

    private static Task AddEventAsync(
        UnitOfWork work, Guid notificationId, int attempt, string channel, string @event, string? detail, DateTimeOffset now, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO delivery_events (notification_id, occurred_at, attempt, channel, event, detail)
            VALUES (@NotificationId, @Now, @Attempt, @Channel, @Event, @Detail)
            """,
            new { NotificationId = notificationId, Now = now, Attempt = attempt, Channel = channel, Event = @event, Detail = detail },
            work.Transaction, cancellationToken: cancellationToken));

    private sealed record ReportedNotification
    {
        public required Guid ResidentId { get; init; }

        public required string Channel { get; init; }

        public required int Attempts { get; init; }

        public required string Kind { get; init; }
    }
}
