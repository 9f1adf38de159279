using System.Text.Json.Serialization;
using Participatie.BuildingBlocks.Http;
using Participatie.Residents.Registration;

namespace Participatie.Residents.Bulk;

/// <summary>The JSON body of a bulk registration: each resident shaped exactly like the body of POST /v1/residents.</summary>
public sealed record BulkRegistrationRequest(IReadOnlyList<RegisterResidentRequest> Residents);

/// <summary>
/// The answer to a bulk registration: one result per row, in the order of the rows. <see cref="Matched"/> counts the
/// rows that were a resident already known (the matching rule), to whom the partner is now linked.
/// </summary>
public sealed record BulkRegistrationResult(int Created, int Invalid, IReadOnlyList<BulkRowResult> Results, int Matched = 0);

/// <summary>
/// What became of one row: "created" with the new resident's id, "matched" with the id of the resident it already
/// was (same home, same e-mail address or phone number), or "invalid" with the problem per field (named as
/// in the JSON body or the CSV header). Row 1 is the first resident of the list, or the first line after the header.
/// </summary>
public sealed record BulkRowResult(
    int Row,
    [Vocabulary(typeof(BulkRowResult), nameof(BulkRowResult.Statuses))] string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? Id = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IDictionary<string, string[]>? Errors = null)
{
    public const string CreatedStatus = "created";
    public const string InvalidStatus = "invalid";
    public const string MatchedStatus = "matched";

    public static readonly IReadOnlyList<string> Statuses = [CreatedStatus, MatchedStatus, InvalidStatus];
}

/// <summary>One row as read from the body, before it is checked: the request, or why it could not be read.</summary>
public sealed record BulkRow(int Row, RegisterResidentRequest? Request, IReadOnlyDictionary<string, string> ReadErrors);

/// <summary>The rows of a body, or the problem with the body as a whole (a field and a message).</summary>
public sealed record BulkBody(IReadOnlyList<BulkRow> Rows, (string Field, string Message)? Problem)
{
    /// <summary>The most residents one request may register; larger lists are split by the caller.</summary>
    public const int MaxRows = 10_000;

    public static BulkBody Refused(string field, string message) => new([], (field, message));
}
