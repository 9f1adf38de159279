using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Residents.AccessLog;

namespace Participatie.Residents.DataRights;

/// <summary>
/// Data rights (AVG): a copy of everything the platform holds on a resident (art. 15 and 20) and erasure (art. 17),
/// asked by the resident (/v1/me) or by a linked partner on their behalf (/v1/residents/{id}); the operator reads any
/// erasure's proof (/v1/erasures/{id}). Every request and every delivery of personal data is logged.
/// </summary>
public static class DataRightsApi
{
    public const string Tag = "Data rights";

    public static IEndpointRouteBuilder MapDataRightsApi(this IEndpointRouteBuilder routes)
    {
        var own = routes.MapApiGroup("/v1/me", Tag, AuthenticationExtensions.ResidentPolicy)
            .WithAccessCheck<OwnDataAccessCheck>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        MapDataRights(own, "Own");
        own.MapPost("/erasure", RequestErasure)
            .WithName("EraseOwnData")
            .WithSummary("Erase all my personal data (AVG art. 17); asking again returns the same erasure");

        var onBehalf = routes.MapApiGroup("/v1/residents/{residentId:guid}", Tag)
            .WithAccessCheck<LinkedResidentAccessCheck>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        MapDataRights(onBehalf, "Resident");
        onBehalf.MapPost("/erasure", RequestErasure)
            .WithName("EraseResidentData")
            .WithSummary("Erase a resident's personal data on their behalf (AVG art. 17); asking again returns the same erasure");
        onBehalf.MapGet("/erasure", GetResidentErasure)
            .WithName("GetResidentErasure")
            .WithSummary("The proof of a resident's erasure: each service's confirmation with its time");

        routes.MapApiGroup("/v1/erasures", Tag, AuthenticationExtensions.PlatformPolicy)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .MapGet("/{erasureId:guid}", GetErasure)
            .WithName("GetErasure")
            .WithSummary("The proof of an erasure for the platform operator: each service's confirmation with its time");
        return routes;
    }

