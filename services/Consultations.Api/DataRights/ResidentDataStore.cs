using Dapper;
using Participatie.BuildingBlocks.Data;

namespace Participatie.Consultations.DataRights;

/// <summary>
/// What this service holds on a resident, for an export and for an erasure. The two lists name the same tables: a
/// feature that stores something by resident id adds it to both.
/// </summary>
public static class ResidentDataStore
{
    /// <summary>One JSON object of named arrays: everything held on the pseudonymous id.</summary>
    private const string ExportSql =
        """
        SELECT jsonb_build_object(
            'reactions', coalesce((
                SELECT jsonb_agg(jsonb_build_object(
                    'id', r.id, 'consultationId', r.consultation_id, 'consultationTitle', c.title, 'text', r.text,
                    'channel', r.channel, 'language', r.language, 'status', r.status, 'explanation', r.explanation,
                    'submittedAt', r.submitted_at, 'answeredAt', r.answered_at,
                    'statusHistory', coalesce((
                        SELECT jsonb_agg(jsonb_build_object('status', s.status, 'explanation', s.explanation, 'changedAt', s.changed_at) ORDER BY s.id)
                        FROM reaction_status_changes s WHERE s.reaction_id = r.id), '[]'::jsonb)) ORDER BY r.submitted_at, r.id)
                FROM reactions r JOIN consultations c ON c.id = r.consultation_id
                WHERE r.resident_id = @ResidentId), '[]'::jsonb),
            'meetingRegistrations', coalesce((
                SELECT jsonb_agg(jsonb_build_object(
                    'meetingId', m.id, 'consultationTitle', c.title, 'place', m.place, 'startsAt', m.starts_at,
                    'endsAt', m.ends_at, 'registeredAt', g.registered_at, 'attended', g.attended) ORDER BY m.starts_at, m.id)
                FROM meeting_registrations g JOIN meetings m ON m.id = g.meeting_id JOIN consultations c ON c.id = m.consultation_id
                WHERE g.resident_id = @ResidentId), '[]'::jsonb),
            'questionnaireAnswers', coalesce((
                SELECT jsonb_agg(jsonb_build_object(
                    'questionnaireId', q.id, 'consultationTitle', c.title, 'answers', a.answers, 'channel', a.channel,
                    'language', a.language, 'submittedAt', a.submitted_at) ORDER BY a.submitted_at, q.id)
                FROM questionnaire_responses a JOIN questionnaires q ON q.id = a.questionnaire_id JOIN consultations c ON c.id = q.consultation_id
                WHERE a.resident_id = @ResidentId AND q.kind = 'questionnaire'), '[]'::jsonb),
            'pollAnswers', coalesce((
                SELECT jsonb_agg(jsonb_build_object(
                    'pollId', q.id, 'consultationTitle', c.title, 'answers', a.answers, 'channel', a.channel,
                    'language', a.language, 'submittedAt', a.submitted_at) ORDER BY a.submitted_at, q.id)
                FROM questionnaire_responses a JOIN questionnaires q ON q.id = a.questionnaire_id JOIN consultations c ON c.id = q.consultation_id
                WHERE a.resident_id = @ResidentId AND q.kind = 'poll'), '[]'::jsonb),
            'invitations', coalesce((
                SELECT jsonb_agg(jsonb_build_object('consultationId', c.id, 'consultationTitle', c.title) ORDER BY c.opened_at, c.id)
                FROM consultation_audience a JOIN consultations c ON c.id = a.consultation_id
                WHERE a.resident_id = @ResidentId), '[]'::jsonb),
            'supportVotes', coalesce((
                SELECT jsonb_agg(jsonb_build_object(
                    'measurementId', m.id, 'title', m.title, 'choice', v.choice, 'previousChoice', v.previous_choice,
                    'channel', v.channel, 'recordedAt', v.recorded_at) ORDER BY v.id)
                FROM support_vote_log v JOIN support_measurements m ON m.id = v.measurement_id
                WHERE v.resident_id = @ResidentId), '[]'::jsonb),
            'supportMeasurementHomes', coalesce((
                SELECT jsonb_agg(jsonb_build_object('measurementId', h.measurement_id, 'title', m.title) ORDER BY m.created_at, m.id)
                FROM support_measurement_residents h JOIN support_measurements m ON m.id = h.measurement_id
                WHERE h.resident_id = @ResidentId), '[]'::jsonb),
            'profile', coalesce((
                SELECT jsonb_agg(jsonb_build_object('buurtCode', p.buurt_code, 'language', p.language, 'ageBand', p.age_band, 'tenure', p.tenure))
                FROM residents_concerned p WHERE p.resident_id = @ResidentId), '[]'::jsonb))::text
        """;

