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

/// <summary>
/// The draagvlakmeting (art. 7:220 BW): a corporation puts a renovation proposal to the homes of a complex; the
/// platform sends each home a voting code by letter; each tenant's home votes (online, with the code, or on a signed
/// paper form a partner enters); the proposal is deemed reasonable when at least 70% of the tenants' homes agree.
/// Every member of the trajectory reads the result and the vote log, so that the tenants' organisation can check it.
/// </summary>
public static class SupportMeasurementsApi
{
    public static IEndpointRouteBuilder MapSupportMeasurementsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/support-measurements", "Support measurements");
        var one = routes.MapApiGroup("/v1/support-measurements/{measurementId:guid}", "Support measurements").WithSupportMeasurementAccess();

        api.MapPost("", CreateSupportMeasurement)
            .WithName("CreateSupportMeasurement")
            .WithSummary("Put a renovation proposal to the homes of a complex (at least 10); the platform sends each home its voting code by letter, no partner sees one")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", ListSupportMeasurements)
            .WithName("ListSupportMeasurements")
            .WithSummary("List the support measurements of the trajectories the caller takes part in, newest first, optionally of one trajectory");
        one.MapGet("", GetSupportMeasurement)
            .WithName("GetSupportMeasurement")
            .WithSummary("Read one support measurement with the homes of its complex and the homes left out of the count")
            .ProducesProblem(StatusCodes.Status404NotFound);
        one.MapPost("/votes", EnterPaperVote)
            .Requires(SupportMeasurementPermissions.Contribute)
            .WithName("EnterPaperVote")
            .WithSummary("Enter a home's vote from the resident's signed paper form with the form's reference (contributor or higher); never with a voting code, never over a resident's own vote")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        one.MapPost("/exclusions", ExcludeHome)
            .Requires(SupportMeasurementPermissions.Contribute)
            .WithName("ExcludeSupportMeasurementHome")
            .WithSummary("Leave a vacant or owner-occupied home out of the count, with the reason, before the first vote of the measurement is cast; a resident's own vote for the home brings it back")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        one.MapGet("/result", GetSupportResult)
            .WithName("GetSupportResult")
            .WithSummary("The count so far, or the final count once closed: agreement out of the tenants' homes, whether it reaches 70%, the notice and the court period")
            .ProducesProblem(StatusCodes.Status404NotFound);
        one.MapPost("/close", CloseSupportMeasurement)
            .Requires(SupportMeasurementPermissions.Contribute)
            .WithName("CloseSupportMeasurement")
            .WithSummary("Close the measurement once its deadline has passed and freeze its result (never before; contributor or higher); closing a closed measurement changes nothing")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        one.MapGet("/audit", ListSupportVoteLog)
            .WithName("ListSupportVoteLog")
            .WithSummary("Every vote and change of a vote, oldest first, with time, channel and who entered it; while open the home only of a paper form and never the choice; once closed the choice and receipt hash, never the home")
            .ProducesProblem(StatusCodes.Status404NotFound);
        one.MapGet("/counted-votes", ListCountedVotes)
            .WithName("ListCountedSupportVotes")
            .WithSummary("The votes that counted, by receipt hash and choice, without their homes (once closed)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Results<Created<SupportMeasurementResponse>, ProblemHttpResult>> CreateSupportMeasurement(
        CreateSupportMeasurementRequest request, [AsParameters] ApiServices services)
    {
        var (trajectory, problem) = await TrajectoryAccess.ContributingAsync(
            services.Database, request.TrajectoryId, services.User, "support measurements", services.Cancellation);
        if (problem is not null)
        {
            return problem;
        }

        var now = services.Clock.GetUtcNow();
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
            PartnerId = services.User.GetPartnerId()!.Value,
            Title = request.Title!.Trim(),
            Proposal = request.Proposal!.Trim(),
            Deadline = request.Deadline.Value,
            HomeCount = homeKeys.Count,
            CreatedAt = now,
            Status = SupportMeasurementStatuses.Open,
            Homes = homeKeys,
        };
        var codes = SupportMeasurementCodes.NewDistinct(homeKeys.Count);

        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO support_measurements (id, trajectory_id, partner_id, title, proposal, deadline, home_count, created_at)
            VALUES (@Id, @TrajectoryId, @PartnerId, @Title, @Proposal, @Deadline, @HomeCount, @CreatedAt)
            """,
            measurement, work.Transaction, cancellationToken: services.Cancellation));
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
            work.Transaction, cancellationToken: services.Cancellation));
        // The residents service answers with who lives at these homes, so that each can vote online for their own.
        await work.PublishAsync(
            new SupportMeasurementOpened(measurement.Id, measurement.TrajectoryId, homeKeys, measurement.Deadline), services.Cancellation);
        // The only time the codes leave the service: to the notifications service, which prints and sends the letters.
        // They are stored only as hashes, and blanked from the outbox once relayed (migration 0013): no partner sees one.
        await work.PublishAsync(
            new SupportVotingCodesIssued(
                measurement.Id, measurement.TrajectoryId, measurement.Title, measurement.Deadline,
                [.. homeKeys.Zip(codes, (homeKey, code) => new HomeVotingCode(homeKey, code))], now),
            services.Cancellation);
        await work.CommitAsync(services.Cancellation);

        return TypedResults.Created($"/v1/support-measurements/{measurement.Id}", measurement);
    }

    internal static async Task<Ok<Page<SupportMeasurementResponse>>> ListSupportMeasurements(
        [FromQuery] Guid? trajectoryId, [AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        const string filter = $"trajectory_id IN ({ConsultationStore.MyTrajectories}) AND (@TrajectoryId::uuid IS NULL OR trajectory_id = @TrajectoryId)";
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        return TypedResults.Ok(await connection.QueryPageAsync<SupportMeasurementResponse>(page, new CommandDefinition(
            $"""
            {SupportMeasurementStore.SelectMeasurement} WHERE {filter}
            ORDER BY created_at DESC, id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM support_measurements WHERE {filter};
            """,
            new { CallerPartnerId = services.PartnerId, TrajectoryId = trajectoryId, Now = services.Clock.GetUtcNow(), page.Offset, page.Size },
            cancellationToken: services.Cancellation)));
    }

    internal static async Task<Results<Ok<SupportMeasurementResponse>, ProblemHttpResult>> GetSupportMeasurement(
        VisibleSupportMeasurement visible, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);

        var homes = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT home_key FROM support_measurement_homes WHERE measurement_id = @MeasurementId ORDER BY position",
            new { MeasurementId = visible.Measurement.Id }, cancellationToken: services.Cancellation));
        var excluded = await connection.QueryAsync<ExcludedHome>(new CommandDefinition(
            """
            SELECT home_key AS HomeKey, excluded_reason AS Reason, excluded_note AS Note, excluded_at AS ExcludedAt,
                   excluded_by_partner_id AS ExcludedByPartnerId
            FROM support_measurement_homes WHERE measurement_id = @MeasurementId AND excluded_reason IS NOT NULL ORDER BY position
            """,
            new { MeasurementId = visible.Measurement.Id }, cancellationToken: services.Cancellation));
        return TypedResults.Ok(visible.Measurement with { Homes = homes.AsList(), ExcludedHomes = excluded.AsList() });
    }

    internal static async Task<Results<Ok<VoteReceipt>, ProblemHttpResult>> EnterPaperVote(
        VisibleSupportMeasurement visible, EnterPaperVoteRequest request, [AsParameters] ApiServices services)
    {
        // A contributor or higher enters what the resident signed; the log keeps the partner, client and staff member.
        var voter = SupportVoter.Partner(
            services.User.GetPartnerId()!.Value, services.User.GetClientId(), services.User.FindFirst(ParticipatieClaims.Subject)?.Value);
        var (receipt, problem) = await SupportMeasurementStore.CastAsync(
            services.UnitOfWork, visible.Measurement.Id, code: null, request.HomeKey!.Trim(), request.Choice!, SupportVoteChannels.PaperForm,
            voter, request.FormReference!.Trim(), services.Clock.GetUtcNow(), services.Cancellation);
        return problem ?? (Results<Ok<VoteReceipt>, ProblemHttpResult>)TypedResults.Ok(receipt);
    }

    internal static async Task<Results<Ok<ExcludedHome>, ProblemHttpResult>> ExcludeHome(
        VisibleSupportMeasurement visible, ExcludeHomeRequest request, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        var now = services.Clock.GetUtcNow();

        // FOR UPDATE: votes in progress (FOR SHARE) finish first and the check below sees them; new votes wait for this.
        var state = await SupportMeasurementStore.ReadStateAsync(work, visible.Measurement.Id, "FOR UPDATE", services.Cancellation);
        if (state.ClosedAt is not null || now >= state.Deadline)
        {
            return Problems.Unprocessable("deadline", $"Homes can be left out only before the deadline ({state.Deadline:u}).");
        }

        // Once voting has begun, leaving out homes that have not voted yet could tip the 70% either way: the list of
        // vacant and owner-occupied homes is settled before the first vote.
        if (await work.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM support_vote_log WHERE measurement_id = @MeasurementId)",
            new { MeasurementId = visible.Measurement.Id }, work.Transaction, cancellationToken: services.Cancellation)))
        {
            return SupportMeasurementStore.Conflict(
                "homeKey", "Homes can be left out of the count only before the first vote of the measurement is cast; votes have been cast.");
        }

        var home = await work.Connection.QuerySingleOrDefaultAsync<SupportMeasurementStore.HomeVote>(new CommandDefinition(
            """
            SELECT home_key AS HomeKey, choice, cast_by AS CastBy, cast_by_partner_id AS CastByPartnerId, excluded_reason AS ExcludedReason
            FROM support_measurement_homes WHERE measurement_id = @MeasurementId AND home_key = @HomeKey FOR UPDATE
            """,
            new { MeasurementId = visible.Measurement.Id, HomeKey = request.HomeKey!.Trim() }, work.Transaction, cancellationToken: services.Cancellation));
        if (home is null)
        {
            return Problems.Unprocessable("homeKey", "This is not a home of this support measurement.");
        }

        if (home.ExcludedReason is not null)
        {
            return SupportMeasurementStore.Conflict("homeKey", $"This home was already left out of the count as '{home.ExcludedReason}'.");
        }

        // Someone voted for it: a tenant lives there, as far as the count can tell; leaving it out would discard a vote.
        if (home.Choice is not null)
        {
            return SupportMeasurementStore.Conflict("homeKey", "This home has voted; a home that voted is not left out of the count.");
        }

        var excluded = new ExcludedHome
        {
            HomeKey = home.HomeKey,
            Reason = request.Reason!,
            Note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(),
            ExcludedAt = now,
            ExcludedByPartnerId = services.User.GetPartnerId()!.Value,
        };
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE support_measurement_homes
            SET excluded_reason = @Reason, excluded_note = @Note, excluded_at = @ExcludedAt, excluded_by_partner_id = @ExcludedByPartnerId
            WHERE measurement_id = @MeasurementId AND home_key = @HomeKey
            """,
            new { MeasurementId = visible.Measurement.Id, excluded.HomeKey, excluded.Reason, excluded.Note, excluded.ExcludedAt, excluded.ExcludedByPartnerId },
            work.Transaction, cancellationToken: services.Cancellation));
        await work.CommitAsync(services.Cancellation);
        return TypedResults.Ok(excluded);
    }

    internal static async Task<Results<Ok<SupportResultResponse>, ProblemHttpResult>> GetSupportResult(
        VisibleSupportMeasurement visible, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        var now = services.Clock.GetUtcNow();

        // Past its deadline a measurement is closed: the first read after it freezes the count, as closing would.
        await SupportMeasurementStore.FreezeIfDueAsync(work, visible.Measurement.Id, now, services.Cancellation);
        var result = await SupportMeasurementStore.ReadResultAsync(work, visible.Measurement.Id, now, services.Cancellation);
        await work.CommitAsync(services.Cancellation);
        return TypedResults.Ok(result);
    }

    internal static async Task<Results<Ok<SupportResultResponse>, ProblemHttpResult>> CloseSupportMeasurement(
        VisibleSupportMeasurement visible, [AsParameters] ApiServices services)
    {
        var now = services.Clock.GetUtcNow();

        // Nobody closes before the deadline: the tenants have until then, whatever the count says so far.
        if (now < visible.Measurement.Deadline)
        {
            return Problems.Unprocessable("deadline", $"The support measurement takes votes until its deadline, {visible.Measurement.Deadline:u}; it cannot be closed before.");
        }

        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        await SupportMeasurementStore.FreezeIfDueAsync(work, visible.Measurement.Id, now, services.Cancellation);
        var result = await SupportMeasurementStore.ReadResultAsync(work, visible.Measurement.Id, now, services.Cancellation);
        await work.CommitAsync(services.Cancellation);
        return TypedResults.Ok(result);
    }

    internal static async Task<Results<Ok<Page<SupportVoteLogEntry>>, ProblemHttpResult>> ListSupportVoteLog(
        VisibleSupportMeasurement visible, [AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);

        // Past its deadline the first read freezes the count, so that the log never shows home and choice together.
        await SupportMeasurementStore.FreezeIfDueAsync(work, visible.Measurement.Id, services.Clock.GetUtcNow(), services.Cancellation);
        var state = await SupportMeasurementStore.ReadStateAsync(work, visible.Measurement.Id, lockClause: "", services.Cancellation);

        // For every member, the tenants' organisation first. While open: no choice and no receipt hash (they would tell
        // how a home voted), the home only of a partner's paper form, to be checked with the form. After closing the
        // home and form reference are cut, and choice and hash are shown.
        var log = await work.Connection.QueryPageAsync<SupportVoteLogEntry>(page, new CommandDefinition(
            $"""
            SELECT CASE WHEN @Open AND channel = '{SupportVoteChannels.PaperForm}' THEN home_key END AS HomeKey,
                   CASE WHEN NOT @Open THEN choice END AS Choice,
                   CASE WHEN NOT @Open THEN previous_choice END AS PreviousChoice,
                   channel, recorded_at AS RecordedAt, entered_by AS EnteredBy, partner_id AS EnteredByPartnerId,
                   client_id AS EnteredByClientId, staff_subject AS EnteredByStaff,
                   CASE WHEN @Open THEN form_reference END AS FormReference, undid_exclusion AS UndidExclusion,
                   CASE WHEN NOT @Open THEN encode(receipt_hash, 'hex') END AS ReceiptHash
            FROM support_vote_log WHERE measurement_id = @MeasurementId
            ORDER BY id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM support_vote_log WHERE measurement_id = @MeasurementId;
            """,
            new { MeasurementId = visible.Measurement.Id, Open = state.ClosedAt is null, page.Offset, page.Size },
            work.Transaction, cancellationToken: services.Cancellation));
        await work.CommitAsync(services.Cancellation);
        return TypedResults.Ok(log);
    }

    internal static async Task<Results<Ok<Page<CountedVote>>, ProblemHttpResult>> ListCountedVotes(
        VisibleSupportMeasurement visible, [AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);

        // In hash order, which says nothing of the order the votes came in.
        return TypedResults.Ok(await connection.QueryPageAsync<CountedVote>(page, new CommandDefinition(
            """
            SELECT encode(receipt_hash, 'hex') AS ReceiptHash, choice FROM support_counted_votes WHERE measurement_id = @MeasurementId
            ORDER BY receipt_hash OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM support_counted_votes WHERE measurement_id = @MeasurementId;
            """,
            new { MeasurementId = visible.Measurement.Id, page.Offset, page.Size }, cancellationToken: services.Cancellation)));
    }
}
