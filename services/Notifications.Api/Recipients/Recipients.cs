using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Notifications.Delivery;
using Participatie.Notifications.Domain;

namespace Participatie.Notifications.Recipients;

/// <summary>A resident as the notifications service knows them: pseudonymous, with a buurt and a way to be reached.</summary>
public sealed record Recipient
{
    public required Guid ResidentId { get; init; }

    public required string PreferredLanguage { get; init; }

    public required string PreferredChannel { get; init; }
}

/// <summary>The SQL that records notifications, shared by the consumers.</summary>
public static class NotificationStore
{
    /// <summary>
    /// Takes the buurten's invitation locks for the rest of the transaction. A consultation opening and a resident
    /// arriving in the same buurt are handled by two consumers at once; without the lock each could commit unseen by
    /// the other, and the resident would never be invited. With it the second waits, and then sees the first.
    /// Taken in a fixed order, so that two transactions never wait for each other.
    /// </summary>
    public static async Task LockBuurtenAsync(UnitOfWork work, IEnumerable<string> buurtCodes, CancellationToken cancellationToken)
    {
        foreach (var buurtCode in buurtCodes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            await work.Connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(hashtext('invitations:' || @BuurtCode))",
                new { BuurtCode = buurtCode }, work.Transaction, cancellationToken: cancellationToken));
        }
    }

    /// <summary>
    /// The resident as this service knows them; null when they were erased (an event about them has nothing left to
    /// tell anyone). An event about a resident can arrive before the event that introduced the resident: that one is
    /// retried later.
    /// </summary>
    public static Task<Recipient?> GetRecipientAsync(UnitOfWork work, Guid residentId, CancellationToken cancellationToken) =>
        GetRecipientAsync(work.Connection, work.Transaction, residentId, cancellationToken);

    /// <summary>The resident, or null when they were erased; <see cref="RetryLaterException"/> when not known here yet.</summary>
    public static async Task<Recipient?> GetRecipientAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid residentId, CancellationToken cancellationToken)
    {
        var found = await connection.QuerySingleOrDefaultAsync<FoundRecipient>(new CommandDefinition(
            """
            SELECT resident_id AS ResidentId, preferred_language AS PreferredLanguage, preferred_channel AS PreferredChannel, false AS Erased
            FROM recipients WHERE resident_id = @ResidentId
            UNION ALL
            SELECT resident_id, '', '', true FROM erased_residents WHERE resident_id = @ResidentId
            LIMIT 1
            """,
            new { ResidentId = residentId }, transaction, cancellationToken: cancellationToken))
            ?? throw new RetryLaterException($"Resident {residentId} is not known to the notifications service yet.");
        return found.Erased
            ? null
            : new Recipient { ResidentId = found.ResidentId, PreferredLanguage = found.PreferredLanguage, PreferredChannel = found.PreferredChannel };
    }

    private sealed record FoundRecipient(Guid ResidentId, string PreferredLanguage, string PreferredChannel, bool Erased);

    /// <summary>
    /// The residents as <see cref="GetRecipientAsync(NpgsqlConnection, NpgsqlTransaction?, Guid, CancellationToken)"/>
    /// finds them, in one query: null for an erased one; a resident not known here yet is not in the dictionary.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, Recipient?>> GetRecipientsAsync(
        NpgsqlConnection connection, IEnumerable<Guid> residentIds, CancellationToken cancellationToken)
    {
        var found = await connection.QueryAsync<FoundRecipient>(new CommandDefinition(
            """
            SELECT resident_id AS ResidentId, preferred_language AS PreferredLanguage, preferred_channel AS PreferredChannel, false AS Erased
            FROM recipients WHERE resident_id = ANY(@ResidentIds)
            UNION ALL
            SELECT resident_id, '', '', true FROM erased_residents WHERE resident_id = ANY(@ResidentIds)
            """,
            new { ResidentIds = residentIds.Distinct().ToArray() }, cancellationToken: cancellationToken));
        var recipients = new Dictionary<Guid, Recipient?>();
        foreach (var resident in found)
        {
            // Erased wins over a row that is still there.
            if (resident.Erased)
            {
                recipients[resident.ResidentId] = null;
            }
            else if (!recipients.ContainsKey(resident.ResidentId))
            {
                recipients[resident.ResidentId] = new Recipient
                {
                    ResidentId = resident.ResidentId, PreferredLanguage = resident.PreferredLanguage, PreferredChannel = resident.PreferredChannel,
                };
            }
        }

        return recipients;
    }

    /// <summary>A notification to record, of a kind given with the batch.</summary>
    public sealed record NewNotification(Recipient Recipient, Guid SubjectId, Guid TrajectoryId, Guid? ConsultationId, NotificationText Text);

    /// <summary>
    /// Many notifications of one kind in one statement, as <see cref="RecordAsync(NpgsqlConnection, NpgsqlTransaction?, Recipient, string, Guid, Guid, Guid?, NotificationText, CancellationToken)"/>
    /// records one: none for a resident who does not consent to its purpose, none that is already there. An app feed
    /// item of a kind no digest takes is delivered as it is recorded, with its event: the notification itself is the
    /// feed item, and the delivery worker's claim would only update it to that a moment later (on a busy evening a
    /// second, non-HOT write of every receipt). Returns how many were delivered so.
    /// </summary>
    public static Task<int> RecordManyAsync(
        NpgsqlConnection connection, string kind, IReadOnlyCollection<NewNotification> notifications, DateTimeOffset now, CancellationToken cancellationToken) =>
        notifications.Count == 0
            ? Task.FromResult(0)
            : connection.ExecuteAsync(new CommandDefinition(
                """
                WITH recorded AS (
                    INSERT INTO notifications (id, resident_id, kind, purpose, subject_id, trajectory_id, consultation_id, language, channel, title, body,
                                               status, attempts, sent_at, completed_at)
                    SELECT n.id, n.resident_id, @Kind, @Purpose, n.subject_id, n.trajectory_id, n.consultation_id, n.language, n.channel, n.title, n.body,
                           CASE WHEN n.in_feed THEN @Delivered ELSE @Pending END, CASE WHEN n.in_feed THEN 1 ELSE 0 END,
                           CASE WHEN n.in_feed THEN @Now END, CASE WHEN n.in_feed THEN @Now END
                    FROM (SELECT u.*, @FeedAtOnce AND u.channel = @App AS in_feed
                          FROM unnest(@Ids, @ResidentIds, @SubjectIds, @TrajectoryIds, @ConsultationIds, @Languages, @Channels, @Titles, @Bodies)
                               AS u(id, resident_id, subject_id, trajectory_id, consultation_id, language, channel, title, body)) AS n
                    -- Nothing is created for a purpose the resident does not consent to.
                    WHERE @Purpose::text IS NULL OR EXISTS (SELECT 1 FROM recipients r WHERE r.resident_id = n.resident_id AND @Purpose = ANY(r.consents))
                    ON CONFLICT DO NOTHING
                    RETURNING id, channel, status)
                INSERT INTO delivery_events (notification_id, occurred_at, attempt, channel, event)
                SELECT id, @Now, 1, channel, @DeliveredEvent FROM recorded WHERE status = @Delivered
                """,
                new
                {
                    Kind = kind,
                    Purpose = NotificationPurposes.Of(kind),
                    FeedAtOnce = !DigestSchedule.DigestibleKinds.Contains(kind),
                    App = Contracts.Channels.App,
                    Now = now,
                    Pending = DeliveryStatuses.Pending,
                    Delivered = DeliveryStatuses.Delivered,
                    DeliveredEvent = DeliveryEvents.Delivered,
                    Ids = notifications.Select(_ => Guid.CreateVersion7()).ToArray(),
                    ResidentIds = notifications.Select(notification => notification.Recipient.ResidentId).ToArray(),
                    SubjectIds = notifications.Select(notification => notification.SubjectId).ToArray(),
                    TrajectoryIds = notifications.Select(notification => notification.TrajectoryId).ToArray(),
                    ConsultationIds = notifications.Select(notification => notification.ConsultationId).ToArray(),
                    Languages = notifications.Select(notification => notification.Text.Language).ToArray(),
                    Channels = notifications.Select(notification => notification.Recipient.PreferredChannel).ToArray(),
                    Titles = notifications.Select(notification => notification.Text.Title).ToArray(),
                    Bodies = notifications.Select(notification => notification.Text.Body).ToArray(),
                },
                cancellationToken: cancellationToken));

    public static Task RecordAsync(
        UnitOfWork work, Recipient recipient, string kind, Guid subjectId, Guid trajectoryId, Guid? consultationId, NotificationText text, CancellationToken cancellationToken) =>
        RecordAsync(work.Connection, work.Transaction, recipient, kind, subjectId, trajectoryId, consultationId, text, cancellationToken);

    /// <summary>One notification for the resident, unless they do not consent to its purpose or it is already there.</summary>
    public static Task RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Recipient recipient, string kind, Guid subjectId, Guid trajectoryId,
        Guid? consultationId, NotificationText text, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO notifications (id, resident_id, kind, purpose, subject_id, trajectory_id, consultation_id, language, channel, title, body)
            SELECT @Id, @ResidentId, @Kind, @Purpose, @SubjectId, @TrajectoryId, @ConsultationId, @Language, @Channel, @Title, @Body
            -- Nothing is created for a purpose the resident does not consent to.
            WHERE @Purpose::text IS NULL OR EXISTS (SELECT 1 FROM recipients WHERE resident_id = @ResidentId AND @Purpose = ANY(consents))
            ON CONFLICT DO NOTHING
            """,
            new
            {
                Id = Guid.CreateVersion7(),
                recipient.ResidentId,
                Kind = kind,
                Purpose = NotificationPurposes.Of(kind),
                SubjectId = subjectId,
                TrajectoryId = trajectoryId,
                ConsultationId = consultationId,
                text.Language,
                Channel = recipient.PreferredChannel,
                text.Title,
                text.Body,
            },
            transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// One notification for every known resident of the buurten (or only those of them named), each in their own
    /// language (the Dutch text where there is none in theirs), in one statement. Already recorded notifications are
    /// left alone.
    /// </summary>
    public static Task RecordForBuurtenAsync(
        UnitOfWork work,
        string kind,
        Guid subjectId,
        Guid trajectoryId,
        Guid? consultationId,
        IReadOnlyCollection<string> buurtCodes,
        IReadOnlyCollection<NotificationText> texts,
        CancellationToken cancellationToken,
        IReadOnlyCollection<Guid>? onlyResidents = null,
        DateOnly? phaseDay = null) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO notifications (id, resident_id, kind, purpose, subject_id, trajectory_id, consultation_id, language, channel, title, body, phase_day)
            SELECT gen_random_uuid(), r.resident_id, @Kind, @Purpose, @SubjectId, @TrajectoryId, @ConsultationId, coalesce(t.language, dutch.language),
                   r.preferred_channel, coalesce(t.title, dutch.title), coalesce(t.body, dutch.body), @PhaseDay
            FROM recipients r
            LEFT JOIN unnest(@Languages, @Titles, @Bodies) AS t(language, title, body) ON t.language = r.preferred_language
            CROSS JOIN (SELECT * FROM unnest(@Languages, @Titles, @Bodies) AS d(language, title, body)
                        WHERE d.language = @Dutch) AS dutch
            WHERE r.buurt_code = ANY(@BuurtCodes) AND (@OnlyResidents::uuid[] IS NULL OR r.resident_id = ANY(@OnlyResidents))
              AND (@Purpose::text IS NULL OR @Purpose = ANY(r.consents))
            ON CONFLICT DO NOTHING
            """,
            new
            {
                Kind = kind,
                Purpose = NotificationPurposes.Of(kind),
                SubjectId = subjectId,
                TrajectoryId = trajectoryId,
                ConsultationId = consultationId,
                BuurtCodes = buurtCodes.ToArray(),
                OnlyResidents = onlyResidents?.ToArray(),
                PhaseDay = phaseDay,
                Dutch = Contracts.Languages.Dutch,
                Languages = texts.Select(text => text.Language).ToArray(),
                Titles = texts.Select(text => text.Title).ToArray(),
                Bodies = texts.Select(text => text.Body).ToArray(),
            },
            work.Transaction, cancellationToken: cancellationToken));
}
