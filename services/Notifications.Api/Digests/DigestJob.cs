using Dapper;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Hosting;
using Participatie.Contracts;
using Participatie.Notifications.Delivery;
using Participatie.Notifications.Domain;
using Participatie.Notifications.Texts;

namespace Participatie.Notifications.Digests;

/// <summary>
/// Joins the news a resident chose to receive daily or weekly into one message at the digest moment (08:00, on Monday
/// for weekly), which then goes out like any other notification. The joined notifications end as sent, each pointing
/// to its digest.
/// </summary>
public sealed class DigestJob(UnitOfWorkFactory unitOfWork, TimeProvider clock, IConfiguration configuration, ILogger<DigestJob> logger)
    : PeriodicJob(PeriodFrom(configuration, "Delivery:DigestInterval", TimeSpan.FromMinutes(1)), clock, logger)
{
    private const int ResidentsPerRound = 500;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        while (await JoinDueAsync(cancellationToken) == ResidentsPerRound)
        {
            // More residents are due: go on at once.
        }

        await ParkHeldAsync(cancellationToken);
    }

    /// <summary>
    /// Moves what waits for a digest out of the worker's due list until the next digest moment, so that the worker does
    /// not read past a week of held news at every look.
    /// </summary>
    public async Task<int> ParkHeldAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var parked = await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE notifications n
            SET next_attempt_at = CASE r.digest_frequency WHEN @Weekly THEN @NextWeekly ELSE @NextDaily END
            FROM recipients r
            WHERE r.resident_id = n.resident_id AND r.digest_frequency IN (@Daily, @Weekly)
              AND n.status = 'pending' AND n.channel <> 'letter' AND n.fallback_for IS NULL AND n.kind = ANY(@DigestibleKinds)
              AND coalesce(n.next_attempt_at, n.created_at) <= @Now
            """,
            new
            {
                DigestibleKinds = DigestSchedule.DigestibleKinds.ToArray(),
                DigestFrequencies.Daily,
                DigestFrequencies.Weekly,
                NextDaily = DigestSchedule.NextDigestMoment(DigestFrequencies.Daily, now),
                NextWeekly = DigestSchedule.NextDigestMoment(DigestFrequencies.Weekly, now),
                Now = now,
            },
            work.Transaction, cancellationToken: cancellationToken));
        await work.CommitAsync(cancellationToken);
        return parked;
    }

    /// <summary>Makes the digests of up to <see cref="ResidentsPerRound"/> residents. Returns how many residents got one.</summary>
    public async Task<int> JoinDueAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        // One instance joins digests at a time: row locks alone could split one resident's news over two digests.
        if (!await work.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT pg_try_advisory_xact_lock(hashtext('digests'))", transaction: work.Transaction, cancellationToken: cancellationToken)))
        {
            return 0;
        }

        var held = (await work.Connection.QueryAsync<HeldNotification>(new CommandDefinition(
            $$"""
            WITH due_residents AS (
                SELECT DISTINCT n.resident_id
                FROM notifications n
                JOIN recipients r ON r.resident_id = n.resident_id
                WHERE n.status = 'pending' AND n.kind = ANY(@DigestibleKinds) AND n.fallback_for IS NULL
                  AND {{ConsentAtDelivery.Consented}}
                  AND ((r.digest_frequency = @Daily AND n.created_at < @DailyMoment)
                    OR (r.digest_frequency = @Weekly AND n.created_at < @WeeklyMoment))
                LIMIT @Residents)
            SELECT n.id, n.resident_id AS ResidentId, n.trajectory_id AS TrajectoryId, n.language, n.title, n.body,
                   r.preferred_language AS PreferredLanguage, r.preferred_channel AS PreferredChannel, r.digest_frequency AS Frequency
            FROM notifications n
            JOIN recipients r ON r.resident_id = n.resident_id
            WHERE n.resident_id IN (SELECT resident_id FROM due_residents)
              AND n.status = 'pending' AND n.kind = ANY(@DigestibleKinds) AND n.fallback_for IS NULL
              AND {{ConsentAtDelivery.Consented}}
              AND ((r.digest_frequency = @Daily AND n.created_at < @DailyMoment)
                OR (r.digest_frequency = @Weekly AND n.created_at < @WeeklyMoment))
            ORDER BY n.resident_id, n.created_at, n.id
            FOR UPDATE OF n SKIP LOCKED
            """,
            new
            {
                DigestibleKinds = DigestSchedule.DigestibleKinds.ToArray(),
                DigestFrequencies.Daily,
                DigestFrequencies.Weekly,
                DailyMoment = DigestSchedule.LastDigestMoment(DigestFrequencies.Daily, now),
                WeeklyMoment = DigestSchedule.LastDigestMoment(DigestFrequencies.Weekly, now),
                Residents = ResidentsPerRound,
            },
            work.Transaction, cancellationToken: cancellationToken))).ToList();

        var residents = held.GroupBy(notification => notification.ResidentId).ToList();
        foreach (var resident in residents)
        {
            var first = resident.First();
            var items = resident.Select(item => new NotificationText(item.Language, item.Title, item.Body)).ToList();
            var text = NotificationTexts.Digest(first.PreferredLanguage, first.Frequency, items);
            var trajectories = resident.Select(item => item.TrajectoryId).Distinct().ToList();
            var digestId = Guid.CreateVersion7(now);
            await work.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO notifications (id, resident_id, kind, purpose, subject_id, trajectory_id, language, channel, title, body, created_at)
                VALUES (@DigestId, @ResidentId, @Kind, @Purpose, @DigestId, @TrajectoryId, @Language, @Channel, @Title, @Body, @Now);
                UPDATE notifications SET status = 'sent', digest_id = @DigestId, sent_at = @Now, completed_at = @Now
                WHERE id = ANY(@Items);
                INSERT INTO delivery_events (notification_id, occurred_at, attempt, channel, event, detail)
                SELECT id, @Now, attempts, channel, @Event, @DigestText FROM notifications WHERE id = ANY(@Items);
                """,
                new
                {
                    DigestId = digestId,
                    ResidentId = resident.Key,
                    Kind = NotificationKinds.Digest,
                    Purpose = NotificationPurposes.Of(NotificationKinds.Digest),
                    // A digest about one trajectory is readable by its partners, like the notifications it joins.
                    TrajectoryId = trajectories.Count == 1 ? trajectories[0] : null,
                    text.Language,
                    Channel = first.PreferredChannel,
                    text.Title,
                    text.Body,
                    Now = now,
                    Items = resident.Select(item => item.Id).ToArray(),
                    Event = DeliveryEvents.JoinedIntoDigest,
                    DigestText = $"digest {digestId}",
                },
                work.Transaction, cancellationToken: cancellationToken));
        }

        await work.CommitAsync(cancellationToken);
        return residents.Count;
    }

    private sealed record HeldNotification
    {
        public required Guid Id { get; init; }

        public required Guid ResidentId { get; init; }

        public Guid? TrajectoryId { get; init; }

        public required string Language { get; init; }

        public required string Title { get; init; }

        public required string Body { get; init; }

        public required string PreferredLanguage { get; init; }

        public required string PreferredChannel { get; init; }

        public required string Frequency { get; init; }
    }
}
