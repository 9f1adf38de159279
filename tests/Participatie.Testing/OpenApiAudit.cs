using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Participatie.BuildingBlocks.Http;

namespace Participatie.Testing;

/// <summary>
/// Checks a service's OpenAPI document as an integrator who reads nothing else would need it (issue 12, part 3):
/// enums for every vocabulary field, an example for every request and response body, a maximum length on every
/// request string, the validation problem with its errors, a security requirement on every protected operation; and
/// runs the Dutch API Design Rules ruleset (Spectral, installed by eng/ensure-spectral.sh) on it.
/// </summary>
public static class OpenApiAudit
{
    public sealed record Counts(
        int Operations, int VocabularyFields, int RequestExamples, int ResponseExamples, int BoundedStrings,
        int ResponseVocabularyFields = 0, int BoundedParameters = 0, int NullableVocabularyFields = 0, int VocabularyKeyedMaps = 0);


    /// <summary>What the document lacks; empty when an integrator can use it alone.</summary>
    public static (IReadOnlyList<string> Findings, Counts Counts) Audit(JsonElement document, Assembly service)
    {
        var findings = new List<string>();
        var schemas = document.TryGetProperty("components", out var components) && components.TryGetProperty("schemas", out var found)
            ? found
            : default;
        int operations = 0, vocabularyFields = 0, requestExamples = 0, responseExamples = 0, boundedStrings = 0;

        // Every field that validation checks against a vocabulary carries [Vocabulary] (a unit test holds that);
        // here each one must reach the document as an enum, in a body schema or as a parameter.
        foreach (var type in service.GetTypes().Where(type => typeof(IValidatableRequest).IsAssignableFrom(type) && !type.IsAbstract))
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(property => InputBounds.Attribute<VocabularyAttribute>(property) is not null))
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                vocabularyFields++;
                var enumerated = schemas.ValueKind == JsonValueKind.Object && schemas.TryGetProperty(type.Name, out var schema)
                    ? schema.TryGetProperty("properties", out var properties) && properties.TryGetProperty(name, out var field) && HasEnum(field)
                    : Parameters(document).Where(parameter => parameter.GetProperty("name").GetString() == name).ToList() is var named
                        // A query or route parameter; none by that name means its endpoint is not in the document (internal).
                        && (named.Count == 0 || named.Any(parameter => HasEnum(parameter.GetProperty("schema"))));
                if (!enumerated)
                {
                    findings.Add($"{type.Name}.{name}: a vocabulary field without an enum");
                }
            }
        }

        // Response vocabulary: a field of an answer (a status, a kind, a channel) that declares [Vocabulary] reaches its
        // schema as an enum, as request fields do; and every text field of an answer named like a vocabulary
        // (ResponseVocabularyRule) has an enum unless the rule lists it as free, so that a field that forgot its
        // [Vocabulary] is found by its name.
        var requestSchemas = ResponseVocabularyRule.RequestSchemaNames(document);
        var nullability = new NullabilityInfoContext();
        foreach (var type in service.GetTypes().Where(type => !typeof(IValidatableRequest).IsAssignableFrom(type) && !type.IsAbstract
            && schemas.ValueKind == JsonValueKind.Object && schemas.TryGetProperty(type.Name, out _) && !requestSchemas.Contains(type.Name)))
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(property => InputBounds.Attribute<VocabularyAttribute>(property) is not null))
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                if (!(schemas.GetProperty(type.Name).TryGetProperty("properties", out var properties) && properties.TryGetProperty(name, out var field) && HasEnum(field)))
                {
                    findings.Add($"{type.Name}.{name}: a response vocabulary field without an enum");
                }
                else if (property.PropertyType == typeof(string) && nullability.Create(property).ReadState == NullabilityState.Nullable
                    && !(IsType(field, "null") && AllowsNull(field)))
                {
                    // The answer may hold null here (the model says string?), so the document must say so, enum included.
                    findings.Add($"{type.Name}.{name}: a vocabulary field that may be null, but its schema does not allow null");
                }
            }
        }

        // A field whose type allows null and whose enum does not list it contradicts itself: a validator checks the
        // enum on its own and refuses the null the type allows (in requests and answers alike).
        var nullableVocabularyFields = 0;
        foreach (var schema in schemas.ValueKind == JsonValueKind.Object ? schemas.EnumerateObject() : default)
        {
            foreach (var property in schema.Value.TryGetProperty("properties", out var properties) ? properties.EnumerateObject() : default)
            {
                if (property.Value.TryGetProperty("enum", out _) && IsType(property.Value, "null"))
                {
                    nullableVocabularyFields++;
                    if (!AllowsNull(property.Value))
                    {
                        findings.Add($"{schema.Name}.{property.Name}: may be null, but null is not in its enum");
                    }
                }
            }
        }

        var responseVocabularyFields = 0;
        var vocabularyKeyedMaps = 0;
        foreach (var schema in schemas.ValueKind == JsonValueKind.Object ? schemas.EnumerateObject() : default)
        {
            if (requestSchemas.Contains(schema.Name) || !schema.Value.TryGetProperty("properties", out var properties))
            {
                continue;
            }

            // A map in an answer (a count per status, a text per language) names its keys, unless they are free.
            foreach (var map in properties.EnumerateObject().Where(property => IsType(property.Value, "object")
                && property.Value.TryGetProperty("additionalProperties", out var values) && values.ValueKind == JsonValueKind.Object))
            {
                if (map.Value.TryGetProperty("propertyNames", out var keys) && HasEnum(keys))
                {
                    vocabularyKeyedMaps++;
                }
                else if (!ResponseVocabularyRule.HasFreeKeys(schema.Name, map.Name))
                {
                    findings.Add($"{schema.Name}.{map.Name}: a map without propertyNames naming its keys (give it [Vocabulary], "
                        + "or list it in ResponseVocabularyRule.FreeKeyedMaps with the reason)");
                }
            }

            foreach (var property in properties.EnumerateObject())
            {
                var value = Resolve(property.Value, schemas);
                if (IsType(value, "array") && value.TryGetProperty("items", out var items))
                {
                    value = Resolve(items, schemas);
                }

                if (!IsText(value))
                {
                    continue;
                }

                if (HasEnum(value))
                {
                    responseVocabularyFields++;
                }
                else if (ResponseVocabularyRule.IsNamedLikeVocabulary(property.Name) && !ResponseVocabularyRule.IsFree(schema.Name, property.Name))
                {
                    findings.Add($"{schema.Name}.{property.Name}: named like a vocabulary but without an enum (give it [Vocabulary], "
                        + "or list it in ResponseVocabularyRule.FreeFields with the reason)");
                }
            }
        }

        // String query and route parameters with a bound (an enum or a maxLength). Counted, not required: ASP.NET
        // Core's document generator throws on a validation attribute on an [AsParameters] property, so the residents'
        // search (bounded by its Validate) cannot name its bound yet.
        var boundedParameters = Parameters(document).Count(parameter => parameter.TryGetProperty("schema", out var schema)
            && IsText(Resolve(schema, schemas)) && (Resolve(schema, schemas).TryGetProperty("maxLength", out _) || HasEnum(Resolve(schema, schemas))));

        foreach (var (method, path, operation) in Operations(document))
        {
            operations++;
            var where = $"{method.ToUpperInvariant()} {path}";
            if (operation.TryGetProperty("requestBody", out var body))
            {
                foreach (var media in body.GetProperty("content").EnumerateObject())
                {
                    if (HasExample(media.Value))
                    {
                        requestExamples++;
                    }
                    else
                    {
                        findings.Add($"{where}: request body {media.Name} without an example");
                    }

                    if (media.Value.TryGetProperty("schema", out var requestSchema))
                    {
                        boundedStrings += Unbounded(requestSchema, schemas, media.Name, findings, where, depth: 0);
                    }
                }
            }

            foreach (var response in operation.GetProperty("responses").EnumerateObject())
            {
                foreach (var media in response.Value.TryGetProperty("content", out var content) ? content.EnumerateObject() : default)
                {
                    if (HasExample(media.Value))
                    {
                        responseExamples++;
                    }
                    else
                    {
                        findings.Add($"{where}: response {response.Name} {media.Name} without an example");
                    }
                }

                if (response.Name is "400" or "422" && response.Value.TryGetProperty("content", out var problem)
                    && !problem.EnumerateObject().All(media => media.Value.TryGetProperty("schema", out var problemSchema)
                        && Resolve(problemSchema, schemas).TryGetProperty("properties", out var members) && members.TryGetProperty("errors", out _)))
                {
                    findings.Add($"{where}: {response.Name} without the validation problem's errors");
                }
            }

            // The public API, the resident sign-in codes and the token endpoint are anonymous and declare no
            // requirement; every other operation needs a token and names the OAuth 2.0 scheme.
            var anonymous = path.StartsWith("/public/", StringComparison.Ordinal) || path.StartsWith("/sign-in/", StringComparison.Ordinal)
                || path == "/connect/token";
            var secured = operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0
                && security.EnumerateArray().All(requirement => requirement.TryGetProperty(OpenApiDescriptions.SecuritySchemeName, out _));
            if (anonymous == secured)
            {
                findings.Add(anonymous
                    ? $"{where}: an anonymous operation that declares a security requirement"
                    : $"{where}: declares no OAuth 2.0 security requirement");
            }
        }

        return (findings, new Counts(
            operations, vocabularyFields, requestExamples, responseExamples, boundedStrings, responseVocabularyFields, boundedParameters,
            nullableVocabularyFields, vocabularyKeyedMaps));
    }

    /// <summary>
    /// Runs the API Design Rules ruleset from ../shared/standards beside the repository on the document; returns its
    /// errors and warnings.
    /// </summary>
    public static async Task<IReadOnlyList<string>> LintAsync(string documentJson, string name, CancellationToken cancellationToken)
    {
        var root = RepositoryRoot();
        var ruleset = Path.GetFullPath(Path.Combine(root, "..", "shared", "standards", "adr-ruleset.yaml"));
        var spectral = Path.Combine(root, "artifacts", "tools", "spectral", "node_modules", ".bin", "spectral");
        Assert.True(File.Exists(ruleset), $"The API Design Rules ruleset is missing at {ruleset}.");
        Assert.True(File.Exists(spectral), $"Spectral is missing at {spectral}; run eng/ensure-spectral.sh (test.sh does).");

        // Kept for a person to read when the lint fails.
        var folder = Path.Combine(root, "artifacts", "openapi");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"{name}.json");
        await File.WriteAllTextAsync(file, documentJson, cancellationToken);

        var start = new ProcessStartInfo(spectral)
        {
            ArgumentList = { "lint", "-r", ruleset, file, "-f", "json", "--quiet" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var text = await output;
        var start0 = text.IndexOf('[', StringComparison.Ordinal);
        Assert.True(start0 >= 0, $"Spectral gave no JSON (exit {process.ExitCode}): {text} {await errors}");
        using var results = JsonDocument.Parse(text[start0..]);
        // Severity 0 is an error, 1 a warning; information and hints are not findings.
        return [.. results.RootElement.EnumerateArray()
            .Where(result => result.GetProperty("severity").GetInt32() <= 1)
            .Select(result => $"{result.GetProperty("code").GetString()} at {string.Join('.', result.GetProperty("path").EnumerateArray().Select(part => part.ToString()))}: {result.GetProperty("message").GetString()}")];
    }

    /// <summary>
    /// The .NET client (clients/dotnet/Participatie.Client) is generated from a committed copy of each document; a
    /// service whose document changed without its copy would ship a client that no longer fits. Fails naming the
    /// command that brings the copy up to date.
    /// </summary>
    public static void AssertClientDocumentIsCurrent(string documentJson, string name)
    {
        var root = RepositoryRoot();
        var committed = Path.Combine(root, "clients", "dotnet", "Participatie.Client", "OpenApi", $"{name}.json");
        Assert.True(File.Exists(committed), $"The .NET client has no copy of the {name} document at {committed}.");
        var live = System.Text.Json.Nodes.JsonNode.Parse(documentJson);
        var copy = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(committed));
        Assert.True(
            System.Text.Json.Nodes.JsonNode.DeepEquals(live, copy),
            $"The {name} OpenAPI document differs from the .NET client's copy. When the change is meant, update the copy "
            + $"(this test wrote the live document): cp artifacts/openapi/{name}.json clients/dotnet/Participatie.Client/OpenApi/{name}.json");
    }

    private static int Unbounded(JsonElement schema, JsonElement schemas, string mediaType, List<string> findings, string where, int depth)
    {
        schema = Resolve(schema, schemas);
        if (depth > 4 || !mediaType.Contains("json", StringComparison.Ordinal))
        {
            return 0;
        }

        var bounded = 0;
        foreach (var property in schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject() : default)
        {
            var value = Resolve(property.Value, schemas);
            if (IsType(value, "array") && value.TryGetProperty("items", out var items))
            {
                value = Resolve(items, schemas);
            }
            else if (IsType(value, "object") && value.TryGetProperty("additionalProperties", out var values) && values.ValueKind == JsonValueKind.Object)
            {
                value = Resolve(values, schemas);
            }

            if (IsText(value))
            {
                if (value.TryGetProperty("maxLength", out _) || value.TryGetProperty("enum", out _))
                {
                    bounded++;
                }
                else
                {
                    findings.Add($"{where}: request string '{property.Name}' without maxLength");
                }
            }
            else if (value.TryGetProperty("properties", out _))
            {
                bounded += Unbounded(value, schemas, mediaType, findings, where, depth + 1);
            }
        }

        return bounded;
    }

    /// <summary>A string that is free text: not a uuid, date or time (their format bounds them), nor a number.</summary>
    private static bool IsText(JsonElement schema) =>
        IsType(schema, "string") && !IsType(schema, "integer") && !IsType(schema, "number")
        && !(schema.TryGetProperty("format", out var format) && format.GetString() is "uuid" or "date" or "date-time" or "time" or "binary");

    private static bool IsType(JsonElement schema, string type) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var declared)
        && (declared.ValueKind == JsonValueKind.String
            ? declared.GetString() == type
            : declared.EnumerateArray().Any(item => item.GetString() == type));

    /// <summary>An enum on the field, on its items (a list), or on its keys (a map: JSON Schema's propertyNames).</summary>
    private static bool HasEnum(JsonElement schema)
    {
        if (schema.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0)
        {
            return true;
        }

        return (schema.TryGetProperty("items", out var items) && HasEnum(items))
            || (schema.TryGetProperty("propertyNames", out var keys) && HasEnum(keys));
    }

    /// <summary>Whether the field's enum lists null (a field without an enum allows whatever its type does).</summary>
    private static bool AllowsNull(JsonElement schema) =>
        !schema.TryGetProperty("enum", out var values) || values.EnumerateArray().Any(value => value.ValueKind == JsonValueKind.Null);

    private static bool HasExample(JsonElement media) =>
        media.TryGetProperty("example", out _) || (media.TryGetProperty("examples", out var examples) && examples.EnumerateObject().Any());

    private static JsonElement Resolve(JsonElement schema, JsonElement schemas)
    {
        for (var hops = 0; hops < 5 && schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference); hops++)
        {
            schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        return schema;
    }

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(operation => operation.Name is "get" or "put" or "post" or "delete" or "patch")
            .Select(operation => (operation.Name, path.Name, operation.Value)));

    private static IEnumerable<JsonElement> Parameters(JsonElement document) =>
        Operations(document).SelectMany(found => found.Operation.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray()
            : default);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Participatie.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No Participatie.sln above the test's directory.");
    }
}