    /// <summary>
    /// Unlinks the resident from everything they did and forgets their profile, after marking them erased (so that a
    /// late event does not bring a link back). Reactions keep their text, outcome and history, and registrations and
    /// answers stay counted; each row gets an id of its own that belongs to no one (gen_random_uuid), rather than
    /// null, so the primary keys that count a resident once per meeting or questionnaire still hold, no reader meets
    /// a missing id, and the rows of one person cannot be tied together again. Support-measurement votes stay counted
    /// per home: the vote log loses the resident who cast a vote online (the only change its trigger allows) and the
    /// resident's links to homes go.
    /// </summary>
    private const string EraseSql =
        """
        UPDATE reactions SET resident_id = gen_random_uuid() WHERE resident_id = @ResidentId;
        UPDATE meeting_registrations SET resident_id = gen_random_uuid() WHERE resident_id = @ResidentId;
        UPDATE questionnaire_responses SET resident_id = gen_random_uuid() WHERE resident_id = @ResidentId;
        UPDATE support_vote_log SET resident_id = NULL WHERE resident_id = @ResidentId;
        DELETE FROM support_measurement_residents WHERE resident_id = @ResidentId;
        DELETE FROM consultation_audience WHERE resident_id = @ResidentId;
        DELETE FROM residents_concerned WHERE resident_id = @ResidentId;
        -- This service's export parts still in its outbox (relayed ones are kept a week for housekeeping) copy the data.
        DELETE FROM outbox_messages
        WHERE message_type LIKE 'Participatie.Contracts.ResidentDataExported,%' AND payload->>'residentId' = @ResidentId::text;
        """;

    public static async Task<string> ExportAsync(UnitOfWork work, Guid residentId, CancellationToken cancellationToken) =>
        (await work.Connection.ExecuteScalarAsync<string>(new CommandDefinition(
            ExportSql, new { ResidentId = residentId }, work.Transaction, cancellationToken: cancellationToken)))!;

    /// <summary>
    /// Erases the resident's links; false when they were erased before (the same erasure sent again under another
    /// message id), so that the caller confirms once.
    /// </summary>
    public static async Task<bool> EraseAsync(UnitOfWork work, Guid residentId, Guid erasureId, DateTimeOffset erasedAt, CancellationToken cancellationToken)
    {
        // Exclusive: inserts of links (the triggers of 0012) wait, or are waited for.
        await work.Connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtext('resident-erasure'))", transaction: work.Transaction, cancellationToken: cancellationToken));
        var first = await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO erased_residents (resident_id, erasure_id, erased_at) VALUES (@ResidentId, @ErasureId, @ErasedAt)
            ON CONFLICT DO NOTHING;
            """,
            new { ResidentId = residentId, ErasureId = erasureId, ErasedAt = erasedAt }, work.Transaction, cancellationToken: cancellationToken)) == 1;
        if (first)
        {
            await work.Connection.ExecuteAsync(new CommandDefinition(
                EraseSql, new { ResidentId = residentId }, work.Transaction, cancellationToken: cancellationToken));
        }

        return first;
    }
}
