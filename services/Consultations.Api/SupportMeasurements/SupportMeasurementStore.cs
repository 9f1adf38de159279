using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Time;
using Participatie.Consultations.Consultations;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Trajectories;
using Participatie.Contracts;

namespace Participatie.Consultations.SupportMeasurements;

/// <summary>The SQL of support measurements: reading, freezing and counting them.</summary>
internal static class SupportMeasurementStore
{
    // Status and closing time as of @Now: past its deadline a measurement is closed, even before its counts are frozen.
    internal const string SelectMeasurement = """
        SELECT id, trajectory_id AS TrajectoryId, partner_id AS PartnerId, title, proposal, deadline, home_count AS HomeCount,
               created_at AS CreatedAt,
               CASE WHEN closed_at IS NOT NULL OR deadline <= @Now THEN 'closed' ELSE 'open' END AS Status,
               COALESCE(closed_at, CASE WHEN deadline <= @Now THEN deadline END) AS ClosedAt,
               closed_by_partner_id AS ClosedByPartnerId
        FROM support_measurements
        """;

    internal static Task<SupportMeasurementResponse?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid measurementId, DateTimeOffset now, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<SupportMeasurementResponse>(new CommandDefinition(
            $"{SelectMeasurement} WHERE id = @MeasurementId",
            new { MeasurementId = measurementId, Now = now }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Once its deadline has passed, closes the measurement at its deadline, unless it is closed already: stores its
    /// final counts, keeps each counted vote's receipt hash without its home, cuts home and resident from the votes and
    /// the log, records the written notice of the result with the end of the court period, and has the notice sent.
    /// Before the deadline it does nothing: nobody closes early.
    /// </summary>
    internal static async Task FreezeIfDueAsync(UnitOfWork work, Guid measurementId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        bool NothingToDo(MeasurementState state) => state.ClosedAt is not null || now < state.Deadline;

        // Looked at first without a lock, so that reading the result of an open measurement holds up no votes.
        if (NothingToDo(await ReadStateAsync(work, measurementId, string.Empty, cancellationToken)))
        {
            return;
        }

        // FOR UPDATE waits for votes in progress (they hold FOR SHARE); the count below, a new statement, then sees them.
        var state = await ReadStateAsync(work, measurementId, "FOR UPDATE", cancellationToken);
        if (NothingToDo(state))
        {
            return;
        }

        var parameters = new { MeasurementId = measurementId };
        var counts = await work.Connection.QuerySingleAsync<FinalCounts>(new CommandDefinition(
            """
            SELECT count(*) FILTER (WHERE choice = 'agree' AND excluded_reason IS NULL)::int AS Agreeing,
                   count(*) FILTER (WHERE choice = 'disagree' AND excluded_reason IS NULL)::int AS Disagreeing,
                   count(*) FILTER (WHERE excluded_reason IS NOT NULL)::int AS Excluded
            FROM support_measurement_homes WHERE measurement_id = @MeasurementId
            """,
            parameters, work.Transaction, cancellationToken: cancellationToken));
        // The notice goes to every home of the complex, the excluded ones too: if a tenant does live in a home left out
        // as vacant or owner-occupied, the notice is how they learn of it, in time to go to court.
        var noticeHomeKeys = (await work.Connection.QueryAsync<string>(new CommandDefinition(
            "SELECT home_key FROM support_measurement_homes WHERE measurement_id = @MeasurementId ORDER BY position",
            parameters, work.Transaction, cancellationToken: cancellationToken))).AsList();

        // The counted votes keep their receipt hash and choice, not their home; then home and choice are unlinked.
        // (A vote cast before receipts existed has no hash: it is counted, but cannot be looked up.)
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO support_counted_votes (measurement_id, receipt_hash, choice)
            SELECT measurement_id, receipt_hash, choice FROM support_measurement_homes
            WHERE measurement_id = @MeasurementId AND choice IS NOT NULL AND excluded_reason IS NULL AND receipt_hash IS NOT NULL;
            UPDATE support_measurement_homes
            SET choice = NULL, channel = NULL, voted_at = NULL, cast_by = NULL, cast_by_partner_id = NULL, receipt_hash = NULL
            WHERE measurement_id = @MeasurementId AND choice IS NOT NULL;
            UPDATE support_vote_log SET home_key = NULL, resident_id = NULL, form_reference = NULL
            WHERE measurement_id = @MeasurementId AND (home_key IS NOT NULL OR resident_id IS NOT NULL OR form_reference IS NOT NULL);
            """,
            parameters, work.Transaction, cancellationToken: cancellationToken));

        // The notice goes out now, so the 8 weeks run from today (Amsterdam). The operator's declared holidays live in
        // partner coordination; this service knows only the holidays of the Algemene termijnenwet itself.
        var courtPeriodEndsOn = SupportMeasurementRules.CourtPeriodEnd(
            DateOnly.FromDateTime(AmsterdamClock.ToAmsterdam(now).DateTime), new HashSet<DateOnly>());
        var closed = await work.Connection.QuerySingleAsync<ClosedMeasurement>(new CommandDefinition(
            """
            UPDATE support_measurements
            SET closed_at = deadline, closed_by_partner_id = NULL, final_votes = @Votes, final_agreeing = @Agreeing,
                final_disagreeing = @Disagreeing, final_excluded = @Excluded, notice_requested_at = @Now,
                court_period_ends_on = @CourtPeriodEndsOn
            WHERE id = @MeasurementId
            RETURNING trajectory_id AS TrajectoryId, title, home_count AS HomeCount, closed_at AS ClosedAt
            """,
            new
            {
                MeasurementId = measurementId,
                Votes = counts.Agreeing + counts.Disagreeing,
                counts.Agreeing,
                counts.Disagreeing,
                counts.Excluded,
                Now = now,
                CourtPeriodEndsOn = courtPeriodEndsOn,
            },
            work.Transaction, cancellationToken: cancellationToken));
        var tally = SupportMeasurementRules.Tally(closed.HomeCount - counts.Excluded, counts.Agreeing, counts.Disagreeing);
        await work.PublishAsync(
            new SupportMeasurementClosed(
                measurementId, closed.TrajectoryId, closed.Title, tally.Homes, tally.Agreeing, tally.Disagreeing, tally.ThresholdMet,
                closed.ClosedAt, courtPeriodEndsOn, noticeHomeKeys),
            cancellationToken);
    }

    internal static Task<MeasurementState> ReadStateAsync(UnitOfWork work, Guid measurementId, string lockClause, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleAsync<MeasurementState>(new CommandDefinition(
            $"SELECT deadline, closed_at AS ClosedAt FROM support_measurements WHERE id = @MeasurementId {lockClause}",
            new { MeasurementId = measurementId }, work.Transaction, cancellationToken: cancellationToken));

    /// <summary>The frozen counts of a closed measurement, or the live count of an open one, out of the tenants' homes.</summary>
    internal static async Task<SupportResultResponse> ReadResultAsync(
        UnitOfWork work, Guid measurementId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var counts = await work.Connection.QuerySingleAsync<SupportCounts>(new CommandDefinition(
            """
            SELECT m.home_count AS ComplexHomes, m.deadline, m.closed_at AS ClosedAt, m.closed_by_partner_id AS ClosedByPartnerId,
                   COALESCE(m.final_agreeing, live.agreeing) AS Agreeing, COALESCE(m.final_disagreeing, live.disagreeing) AS Disagreeing,
                   CASE WHEN m.closed_at IS NULL THEN live.excluded ELSE COALESCE(m.final_excluded, 0) END AS Excluded,
                   m.notice_requested_at AS NoticeRequestedAt, m.court_period_ends_on AS CourtPeriodEndsOn
            FROM support_measurements m
            CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE choice = 'agree' AND excluded_reason IS NULL)::int AS agreeing,
                       count(*) FILTER (WHERE choice = 'disagree' AND excluded_reason IS NULL)::int AS disagreeing,
                       count(*) FILTER (WHERE excluded_reason IS NOT NULL)::int AS excluded
                FROM support_measurement_homes h WHERE h.measurement_id = m.id AND m.closed_at IS NULL) AS live
            WHERE m.id = @MeasurementId
            """,
            new { MeasurementId = measurementId }, work.Transaction, cancellationToken: cancellationToken));
        var tally = SupportMeasurementRules.Tally(counts.ComplexHomes - counts.Excluded, counts.Agreeing, counts.Disagreeing);
        return new SupportResultResponse
        {
            MeasurementId = measurementId,
            Status = counts.ClosedAt is not null || now >= counts.Deadline ? SupportMeasurementStatuses.Closed : SupportMeasurementStatuses.Open,
            Final = counts.ClosedAt is not null,
            ComplexHomes = counts.ComplexHomes,
            ExcludedHomes = counts.Excluded,
            Homes = tally.Homes,
            Votes = tally.Votes,
            Agreeing = tally.Agreeing,
            Disagreeing = tally.Disagreeing,
            NotVoted = tally.NotVoted,
            ResponseRate = tally.ResponseRate,
            AgreeingShare = tally.AgreeingShare,
            ThresholdPercent = SupportMeasurementRules.ThresholdPercent,
            ThresholdMet = tally.ThresholdMet,
            Deadline = counts.Deadline,
            ClosedAt = counts.ClosedAt,
            ClosedByPartnerId = counts.ClosedByPartnerId,
            NoticeRequestedAt = counts.NoticeRequestedAt,
            CourtPeriodEndsOn = counts.CourtPeriodEndsOn,
        };
    }

    /// <summary>
    /// The one way a home's vote is cast or changed, whoever casts it: the home is the one whose code this is, or, with
    /// no code, the given home (a resident voting online for their own, or a partner entering a signed paper form).
    /// Checks the deadline and who may replace the home's vote, replaces it and writes the change to the vote log with
    /// who entered it and the receipt hash, in one transaction. The receipt's salt goes only to the caller.
    /// </summary>
    internal static async Task<(VoteReceipt? Receipt, ProblemHttpResult? Problem)> CastAsync(
        UnitOfWorkFactory unitOfWork,
        Guid measurementId,
        string? code,
        string? homeKey,
        string choice,
        string channel,
        SupportVoter voter,
        string? formReference,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);

        // FOR SHARE: votes go on side by side, but closing waits for them, and a vote waits for a close and then sees it.
        var state = await ReadStateAsync(work, measurementId, "FOR SHARE", cancellationToken);
        if (state.ClosedAt is { } closedAt)
        {
            return (null, Problems.Unprocessable("measurementId", $"The support measurement was closed at {closedAt:u}; its result is final."));
        }

        if (now >= state.Deadline)
        {
            return (null, Problems.Unprocessable("deadline", $"Votes were taken until {state.Deadline:u}."));
        }

        var home = await work.Connection.QuerySingleOrDefaultAsync<HomeVote>(new CommandDefinition(
            $"""
            SELECT home_key AS HomeKey, choice, cast_by AS CastBy, cast_by_partner_id AS CastByPartnerId, excluded_reason AS ExcludedReason
            FROM support_measurement_homes
            WHERE measurement_id = @MeasurementId AND {(code is null ? "home_key = @HomeKey" : "code_hash = @CodeHash")} FOR UPDATE
            """,
            new { MeasurementId = measurementId, HomeKey = homeKey, CodeHash = code is null ? null : SupportMeasurementCodes.Hash(measurementId, code) },
            work.Transaction, cancellationToken: cancellationToken));
        var field = code is null ? "homeKey" : "code";
        if (home is null)
        {
            // The same answer for every wrong code: which homes exist, and their codes, stay unknown.
            return (null, Problems.Unprocessable(field, code is null ? "This is not a home of this support measurement." : WrongCode));
        }

        // A resident voting for a home left out as vacant or owner-occupied shows that someone lives there: the vote
        // brings the home back into the count, and the log says so. A partner's paper form does not.
        if (home.ExcludedReason is { } reason && voter.EnteredBy != SupportVoter.ByResident)
        {
            return (null, Problems.Unprocessable(field, $"This home was left out of the count as '{reason}'; only its resident's own vote brings it back."));
        }

        if (voter.EnteredBy == SupportVoter.ByPartner && home.Choice is not null)
        {
            // A partner's paper form never replaces what the resident cast, nor what another partner entered.
            if (home.CastBy == SupportVoter.ByResident)
            {
                return (null, Conflict("homeKey", "The resident cast this home's vote themselves; a paper form entered by a partner cannot replace it."));
            }

            if (home.CastByPartnerId != voter.PartnerId)
            {
                return (null, Conflict("homeKey", "Another partner entered this home's vote from a paper form; only that partner can correct it."));
            }
        }

        var (salt, receiptHash) = SupportVoteReceipts.New(measurementId, home.HomeKey, choice);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE support_measurement_homes
            SET choice = @Choice, channel = @Channel, voted_at = @Now, cast_by = @EnteredBy, cast_by_partner_id = @PartnerId, receipt_hash = @ReceiptHash,
                excluded_reason = NULL, excluded_note = NULL, excluded_at = NULL, excluded_by_partner_id = NULL
            WHERE measurement_id = @MeasurementId AND home_key = @HomeKey;
            INSERT INTO support_vote_log
                (measurement_id, home_key, choice, previous_choice, channel, recorded_at, entered_by, partner_id, client_id, resident_id,
                 receipt_hash, staff_subject, form_reference, undid_exclusion)
            VALUES (@MeasurementId, @HomeKey, @Choice, @PreviousChoice, @Channel, @Now, @EnteredBy, @PartnerId, @ClientId, @ResidentId,
                    @ReceiptHash, @StaffSubject, @FormReference, @UndidExclusion);
            """,
            new
            {
                MeasurementId = measurementId,
                home.HomeKey,
                Choice = choice,
                PreviousChoice = home.Choice,
                Channel = channel,
                Now = now,
                voter.EnteredBy,
                voter.PartnerId,
                voter.ClientId,
                voter.ResidentId,
                voter.StaffSubject,
                FormReference = formReference,
                UndidExclusion = home.ExcludedReason,
                ReceiptHash = receiptHash,
            },
            work.Transaction, cancellationToken: cancellationToken));
        await work.CommitAsync(cancellationToken);

        // No home key and no earlier choice: whoever entered the vote learns nothing about the home they did not know.
        return (new VoteReceipt
        {
            MeasurementId = measurementId,
            Choice = choice,
            Channel = channel,
            RecordedAt = now,
            ReplacedEarlierVote = home.Choice is not null,
            Receipt = salt,
            ReceiptHash = SupportVoteReceipts.Show(receiptHash),
        }, null);
    }

    internal const string WrongCode = "This is not a voting code of this support measurement.";

    /// <summary>409, naming the field, as problem+json.</summary>
    internal static ProblemHttpResult Conflict(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status409Conflict,
            Title = "The request conflicts with the current state.",
            Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
        });

    internal sealed record MeasurementState
    {
        public required DateTimeOffset Deadline { get; init; }

        public DateTimeOffset? ClosedAt { get; init; }
    }

    internal sealed record HomeVote
    {
        public required string HomeKey { get; init; }

        public string? Choice { get; init; }

        public string? CastBy { get; init; }

        public Guid? CastByPartnerId { get; init; }

        public string? ExcludedReason { get; init; }
    }

    internal sealed record FinalCounts
    {
        public required int Agreeing { get; init; }

        public required int Disagreeing { get; init; }

        public required int Excluded { get; init; }
    }

    internal sealed record ClosedMeasurement
    {
        public required Guid TrajectoryId { get; init; }

        public required string Title { get; init; }

        public required int HomeCount { get; init; }

        public required DateTimeOffset ClosedAt { get; init; }
    }

    internal sealed record SupportCounts
    {
        public required int ComplexHomes { get; init; }

        public required DateTimeOffset Deadline { get; init; }

        public DateTimeOffset? ClosedAt { get; init; }

        public Guid? ClosedByPartnerId { get; init; }

        public required int Agreeing { get; init; }

        public required int Disagreeing { get; init; }

        public required int Excluded { get; init; }

        public DateTimeOffset? NoticeRequestedAt { get; init; }

        public DateOnly? CourtPeriodEndsOn { get; init; }
    }
}

/// <summary>Who entered a vote, as the vote log records it.</summary>
internal sealed record SupportVoter(string EnteredBy, Guid? PartnerId, string? ClientId, Guid? ResidentId, string? StaffSubject)
{
    public const string ByPartner = "partner";
    public const string ByResident = "resident";

    /// <summary>
    /// A partner entering a signed paper form: the partner, its client and the token's subject (the staff member
    /// signed in, or the system client itself).
    /// </summary>
    public static SupportVoter Partner(Guid partnerId, string? clientId, string? subject) => new(ByPartner, partnerId, clientId, null, subject);

    /// <summary>The resident themselves: signed in (their id), or anonymously with the code from their letter (null).</summary>
    public static SupportVoter Resident(Guid? residentId) => new(ByResident, null, null, residentId, null);
}
