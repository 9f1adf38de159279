using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Domain;
using Participatie.Contracts;

namespace Participatie.Consultations.Apis;

/// <summary>
/// The draagvlakmeting (art. 7:220 BW): a corporation puts a renovation proposal to the homes of a complex; each home
/// votes once with the code from its letter; the proposal is deemed reasonable when at least 70% of all homes agree.
/// </summary>
public static class SupportMeasurementsApi
{
    // Status and closing time as of @Now: past its deadline a measurement is closed, even before its counts are frozen.
    private const string SelectMeasurement = """
        SELECT id, trajectory_id AS TrajectoryId, partner_id AS PartnerId, title, proposal, deadline, home_count AS HomeCount,
               created_at AS CreatedAt,
               CASE WHEN closed_at IS NOT NULL OR deadline <= @Now THEN 'closed' ELSE 'open' END AS Status,
               COALESCE(closed_at, CASE WHEN deadline <= @Now THEN deadline END) AS ClosedAt,
               closed_by_partner_id AS ClosedByPartnerId
        FROM support_measurements
        """;

    public static IEndpointRouteBuilder MapSupportMeasurementsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/support-measurements", "Support measurements");

        api.MapPost("", CreateSupportMeasurement)
            .WithName("CreateSupportMeasurement")
            .WithSummary("Put a renovation proposal to the homes of a complex (at least 10); answers each home's voting code, for the letters, this once only")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", ListSupportMeasurements)
            .WithName("ListSupportMeasurements")
            .WithSummary("List the support measurements of the trajectories the caller takes part in, newest first, optionally of one trajectory");
        api.MapGet("/{measurementId:guid}", GetSupportMeasurement)
            .WithName("GetSupportMeasurement")
            .WithSummary("Read one support measurement with the homes of its complex")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{measurementId:guid}/votes", CastSupportVote)
            .WithName("CastSupportVote")
            .WithSummary("Enter a home's vote with the code from its letter, on the resident's behalf; voting again before the deadline replaces the home's vote")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/{measurementId:guid}/result", GetSupportResult)
            .WithName("GetSupportResult")
            .WithSummary("The count so far, or the final count once closed: agreement out of all homes, and whether it reaches 70%")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{measurementId:guid}/close", CloseSupportMeasurement)
            .WithName("CloseSupportMeasurement")
            .WithSummary("Close the measurement (its owner) and freeze its result; closing a closed measurement changes nothing")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{measurementId:guid}/audit", ListSupportVoteLog)
            .WithName("ListSupportVoteLog")
            .WithSummary("Every vote and change of a vote, oldest first, with the home, channel and who entered it (its owner)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Results<Created<SupportMeasurementResponse>, ProblemHttpResult>> CreateSupportMeasurement(
        CreateSupportMeasurementRequest request,
        ClaimsPrincipal user,
        TrajectoryDirectory trajectories,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var (trajectory, problem) = await ConsultationAccess.ContributingTrajectoryAsync(trajectories, request.TrajectoryId, "support measurements", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var now = clock.GetUtcNow();
        if (request.Deadline!.Value <= now)
        {
            return Problems.Unprocessable("deadline", "'deadline' must be in the future.");
        }

        // Validation has made sure every home has a key, unless there are too many homes, which CheckComplex refuses first.
        var homeKeys = request.Homes!
            .Select(home => home is null ? null : AddressKeys.Key(home.Postcode, home.HouseNumber, home.HouseNumberSuffix))
            .Select(key => key ?? string.Empty)
            .ToList();
        if (SupportMeasurementRules.CheckComplex(homeKeys) is { } complexProblem)
        {
            return Problems.Unprocessable("homes", complexProblem);
        }

        var measurement = new SupportMeasurementResponse
        {
            Id = Guid.CreateVersion7(),
            TrajectoryId = trajectory.Id,
            // The partner that starts a measurement owns it.
            PartnerId = user.GetPartnerId()!.Value,
            Title = request.Title!.Trim(),
            Proposal = request.Proposal!.Trim(),
            Deadline = request.Deadline.Value,
            HomeCount = homeKeys.Count,
            CreatedAt = now,
            Status = SupportMeasurementStatuses.Open,
            Homes = homeKeys,
        };
        var codes = SupportMeasurementCodes.NewDistinct(homeKeys.Count);

        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO support_measurements (id, trajectory_id, partner_id, title, proposal, deadline, home_count, created_at)
            VALUES (@Id, @TrajectoryId, @PartnerId, @Title, @Proposal, @Deadline, @HomeCount, @CreatedAt)
            """,
            measurement, work.Transaction, cancellationToken: cancellationToken));
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO support_measurement_homes (measurement_id, home_key, position, code_hash)
            SELECT @Id, home.key, home.position, home.code_hash
            FROM unnest(@Keys::text[], @Hashes::bytea[]) WITH ORDINALITY AS home (key, code_hash, position)
            """,
            new
            {
                measurement.Id,
                Keys = homeKeys.ToArray(),
                Hashes = codes.Select(code => SupportMeasurementCodes.Hash(measurement.Id, code)).ToArray(),
            },
            work.Transaction, cancellationToken: cancellationToken));
        await work.CommitAsync(cancellationToken);

