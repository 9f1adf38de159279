using Dapper;
using Npgsql;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Messaging;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Me;
using Participatie.Contracts;

namespace Participatie.Consultations.Reactions;

/// <summary>The SQL of reactions, their status history and internal notes.</summary>
public static class ReactionStore
{
    internal const string SelectReaction = """
        SELECT id, consultation_id AS ConsultationId, resident_id AS ResidentId, text, channel, language, status,
               explanation, explanation_translations AS ExplanationTranslations, submitted_at AS SubmittedAt, answered_at AS AnsweredAt, answer_due_on AS AnswerDueOn,
               assigned_partner_id AS AssignedPartnerId, assignee, assigned_at AS AssignedAt, theme_id AS ThemeId
        FROM reactions
        """;

    /// <summary>
    /// The reactions whose answer is overdue on <c>@Today</c> (<see cref="AnswerDeadlines.IsOverdue"/> in SQL, in the
    /// words of the partial index <c>reactions_awaiting_outcome</c> so that the index serves it).
    /// </summary>
    internal const string OverdueFilter =
        $"answer_due_on < @Today AND status IN ('{ReactionStatuses.Received}', '{ReactionStatuses.UnderConsideration}')";

    /// <summary>
    /// Reactions and the first entry of each one's history in one statement (arrays unnested on the server), each written
    /// only when its resident belongs to its consultation's audience (an erased resident is let through to the table's
    /// trigger, which then refuses the whole statement); returns the ids written. The event: one
    /// <c>ReactionSubmitted</c> for a reaction written alone, one <c>ReactionsSubmitted</c> holding each one's for
    /// several, so that the relay, the broker and the notifications service handle one message for the batch.
    /// A reaction not written had a resident outside the audience or unknown; the caller then asks
    /// <see cref="ConsultationAudience.RefuseOutsiderAsync"/> why. Concurrent reactions share it through
    /// <see cref="ReactionWriter"/>: one statement and one commit for a batch cost PostgreSQL about a fifth of what the
    /// reactions cost one at a time (pgbench, batches of 8).
    /// </summary>
    public static async Task<IReadOnlySet<Guid>> InsertManyForAudienceAsync(
        NpgsqlConnection connection, IReadOnlyList<NewReaction> reactions, CancellationToken cancellationToken)
    {
        var written = await connection.QueryAsync<Guid>(new CommandDefinition(
            $"""
            WITH input AS (
                SELECT * FROM unnest(@Ids, @ConsultationIds, @ResidentIds, @Texts, @Channels, @Languages, @Statuses, @SubmittedAts,
                                     @AnswerDueOns, @PartnerIds, @ClientIds, @StaffIds, @OutboxIds, @OutboxMessageTypes, @OutboxPayloads)
                    WITH ORDINALITY AS i(id, consultation_id, resident_id, text, channel, language, status, submitted_at,
                                         answer_due_on, partner_id, client_id, staff_id, outbox_id, outbox_message_type, outbox_payload, position)),
            reaction AS (
                INSERT INTO reactions (id, consultation_id, resident_id, text, channel, language, status, submitted_at, answer_due_on,
                                       entered_by_partner_id, entered_by_client_id, entered_by_staff_id)
                SELECT i.id, i.consultation_id, i.resident_id, i.text, i.channel, i.language, i.status, i.submitted_at, i.answer_due_on,
                       i.partner_id, i.client_id, i.staff_id
                FROM input i
                WHERE EXISTS (SELECT 1 FROM consultations c WHERE c.id = i.consultation_id AND {MyParticipation.TakesPartOf("i.resident_id")})
                   OR EXISTS (SELECT 1 FROM erased_residents e WHERE e.resident_id = i.resident_id)
                ORDER BY i.position
                RETURNING id, status, submitted_at),
            history AS (
                INSERT INTO reaction_status_changes (reaction_id, status, explanation, changed_at)
                SELECT id, status, NULL, submitted_at FROM reaction),
            written AS (
                SELECT i.outbox_id, i.outbox_message_type, CAST(i.outbox_payload AS jsonb) AS payload, i.position
                FROM input i JOIN reaction r ON r.id = i.id),
            submitted AS (
                INSERT INTO outbox_messages (id, message_type, payload)
                SELECT outbox_id, outbox_message_type, payload FROM written WHERE (SELECT count(*) FROM written) = 1
                UNION ALL
                SELECT @BatchOutboxId, @BatchMessageType, jsonb_build_object('reactions', jsonb_agg(payload ORDER BY position))
                FROM written HAVING count(*) > 1)
            SELECT id FROM reaction
            """,
            new
            {
                Ids = reactions.Select(row => row.Reaction.Id).ToArray(),
                ConsultationIds = reactions.Select(row => row.Reaction.ConsultationId).ToArray(),
                ResidentIds = reactions.Select(row => row.Reaction.ResidentId).ToArray(),
                Texts = reactions.Select(row => row.Reaction.Text).ToArray(),
                Channels = reactions.Select(row => row.Reaction.Channel).ToArray(),
                Languages = reactions.Select(row => row.Reaction.Language).ToArray(),
                Statuses = reactions.Select(row => row.Reaction.Status).ToArray(),
                SubmittedAts = reactions.Select(row => row.Reaction.SubmittedAt).ToArray(),
                AnswerDueOns = reactions.Select(row => row.Reaction.AnswerDueOn).ToArray(),
                PartnerIds = reactions.Select(row => row.Author.PartnerId).ToArray(),
                ClientIds = reactions.Select(row => row.Author.ClientId).ToArray(),
                StaffIds = reactions.Select(row => row.Author.StaffId).ToArray(),
                OutboxIds = reactions.Select(row => row.Submitted.OutboxId).ToArray(),
                OutboxMessageTypes = reactions.Select(row => row.Submitted.OutboxMessageType).ToArray(),
                OutboxPayloads = reactions.Select(row => row.Submitted.OutboxPayload).ToArray(),
                BatchOutboxId = Guid.CreateVersion7(),
                BatchMessageType = OutboxEntry.MessageTypeOf<ReactionsSubmitted>(),
            },
            cancellationToken: cancellationToken));
        return written.ToHashSet();
    }