    private static void MapDataRights(RouteGroupBuilder group, string owner)
    {
        group.MapPost("/data-exports", RequestExport)
            .WithName($"Request{owner}DataExport")
            .WithSummary("Ask for a copy of everything the platform holds (AVG art. 15 and 20); every service adds its part");
        group.MapGet("/data-exports/{exportId:guid}", GetExport)
            .WithName($"Get{owner}DataExport")
            .WithSummary("How far an export is: the parts received, and ready when every service answered");
        group.MapGet("/data-exports/{exportId:guid}/data.json", GetExportJson)
            .WithName($"Get{owner}DataExportJson")
            .WithSummary("The whole export as one machine-readable JSON file; each delivery is logged")
            .Produces<byte[]>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/data-exports/{exportId:guid}/data.pdf", GetExportPdf)
            .WithName($"Get{owner}DataExportPdf")
            .WithSummary("The whole export as a readable PDF in Dutch; each delivery is logged")
            .Produces<byte[]>(StatusCodes.Status200OK, "application/pdf")
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    internal static async Task<Results<Accepted<ExportResponse>, ProblemHttpResult>> RequestExport(
        DataSubject subject, HttpContext httpContext, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        var now = services.Clock.GetUtcNow();
        // Asking for one's data is activity (retention), and the row lock it takes is exclusive against an erasure: an
        // export never outlives the data it copies.
        if (await ResidentActivity.RecordAsync(work, [subject.ResidentId], now, services.Cancellation) == 0)
        {
            return Problems.NotFound("resident", subject.ResidentId);
        }

        await AccessLogStore.LogAsync(work, subject.ResidentId, subject.Caller, "export-requested", "data export (AVG art. 15, 20)", services.Cancellation);
        var export = await ExportStore.CreateAsync(
            work, subject.ResidentId, subject.PartnerId is null ? Requesters.Resident : Requesters.Partner, subject.PartnerId, now, services.Cancellation);
        var parts = await ExportStore.PartsAsync(work, export.Id, withData: false, services.Cancellation);
        await work.CommitAsync(services.Cancellation);
        return TypedResults.Accepted($"{httpContext.Request.Path}/{export.Id}", ExportResponse.From(export, parts));
    }

    internal static async Task<Results<Ok<ExportResponse>, ProblemHttpResult>> GetExport(
        DataSubject subject, Guid exportId, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        if (await FindExportAsync(work, subject, exportId, services.Cancellation) is not { } export)
        {
            return Problems.NotFound("data export", exportId);
        }

        return TypedResults.Ok(ExportResponse.From(export, await ExportStore.PartsAsync(work, exportId, withData: false, services.Cancellation)));
    }

    internal static Task<Results<FileContentHttpResult, ProblemHttpResult>> GetExportJson(
        DataSubject subject, Guid exportId, [AsParameters] ApiServices services) =>
        DeliverAsync(subject, exportId, services, "json", (export, parts) =>
            TypedResults.File(ExportDocument.ToUtf8(ExportDocument.Build(export, parts)), "application/json", $"gegevens-{export.Id}.json"));

    internal static Task<Results<FileContentHttpResult, ProblemHttpResult>> GetExportPdf(
        DataSubject subject, Guid exportId, [AsParameters] ApiServices services) =>
        DeliverAsync(subject, exportId, services, "pdf", (export, parts) =>
            TypedResults.File(ExportPdf.Render(export, parts), "application/pdf", $"gegevens-{export.Id}.pdf"));

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DeliverAsync(
        DataSubject subject, Guid exportId, ApiServices services, string format,
        Func<ExportRecord, IReadOnlyList<ExportPart>, FileContentHttpResult> render)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        if (await FindExportAsync(work, subject, exportId, services.Cancellation) is not { } export)
        {
            return Problems.NotFound("data export", exportId);
        }

        var parts = await ExportStore.PartsAsync(work, exportId, withData: true, services.Cancellation);
        if (ExportResponse.From(export, parts).PartsMissing is { Count: > 0 } missing)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                ["exportId"] = [$"The export is not ready yet: waiting for {string.Join(", ", missing)}."],
            })
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The data export is not ready yet.",
                Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
            });
        }

        // The delivery and its record commit together: no copy leaves without a trace.
        var file = render(export, parts);
        await AccessLogStore.LogAsync(work, subject.ResidentId, subject.Caller, "export-delivered", $"data export {exportId} ({format})", services.Cancellation);
        await work.CommitAsync(services.Cancellation);
        return file;
    }

    /// <summary>A resident reads every export about them; a partner only those it asked for itself.</summary>
    private static async Task<ExportRecord?> FindExportAsync(UnitOfWork work, DataSubject subject, Guid exportId, CancellationToken cancellationToken)
    {
        if (subject.IsErased)
        {
            return null;
        }

        var export = await ExportStore.FindAsync(work, subject.ResidentId, exportId, cancellationToken);
        return export is not null && (subject.PartnerId is null || await ExportStore.RequestedByAsync(work, exportId, cancellationToken) == subject.PartnerId)
            ? export
            : null;
    }

    internal static async Task<Results<Ok<ErasureResponse>, Accepted<ErasureResponse>, ProblemHttpResult>> RequestErasure(
        DataSubject subject, HttpContext httpContext, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        if (!await ErasureStore.LockResidentAsync(work, subject.ResidentId, services.Cancellation))
        {
            // Erased already (perhaps a moment ago, by a concurrent request): the same erasure again.
            return await ErasureStore.FindByResidentAsync(work, subject.ResidentId, services.Cancellation) is { } earlier
                ? TypedResults.Ok(await ErasureStore.GetProofAsync(work, earlier.Id, services.Cancellation))
                : Problems.NotFound("resident", subject.ResidentId);
        }

        var erasure = await ErasureStore.EraseAsync(
            work,
            subject.ResidentId,
            subject.PartnerId is null ? Requesters.Resident : Requesters.Partner,
            subject.PartnerId,
            services.Clock.GetUtcNow(),
            services.Cancellation);
        await AccessLogStore.LogAsync(work, subject.ResidentId, subject.Caller, "erased", "erasure (AVG art. 17)", services.Cancellation);
        var proof = await ErasureStore.GetProofAsync(work, erasure.Id, services.Cancellation);
        await work.CommitAsync(services.Cancellation);
        // The partner reads the proof where it asked; a resident has no route to it (the operator and the partner keep it).
        return TypedResults.Accepted(subject.PartnerId is null ? null : $"{httpContext.Request.Path}", proof);
    }

    internal static async Task<Results<Ok<ErasureResponse>, ProblemHttpResult>> GetResidentErasure(
        DataSubject subject, [AsParameters] ApiServices services)
    {
        if (subject.ErasureId is not { } erasureId)
        {
            return Problems.NotFound("erasure of resident", subject.ResidentId);
        }

        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        return TypedResults.Ok((await ErasureStore.GetProofAsync(work, erasureId, services.Cancellation))!);
    }

    internal static async Task<Results<Ok<ErasureResponse>, ProblemHttpResult>> GetErasure(
        Guid erasureId, [AsParameters] ApiServices services)
    {
        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        return await ErasureStore.GetProofAsync(work, erasureId, services.Cancellation) is { } proof
            ? TypedResults.Ok(proof)
            : Problems.NotFound("erasure", erasureId);
    }
}
