using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;

namespace Participatie.Notifications.Delivery.Letters;

/// <summary>
/// The print batches, for the sending partner (its own) and the platform operator (all): the list, a batch, its PDF and
/// its manifest, and cutting a batch now instead of waiting for the daily one.
/// </summary>
public static class LetterBatchesApi
{
    public static IEndpointRouteBuilder MapLetterBatchesApi(this IEndpointRouteBuilder routes)
    {
        var batches = routes.MapApiGroup("/v1/notifications/letter-batches", "Letters", AuthenticationExtensions.CallerPolicy);
        batches.MapGet("", ListLetterBatches)
            .WithName("ListLetterBatches")
            .WithSummary("List the print batches of letters, newest first: a partner's own, or every partner's for the platform operator");
        batches.MapPost("", CutLetterBatches)
            .WithName("CutLetterBatches")
            .WithSummary("Cut print batches now from the pending letters: the calling partner's, or every partner's for the platform operator");

        var batch = routes.MapApiGroup("/v1/notifications/letter-batches/{letterBatchId:guid}", "Letters", AuthenticationExtensions.CallerPolicy)
            .WithAccessCheck<LetterBatchAccessCheck>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        batch.MapGet("", GetLetterBatch)
            .WithName("GetLetterBatch")
            .WithSummary("Read one print batch");
        batch.MapGet("/pdf", GetLetterBatchPdf)
            .WithName("GetLetterBatchPdf")
            .WithSummary("The batch's letters as one print-ready PDF (A4, the address in the window of a Dutch window envelope)")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesProblem(StatusCodes.Status410Gone);
        batch.MapPost("/printed", MarkLetterBatchPrinted)
            .Requires(LetterBatchAccessCheck.MarkPrinted)
            .WithName("MarkLetterBatchPrinted")
            .WithSummary("Report a print batch printed (platform operator); a batch of voting codes then loses its PDF, the codes' last copy")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        batch.MapGet("/manifest", GetLetterBatchManifest)
            .WithName("GetLetterBatchManifest")
            .WithSummary("The batch's manifest (CSV): notification id, resident id, first page, postcode, kind and language of every letter; no names")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        return routes;
    }

    internal static async Task<Ok<Page<LetterBatchResponse>>> ListLetterBatches([AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        const string filter = $"WHERE {LetterBatchAccessCheck.VisibleToCaller}";
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        return TypedResults.Ok(await connection.QueryPageAsync<LetterBatchResponse>(page, new CommandDefinition(
            $"""
            {LetterBatchAccessCheck.SelectBatch} {filter} ORDER BY created_at DESC, id DESC OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM letter_batches {filter};
            """,
            new { Operator = services.User.IsPlatformOperator(), CallerPartnerId = services.PartnerId, page.Offset, page.Size },
            cancellationToken: services.Cancellation)));
    }

    internal static async Task<Ok<LetterCutResponse>> CutLetterBatches(LetterBatcher batcher, [AsParameters] ApiServices services) =>
        // The operator cuts for every partner; a partner only its own letters, which carry its name.
        TypedResults.Ok(await batcher.CutAsync(
            services.User.IsPlatformOperator() ? null : services.PartnerId, LetterBatcher.OnRequest, services.Cancellation));

    internal static Ok<LetterBatchResponse> GetLetterBatch(VisibleLetterBatch visible) => TypedResults.Ok(visible.Batch);

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetLetterBatchPdf(VisibleLetterBatch visible, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var pdf = await connection.QuerySingleAsync<byte[]?>(new CommandDefinition(
            "SELECT pdf FROM letter_batches WHERE id = @Id", new { visible.Batch.Id }, cancellationToken: services.Cancellation));
        if (pdf is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status410Gone,
                title: "This letter batch was printed and its PDF removed.",
                detail: $"Letter batch {visible.Batch.Id} carried voting codes; its PDF was deleted when it was reported printed.",
                type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.11");
        }

        return TypedResults.File(pdf, "application/pdf", $"letters-{visible.Batch.PrintDate:yyyy-MM-dd}-{visible.Batch.Id}.pdf");
    }

    internal static async Task<Ok<LetterBatchResponse>> MarkLetterBatchPrinted(VisibleLetterBatch visible, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        // The first report counts; a voting-code batch's PDF goes with it, so that no code outlives its printing.
        var printed = await connection.QuerySingleAsync<LetterBatchResponse>(new CommandDefinition(
            $"""
            UPDATE letter_batches
            SET printed_at = coalesce(printed_at, @Now), pdf = CASE WHEN voting_codes THEN NULL ELSE pdf END
            WHERE id = @Id
            RETURNING {LetterBatchAccessCheck.BatchColumns}
            """,
            new { visible.Batch.Id, Now = services.Clock.GetUtcNow() },
            cancellationToken: services.Cancellation));
        return TypedResults.Ok(printed);
    }

    internal static async Task<FileContentHttpResult> GetLetterBatchManifest(VisibleLetterBatch visible, [AsParameters] ApiServices services)
    {
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        var manifest = await connection.QuerySingleAsync<string>(new CommandDefinition(
            "SELECT manifest FROM letter_batches WHERE id = @Id", new { visible.Batch.Id }, cancellationToken: services.Cancellation));
        return TypedResults.File(
            System.Text.Encoding.UTF8.GetBytes(manifest), "text/csv; charset=utf-8", $"letters-{visible.Batch.PrintDate:yyyy-MM-dd}-{visible.Batch.Id}.csv");
    }
}
