using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Participatie.BuildingBlocks.Http;
using Participatie.Testing;

namespace Participatie.UnitTests;

/// <summary>
/// Issue 12, part 3: every vocabulary field of every answer is an enum in the OpenAPI documents. A field named like a
/// vocabulary (<see cref="ResponseVocabularyRule"/>) on a response model carries [Vocabulary] (in a domain namespace
/// [AllowedValues]), unless the rule lists it as free; checked on the models, so a field that loses its attribute fails
/// here before any document is made.
/// </summary>
public sealed partial class ResponseVocabularyTests
{
    private static readonly (string Document, Assembly Service)[] Services =
    [
        ("residents", typeof(Participatie.Residents.EntryPoint).Assembly),
        ("consultations", typeof(Participatie.Consultations.EntryPoint).Assembly),
        ("partner-coordination", typeof(Participatie.PartnerCoordination.EntryPoint).Assembly),
        ("notifications", typeof(Participatie.Notifications.EntryPoint).Assembly),
    ];

    [Fact]
    public void Every_response_field_named_like_a_vocabulary_declares_one_or_is_listed_as_free()
    {
        var missing = new List<string>();
        var declared = 0;
        var responseTypes = 0;
        foreach (var (document, service) in Services)
        {
            foreach (var type in ResponseTypes(document, service))
            {
                responseTypes++;
                foreach (var property in TextProperties(type))
                {
                    var jsonName = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                    if (DeclaresVocabulary(property))
                    {
                        declared++;
                    }
                    else if (ResponseVocabularyRule.IsNamedLikeVocabulary(property.Name) && !ResponseVocabularyRule.IsFree(type.Name, jsonName))
                    {
                        missing.Add($"{document}: {type.Name}.{property.Name}");
                    }
                }
            }
        }

        Assert.True(missing.Count == 0, "Response fields named like a vocabulary without [Vocabulary] (give them one, or list "
            + "them in ResponseVocabularyRule.FreeFields with the reason):" + Environment.NewLine + string.Join(Environment.NewLine, missing));
        // What was found before this test: a broken finder (no response types, no attributes) would pass with nothing.
        Assert.True(responseTypes >= 100 && declared >= 100, $"Only {responseTypes} response types and {declared} vocabulary fields found; the finder is broken.");
    }

    /// <summary>
    /// A map in an answer keyed by a vocabulary (a count per status, a text per language) declares it with [Vocabulary]
    /// on the model, so that the document names its keys; maps with free keys (field names) are listed with the reason.
    /// </summary>
    [Fact]
    public void Every_response_map_names_its_keys_or_is_listed_as_free_keyed()
    {
        var missing = new List<string>();
        var declared = 0;
        foreach (var (document, service) in Services)
        {
            foreach (var type in ResponseTypes(document, service))
            {
                foreach (var property in MapProperties(type))
                {
                    if (DeclaresVocabulary(property))
                    {
                        declared++;
                    }
                    else if (!ResponseVocabularyRule.HasFreeKeys(type.Name, JsonNamingPolicy.CamelCase.ConvertName(property.Name)))
                    {
                        missing.Add($"{document}: {type.Name}.{property.Name}");
                    }
                }
            }
        }

        Assert.True(missing.Count == 0, "Response maps whose keys are not named (give them [Vocabulary] for their keys, or list "
            + "them in ResponseVocabularyRule.FreeKeyedMaps with the reason):" + Environment.NewLine + string.Join(Environment.NewLine, missing));
        // Five reaction counts per status, two resident aggregates, four translations and a poll's texts when written.
        Assert.True(declared >= 12, $"Only {declared} vocabulary-keyed maps found; the finder is broken.");
    }

    /// <summary>
    /// In the documents the client is generated from: a vocabulary field that may be null lists null in its enum (a
    /// validator checks the enum on its own), a response field whose model is a nullable string says so, and every
    /// map declared with [Vocabulary] has its keys as propertyNames with that enum.
    /// </summary>
    [Fact]
    public void The_documents_list_null_in_nullable_enums_and_name_the_keys_of_vocabulary_maps()
    {
        var findings = new List<string>();
        int nullableEnums = 0, nullableModelFields = 0, keyedMaps = 0;
        foreach (var (document, service) in Services)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(
                Path.Combine(RepositoryRoot(), "clients", "dotnet", "Participatie.Client", "OpenApi", $"{document}.json")));
            var schemas = json.RootElement.GetProperty("components").GetProperty("schemas");
            foreach (var schema in schemas.EnumerateObject())
            {
                foreach (var property in schema.Value.TryGetProperty("properties", out var properties) ? properties.EnumerateObject() : default)
                {
                    if (property.Value.TryGetProperty("enum", out var values) && AllowsNullType(property.Value))
                    {
                        nullableEnums++;
                        if (!values.EnumerateArray().Any(value => value.ValueKind == JsonValueKind.Null))
                        {
                            findings.Add($"{document}: {schema.Name}.{property.Name} may be null but its enum lacks null");
                        }
                    }
                }
            }