    public static Task<ReactionResponse?> FindAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        Guid consultationId,
        Guid reactionId,
        CancellationToken cancellationToken,
        bool forUpdate = false) =>
        connection.QuerySingleOrDefaultAsync<ReactionResponse>(new CommandDefinition(
            $"{SelectReaction} WHERE id = @ReactionId AND consultation_id = @ConsultationId {(forUpdate ? "FOR UPDATE" : string.Empty)}",
            new { ReactionId = reactionId, ConsultationId = consultationId }, transaction, cancellationToken: cancellationToken));

    public static async Task<IReadOnlyList<StatusChange>> HistoryAsync(NpgsqlConnection connection, Guid reactionId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<StatusChange>(new CommandDefinition(
            """
            SELECT status, explanation, explanation_translations AS ExplanationTranslations, changed_at AS ChangedAt
            FROM reaction_status_changes WHERE reaction_id = @ReactionId ORDER BY id
            """,
            new { ReactionId = reactionId }, cancellationToken: cancellationToken))).AsList();

    /// <summary>
    /// The one way a reaction gets an answer, alone or through its theme: the rules decide, and only a change is
    /// written, recorded in the reaction's history and told to the resident (one ReactionAnswered), all in the
    /// caller's unit of work. The caller has read the reaction FOR UPDATE in that unit of work.
    /// </summary>
    public static async Task<AnswerOutcome> ApplyAnswerAsync(
        UnitOfWork work,
        ConsultationResponse consultation,
        ReactionResponse reaction,
        string status,
        string explanation,
        DateTimeOffset now,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? explanationTranslations = null)
    {
        var outcome = ReactionAnswering.Decide(
            reaction.Status, reaction.Explanation, status, explanation,
            sameTranslations: PartnerTranslations.AreEqual(reaction.ExplanationTranslations, explanationTranslations));
        if (outcome != AnswerOutcome.Changed)
        {
            return outcome;
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE reactions SET status = @Status, explanation = @Explanation, explanation_translations = CAST(@Translations AS jsonb),
                                 answered_at = @Now
            WHERE id = @ReactionId
            """,
            new { Status = status, Explanation = explanation, Translations = PartnerTranslations.ToJson(explanationTranslations), Now = now, ReactionId = reaction.Id },
            work.Transaction, cancellationToken: cancellationToken));
        await RecordStatusAsync(work, reaction.Id, status, explanation, explanationTranslations, now, cancellationToken);
        await work.PublishAsync(new ReactionAnswered(
            reaction.Id, consultation.Id, consultation.TrajectoryId,
            // Read from the table, never left out for a partner: a stored reaction always names its resident.
            reaction.ResidentId ?? throw new InvalidOperationException("A stored reaction names its resident."),
            consultation.Title, status, explanation, now,
            consultation.TitleTranslations, explanationTranslations),
            cancellationToken);
        return outcome;
    }

    public static Task SetAssignmentAsync(UnitOfWork work, Guid reactionId, Guid? partnerId, string? assignee, DateTimeOffset? assignedAt, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE reactions SET assigned_partner_id = @PartnerId, assignee = @Assignee, assigned_at = @AssignedAt WHERE id = @ReactionId",
            new { ReactionId = reactionId, PartnerId = partnerId, Assignee = assignee, AssignedAt = assignedAt },
            work.Transaction, cancellationToken: cancellationToken));

    public static Task AddInternalNoteAsync(UnitOfWork work, InternalNote note, string? clientId, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO reaction_internal_notes (id, reaction_id, partner_id, client_id, author, text, created_at)
            VALUES (@Id, @ReactionId, @PartnerId, @ClientId, @Author, @Text, @CreatedAt)
            """,
            new { note.Id, note.ReactionId, note.PartnerId, ClientId = clientId, note.Author, note.Text, note.CreatedAt },
            work.Transaction, cancellationToken: cancellationToken));

    /// <summary>How many reactions, in all trajectories, are overdue on the given day (for the dashboard).</summary>
    public static async Task<long> CountOverdueAsync(NpgsqlDataSource database, DateOnly today, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM reactions WHERE {OverdueFilter}", new { Today = today }, cancellationToken: cancellationToken));
    }

    private static Task RecordStatusAsync(
        UnitOfWork work,
        Guid reactionId,
        string status,
        string? explanation,
        IReadOnlyDictionary<string, string>? explanationTranslations,
        DateTimeOffset changedAt,
        CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO reaction_status_changes (reaction_id, status, explanation, explanation_translations, changed_at)
            VALUES (@ReactionId, @Status, @Explanation, CAST(@Translations AS jsonb), @ChangedAt)
            """,
            new
            {
                ReactionId = reactionId, Status = status, Explanation = explanation,
                Translations = PartnerTranslations.ToJson(explanationTranslations), ChangedAt = changedAt,
            },
            work.Transaction, cancellationToken: cancellationToken));
}
