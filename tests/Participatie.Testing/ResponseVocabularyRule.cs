using System.Text.Json;

namespace Participatie.Testing;

/// <summary>
/// Which fields of an answer hold a vocabulary value, by name: a status, kind, channel, language, role, phase, state,
/// type and the like is one of a fixed set and must say which (issue 12, part 3), through [Vocabulary] on the model and
/// so an enum in the OpenAPI document. The few fields so named that are genuinely free are listed with the reason.
/// Shared by <c>OpenApiAudit</c> (on the live documents) and the unit tests (on the models), so that neither can
/// miss a field the other would catch.
/// </summary>
public static class ResponseVocabularyRule
{
    /// <summary>How the names of vocabulary fields end (compared without case, so both C# and JSON names match).</summary>
    private static readonly string[] VocabularyEndings =
    [
        "Status", "Statuses", "Kind", "Kinds", "Channel", "Channels", "Language", "Languages", "Role", "Roles", "Outcome",
        "Phase", "Phases", "State", "Type", "Types", "Choice", "Action", "Reason", "Verdict", "Dimension", "Service",
        "Services", "Purpose", "Event", "Frequency", "Tenure", "Availability", "TargetGroups", "RequestedBy", "EnteredBy",
        "CutBy", "Vote",
    ];

    /// <summary>Fields named like a vocabulary whose values are free, as "Schema.property" (the JSON name), with why.</summary>
    public static readonly IReadOnlyDictionary<string, string> FreeFields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ProblemDetails.type"] = "RFC 9457: a URI reference that identifies the problem type, not a fixed set.",
        ["HttpValidationProblemDetails.type"] = "RFC 9457: a URI reference that identifies the problem type, not a fixed set.",
        ["AccessLogEntry.purpose"] = "Free text: why the personal data was read or changed, as the caller or the platform wrote it.",
        ["Contact.role"] = "Free text: a contact person's role at the partner, as the partner named it (at most 100 characters).",
        ["MyPollResponse.myChoice"] = "The id of the option the resident chose; each poll defines its own option ids.",
    };

    /// <summary>
    /// Maps in answers whose keys are not a vocabulary, as "Schema.property" (the JSON name), with why; every other map
    /// in an answer names its keys (propertyNames with an enum, from [Vocabulary] on the model).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> FreeKeyedMaps = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["HttpValidationProblemDetails.errors"] = "Keyed by the request's field names (a path such as items[2].text), not a fixed set.",
        ["BulkRowResult.errors"] = "Keyed by the row's field names, as a validation problem's errors are.",
    };

    /// <summary>Whether a map so named is known to have free keys (see <see cref="FreeKeyedMaps"/>).</summary>
    public static bool HasFreeKeys(string schema, string jsonName) => FreeKeyedMaps.ContainsKey($"{schema}.{jsonName}");

    /// <summary>Whether a field's name says it holds a vocabulary value.</summary>
    public static bool IsNamedLikeVocabulary(string name) =>
        VocabularyEndings.Any(ending => name.EndsWith(ending, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a field so named is known to be free (see <see cref="FreeFields"/>).</summary>
    public static bool IsFree(string schema, string jsonName) => FreeFields.ContainsKey($"{schema}.{jsonName}");

    /// <summary>The schemas that request bodies name, and those they contain: what validation sees, checked apart.</summary>
    public static HashSet<string> RequestSchemaNames(JsonElement document)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var schemas = document.TryGetProperty("components", out var components) && components.TryGetProperty("schemas", out var found) ? found : default;
        var pending = new Stack<JsonElement>();
        foreach (var operation in Operations(document))
        {
            if (operation.TryGetProperty("requestBody", out var body) && body.TryGetProperty("content", out var content))
            {
                foreach (var media in content.EnumerateObject().Where(media => media.Value.TryGetProperty("schema", out _)))
                {
                    pending.Push(media.Value.GetProperty("schema"));
                }
            }
        }

        while (pending.Count > 0)
        {
            var schema = pending.Pop();
            if (schema.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (schema.TryGetProperty("$ref", out var reference))
            {
                var name = reference.GetString()!.Split('/')[^1];
                if (names.Add(name) && schemas.ValueKind == JsonValueKind.Object && schemas.TryGetProperty(name, out var named))
                {
                    pending.Push(named);
                }

                continue;
            }

            foreach (var member in schema.EnumerateObject())
            {
                if (member.Name is "properties")
                {
                    foreach (var property in member.Value.EnumerateObject())
                    {
                        pending.Push(property.Value);
                    }
                }
                else if (member.Name is "items" or "additionalProperties")
                {
                    pending.Push(member.Value);
                }
                else if (member.Name is "oneOf" or "anyOf" or "allOf")
                {
                    foreach (var part in member.Value.EnumerateArray())
                    {
                        pending.Push(part);
                    }
                }
            }
        }

        return names;
    }

    private static IEnumerable<JsonElement> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(operation => operation.Name is "get" or "put" or "post" or "delete" or "patch")
            .Select(operation => operation.Value));
}