            var nullability = new NullabilityInfoContext();
            foreach (var type in ResponseTypes(document, service))
            {
                var fields = schemas.GetProperty(type.Name).TryGetProperty("properties", out var found) ? found : default;
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(DeclaresVocabulary))
                {
                    var jsonName = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                    if (fields.ValueKind != JsonValueKind.Object || !fields.TryGetProperty(jsonName, out var field))
                    {
                        continue;
                    }

                    if (property.PropertyType == typeof(string) && nullability.Create(property).ReadState == NullabilityState.Nullable)
                    {
                        nullableModelFields++;
                        if (!AllowsNullType(field) || !field.GetProperty("enum").EnumerateArray().Any(value => value.ValueKind == JsonValueKind.Null))
                        {
                            findings.Add($"{document}: {type.Name}.{jsonName} is string? in the model but its schema does not allow null");
                        }
                    }
                    else if (IsMap(property))
                    {
                        var keys = field.TryGetProperty("propertyNames", out var names) && names.TryGetProperty("enum", out var keyValues)
                            ? keyValues.EnumerateArray().Select(value => value.GetString()).ToList()
                            : [];
                        var vocabulary = (InputBounds.Attribute<VocabularyAttribute>(property)?.Values
                            ?? InputBounds.Attribute<AllowedValuesAttribute>(property)!.Values.OfType<string>().ToList()).ToList();
                        keyedMaps++;
                        if (!keys.SequenceEqual(vocabulary))
                        {
                            findings.Add($"{document}: {type.Name}.{jsonName} keys are [{string.Join(", ", keys)}], not [{string.Join(", ", vocabulary)}]");
                        }
                    }
                }
            }
        }

        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));
        Assert.True(nullableEnums >= 40 && nullableModelFields >= 10 && keyedMaps >= 12,
            $"Only {nullableEnums} nullable enums, {nullableModelFields} nullable response vocabulary fields and {keyedMaps} keyed maps found; the finder is broken.");
    }

    /// <summary>Each free field is still there and still free: a stale entry would hide nothing, but mislead.</summary>
    [Fact]
    public void Every_field_listed_as_free_is_a_response_field_without_a_vocabulary()
    {
        var fields = Services
            .SelectMany(found => ResponseTypes(found.Document, found.Service)
                .SelectMany(type => TextProperties(type)
                    .Where(property => !DeclaresVocabulary(property))
                    .Select(property => $"{type.Name}.{JsonNamingPolicy.CamelCase.ConvertName(property.Name)}")))
            .Concat(["ProblemDetails.type", "HttpValidationProblemDetails.type"])
            .ToHashSet(StringComparer.Ordinal);

        var stale = ResponseVocabularyRule.FreeFields.Keys.Where(field => !fields.Contains(field)).ToList();
        Assert.True(stale.Count == 0, "Listed as free but no such response field without [Vocabulary]: " + string.Join(", ", stale));
    }

    /// <summary>The rule itself: it takes C# and JSON names alike, and a name that only contains a word is not caught.</summary>
    [Theory]
    [InlineData("Status", true)]
    [InlineData("preferredChannel", true)]
    [InlineData("TextLanguage", true)]
    [InlineData("unreachedTargetGroups", true)]
    [InlineData("eventTypes", true)]
    [InlineData("statusCode", false)]
    [InlineData("title", false)]
    [InlineData("explanation", false)]
    public void A_field_is_named_like_a_vocabulary_by_how_its_name_ends(string name, bool expected) =>
        Assert.Equal(expected, ResponseVocabularyRule.IsNamedLikeVocabulary(name));

    /// <summary>
    /// The audit log and the personal data access log name their action as a literal at each call; the vocabulary the
    /// documents show must hold every one of them (and a call that names it otherwise must be looked at).
    /// </summary>
    [Theory]
    [InlineData("services/PartnerCoordination.Api", @"AuditLog\.RecordAsync\(", typeof(Participatie.PartnerCoordination.Trajectories.AuditActions))]
    [InlineData("services/Residents.Api", @"AccessLogStore\.\w+Async\(", typeof(Participatie.Residents.AccessLog.AccessLogActions))]
    public void Every_logged_action_is_in_the_logs_vocabulary(string folder, string call, Type vocabulary)
    {
        var allowed = new VocabularyAttribute(vocabulary).Values;
        var actions = new List<string>();
        var unreadable = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), folder), "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var source = File.ReadAllText(file);
            foreach (Match found in Regex.Matches(source, call, RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                // The action is the fourth argument of both calls.
                var arguments = Arguments(source, found.Index + found.Length);
                var literals = arguments.Count > 3 ? Literal().Matches(arguments[3]).Select(match => match.Groups[1].Value).ToList() : [];
                if (literals.Count == 0)
                {
                    unreadable.Add($"{Path.GetFileName(file)}: {found.Value}{string.Join(", ", arguments)}");
                }

                actions.AddRange(literals);
            }
        }

        Assert.Empty(unreadable);
        Assert.True(actions.Count >= 5, $"Only {actions.Count} actions found; the scan is broken.");
        var unknown = actions.Distinct(StringComparer.Ordinal).Where(action => !allowed.Contains(action)).ToList();
        Assert.True(unknown.Count == 0, $"Logged but not in {vocabulary.Name}: {string.Join(", ", unknown)}");
    }

    /// <summary>
    /// Answers defined in a service's domain name their values with [AllowedValues] (the domain depends on no HTTP
    /// building block, where [Vocabulary] lives): each holds exactly its vocabulary's list.
    /// </summary>
    [Fact]
    public void Every_domain_answer_allows_exactly_its_vocabulary()
    {
        (PropertyInfo Property, IReadOnlyCollection<string> Vocabulary)[] fields =
        [
            (typeof(Participatie.Consultations.Domain.QuestionResult).GetProperty("Type")!, Participatie.Consultations.Domain.QuestionnaireRules.QuestionTypes),
            (typeof(Participatie.Consultations.Domain.OpenAnswer).GetProperty("Language")!, Participatie.Contracts.Languages.All),
            (typeof(Participatie.Consultations.Domain.ReachGroup).GetProperty("Dimension")!, Participatie.Consultations.Domain.ReachAnalysis.DimensionNames),
            (typeof(Participatie.PartnerCoordination.Domain.OpenAdviceDeadline).GetProperty("Kind")!, Participatie.PartnerCoordination.Domain.AdviceDeadlineKinds.All),
        ];

        foreach (var (property, vocabulary) in fields)
        {
            var allowed = InputBounds.Attribute<AllowedValuesAttribute>(property)?.Values.OfType<string>().ToList();
            Assert.True(allowed is not null && allowed.SequenceEqual(vocabulary), $"{property.DeclaringType!.Name}.{property.Name} allows [{string.Join(", ", allowed ?? [])}], not [{string.Join(", ", vocabulary)}]");
        }
    }

    /// <summary>[Vocabulary], or [AllowedValues] where the model may not depend on the HTTP building blocks.</summary>
    private static bool DeclaresVocabulary(PropertyInfo property) =>
        InputBounds.Attribute<VocabularyAttribute>(property) is not null || InputBounds.Attribute<AllowedValuesAttribute>(property) is not null;

    /// <summary>The model types of a service that its committed document shows as answers (not request bodies).</summary>
    private static IEnumerable<Type> ResponseTypes(string document, Assembly service)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(
            Path.Combine(RepositoryRoot(), "clients", "dotnet", "Participatie.Client", "OpenApi", $"{document}.json")));
        var schemas = json.RootElement.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(schema => schema.Name).ToHashSet(StringComparer.Ordinal);
        var requests = ResponseVocabularyRule.RequestSchemaNames(json.RootElement);
        return service.GetTypes()
            .Where(type => type is { IsPublic: true, IsAbstract: false } && !typeof(IValidatableRequest).IsAssignableFrom(type)
                && schemas.Contains(type.Name) && !requests.Contains(type.Name))
            .ToList();
    }

    /// <summary>Properties that are maps with text keys (a dictionary or read-only dictionary keyed by string).</summary>
    private static IEnumerable<PropertyInfo> MapProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(IsMap);

    private static bool IsMap(PropertyInfo property) =>
        property.PropertyType.GetInterfaces().Append(property.PropertyType).Any(candidate => candidate.IsGenericType
            && (candidate.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) || candidate.GetGenericTypeDefinition() == typeof(IDictionary<,>))
            && candidate.GetGenericArguments()[0] == typeof(string));

    /// <summary>Whether a schema's type lists null (OpenAPI 3.1) or it says nullable (3.0).</summary>
    private static bool AllowsNullType(JsonElement schema) =>
        (schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array && type.EnumerateArray().Any(item => item.GetString() == "null"))
        || (schema.TryGetProperty("nullable", out var nullable) && nullable.ValueKind == JsonValueKind.True);

    private static IEnumerable<PropertyInfo> TextProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.GetIndexParameters().Length == 0
                && (property.PropertyType == typeof(string)
                    || (property.PropertyType.IsAssignableFrom(typeof(List<string>)) && property.PropertyType != typeof(object)
                        && typeof(IEnumerable).IsAssignableFrom(property.PropertyType))));

    /// <summary>The top-level arguments of a call, from just after its opening parenthesis.</summary>
    private static List<string> Arguments(string source, int start)
    {
        var arguments = new List<string>();
        var depth = 0;
        var inString = false;
        var current = start;
        for (var index = start; index < source.Length; index++)
        {
            var character = source[index];
            if (character == '"' && source[index - 1] != '\\')
            {
                inString = !inString;
            }

            if (inString)
            {
                continue;
            }

            if (character is '(' or '[' or '{')
            {
                depth++;
            }
            else if (character is ')' or ']' or '}' && depth-- == 0)
            {
                arguments.Add(source[current..index].Trim());
                return arguments;
            }
            else if (character == ',' && depth == 0)
            {
                arguments.Add(source[current..index].Trim());
                current = index + 1;
            }
        }

        return arguments;
    }

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

    [GeneratedRegex("\"([a-z]+(?:-[a-z]+)*)\"", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Literal();
}
