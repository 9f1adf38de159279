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
/// The draagvlakmeting (art. 7:220 BW): a corporation puts a renovation proposal to the homes of a complex; each home
/// votes once with the code from its letter; the proposal is deemed reasonable when at least 70% of all homes agree.
/// </summary>
public static class SupportMeasurementsApi
{
    public static IEndpointRouteBuilder MapSupportMeasurementsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/support-measurements", "Support measurements");
        var one = routes.MapApiGroup("/v1/support-measurements/{measurementId:guid}", "Support measurements").WithSupportMeasurementAccess();

        api.MapPost("", CreateSupportMeasurement)
            .WithName("CreateSupportMeasurement")
            .WithSummary("Put a renovation proposal to the homes of a complex (at least 10); answers each home's voting code, for the letters, this once only")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", ListSupportMeasurements)
            .WithName("ListSupportMeasurements")
            .WithSummary("List the support measurements of the trajectories the caller takes part in, newest first, optionally of one trajectory");
        one.MapGet("", GetSupportMeasurement)
            .WithName("GetSupportMeasurement")
            .WithSummary("Read one support measurement with the homes of its complex")
            .ProducesProblem(StatusCodes.Status404NotFound);
        one.MapPost("/votes", CastSupportVote)
            .WithName("CastSupportVote")
            .WithSummary("Enter a home's vote with the code from its letter, on the resident's behalf; voting again before the deadline replaces the home's vote")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        one.MapGet("/result", GetSupportResult)
            .WithName("GetSupportResult")
            .WithSummary("The count so far, or the final count once closed: agreement out of all homes, and whether it reaches 70%")
            .ProducesProblem(StatusCodes.Status404NotFound);
        one.MapPost("/close", CloseSupportMeasurement)
            .Requires(SupportMeasurementPermissions.Own)
            .WithName("CloseSupportMeasurement")
            .WithSummary("Close the measurement (its owner) and freeze its result; closing a closed measurement changes nothing")
            .ProducesProblem(StatusCodes.Status404NotFound);
        one.MapGet("/audit", ListSupportVoteLog)
            .Requires(SupportMeasurementPermissions.Own)
            .WithName("ListSupportVoteLog")
            .WithSummary("Every vote and change of a vote, oldest first, with the home, channel and who entered it (its owner)")
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
        await work.CommitAsync(services.Cancellation);

        // The only time the codes leave the service: for the letters. They are not stored, so they cannot be asked again.
        return TypedResults.Created($"/v1/support-measurements/{measurement.Id}", measurement with
        {
            VotingCodes = [.. homeKeys.Zip(codes, (homeKey, code) => new VotingCode { HomeKey = homeKey, Code = code })],
        });
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
        return TypedResults.Ok(visible.Measurement with { Homes = homes.AsList() });
    }

    internal static async Task<Results<Ok<VoteReceipt>, ProblemHttpResult>> CastSupportVote(
        VisibleSupportMeasurement visible, CastSupportVoteRequest request, [AsParameters] ApiServices services)
    {
        // Any partner in the trajectory enters votes for residents: they hold no token, only the code from their letter.
        var (receipt, problem) = await SupportMeasurementStore.CastAsync(
            services.UnitOfWork, visible.Measurement.Id, request.Code, homeKey: null, request.Choice!, request.Channel ?? SupportVoteChannels.Online,
            SupportVoter.Partner(services.User.GetPartnerId()!.Value, services.User.GetClientId()), services.Clock.GetUtcNow(), services.Cancellation);
        return problem ?? (Results<Ok<VoteReceipt>, ProblemHttpResult>)TypedResults.Ok(receipt);
    }

    internal static async Task<Results<Ok<SupportResultResponse>, ProblemHttpResult>> GetSupportResult(
        VisibleSupportMeasurement visible, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        var now = services.Clock.GetUtcNow();

        // Past its deadline a measurement is closed: the first read after it freezes the count, as closing would.
        await SupportMeasurementStore.FreezeAsync(work, visible.Measurement.Id, closedBy: null, now, onlyIfDue: true, services.Cancellation);
        var result = await SupportMeasurementStore.ReadResultAsync(work, visible.Measurement.Id, now, services.Cancellation);
        await work.CommitAsync(services.Cancellation);
        return TypedResults.Ok(result);
    }

    internal static async Task<Results<Ok<SupportResultResponse>, ProblemHttpResult>> CloseSupportMeasurement(
        VisibleSupportMeasurement visible, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        var now = services.Clock.GetUtcNow();

        await SupportMeasurementStore.FreezeAsync(work, visible.Measurement.Id, services.User.GetPartnerId(), now, onlyIfDue: false, services.Cancellation);
        var result = await SupportMeasurementStore.ReadResultAsync(work, visible.Measurement.Id, now, services.Cancellation);
        await work.CommitAsync(services.Cancellation);
        return TypedResults.Ok(result);
    }

    internal static async Task<Results<Ok<Page<SupportVoteLogEntry>>, ProblemHttpResult>> ListSupportVoteLog(
        VisibleSupportMeasurement visible, [AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);

        // Who voted how, per address: for the owner's accountability, not for the other partners.

        return TypedResults.Ok(await connection.QueryPageAsync<SupportVoteLogEntry>(page, new CommandDefinition(
            """
            SELECT home_key AS HomeKey, choice, previous_choice AS PreviousChoice, channel, recorded_at AS RecordedAt,
                   entered_by AS EnteredBy, partner_id AS EnteredByPartnerId, client_id AS EnteredByClientId
            FROM support_vote_log WHERE measurement_id = @MeasurementId
            ORDER BY id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM support_vote_log WHERE measurement_id = @MeasurementId;
            """,
            new { MeasurementId = visible.Measurement.Id, page.Offset, page.Size }, cancellationToken: services.Cancellation)));
    }
}
