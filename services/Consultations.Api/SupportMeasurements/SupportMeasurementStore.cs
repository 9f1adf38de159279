using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
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
    /// Closes the measurement and stores its final counts, unless it is closed already. With <paramref name="onlyIfDue"/>
    /// only when its deadline has passed. Past the deadline it closed at the deadline, whoever freezes it.
    /// </summary>
    internal static async Task FreezeAsync(
        UnitOfWork work, Guid measurementId, Guid? closedBy, DateTimeOffset now, bool onlyIfDue, CancellationToken cancellationToken)
    {
        bool NothingToDo(MeasurementState state) => state.ClosedAt is not null || (onlyIfDue && now < state.Deadline);

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

        var due = now >= state.Deadline;

        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE support_measurements SET closed_at = @ClosedAt, closed_by_partner_id = @ClosedBy,
                   final_votes = counts.votes, final_agreeing = counts.agreeing, final_disagreeing = counts.disagreeing
            FROM (SELECT count(choice) AS votes,
                         count(*) FILTER (WHERE choice = 'agree') AS agreeing,
                         count(*) FILTER (WHERE choice = 'disagree') AS disagreeing
                  FROM support_measurement_homes WHERE measurement_id = @MeasurementId) AS counts
            WHERE id = @MeasurementId
            """,
            new { MeasurementId = measurementId, ClosedAt = due ? state.Deadline : now, ClosedBy = due ? null : closedBy },
            work.Transaction, cancellationToken: cancellationToken));
    }

    internal static Task<MeasurementState> ReadStateAsync(UnitOfWork work, Guid measurementId, string lockClause, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleAsync<MeasurementState>(new CommandDefinition(
            $"SELECT deadline, closed_at AS ClosedAt FROM support_measurements WHERE id = @MeasurementId {lockClause}",
            new { MeasurementId = measurementId }, work.Transaction, cancellationToken: cancellationToken));

    /// <summary>The frozen counts of a closed measurement, or the live count of an open one.</summary>
    internal static async Task<SupportResultResponse> ReadResultAsync(
        UnitOfWork work, Guid measurementId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var counts = await work.Connection.QuerySingleAsync<SupportCounts>(new CommandDefinition(
            """
            SELECT m.home_count AS Homes, m.deadline, m.closed_at AS ClosedAt, m.closed_by_partner_id AS ClosedByPartnerId,
                   COALESCE(m.final_agreeing, live.agreeing) AS Agreeing, COALESCE(m.final_disagreeing, live.disagreeing) AS Disagreeing
            FROM support_measurements m
            CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE choice = 'agree')::int AS agreeing,
                       count(*) FILTER (WHERE choice = 'disagree')::int AS disagreeing
                FROM support_measurement_homes h WHERE h.measurement_id = m.id AND m.closed_at IS NULL) AS live
            WHERE m.id = @MeasurementId
            """,
            new { MeasurementId = measurementId }, work.Transaction, cancellationToken: cancellationToken));
        var tally = SupportMeasurementRules.Tally(counts.Homes, counts.Agreeing, counts.Disagreeing);
        return new SupportResultResponse
        {
            MeasurementId = measurementId,
            Status = counts.ClosedAt is not null || now >= counts.Deadline ? SupportMeasurementStatuses.Closed : SupportMeasurementStatuses.Open,
            Final = counts.ClosedAt is not null,
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
        };
    }

    /// <summary>
    /// The one way a home's vote is cast or changed, whoever casts it: the home is the one whose code this is, or, with
    /// no code, the given home (a resident voting online for their own). Checks the deadline, replaces the home's vote
    /// and writes the change to the vote log with who entered it, in one transaction.
    /// </summary>
    internal static async Task<(VoteReceipt? Receipt, ProblemHttpResult? Problem)> CastAsync(
        UnitOfWorkFactory unitOfWork,
        Guid measurementId,
        string? code,
        string? homeKey,
        string choice,
        string channel,
        SupportVoter voter,
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
            SELECT home_key AS HomeKey, choice FROM support_measurement_homes
            WHERE measurement_id = @MeasurementId AND {(code is null ? "home_key = @HomeKey" : "code_hash = @CodeHash")} FOR UPDATE
            """,
            new { MeasurementId = measurementId, HomeKey = homeKey, CodeHash = code is null ? null : SupportMeasurementCodes.Hash(measurementId, code) },
            work.Transaction, cancellationToken: cancellationToken));
        if (home is null)
        {
            // The same answer for every wrong code: which homes exist, and their codes, stay unknown.
            return (null, Problems.Unprocessable("code", WrongCode));
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE support_measurement_homes SET choice = @Choice, channel = @Channel, voted_at = @Now
            WHERE measurement_id = @MeasurementId AND home_key = @HomeKey;
            INSERT INTO support_vote_log
                (measurement_id, home_key, choice, previous_choice, channel, recorded_at, entered_by, partner_id, client_id, resident_id)
            VALUES (@MeasurementId, @HomeKey, @Choice, @PreviousChoice, @Channel, @Now, @EnteredBy, @PartnerId, @ClientId, @ResidentId);
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
        }, null);
    }

    internal const string WrongCode = "This is not a voting code of this support measurement.";

    internal sealed record MeasurementState
    {
        public required DateTimeOffset Deadline { get; init; }

        public DateTimeOffset? ClosedAt { get; init; }
    }

    internal sealed record HomeVote
    {
        public required string HomeKey { get; init; }

        public string? Choice { get; init; }
    }

    internal sealed record SupportCounts
    {
        public required int Homes { get; init; }

        public required DateTimeOffset Deadline { get; init; }

        public DateTimeOffset? ClosedAt { get; init; }

        public Guid? ClosedByPartnerId { get; init; }

        public required int Agreeing { get; init; }

        public required int Disagreeing { get; init; }
    }
}

/// <summary>Who entered a vote, as the vote log records it.</summary>
internal sealed record SupportVoter(string EnteredBy, Guid? PartnerId, string? ClientId, Guid? ResidentId)
{
    /// <summary>Partner staff entering a vote on the resident's behalf, from a letter or a form.</summary>
    public static SupportVoter Partner(Guid partnerId, string? clientId) => new("partner", partnerId, clientId, null);

    /// <summary>The resident themselves: signed in (their id), or anonymously with the code from their letter (null).</summary>
    public static SupportVoter Resident(Guid? residentId) => new("resident", null, null, residentId);
}
