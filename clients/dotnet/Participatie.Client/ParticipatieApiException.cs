using System.Text.Json;

namespace Participatie.Client;

/// <summary>
/// An answer other than the one the operation promises. The platform answers every error as RFC 9457 problem+json;
/// <see cref="Problem"/> is that problem, with <see cref="ApiProblem.Errors"/> naming each refused field, whatever
/// status it came with and whether or not the OpenAPI document lists that status for the operation.
/// </summary>
public class ParticipatieApiException : Exception
{
    public ParticipatieApiException(
        string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>> headers, Exception? innerException)
        : base(Describe(message, statusCode, response), innerException)
    {
        StatusCode = statusCode;
        Response = response;
        Headers = headers;
        Problem = ApiProblem.TryParse(response);
    }

    public ParticipatieApiException()
        : this("The API did not answer as expected.", 0, null, new Dictionary<string, IEnumerable<string>>(), null)
    {
    }

    public ParticipatieApiException(string message)
        : this(message, 0, null, new Dictionary<string, IEnumerable<string>>(), null)
    {
    }

    public ParticipatieApiException(string message, Exception innerException)
        : this(message, 0, null, new Dictionary<string, IEnumerable<string>>(), innerException)
    {
    }

    public int StatusCode { get; }

    /// <summary>The body of the answer as text.</summary>
    public string? Response { get; }

    public IReadOnlyDictionary<string, IEnumerable<string>> Headers { get; }

    /// <summary>The problem the platform answered with; null when the body was no problem (a proxy's HTML page, say).</summary>
    public ApiProblem? Problem { get; }

    /// <summary>The messages for one field (<c>"buurtCode"</c>, <c>"addresses[0].postcode"</c>), empty when it was not refused.</summary>
    public IReadOnlyList<string> ErrorsFor(string field) =>
        Problem?.Errors.TryGetValue(field, out var messages) == true ? messages : [];

    // The problem's title and refused fields belong in the message: it is what a log shows of an exception.
    private static string Describe(string message, int statusCode, string? response)
    {
        var problem = ApiProblem.TryParse(response);
        if (problem is null)
        {
            return statusCode == 0 ? message : $"{message} (HTTP {statusCode})";
        }

        var fields = problem.Errors.Count == 0
            ? string.Empty
            : "; " + string.Join("; ", problem.Errors.Select(error => $"{error.Key}: {string.Join(" ", error.Value)}"));
        return $"HTTP {statusCode} {problem.Title}{(problem.Detail is null ? string.Empty : ": " + problem.Detail)}{fields}";
    }
}

/// <summary>An error answer whose body the OpenAPI document describes, read as <typeparamref name="TResult"/>.</summary>
public class ParticipatieApiException<TResult> : ParticipatieApiException
{
    public ParticipatieApiException(
        string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>> headers, TResult result, Exception? innerException)
        : base(message, statusCode, string.IsNullOrEmpty(response) ? BodyOf(result) : response, headers, innerException)
    {
        Result = result;
    }

    public TResult Result { get; }

    // The generated code reads a described error body as a stream, leaving no text: the problem is read back from it.
    private static string? BodyOf(TResult result)
    {
        try
        {
            return result is null ? null : JsonSerializer.Serialize(result);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}

/// <summary>An RFC 9457 problem as the platform answers it, with the refused fields in <see cref="Errors"/>.</summary>
public sealed record ApiProblem(
    string? Type,
    string? Title,
    int? Status,
    string? Detail,
    string? Instance,
    string? TraceId,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Errors)
{
    internal static ApiProblem? TryParse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !(root.TryGetProperty("title", out _) || root.TryGetProperty("status", out _)))
            {
                return null;
            }

            var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (root.TryGetProperty("errors", out var found) && found.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in found.EnumerateObject())
                {
                    errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                        ? [.. field.Value.EnumerateArray().Select(message => message.ToString())]
                        : [field.Value.ToString()];
                }
            }

            return new ApiProblem(
                Text(root, "type"), Text(root, "title"),
                root.TryGetProperty("status", out var status) && status.TryGetInt32(out var code) ? code : null,
                Text(root, "detail"), Text(root, "instance"), Text(root, "traceId"), errors);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
