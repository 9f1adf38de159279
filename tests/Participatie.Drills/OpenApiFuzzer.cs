using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Participatie.Drills;

/// <summary>One operation of an OpenAPI document: where it is, what it takes.</summary>
public sealed record FuzzOperation(string Api, string Method, string Path, IReadOnlyList<JsonObject> Parameters, string? ContentType, JsonNode? BodySchema, JsonNode? BodyExample)
{
    public string Name => $"{Method} {Path}";
}

/// <summary>A generated request: the operation, what was wrong with it on purpose, and the request itself.</summary>
public sealed record FuzzRequest(FuzzOperation Operation, string Mutation, string Uri, string? ContentType, string? Body)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Operation.Method), new Uri(Uri, UriKind.Relative));
        if (Body is not null)
        {
            message.Content = new StringContent(Body, Encoding.UTF8);
            message.Content.Headers.ContentType = ContentType is null ? null : System.Net.Http.Headers.MediaTypeHeaderValue.Parse(ContentType);
        }

        return message;
    }
}

/// <summary>
/// Requests made from the services' own OpenAPI documents: valid in shape, wrong in content. For each operation in
/// turn one of the mutations: a valid request, a wrong value, a wrong type, a missing required field, an unknown field,
/// a huge string, a bad id, a bad enum value, bad query parameters, a body that is not the JSON asked for. Seeded, so a
/// failing run can be made again.
/// </summary>
public sealed class OpenApiFuzzer(IReadOnlyDictionary<string, string> knownIds, int seed)
{
    public static readonly string[] Mutations =
        ["valid", "wrong-value", "wrong-type", "missing-field", "unknown-field", "huge-string", "bad-id", "bad-enum", "bad-query", "malformed-body"];

    private const int HugeLength = 100_000;

    private readonly Random _random = new(seed);
    private JsonObject _document = new();

