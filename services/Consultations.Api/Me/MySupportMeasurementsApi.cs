using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Domain;
using Participatie.Consultations.SupportMeasurements;

namespace Participatie.Consultations.Me;

/// <summary>
/// The draagvlakmeting for the resident's home: online for the home the residents service says they live in, or with
/// the code from the letter (signed in, or anonymously); the home's vote changes until the deadline, and every change is
/// in the vote log as cast by the resident. Each vote answers with a receipt, by which the home finds its vote among
/// the counted ones after closing.
/// </summary>
public static class MySupportMeasurementsApi
{
    public static IEndpointRouteBuilder MapMySupportMeasurementsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapApiGroup("/v1/me/support-measurements", MyConsultationsApi.Tag, AuthenticationExtensions.ResidentPolicy)
            .MapGet("", ListMySupportMeasurements)
            .WithName("ListMySupportMeasurements")
            .WithSummary("The open support measurements (draagvlakmetingen) for my home, with how my home voted so far");

        routes.MapApiGroup("/v1/me/support-measurements/{measurementId:guid}", MyConsultationsApi.Tag, AuthenticationExtensions.ResidentPolicy)
            .WithAccessCheck<MySupportMeasurementAccessCheck>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .MapPut("/vote", CastMyVote)
            .WithName("CastMyVote")
            .WithSummary("Vote for my home, or change its vote, until the deadline; with the code from my letter the vote is for the home of that code")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

        PublicApi.MapPublicGroup(routes, "/v1/public/support-measurements/{measurementId:guid}")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .MapPost("/votes", CastPublicVote)
            .WithName("CastVoteWithLetterCode")
            .WithSummary("Vote with the code from the letter, without signing in; voting again with the same code before the deadline changes the home's vote")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

        PublicApi.MapPublicGroup(routes, "/v1/public/support-measurements/{measurementId:guid}/counted-votes/{receiptHash}")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .MapGet("", VerifyCountedVote)
            .WithName("VerifyCountedVote")
            .WithSummary("After closing: whether the vote with this receipt hash was counted, and as which choice; the hash names no home");
        return routes;
    }

    internal static async Task<Ok<Page<MySupportMeasurementResponse>>> ListMySupportMeasurements(
        [AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        // Open as of now: not closed by its owner, deadline not passed.
        const string filter = """
            s.closed_at IS NULL AND s.deadline > @Now
            AND EXISTS (SELECT 1 FROM support_measurement_residents r WHERE r.measurement_id = s.id AND r.resident_id = @ResidentId)
            """;
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        return TypedResults.Ok(await connection.QueryPageAsync<MySupportMeasurementResponse>(page, new CommandDefinition(
            $"""
            SELECT s.id, s.title, s.proposal, s.deadline, 'open' AS Status, h.choice AS MyHomeVote, h.voted_at AS VotedAt
            FROM support_measurements s
            JOIN LATERAL (SELECT h.choice, h.voted_at FROM support_measurement_residents r
                          JOIN support_measurement_homes h ON h.measurement_id = r.measurement_id AND h.home_key = r.home_key
                          WHERE r.measurement_id = s.id AND r.resident_id = @ResidentId ORDER BY r.home_key LIMIT 1) h ON true
            WHERE {filter}
            ORDER BY s.deadline, s.id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM support_measurements s WHERE {filter};
            """,
            new { ResidentId = services.User.ResidentId(), Now = services.Clock.GetUtcNow(), page.Offset, page.Size },
            cancellationToken: services.Cancellation)));
    }

    internal static async Task<Results<Ok<VoteReceipt>, ProblemHttpResult>> CastMyVote(
        MySupportMeasurementSubject subject, CastMyVoteRequest request, HttpContext context, [AsParameters] ApiServices services)
    {
        var code = string.IsNullOrWhiteSpace(request.Code) ? null : request.Code;
        return await CastAsync(
            subject.MeasurementId, code, code is null ? subject.HomeKey : null, request.Choice!, SupportVoter.Resident(subject.ResidentId), context, services);
    }

    internal static async Task<Results<Ok<VoteReceipt>, ProblemHttpResult>> CastPublicVote(
        Guid measurementId, CastPublicVoteRequest request, HttpContext context, [AsParameters] ApiServices services)
    {
        await using (var connection = await services.Database.OpenConnectionAsync(services.Cancellation))
        {
            if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM support_measurements WHERE id = @MeasurementId)",
                new { MeasurementId = measurementId }, cancellationToken: services.Cancellation)))
            {
                return Problems.NotFound("support measurement", measurementId);
            }
        }

        // Nobody signed in: the vote log records that a resident cast it with their letter, not who.
        return await CastAsync(measurementId, request.Code, homeKey: null, request.Choice!, SupportVoter.Resident(residentId: null), context, services);
    }

    internal static async Task<Results<Ok<CountedVote>, ProblemHttpResult>> VerifyCountedVote(
        // The bound is what Parse checks (a SHA-256 hash in hexadecimal), so that the document names it.
        Guid measurementId, [System.ComponentModel.DataAnnotations.StringLength(64)] string receiptHash, [AsParameters] ApiServices services)
    {
        if (SupportVoteReceipts.Parse(receiptHash.ToLowerInvariant()) is not { } hash)
        {
            return Problems.Unprocessable("receiptHash", "'receiptHash' must be the 64 hexadecimal characters of the receipt hash.");
        }

        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var choice = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT choice FROM support_counted_votes WHERE measurement_id = @MeasurementId AND receipt_hash = @Hash",
            new { MeasurementId = measurementId, Hash = hash }, cancellationToken: services.Cancellation));
        return choice is null
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "No counted vote has this receipt hash.",
                detail: "Either the measurement is still open, or no vote with this receipt counted (a later vote of the home replaced it).",
                type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5")
            : TypedResults.Ok(new CountedVote { ReceiptHash = SupportVoteReceipts.Show(hash), Choice = choice });
    }

    /// <summary>A vote by the resident; with a code, only while this client has not given too many wrong ones.</summary>
    private static async Task<Results<Ok<VoteReceipt>, ProblemHttpResult>> CastAsync(
        Guid measurementId, string? code, string? homeKey, string choice, SupportVoter voter, HttpContext context, ApiServices services)
    {
        var now = services.Clock.GetUtcNow();
        var clientAddress = WrongCodeAttempts.ClientAddress(context);
        if (code is not null
            && await WrongCodeAttempts.RefuseIfLockedAsync(services.Database, measurementId, clientAddress, now, context, services.Cancellation) is { } locked)
        {
            return locked;
        }

        var channel = code is null ? SupportVoteChannels.Online : SupportVoteChannels.Letter;
        var (receipt, problem) = await SupportMeasurementStore.CastAsync(
            services.UnitOfWork, measurementId, code, homeKey, choice, channel, voter, formReference: null, now, services.Cancellation);
        if (problem is not null)
        {
            if (code is not null && IsWrongCode(problem))
            {
                await WrongCodeAttempts.RecordAsync(services.Database, measurementId, clientAddress, now, services.Cancellation);
            }

            return problem;
        }

        return TypedResults.Ok(receipt);
    }

    private static bool IsWrongCode(ProblemHttpResult problem) =>
        problem.ProblemDetails is HttpValidationProblemDetails validation && validation.Errors.ContainsKey("code");
}
