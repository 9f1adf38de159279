using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Participatie.BuildingBlocks.Time;
using Participatie.Contracts;
using Participatie.Notifications.SupportMeasurements;

namespace Participatie.Notifications.Delivery.Letters;

/// <summary>
/// Cuts print batches: claims the pending letters (all of them, or one sending partner's), asks the residents service
/// for each address, renders one PDF and manifest per sending partner, stores the batches and marks the letters sent,
/// or failed when the resident has no usable address. Letters never pass the per-message delivery worker.
/// The claim is <c>FOR UPDATE SKIP LOCKED</c> in a short transaction that sets them <c>sending</c>: two instances
/// cutting at once each take other letters, and no letter is printed twice. Nothing remote happens inside a
/// transaction; a cut that dies half-way leaves its letters <c>sending</c> until <see cref="LetterOptions.ClaimTimeout"/>,
/// after which the next cut takes them again.
/// </summary>
public sealed partial class LetterBatcher(
    NpgsqlDataSource database,
    IContactDirectory contacts,
    HomeLetterBatcher homeLetters,
    TimeProvider clock,
    IOptions<LetterOptions> options,
    ILogger<LetterBatcher> logger)
{
    public const string Daily = "daily";
    public const string OnRequest = "on-request";

    /// <summary>Cut at <see cref="LetterOptions.CutEvery"/> (local runs).</summary>
    public const string Scheduled = "scheduled";

    /// <summary>Used when no name of the sending partner has arrived (a partner registered before letters existed).</summary>
    public const string FallbackSenderName = "Participatie";

    /// <summary>Addresses asked of the residents service at once.</summary>
    private const int ParallelLookups = 8;

    private const string ClaimSql = $$"""
        WITH claimable AS (
            SELECT n.id, (n.purpose IS NULL OR EXISTS (SELECT 1 FROM recipients r WHERE r.resident_id = n.resident_id AND {{ConsentAtDelivery.Consented}})) AS consented
            FROM notifications n
            WHERE n.channel = @Letter
              AND (n.status = 'pending' OR (n.status = 'sending' AND n.letter_claimed_at < @StaleBefore))
              -- A slow cut whose claim ran out may still have stored its batch: what is printed is never claimed again.
              AND NOT EXISTS (SELECT 1 FROM letter_batch_letters printed WHERE printed.notification_id = n.id)
              -- News a resident wants in a digest waits for it (the digest itself is a letter then).
              AND (n.kind <> ALL(@DigestibleKinds) OR n.fallback_for IS NOT NULL
                   OR NOT EXISTS (SELECT 1 FROM recipients r WHERE r.resident_id = n.resident_id AND r.digest_frequency <> 'immediately'))
              AND (@PartnerId::uuid IS NULL OR n.trajectory_id IN (
                  SELECT trajectory_id FROM trajectory_member_projection WHERE partner_id = @PartnerId AND role = @Lead))
            ORDER BY n.created_at, n.id
            LIMIT @Limit
            FOR UPDATE OF n SKIP LOCKED
        ),
        -- Made while consent for its purpose was being withdrawn (ConsentAtDelivery): not printed.
        {{ConsentAtDelivery.WithholdClaimed}},
        claimed AS (
            UPDATE notifications n SET status = 'sending', letter_claimed_at = @Now
            FROM claimable
            WHERE n.id = claimable.id AND claimable.consented
            RETURNING n.id, n.resident_id, n.kind, n.language, n.title, n.body, n.trajectory_id, n.created_at
        )
        SELECT claimed.id AS NotificationId, claimed.resident_id AS ResidentId, claimed.kind, claimed.language, claimed.title,
               claimed.body, lead.partner_id AS SenderPartnerId, sender.name AS SenderName
        FROM claimed
        LEFT JOIN trajectory_member_projection lead ON lead.trajectory_id = claimed.trajectory_id AND lead.role = @Lead
        LEFT JOIN letter_senders sender ON sender.partner_id = lead.partner_id
        ORDER BY claimed.created_at, claimed.id
        """;

    internal sealed record ClaimedLetter(
        Guid NotificationId, Guid ResidentId, string Kind, string Language, string Title, string Body, Guid? SenderPartnerId, string? SenderName);

    /// <summary>Cuts batches of the letters of one sending partner, or of every partner when <paramref name="partnerId"/> is null.</summary>
    public async Task<LetterCutResponse> CutAsync(Guid? partnerId, string cutBy, CancellationToken cancellationToken)
    {
        var batches = new List<LetterBatchResponse>();
        var failed = 0;
        // A large mailing is cut in several claims of at most MaxLettersPerCut, so that memory stays bounded.
        while (true)
        {
            var claimed = await ClaimAsync(partnerId, cancellationToken);
            if (claimed.Count == 0)
            {
                break;
            }

            try
            {
                var (made, unaddressed) = await PrintAsync(claimed, cutBy, cancellationToken);
                batches.AddRange(made);
                failed += unaddressed;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Back to pending at once rather than after the claim timeout: the next cut tries them again.
                LogCutFailed(logger, exception, claimed.Count);
                await ReleaseAsync([.. claimed.Select(letter => letter.NotificationId)], CancellationToken.None);
                throw;
            }

            if (claimed.Count < options.Value.MaxLettersPerCut)
            {
                break;
            }
        }

        // The letters to homes (the draagvlakmeting's) in the same cut, in batches of their own.
        batches.AddRange(await homeLetters.CutAsync(partnerId, cutBy, cancellationToken));
        return new LetterCutResponse(batches, failed);
    }

    private async Task<List<ClaimedLetter>> ClaimAsync(Guid? partnerId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = (await connection.QueryAsync<ClaimedLetter>(new CommandDefinition(
            ClaimSql,
            new
            {
                Letter = Channels.Letter,
                Lead = TrajectoryRoles.Lead,
                PartnerId = partnerId,
                StaleBefore = now - options.Value.ClaimTimeout,
                Now = now,
                Limit = options.Value.MaxLettersPerCut,
                DigestibleKinds = Domain.DigestSchedule.DigestibleKinds.ToArray(),
                Failed = DeliveryStatuses.Failed,
                DeliveryEvents.ConsentWithdrawn,
                ConsentWithdrawnDetail = ConsentAtDelivery.Detail,
            },
            transaction,
            cancellationToken: cancellationToken))).AsList();
        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    private async Task<(List<LetterBatchResponse> Batches, int Failed)> PrintAsync(
        List<ClaimedLetter> claimed, string cutBy, CancellationToken cancellationToken)
    {
        // The addresses live in the residents service; each is asked for this one letter and kept in memory only.
        var addresses = new ConcurrentDictionary<Guid, PostalAddress?>();
        await Parallel.ForEachAsync(
            claimed,
            new ParallelOptions { MaxDegreeOfParallelism = ParallelLookups, CancellationToken = cancellationToken },
            async (letter, token) =>
            {
                var contact = await contacts.FindAsync(letter.ResidentId, Channels.Letter, letter.NotificationId, token);
                addresses[letter.NotificationId] = contact?.PostalAddress is { } address && IsUsable(address) ? address : null;
            });

        var unaddressed = claimed.Where(letter => addresses[letter.NotificationId] is null).Select(letter => letter.NotificationId).ToArray();
        var printDate = AmsterdamClock.Today(clock);
        var now = clock.GetUtcNow();
        var batches = new List<(LetterBatchResponse Batch, RenderedBatch Rendered)>();
        foreach (var group in claimed.Where(letter => addresses[letter.NotificationId] is not null).GroupBy(letter => letter.SenderPartnerId))
        {
            var senderName = group.First().SenderName ?? FallbackSenderName;
            var letters = group
                .Select(letter => new LetterToPrint(
                    letter.NotificationId, letter.ResidentId, letter.Kind, letter.Language, letter.Title, letter.Body, addresses[letter.NotificationId]!))
                .ToList();
            var rendered = LetterRenderer.Render(senderName, printDate, letters);
            batches.Add((new LetterBatchResponse
            {
                Id = Guid.CreateVersion7(now),
                PartnerId = group.Key,
                SenderName = senderName,
                PrintDate = printDate,
                CreatedAt = now,
                CutBy = cutBy,
                LetterCount = letters.Count,
                PageCount = rendered.PageCount,
            }, rendered));
        }

        await StoreAsync(batches, unaddressed, cancellationToken);
        foreach (var (batch, _) in batches)
        {
            LogBatchCut(logger, batch.Id, batch.SenderName, batch.LetterCount, batch.PageCount);
        }

        return ([.. batches.Select(batch => batch.Batch)], unaddressed.Length);
    }

    /// <summary>
    /// A letter needs a street, a postcode and a city to reach anyone; without them it is failed, not printed.
    /// </summary>
    private static bool IsUsable(PostalAddress address) =>
        !string.IsNullOrWhiteSpace(address.Name) && !string.IsNullOrWhiteSpace(address.Street)
        && !string.IsNullOrWhiteSpace(address.Postcode) && !string.IsNullOrWhiteSpace(address.City);

    private async Task StoreAsync(
        List<(LetterBatchResponse Batch, RenderedBatch Rendered)> batches, Guid[] unaddressed, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (batch, rendered) in batches)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO letter_batches (id, partner_id, sender_name, print_date, created_at, cut_by, letter_count, page_count, pdf, manifest)
                VALUES (@Id, @PartnerId, @SenderName, @PrintDate, @CreatedAt, @CutBy, @LetterCount, @PageCount, @Pdf, @Manifest);
                INSERT INTO letter_batch_letters (notification_id, batch_id, first_page)
                SELECT letter.notification_id, @Id, letter.first_page
                FROM unnest(@NotificationIds, @FirstPages) AS letter (notification_id, first_page);
                WITH printed AS (
                    UPDATE notifications SET status = 'sent', letter_claimed_at = NULL, attempts = attempts + 1, sent_at = @CreatedAt
                    WHERE id = ANY(@NotificationIds)
                    RETURNING id, attempts)
                INSERT INTO delivery_events (notification_id, occurred_at, attempt, channel, event, detail)
                SELECT id, @CreatedAt, attempts, 'letter', 'sent', 'in print batch ' || @Id::text FROM printed;
                """,
                new
                {
                    batch.Id,
                    batch.PartnerId,
                    batch.SenderName,
                    batch.PrintDate,
                    batch.CreatedAt,
                    batch.CutBy,
                    batch.LetterCount,
                    batch.PageCount,
                    rendered.Pdf,
                    rendered.Manifest,
                    NotificationIds = rendered.FirstPages.Keys.ToArray(),
                    FirstPages = rendered.FirstPages.Values.ToArray(),
                },
                transaction,
                cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            WITH unprinted AS (
                UPDATE notifications SET status = 'failed', letter_claimed_at = NULL, attempts = attempts + 1, completed_at = @Now
                WHERE id = ANY(@Unaddressed)
                RETURNING id, attempts)
            INSERT INTO delivery_events (notification_id, occurred_at, attempt, channel, event, detail)
            SELECT id, @Now, attempts, 'letter', 'failed', 'no usable postal address' FROM unprinted
            """,
            new { Unaddressed = unaddressed, Now = clock.GetUtcNow() },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task ReleaseAsync(Guid[] notificationIds, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE notifications SET status = 'pending', letter_claimed_at = NULL WHERE id = ANY(@NotificationIds) AND status = 'sending'",
                new { NotificationIds = notificationIds },
                cancellationToken: cancellationToken));
        }
        catch (NpgsqlException exception)
        {
            // The claim timeout frees them in the end.
            LogReleaseFailed(logger, exception, notificationIds.Length);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Letter batch {BatchId} for {Sender}: {Letters} letters on {Pages} pages")]
    private static partial void LogBatchCut(ILogger logger, Guid batchId, string sender, int letters, int pages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A letter batch of {Letters} letters failed; they are pending again")]
    private static partial void LogCutFailed(ILogger logger, Exception exception, int letters);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Letters} claimed letters could not be set pending again; the claim timeout frees them")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, int letters);
}