    /// <summary>Every operation of a document, its paths prefixed with the document's server URL (/v1).</summary>
    public static IReadOnlyList<FuzzOperation> Operations(string api, JsonObject document)
    {
        var server = document["servers"]?[0]?["url"]?.GetValue<string>() ?? "";
        var operations = new List<FuzzOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                if (method is not ("get" or "post" or "put" or "patch" or "delete") || node is not JsonObject operation)
                {
                    continue;
                }

                var parameters = (operation["parameters"] as JsonArray ?? [])
                    .Concat(item["parameters"] as JsonArray ?? [])
                    .Select(parameter => Resolve(document, parameter!)!.AsObject())
                    .ToList();
                var content = operation["requestBody"]?["content"] as JsonObject;
                var (contentType, media) = content is null ? (null, null)
                    : content.FirstOrDefault(entry => entry.Key == "application/json") is { Value: not null } json ? (json.Key, json.Value)
                    : (content.First().Key, content.First().Value);
                operations.Add(new FuzzOperation(
                    api, method.ToUpperInvariant(), server + path, parameters, contentType, media?["schema"], media is null ? null : Example(media)));
            }
        }

        return operations;
    }

    /// <summary>The example of a request body: inline, or as the documents give it, a data URL of base64 JSON.</summary>
    private static JsonNode? Example(JsonNode media)
    {
        if (media["example"] is { } inline)
        {
            return inline.DeepClone();
        }

        foreach (var (_, example) in media["examples"] as JsonObject ?? [])
        {
            if (example?["value"] is { } value)
            {
                return value.DeepClone();
            }

            if (example?["externalValue"]?.GetValue<string>() is { } url && url.StartsWith("data:", StringComparison.Ordinal) && url.Contains(";base64,", StringComparison.Ordinal))
            {
                return JsonNode.Parse(Convert.FromBase64String(url[(url.IndexOf(";base64,", StringComparison.Ordinal) + 8)..]));
            }
        }

        return null;
    }

    public FuzzRequest Generate(JsonObject document, FuzzOperation operation, string mutation)
    {
        _document = document;
        var body = operation.ContentType is null ? null : operation.BodyExample?.DeepClone() ?? ValidValue(operation.BodySchema, "body", 0);
        var pathValues = operation.Parameters.Where(parameter => In(parameter) == "path")
            .ToDictionary(parameter => Name(parameter), parameter => ValidText(parameter), StringComparer.Ordinal);
        var query = operation.Parameters.Where(parameter => In(parameter) == "query" && parameter["required"]?.GetValue<bool>() == true)
            .ToDictionary(parameter => Name(parameter), parameter => ValidText(parameter), StringComparer.Ordinal);
        var contentType = operation.ContentType;
        string? rawBody = null;

        switch (mutation)
        {
            case "wrong-value":
                MutateField(body, operation.BodySchema, WrongValue, () => SetQuery(operation, query, WrongValue));
                break;
            case "wrong-type":
                MutateField(body, operation.BodySchema, WrongType, () => SetQuery(operation, query, WrongType));
                break;
            case "missing-field":
                if (!RemoveRequired(body, operation.BodySchema) && query.Count > 0)
                {
                    query.Remove(query.Keys.ElementAt(_random.Next(query.Count)));
                }

                break;
            case "unknown-field":
                if (body is JsonObject unknown)
                {
                    unknown[$"unexpected{_random.Next(1000)}"] = Pick<JsonNode>(JsonValue.Create("x")!, JsonValue.Create(42)!, new JsonObject { ["nested"] = true }, new JsonArray(1, 2));
                }
                else
                {
                    query[$"unexpected{_random.Next(1000)}"] = "x";
                }

                break;
            case "huge-string":
                if (!MutateField(body, operation.BodySchema, (_, _) => JsonValue.Create(new string('ä', HugeLength)), () => false, stringsOnly: true))
                {
                    SetQuery(operation, query, (_, _) => JsonValue.Create(new string('x', HugeLength / 10)));
                }

                break;
            case "bad-id":
                if (pathValues.Count > 0)
                {
                    var key = pathValues.Keys.ElementAt(_random.Next(pathValues.Count));
                    pathValues[key] = Pick("not-a-guid", Guid.NewGuid().ToString(), Guid.Empty.ToString(), "..%2F..%2Fetc%2Fpasswd", new string('9', 400), "-1", "%00", "1e309");
                }
                else
                {
                    MutateField(body, operation.BodySchema, (_, _) => JsonValue.Create(Pick("not-a-guid", Guid.Empty.ToString(), "00000000-0000-0000-0000")), () => false, idsOnly: true);
                }

                break;
            case "bad-enum":
                if (!MutateField(body, operation.BodySchema, (_, _) => JsonValue.Create(Pick("unknown-value", "", "NL", "e-mail ", "null")), () => false, enumsOnly: true))
                {
                    SetQuery(operation, query, (_, _) => JsonValue.Create("unknown-value"));
                }

                break;
            case "bad-query":
                SetQuery(operation, query, (schema, _) => JsonValue.Create(Pick("-1", "0", "99999999999", "abc", "", "1.5", "2025-13-45", "%FF", "true", new string('x', 5000))));
                if (query.Count == 0)
                {
                    query[Pick("page", "pageSize", "search", "status")] = Pick("-1", "abc", "99999999999");
                }

                break;
            case "malformed-body":
                (contentType, rawBody) = Pick<(string?, string?)>(
                    ("application/json", "{\"truncated\": "),
                    ("application/json", "[]"),
                    ("application/json", "null"),
                    ("application/json", "\"a string\""),
                    ("application/json", ""),
                    ("text/plain", "just text"),
                    ("application/json", "{\"a\":" + new string('[', 2000) + new string(']', 2000) + "}"),
                    ("application/xml", "<resident/>"),
                    ("application/json", "{\"x\": 1e999999}"));
                break;
        }

        var uri = operation.Path;
        foreach (var (name, value) in pathValues)
        {
            // Bad ids are sent as they are (some are already escaped); valid ones are plain.
            uri = uri.Replace($"{{{name}}}", mutation == "bad-id" ? value : Uri.EscapeDataString(value), StringComparison.Ordinal);
        }

        if (query.Count > 0)
        {
            uri += "?" + string.Join('&', query.Select(pair => $"{Uri.EscapeDataString(pair.Key)}={Uri.EscapeDataString(pair.Value)}"));
        }

        rawBody ??= body is null ? null
            : contentType == "text/csv" ? "fullName;postcode\nA;1234 AB\n"
            : body.ToJsonString();
        return new FuzzRequest(operation, mutation, uri, contentType, rawBody);
    }

    private static string In(JsonObject parameter) => parameter["in"]!.GetValue<string>();

    private static string Name(JsonObject parameter) => parameter["name"]!.GetValue<string>();

    private T Pick<T>(params T[] choices) => choices[_random.Next(choices.Length)];

    /// <summary>A value that fits the parameter: an id this run knows by the parameter's name, else one made from its schema.</summary>
    private string ValidText(JsonObject parameter)
    {
        if (knownIds.TryGetValue(Name(parameter), out var known))
        {
            return known;
        }

        var value = ValidValue(parameter["schema"], Name(parameter), 0);
        return value is JsonValue scalar ? scalar.ToString() : value?.ToJsonString() ?? "x";
    }

    /// <summary>Sets one query parameter of the operation (a declared one if there is any) to a wrong value.</summary>
    private bool SetQuery(FuzzOperation operation, Dictionary<string, string> query, Func<JsonNode?, JsonNode?, JsonNode?> wrong)
    {
        var declared = operation.Parameters.Where(parameter => In(parameter) == "query").ToList();
        if (declared.Count == 0)
        {
            return false;
        }

        var parameter = declared[_random.Next(declared.Count)];
        var value = wrong(Resolve(_document, parameter["schema"]), null);
        query[Name(parameter)] = value is JsonValue scalar ? scalar.ToString() : value?.ToJsonString() ?? "";
        return true;
    }

    /// <summary>Replaces one field of the body (found with its schema) by what <paramref name="wrong"/> makes of it.</summary>
    private bool MutateField(
        JsonNode? body, JsonNode? schema, Func<JsonNode?, JsonNode?, JsonNode?> wrong, Func<bool> otherwise,
        bool stringsOnly = false, bool enumsOnly = false, bool idsOnly = false)
    {
        var fields = new List<(JsonObject Parent, string Key, JsonNode? Schema)>();
        Collect(body, schema, fields, 0);
        var candidates = fields.Where(field =>
        {
            var fieldSchema = Resolve(_document, field.Schema);
            return (!stringsOnly || Types(fieldSchema).Contains("string") || field.Parent[field.Key] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                && (!enumsOnly || fieldSchema?["enum"] is not null)
                && (!idsOnly || fieldSchema?["format"]?.GetValue<string>() == "uuid" || field.Key.EndsWith("Id", StringComparison.Ordinal));
        }).ToList();
        if (candidates.Count == 0)
        {
            return otherwise();
        }

        var (parent, key, fieldSchemaNode) = candidates[_random.Next(candidates.Count)];
        parent[key] = wrong(Resolve(_document, fieldSchemaNode), parent[key]);
        return true;
    }

    private void Collect(JsonNode? node, JsonNode? schema, List<(JsonObject, string, JsonNode?)> fields, int depth)
    {
        schema = Resolve(_document, schema);
        if (depth > 4)
        {
            return;
        }

        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj.ToList())
            {
                var propertySchema = Resolve(_document, schema?["properties"]?[key]);
                fields.Add((obj, key, propertySchema));
                Collect(value, propertySchema, fields, depth + 1);
            }
        }
        else if (node is JsonArray array && array.Count > 0)
        {
            Collect(array[0], schema?["items"], fields, depth + 1);
        }
    }

    private bool RemoveRequired(JsonNode? body, JsonNode? schema)
    {
        if (body is not JsonObject obj)
        {
            return false;
        }

        var required = (Resolve(_document, schema)?["required"] as JsonArray)?.Select(name => name!.GetValue<string>()).Where(obj.ContainsKey).ToList() ?? [];
        var removable = required.Count > 0 ? required : [.. obj.Select(pair => pair.Key)];
        if (removable.Count == 0)
        {
            return false;
        }

        obj.Remove(removable[_random.Next(removable.Count)]);
        return true;
    }

    /// <summary>A value of the declared type that breaks its rules: out of range, the wrong pattern, an impossible date.</summary>
    private JsonNode? WrongValue(JsonNode? schema, JsonNode? current)
    {
        var types = Types(schema);
        var format = schema?["format"]?.GetValue<string>();
        if (types.Contains("integer") || types.Contains("number"))
        {
            return Pick<JsonNode>(JsonValue.Create(-1)!, JsonValue.Create(0)!, JsonValue.Create(long.MaxValue)!, JsonValue.Create(int.MinValue)!, JsonValue.Create(1.5)!, JsonValue.Create(1e300)!);
        }

        if (types.Contains("boolean"))
        {
            return null;
        }

        if (types.Contains("array"))
        {
            return Pick<JsonNode>(new JsonArray(), new JsonArray(Enumerable.Range(0, 2000).Select(_ => (JsonNode?)JsonValue.Create("BU00000000")).ToArray()), new JsonArray((JsonNode?)null));
        }

        return format switch
        {
            "date" => JsonValue.Create(Pick("2025-13-45", "0001-01-01", "9999-12-31", "yesterday", "31-01-2030")),
            "date-time" => JsonValue.Create(Pick("2025-02-30T25:61:00Z", "0001-01-01T00:00:00Z", "now")),
            "uuid" => JsonValue.Create(Pick(Guid.NewGuid().ToString(), Guid.Empty.ToString())),
            "email" => JsonValue.Create(Pick("not-an-address", "@", "a@b")),
            _ => JsonValue.Create(Pick("", " ", "0000", "ZZ", "\u0000", "<script>alert(1)</script>", "' OR 1=1 --", "😀😀😀", "\u202Eevil", "9999 ZZ", "BU", "GM0000")),
        };
    }

    /// <summary>A value of another JSON type than the declared one.</summary>
    private JsonNode? WrongType(JsonNode? schema, JsonNode? current)
    {
        var types = Types(schema);
        if (types.Contains("string"))
        {
            return Pick<JsonNode?>(JsonValue.Create(12345), JsonValue.Create(true), new JsonObject { ["a"] = 1 }, new JsonArray("x"));
        }

        if (types.Contains("integer") || types.Contains("number"))
        {
            return Pick<JsonNode?>(JsonValue.Create("twelve"), JsonValue.Create(true), new JsonArray(1), new JsonObject());
        }

        if (types.Contains("boolean"))
        {
            return Pick<JsonNode?>(JsonValue.Create("yes"), JsonValue.Create(1), new JsonObject());
        }

        if (types.Contains("array"))
        {
            return Pick<JsonNode?>(JsonValue.Create("x"), new JsonObject { ["0"] = "x" }, JsonValue.Create(1));
        }

        if (types.Contains("object"))
        {
            return Pick<JsonNode?>(JsonValue.Create("x"), new JsonArray(), JsonValue.Create(1));
        }

        return Pick<JsonNode?>(JsonValue.Create(1), JsonValue.Create("x"), new JsonArray());
    }

    private static IReadOnlyList<string> Types(JsonNode? schema) => schema?["type"] switch
    {
        JsonArray types => [.. types.Select(type => type!.GetValue<string>())],
        JsonValue type => [type.GetValue<string>()],
        _ => schema?["properties"] is not null ? ["object"] : [],
    };

    /// <summary>A value that satisfies the schema as far as a schema can say: its example, its first enum value, a fitting scalar.</summary>
    private JsonNode? ValidValue(JsonNode? schemaNode, string name, int depth)
    {
        var schema = Resolve(_document, schemaNode);
        if (schema is null || depth > 5)
        {
            return JsonValue.Create("x");
        }

        if (schema["example"] is { } example)
        {
            return example.DeepClone();
        }

        if (schema["enum"] is JsonArray values && values.Count > 0)
        {
            return values.FirstOrDefault(value => value is not null)?.DeepClone();
        }

        foreach (var combinator in new[] { "allOf", "oneOf", "anyOf" })
        {
            if (schema[combinator] is JsonArray choices && choices.FirstOrDefault(choice => Types(Resolve(_document, choice)) is not ["null"]) is { } first)
            {
                return ValidValue(first, name, depth + 1);
            }
        }

        var types = Types(schema);
        if (types.Contains("object"))
        {
            var obj = new JsonObject();
            foreach (var (property, propertySchema) in schema["properties"] as JsonObject ?? [])
            {
                obj[property] = ValidValue(propertySchema, property, depth + 1);
            }

            return obj;
        }

        if (types.Contains("array"))
        {
            return new JsonArray(ValidValue(schema["items"], name, depth + 1));
        }

        if (types.Contains("integer"))
        {
            return JsonValue.Create(Math.Max(1, schema["minimum"]?.GetValue<int>() ?? 1));
        }

        if (types.Contains("number"))
        {
            return JsonValue.Create(1.5);
        }

        if (types.Contains("boolean"))
        {
            return JsonValue.Create(true);
        }

        if (knownIds.TryGetValue(name, out var known))
        {
            return JsonValue.Create(known);
        }

        return (schema["format"]?.GetValue<string>()) switch
        {
            "uuid" => JsonValue.Create(Guid.NewGuid().ToString()),
            "date" => JsonValue.Create(DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            "date-time" => JsonValue.Create(DateTimeOffset.UtcNow.AddDays(1).ToString("o", CultureInfo.InvariantCulture)),
            "email" => JsonValue.Create("drill@example.org"),
            "uri" => JsonValue.Create("https://example.org/"),
            _ => JsonValue.Create("Drill"),
        };
    }

    /// <summary>Follows a local <c>$ref</c> (#/components/...) to what it names.</summary>
    private static JsonNode? Resolve(JsonObject document, JsonNode? node)
    {
        for (var hops = 0; hops < 10 && node?["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/", StringComparison.Ordinal); hops++)
        {
            node = reference[2..].Split('/').Aggregate<string, JsonNode?>(document, (current, part) => current?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)]);
        }

        return node;
    }
}