        // The only time the codes leave the service: for the letters. They are not stored, so they cannot be asked again.
        return TypedResults.Created($"/v1/support-measurements/{measurement.Id}", measurement with
        {
            VotingCodes = [.. homeKeys.Zip(codes, (homeKey, code) => new VotingCode { HomeKey = homeKey, Code = code })],
        });
    }

    internal static async Task<Ok<Page<SupportMeasurementResponse>>> ListSupportMeasurements(
        [FromQuery] Guid? trajectoryId,
        [AsParameters] PageQuery page,
        TrajectoryDirectory trajectories,
        NpgsqlDataSource database,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var mine = (await trajectories.MineAsync(cancellationToken)).Select(trajectory => trajectory.Id).ToArray();
        const string filter = "trajectory_id = ANY(@Trajectories) AND (@TrajectoryId::uuid IS NULL OR trajectory_id = @TrajectoryId)";
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(await connection.QueryPageAsync<SupportMeasurementResponse>(page, new CommandDefinition(
            $"""
            {SelectMeasurement} WHERE {filter}
            ORDER BY created_at DESC, id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM support_measurements WHERE {filter};
            """,
            new { Trajectories = mine, TrajectoryId = trajectoryId, Now = clock.GetUtcNow(), page.Offset, page.Size },
            cancellationToken: cancellationToken)));
    }

    internal static async Task<Results<Ok<SupportMeasurementResponse>, ProblemHttpResult>> GetSupportMeasurement(
        Guid measurementId, TrajectoryDirectory trajectories, NpgsqlDataSource database, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var visible = await SupportMeasurementAccess.FindVisibleAsync(connection, null, measurementId, clock.GetUtcNow(), trajectories, cancellationToken);
        if (visible is null)
        {
            return Problems.NotFound("support measurement", measurementId);
        }

        var homes = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT home_key FROM support_measurement_homes WHERE measurement_id = @MeasurementId ORDER BY position",
            new { MeasurementId = measurementId }, cancellationToken: cancellationToken));
        return TypedResults.Ok(visible.Measurement with { Homes = homes.AsList() });
    }

    internal static async Task<Results<Ok<VoteReceipt>, ProblemHttpResult>> CastSupportVote(
        Guid measurementId,
        CastSupportVoteRequest request,
        ClaimsPrincipal user,
        TrajectoryDirectory trajectories,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        // Any partner in the trajectory enters votes for residents: they hold no token, only the code from their letter.
        if (await SupportMeasurementAccess.FindVisibleAsync(work.Connection, work.Transaction, measurementId, clock.GetUtcNow(), trajectories, cancellationToken) is null)
        {
            return Problems.NotFound("support measurement", measurementId);
        }

        // FOR SHARE: votes go on side by side, but closing waits for them, and a vote waits for a close and then sees it.
        var state = await ReadStateAsync(work, measurementId, "FOR SHARE", cancellationToken);
        var now = clock.GetUtcNow();
        if (state.ClosedAt is { } closedAt)
        {
            return Problems.Unprocessable("measurementId", $"The support measurement was closed at {closedAt:u}; its result is final.");
        }

        if (now >= state.Deadline)
        {
            return Problems.Unprocessable("deadline", $"Votes were taken until {state.Deadline:u}.");
        }

        var home = await work.Connection.QuerySingleOrDefaultAsync<HomeVote>(new CommandDefinition(
            """
            SELECT home_key AS HomeKey, choice FROM support_measurement_homes
            WHERE measurement_id = @MeasurementId AND code_hash = @CodeHash FOR UPDATE
            """,
            new { MeasurementId = measurementId, CodeHash = SupportMeasurementCodes.Hash(measurementId, request.Code!) },
            work.Transaction, cancellationToken: cancellationToken));
        if (home is null)
        {
            // The same answer for every wrong code: which homes exist, and their codes, stay unknown.
            return Problems.Unprocessable("code", "This is not a voting code of this support measurement.");
        }

        var channel = request.Channel ?? SupportVoteChannels.Online;
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE support_measurement_homes SET choice = @Choice, channel = @Channel, voted_at = @Now
            WHERE measurement_id = @MeasurementId AND home_key = @HomeKey;
            INSERT INTO support_vote_log (measurement_id, home_key, choice, previous_choice, channel, recorded_at, partner_id, client_id)
            VALUES (@MeasurementId, @HomeKey, @Choice, @PreviousChoice, @Channel, @Now, @PartnerId, @ClientId);
            """,
            new
            {
                MeasurementId = measurementId,
                home.HomeKey,
                request.Choice,
                PreviousChoice = home.Choice,
                Channel = channel,
                Now = now,
                PartnerId = user.GetPartnerId()!.Value,
                ClientId = user.GetClientId(),
            },
            work.Transaction, cancellationToken: cancellationToken));
        await work.CommitAsync(cancellationToken);

        // No home key and no earlier choice: the partner entering the vote learns nothing about the home it did not know.
        return TypedResults.Ok(new VoteReceipt
        {
            MeasurementId = measurementId,
            Choice = request.Choice!,
            Channel = channel,
            RecordedAt = now,
            ReplacedEarlierVote = home.Choice is not null,
        });
    }

    internal static async Task<Results<Ok<SupportResultResponse>, ProblemHttpResult>> GetSupportResult(
        Guid measurementId, TrajectoryDirectory trajectories, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (await SupportMeasurementAccess.FindVisibleAsync(work.Connection, work.Transaction, measurementId, now, trajectories, cancellationToken) is null)
        {
            return Problems.NotFound("support measurement", measurementId);
        }

        // Past its deadline a measurement is closed: the first read after it freezes the count, as closing would.
        await FreezeAsync(work, measurementId, closedBy: null, now, onlyIfDue: true, cancellationToken);
        var result = await ReadResultAsync(work, measurementId, now, cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(result);
    }

    internal static async Task<Results<Ok<SupportResultResponse>, ProblemHttpResult>> CloseSupportMeasurement(
        Guid measurementId,
        ClaimsPrincipal user,
        TrajectoryDirectory trajectories,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var visible = await SupportMeasurementAccess.FindVisibleAsync(work.Connection, work.Transaction, measurementId, now, trajectories, cancellationToken);
        if (visible is null)
        {
            return Problems.NotFound("support measurement", measurementId);
        }

        if (!visible.IsOwner(user))
        {
            return Problems.Forbidden("Only the partner that started the support measurement closes it.");
        }

        await FreezeAsync(work, measurementId, user.GetPartnerId(), now, onlyIfDue: false, cancellationToken);
        var result = await ReadResultAsync(work, measurementId, now, cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(result);
    }

    internal static async Task<Results<Ok<Page<SupportVoteLogEntry>>, ProblemHttpResult>> ListSupportVoteLog(
        Guid measurementId,
        [AsParameters] PageQuery page,
        ClaimsPrincipal user,
        TrajectoryDirectory trajectories,
        NpgsqlDataSource database,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var visible = await SupportMeasurementAccess.FindVisibleAsync(connection, null, measurementId, clock.GetUtcNow(), trajectories, cancellationToken);
        if (visible is null)
        {
            return Problems.NotFound("support measurement", measurementId);
        }

        // Who voted how, per address: for the owner's accountability, not for the other partners.
        if (!visible.IsOwner(user))
        {
            return Problems.Forbidden("Only the partner that started the support measurement reads its vote log.");
        }

        return TypedResults.Ok(await connection.QueryPageAsync<SupportVoteLogEntry>(page, new CommandDefinition(
            """
            SELECT home_key AS HomeKey, choice, previous_choice AS PreviousChoice, channel, recorded_at AS RecordedAt,
                   partner_id AS EnteredByPartnerId, client_id AS EnteredByClientId
            FROM support_vote_log WHERE measurement_id = @MeasurementId
            ORDER BY id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM support_vote_log WHERE measurement_id = @MeasurementId;
            """,
            new { MeasurementId = measurementId, page.Offset, page.Size }, cancellationToken: cancellationToken)));
    }

    internal static Task<SupportMeasurementResponse?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid measurementId, DateTimeOffset now, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<SupportMeasurementResponse>(new CommandDefinition(
            $"{SelectMeasurement} WHERE id = @MeasurementId",
            new { MeasurementId = measurementId, Now = now }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Closes the measurement and stores its final counts, unless it is closed already. With <paramref name="onlyIfDue"/>
    /// only when its deadline has passed. Past the deadline it closed at the deadline, whoever freezes it.
    /// </summary>
    private static async Task FreezeAsync(
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

    private static Task<MeasurementState> ReadStateAsync(UnitOfWork work, Guid measurementId, string lockClause, CancellationToken cancellationToken) =>
        work.Connection.QuerySingleAsync<MeasurementState>(new CommandDefinition(
            $"SELECT deadline, closed_at AS ClosedAt FROM support_measurements WHERE id = @MeasurementId {lockClause}",
            new { MeasurementId = measurementId }, work.Transaction, cancellationToken: cancellationToken));

    /// <summary>The frozen counts of a closed measurement, or the live count of an open one.</summary>
    private static async Task<SupportResultResponse> ReadResultAsync(
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

    private sealed record MeasurementState
    {
        public required DateTimeOffset Deadline { get; init; }

        public DateTimeOffset? ClosedAt { get; init; }
    }

    private sealed record HomeVote
    {
        public required string HomeKey { get; init; }

        public string? Choice { get; init; }
    }

    private sealed record SupportCounts
    {
        public required int Homes { get; init; }

        public required DateTimeOffset Deadline { get; init; }

        public DateTimeOffset? ClosedAt { get; init; }

        public Guid? ClosedByPartnerId { get; init; }

        public required int Agreeing { get; init; }

        public required int Disagreeing { get; init; }
    }
}

/// <summary>How a vote reached us: typed in online by the resident, or entered by partner staff from a letter or a form.</summary>
public static class SupportVoteChannels
{
    public const string Online = "online";
    public const string Letter = "letter";
    public const string PaperForm = "paper-form";

    public static readonly IReadOnlyList<string> All = [Online, Letter, PaperForm];
}

public sealed record CreateSupportMeasurementRequest(
    Guid TrajectoryId, string? Title, string? Proposal, DateTimeOffset? Deadline, IReadOnlyList<SupportMeasurementHome?>? Homes)
    : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        errors.NotEmpty("trajectoryId", TrajectoryId);
        if (errors.Required("title", Title))
        {
            errors.MaxLength("title", Title, 200);
        }

        if (errors.Required("proposal", Proposal))
        {
            errors.MaxLength("proposal", Proposal, 4000);
        }

        if (Deadline is null)
        {
            errors.Add("deadline", "'deadline' is required.");
        }

        if (Homes is null)
        {
            errors.Add("homes", "'homes' is required.");
            return;
        }

        // How many homes, and whether one is listed twice, is the law's rule: a 422 from the handler. Far too many homes
        // are refused there without naming each one here.
        for (var index = 0; index < Homes.Count && Homes.Count <= SupportMeasurementRules.MaximumHomes; index++)
        {
            var home = Homes[index];
            var field = $"homes[{index}]";
            if (home is null)
            {
                errors.Add(field, $"'{field}' must be a home with a postcode and a house number.");
                continue;
            }

            if (AddressKeys.NormalisePostcode(home.Postcode) is null)
            {
                errors.Add($"{field}.postcode", $"'{field}.postcode' must be a Dutch postcode such as '1234 AB'.");
            }

            if (!AddressKeys.IsHouseNumber(home.HouseNumber))
            {
                errors.Add($"{field}.houseNumber", $"'{field}.houseNumber' must be between 1 and 99999.");
            }

            if (AddressKeys.NormaliseSuffix(home.HouseNumberSuffix) is null)
            {
                errors.Add(
                    $"{field}.houseNumberSuffix",
                    $"'{field}.houseNumberSuffix' may hold only letters and digits, at most {AddressKeys.MaximumSuffixLength}.");
            }
        }
    }
}

/// <summary>A rental home of the complex, by its address.</summary>
public sealed record SupportMeasurementHome(string? Postcode, int HouseNumber, string? HouseNumberSuffix);

public sealed record CastSupportVoteRequest(string? Code, string? Choice, string? Channel) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("code", Code))
        {
            errors.MaxLength("code", Code, 64);
        }

        errors.OneOf("choice", Choice, SupportVoteChoices.All);
        if (Channel is not null)
        {
            errors.OneOf("channel", Channel, SupportVoteChannels.All);
        }
    }
}

public sealed record SupportMeasurementResponse
{
    public required Guid Id { get; init; }

    public required Guid TrajectoryId { get; init; }

    /// <summary>The partner that started the measurement and owns it.</summary>
    public required Guid PartnerId { get; init; }

    public required string Title { get; init; }

    /// <summary>A summary of the renovation proposal the tenants vote on.</summary>
    public required string Proposal { get; init; }

    public required DateTimeOffset Deadline { get; init; }

    public required int HomeCount { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary><c>open</c>, or <c>closed</c> once its owner closed it or its deadline passed.</summary>
    public required string Status { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The owner when it closed the measurement early; null when the deadline closed it.</summary>
    public Guid? ClosedByPartnerId { get; init; }

    /// <summary>The address keys of the complex's homes (when one measurement is read).</summary>
    public IReadOnlyList<string>? Homes { get; init; }

    /// <summary>Each home's voting code, for the letters: only in the answer to the creation, never again.</summary>
    public IReadOnlyList<VotingCode>? VotingCodes { get; init; }
}

public sealed record VotingCode
{
    public required string HomeKey { get; init; }

    public required string Code { get; init; }
}

public sealed record VoteReceipt
{
    public required Guid MeasurementId { get; init; }

    public required string Choice { get; init; }

    public required string Channel { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>The home had voted before; its vote is replaced, not added.</summary>
    public required bool ReplacedEarlierVote { get; init; }
}

public sealed record SupportResultResponse
{
    public required Guid MeasurementId { get; init; }

    public required string Status { get; init; }

    /// <summary>The counts are frozen and will not change again.</summary>
    public required bool Final { get; init; }

    /// <summary>The homes of the complex: every one of them counts, voted or not.</summary>
    public required int Homes { get; init; }

    public required int Votes { get; init; }

    public required int Agreeing { get; init; }

    public required int Disagreeing { get; init; }

    public required int NotVoted { get; init; }

    /// <summary>Votes out of homes, 0 to 1, to 4 decimals.</summary>
    public required decimal ResponseRate { get; init; }

    /// <summary>Agreeing homes out of ALL homes (not out of the votes), 0 to 1, to 4 decimals cut off.</summary>
    public required decimal AgreeingShare { get; init; }

    public required int ThresholdPercent { get; init; }

    /// <summary>At least 70% of all homes agree: the proposal is deemed reasonable (art. 7:220 BW).</summary>
    public required bool ThresholdMet { get; init; }

    public required DateTimeOffset Deadline { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    public Guid? ClosedByPartnerId { get; init; }
}

public sealed record SupportVoteLogEntry
{
    public required string HomeKey { get; init; }

    public required string Choice { get; init; }

    /// <summary>The home's vote this one replaced; null for its first.</summary>
    public string? PreviousChoice { get; init; }

    public required string Channel { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }

    public required Guid EnteredByPartnerId { get; init; }

    public string? EnteredByClientId { get; init; }
}
