using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using Participatie.Residents.AccessLog;
using Participatie.Residents.Areas;
using Participatie.Residents.Audiences;
using Participatie.Residents.DataRights;
using Participatie.Residents.Registration;
using Participatie.Residents.Registry;
using Participatie.Residents.Residents;

namespace Participatie.Residents.Bulk;

/// <summary>
/// Registers up to 10,000 residents in one request, from JSON or CSV, with a result per row. Valid rows are stored
/// even when others are not; all of a request's residents, their access-log entries and their events are written in
/// one transaction, each kind with one batched statement.
/// </summary>
public static class BulkRegistrationApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static RouteGroupBuilder MapBulkRegistration(this RouteGroupBuilder api)
    {
        api.MapPost("/bulk", RegisterMany)
            .WithName("RegisterResidentsInBulk")
            .WithSummary("Register up to 10,000 residents at once (JSON or CSV), with a result per row (a row outside the partner's areas is invalid, naming buurtCode); idempotent with an Idempotency-Key")
            .Accepts<BulkRegistrationRequest>("application/json", "text/csv")
            .WithMaxRequestBodySize(RequestLimits.BulkMaxBodyBytes)
            .Produces<BulkRegistrationResult>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    internal static async Task<IResult> RegisterMany(
        HttpRequest request, UnitOfWorkFactory unitOfWork, TimeProvider clock, IOptions<JsonOptions> jsonOptions,
        ResidentSnapshots snapshots, HomeAnnouncements homes, CancellationToken cancellationToken)
    {
        var partnerId = request.HttpContext.User.GetPartnerId()!.Value;
        string? key = request.Headers.TryGetValue(IdempotencyKeyHeader, out var keyValues) ? keyValues.ToString().Trim() : null;
        if (key is { Length: 0 or > 200 })
        {
            return Invalid(IdempotencyKeyHeader, $"'{IdempotencyKeyHeader}' must be 1 to 200 characters, for example a UUID.");
        }

        var isCsv = IsCsv(request.ContentType);
        if (!isCsv && !IsJson(request.ContentType))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "The body must be JSON or CSV.",
                detail: "Send 'Content-Type: application/json' with {\"residents\":[...]}, or 'Content-Type: text/csv' with a header row.",
                type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16");
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        var options = jsonOptions.Value.SerializerOptions;
        var parsed = isCsv ? CsvResidents.Read(body) : JsonResidents.Read(body, options);
        if (parsed.Problem is { } problem)
        {
            return Invalid(problem.Field, problem.Message);
        }

        var now = clock.GetUtcNow();
        var (rowResults, candidates) = Decide(parsed.Rows, now, partnerId);

        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (key is not null)
        {
            var requestHash = Hash(isCsv, body.Span);
            if (!await IdempotencyStore.TryClaimAsync(work, partnerId, key, requestHash, now, cancellationToken))
            {
                return await ReplayAsync(work, partnerId, key, requestHash, cancellationToken);
            }
        }

        // A row outside the partner's areas is refused on its own, like any other invalid row, before it can match.
        var areas = await CallerAreas.LoadAsync(work.Connection, work.Transaction, request.HttpContext.User, cancellationToken);
        candidates.RemoveAll(candidate =>
        {
            if (areas.Includes(candidate.Resident.BuurtCode))
            {
                return false;
            }

            rowResults[candidate.Index] = rowResults[candidate.Index] with
            {
                Status = BulkRowResult.InvalidStatus,
                Id = null,
                Errors = new Dictionary<string, string[]> { ["buurtCode"] = [CallerAreas.OutsideMessage(candidate.Resident.BuurtCode)] },
            };
            return true;
        });

        // The matching rule, row by row: a row that is a known resident (or an earlier row of this request) links the
        // partner to that resident instead of registering them again.
        var matching = await ResidentMatching.LoadAsync(work, candidates.Select(candidate => candidate.Resident.AddressKey), cancellationToken);
        var residents = new List<ResidentResponse>(candidates.Count);
        var matched = new List<Guid>();
        foreach (var (index, resident) in candidates)
        {
            if (matching.Match(resident) is { } existingId)
            {
                matched.Add(existingId);
                rowResults[index] = rowResults[index] with { Status = BulkRowResult.MatchedStatus, Id = existingId };
                continue;
            }

            matching.Add(resident);
            residents.Add(resident);
        }

        var caller = AccessLogCaller.From(request.HttpContext.User);
        if (residents.Count > 0)
        {
            await ResidentStore.InsertManyAsync(work, residents, cancellationToken);
            Guid[] ids = [.. residents.Select(resident => resident.Id)];
            await ResidentStore.RecordRegistrationsAsync(work, ids, partnerId, caller.ClientId, RegistryApi.AmsterdamToday(now), cancellationToken);
            await AccessLogStore.LogManyAsync(work, ids, caller, "registered", "registration", cancellationToken);
            // One message per thousand residents, so that the other services take them in a transaction at a time.
            await work.PublishManyAsync(
                [.. residents.Select(resident => resident.ToEvent()).Chunk(ResidentsRegistered.MaximumResidents).Select(chunk => new ResidentsRegistered(chunk))],
                cancellationToken);
            await snapshots.PublishRegisteredAsync(work, ids, now, cancellationToken);
            await AddressScopedAudiences.AnnounceNewcomersAsync(
                work, [.. residents.Select(resident => (resident.Id, resident.AddressKey))], cancellationToken);
            await homes.AnnounceAsync(work, residents.Select(resident => resident.AddressKey), now, cancellationToken);
        }

        if (matched.Count > 0)
        {
            await ResidentMatching.LinkAsync(work, matched, partnerId, caller.ClientId, now, cancellationToken);
            await AccessLogStore.LogManyAsync(work, [.. matched.Distinct()], caller, "linked", "registration matched an existing resident", cancellationToken);
            await ResidentActivity.RecordAsync(work, matched, now, cancellationToken);
        }

        var invalid = rowResults.Count(row => row.Status == BulkRowResult.InvalidStatus);
        var result = new BulkRegistrationResult(residents.Count, invalid, rowResults, matched.Count);
        var json = JsonSerializer.Serialize(result, options);
        if (key is not null)
        {
            await IdempotencyStore.SaveResultAsync(work, partnerId, key, json, cancellationToken);
        }

        await work.CommitAsync(cancellationToken);
        return Results.Text(json, "application/json", Encoding.UTF8, StatusCodes.Status200OK);
    }

    /// <summary>Checks each row as the single registration would; a valid row becomes a resident with a new id.</summary>
    private static (List<BulkRowResult> Results, List<(int Index, ResidentResponse Resident)> Candidates) Decide(
        IReadOnlyList<BulkRow> rows, DateTimeOffset now, Guid partnerId)
    {
        var results = new List<BulkRowResult>(rows.Count);
        var residents = new List<(int Index, ResidentResponse Resident)>(rows.Count);
        foreach (var row in rows)
        {
            var errors = new ValidationErrors();
            // The bounds the single registration gets from ValidationFilter: a row's NUL character would otherwise
            // fail the whole batched insert with a 500.
            if (row.Request is not null)
            {
                InputBounds.Check(row.Request, errors);
                row.Request.Validate(errors);
            }

            var byField = errors.ToDictionary();
            // A value that could not be read is the one problem with its field.
            foreach (var (field, message) in row.ReadErrors)
            {
                byField[field] = [message];
            }

            if (byField.Count > 0 || row.Request is null)
            {
                results.Add(new BulkRowResult(row.Row, BulkRowResult.InvalidStatus, Errors: byField));
                continue;
            }

            var resident = row.Request.ToResident(Guid.CreateVersion7(), now, partnerId);
            residents.Add((results.Count, resident));
            results.Add(new BulkRowResult(row.Row, BulkRowResult.CreatedStatus, resident.Id));
        }

        return (results, residents);
    }

    private static async Task<IResult> ReplayAsync(UnitOfWork work, Guid partnerId, string key, byte[] requestHash, CancellationToken cancellationToken)
    {
        var earlier = await IdempotencyStore.FindAsync(work, partnerId, key, cancellationToken);
        if (!earlier.RequestHash.AsSpan().SequenceEqual(requestHash) || earlier.Result is null)
        {
            return Problems.Unprocessable(
                IdempotencyKeyHeader, $"This '{IdempotencyKeyHeader}' was used for a different request; send new residents under a new key.");
        }

        // The same request again: the first answer, and nothing registered twice.
        return new ReplayedResult(earlier.Result);
    }

    private static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            title: "The request is not valid.",
            type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1");

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    /// <summary>What the key must be replayed for: the same body in the same format.</summary>
    private static byte[] Hash(bool isCsv, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(isCsv ? "csv\n"u8 : "json\n"u8);
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }

    private static bool IsCsv(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && string.Equals(media.MediaType, "text/csv", StringComparison.OrdinalIgnoreCase);

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (string.Equals(media.MediaType, "application/json", StringComparison.OrdinalIgnoreCase)
            || media.MediaType?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>The stored answer, marked as a replay.</summary>
    private sealed class ReplayedResult(string json) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers["Idempotent-Replayed"] = "true";
            return Results.Text(json, "application/json", Encoding.UTF8, StatusCodes.Status200OK).ExecuteAsync(httpContext);
        }
    }
}
