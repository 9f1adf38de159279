using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Participatie.Contracts;

namespace Participatie.BuildingBlocks.Http;

/// <summary>
/// What an integrator needs from the OpenAPI documents without reading the code: the allowed values of every
/// vocabulary field (<see cref="VocabularyAttribute"/>), every request string's maximum length
/// (<see cref="InputBounds"/>), the formats of Dutch address and registry fields, the validation problem with its
/// <c>errors</c>, the OAuth 2.0 security scheme on every protected operation, and an example for every request and
/// response body, generated from the schema so that no service writes its own.
/// </summary>
public static partial class OpenApiDescriptions
{
    public const string SecuritySchemeName = "oauth2";
    public const string TokenPath = "/connect/token";
    public const string AuthorizePath = "/connect/authorize";

    /// <summary>Fields named alike in every service, with the format the platform checks them against.</summary>
    private static readonly Dictionary<string, (string Pattern, int MaxLength)> KnownFormats = new(StringComparer.Ordinal)
    {
        ["postcode"] = ("^[1-9][0-9]{3} ?[A-Za-z]{2}$", 7),
        ["buurtCode"] = ("^BU[0-9]{8}$", 10),
        ["buurtCodes"] = ("^BU[0-9]{8}$", 10),
        ["gemeenteCode"] = ("^GM[0-9]{4}$", 6),
        ["areaCodes"] = ("^(GM[0-9]{4}|BU[0-9]{8})$", 10),
        // A municipality or other government body by its OIN (20 digits), any other partner by its KvK number (8).
        ["registryNumber"] = ("^([0-9]{8}|[0-9]{20})$", 20),
        ["oin"] = ("^[0-9]{20}$", 20),
        ["kvkNumber"] = ("^[0-9]{8}$", 8),
        ["houseNumberSuffix"] = ("^[A-Za-z0-9]{0,10}$", 10),
    };

    /// <summary>Realistic Dutch values for the examples, by field name; other fields get one by type and format.</summary>
    private static readonly Dictionary<string, JsonNode> ExampleValues = new(StringComparer.Ordinal)
    {
        ["postcode"] = "1011 AB",
        ["houseNumber"] = 12,
        ["houseNumberSuffix"] = "A",
        ["buurtCode"] = "BU03630000",
        ["gemeenteCode"] = "GM0363",
        ["areaCode"] = "GM0363",
        ["registryNumber"] = "00000001002564440000",
        ["oin"] = "00000001002564440000",
        ["kvkNumber"] = "34123456",
        ["fullName"] = "Fatima el Amrani",
        ["partnerName"] = "Woonstichting De Jordaan",
        ["street"] = "Damstraat",
        ["city"] = "Amsterdam",
        ["email"] = "fatima@example.org",
        ["emailAddress"] = "fatima@example.org",
        ["phoneNumber"] = "+31612345678",
        ["birthYear"] = 1968,
        ["title"] = "Nieuwe speeltuin aan het Marnixplein",
        ["subject"] = "Renovatie complex Marnixplein",
        ["description"] = "Waar moet de nieuwe speeltuin komen, en wat wilt u erin zien?",
        ["proposal"] = "Wij stellen voor de gevels te isoleren en de kozijnen te vervangen.",
        ["text"] = "Graag meer groen en bankjes bij de speeltuin.",
        ["explanation"] = "Wij plaatsen twee extra bankjes; meer groen past niet binnen het budget.",
        ["place"] = "Buurthuis De Pijp, Ceintuurbaan 12, Amsterdam",
        ["displayName"] = "Zaaksysteem",
        ["password"] = "correct-paard-batterij-niet",
        ["detail"] = "'buurtCode' must be a CBS buurt code such as 'BU03630001'.",
        ["instance"] = "/v1/residents",
        ["traceId"] = "4bf92f3577b34da6a3ce929d0e0e4736",
        ["page"] = 1,
        ["pageSize"] = 20,
        ["total"] = 42,
        ["totalCount"] = 42,
    };

    private static readonly Guid ExampleId = Guid.Parse("3fa85f64-5717-4562-b3fc-2c963f66afa6");

    public static OpenApiOptions DescribeForIntegrators(this OpenApiOptions options) =>
        options
            .AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonPropertyInfo is { AttributeProvider: PropertyInfo property } info)
                {
                    DescribeProperty(schema, info.Name, property);
                }
                else if (context.JsonPropertyInfo is null && typeof(IValidatableRequest).IsAssignableFrom(context.JsonTypeInfo.Type)
                    && schema.Properties is { Count: > 0 })
                {
                    RequireWhatValidationRequires(schema, context.JsonTypeInfo.Type);
                }
                else if (context.ParameterDescription?.ParameterDescriptor is IParameterInfoParameterDescriptor { ParameterInfo: { } parameter })
                {
                    DescribeParameter(schema, context.ParameterDescription.Name, parameter);
                }

                return Task.CompletedTask;
            })
            .AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                await DescribeValidationProblems(operation, context, cancellationToken);
                DescribeSecurity(operation, context);
            })
            .AddDocumentTransformer((document, _, _) =>
            {
                DescribeSecurityScheme(document);
                AddExamples(document);
                return Task.CompletedTask;
            });

    private static void DescribeProperty(OpenApiSchema schema, string name, PropertyInfo property)
    {
        var itemSchema = schema.Items as OpenApiSchema;
        var isText = property.PropertyType == typeof(string);
        var isTextList = !isText && itemSchema is not null && InputBounds.HoldsText(property.PropertyType);
        var allowed = InputBounds.Attribute<VocabularyAttribute>(property)?.Values
            ?? InputBounds.Attribute<AllowedValuesAttribute>(property)?.Values.OfType<string>().ToList();
        if (allowed is not null && (isText || isTextList))
        {
            var target = isText ? schema : itemSchema!;
            target.Enum = [.. allowed.Select(value => (JsonNode)JsonValue.Create(value))];
            if (target.Type?.HasFlag(JsonSchemaType.Null) == true)
            {
                // An enum is checked on its own: a field that may be null (an outcome not yet decided) lists null
                // among its values too, or a strict validator refuses a real answer. The type says null as the
                // document's version does (3.1: type [null, string]; 3.0: nullable: true); the enum is the same in both.
                target.Enum.Add(null!);
            }
        }
        else if (allowed is not null && KeyType(property.PropertyType) == typeof(string) && schema.AdditionalProperties is not null)
        {
            // A map keyed by a vocabulary value (a count per status, a text per language): its keys are the
            // vocabulary, described as JSON Schema 2020-12 does (the documents are OpenAPI 3.1).
            schema.PropertyNames = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. allowed.Select(value => (JsonNode)JsonValue.Create(value))],
            };
        }

        if (KnownFormats.TryGetValue(name, out var format) && (isText || isTextList))
        {
            var target = isText ? schema : itemSchema!;
            target.Pattern = format.Pattern;
            target.MaxLength = format.MaxLength;
        }

        // Only requests are bounded (responses echo what was accepted); a request is what validation sees.
        var declaresBound = InputBounds.Attribute<StringLengthAttribute>(property) is not null || InputBounds.Attribute<MaxLengthAttribute>(property) is not null;
        if ((declaresBound || typeof(IValidatableRequest).IsAssignableFrom(property.DeclaringType)) && InputBounds.HoldsText(property.PropertyType))
        {
            var maxLength = InputBounds.MaxLengthOf(property);
            if (isText && schema.Enum is null)
            {
                schema.MaxLength = Math.Min(schema.MaxLength ?? int.MaxValue, maxLength);
            }
            else if (itemSchema is not null && itemSchema.Enum is null)
            {
                itemSchema.MaxLength = Math.Min(itemSchema.MaxLength ?? int.MaxValue, maxLength);
            }
            else if (schema.AdditionalProperties is OpenApiSchema values && values.Enum is null)
            {
                values.MaxLength = Math.Min(values.MaxLength ?? int.MaxValue, maxLength);
            }
        }

        if (name == "houseNumber" && (property.PropertyType == typeof(int) || property.PropertyType == typeof(int?)))
        {
            schema.Minimum = "1";
            schema.Maximum = "99999";
        }
    }

    /// <summary>The key type of a dictionary (or read-only dictionary) type; null for any other type.</summary>
    private static Type? KeyType(Type type) =>
        type.GetInterfaces().Append(type)
            .FirstOrDefault(candidate => candidate.IsGenericType
                && (candidate.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) || candidate.GetGenericTypeDefinition() == typeof(IDictionary<,>)))
            ?.GetGenericArguments()[0];

    /// <summary>
    /// A positional record's parameters all look required to the generator, though validation lets many be left out:
    /// a field is required when validation refuses a request that leaves everything out and names that field.
    /// </summary>
    private static void RequireWhatValidationRequires(OpenApiSchema schema, Type type)
    {
        var errors = new ValidationErrors();
        try
        {
            ((IValidatableRequest)RuntimeHelpers.GetUninitializedObject(type)).Validate(errors);
        }
        catch (NullReferenceException)
        {
            // A model that cannot validate an empty request keeps what the generator found.
            return;
        }

        var refused = errors.ToDictionary().Keys.ToHashSet(StringComparer.Ordinal);
        schema.Required = new HashSet<string>(schema.Properties!.Keys.Where(refused.Contains), StringComparer.Ordinal);
    }

    /// <summary>A query or route parameter (of an [AsParameters] record, say) with a vocabulary or a bound.</summary>
    private static void DescribeParameter(OpenApiSchema schema, string name, ParameterInfo parameter)
    {
        var isText = parameter.ParameterType == typeof(string);
        if (!isText)
        {
            return;
        }

        if (parameter.GetCustomAttribute<VocabularyAttribute>() is { } vocabulary)
        {
            schema.Enum = [.. vocabulary.Values.Select(value => (JsonNode)JsonValue.Create(value))];
        }

        if (KnownFormats.TryGetValue(name, out var format))
        {
            schema.Pattern = format.Pattern;
            schema.MaxLength = format.MaxLength;
        }

        var declared = parameter.GetCustomAttribute<StringLengthAttribute>()?.MaximumLength
            ?? parameter.GetCustomAttribute<MaxLengthAttribute>()?.Length;
        var inRequest = parameter.Member is Type type && typeof(IValidatableRequest).IsAssignableFrom(type);
        if (declared is not null || inRequest)
        {
            schema.MaxLength = Math.Min(schema.MaxLength ?? int.MaxValue, declared ?? InputBounds.DefaultMaxLength);
        }
    }

    /// <summary>A 400 or 422 names each field in <c>errors</c>: it is an HttpValidationProblemDetails, not a bare problem.</summary>
    private static async Task DescribeValidationProblems(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Responses is null)
        {
            return;
        }

        IOpenApiSchema? validationProblem = null;
        foreach (var status in new[] { "400", "422" })
        {
            if (operation.Responses.TryGetValue(status, out var response) && response is OpenApiResponse { Content: { } content })
            {
                validationProblem ??= await context.GetOrCreateSchemaAsync(typeof(HttpValidationProblemDetails), cancellationToken: cancellationToken);
                foreach (var mediaType in content.Values.OfType<OpenApiMediaType>())
                {
                    mediaType.Schema = validationProblem;
                }
            }
        }
    }

    /// <summary>Every operation that needs a token says so; an anonymous one (the public API, say) declares none.</summary>
    private static void DescribeSecurity(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any())
        {
            operation.Security = [];
            return;
        }

        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [] },
        ];
    }

    private static void DescribeSecurityScheme(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Description = "An access token from the platform's token server, behind the gateway: partner systems use client "
                + "credentials, partner web clients the authorization code flow with PKCE (S256).",
            Flows = new OpenApiOAuthFlows
            {
                ClientCredentials = new OpenApiOAuthFlow
                {
                    TokenUrl = new Uri(TokenPath, UriKind.Relative),
                    Scopes = new Dictionary<string, string>(StringComparer.Ordinal),
                },
                AuthorizationCode = new OpenApiOAuthFlow
                {
                    AuthorizationUrl = new Uri(AuthorizePath, UriKind.Relative),
                    TokenUrl = new Uri(TokenPath, UriKind.Relative),
                    Scopes = new Dictionary<string, string>(StringComparer.Ordinal),
                },
            },
        };
    }

    /// <summary>Gives every request and response body that has none an example built from its schema.</summary>
    private static void AddExamples(OpenApiDocument document)
    {
        var operations = document.Paths?.Values.SelectMany(item => item.Operations?.Values.AsEnumerable() ?? []) ?? [];
        foreach (var operation in operations)
        {
            var contents = (operation.RequestBody?.Content?.Values ?? [])
                .Concat((operation.Responses?.Values.AsEnumerable() ?? []).SelectMany(response => response.Content?.Values.AsEnumerable() ?? []));
            foreach (var mediaType in contents.OfType<OpenApiMediaType>())
            {
                if (mediaType.Example is null && mediaType.Examples is not { Count: > 0 } && mediaType.Schema is { } schema
                    && ExampleFor(document, schema, name: null, depth: 0) is { } example)
                {
                    if (TripsTheRulesetsMethodFilter(example))
                    {
                        // The API Design Rules ruleset (nlgov:problem-invalid-input) takes every key under the paths
                        // that contains "put", "post" or "patch" for an operation, so an example with a postcode would
                        // be reported as an operation without a 400. Such an example is given whole as a data URL, which
                        // the linter does not open and a reader (or a tool) decodes.
                        mediaType.Examples = new Dictionary<string, IOpenApiExample>(StringComparer.Ordinal)
                        {
                            ["example"] = new OpenApiExample
                            {
                                Summary = "An example (as a data URL: base64 of the JSON).",
                                ExternalValue = "data:application/json;base64,"
                                    + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(example.ToJsonString())),
                            },
                        };
                    }
                    else
                    {
                        mediaType.Example = example;
                    }
                }
            }
        }
    }

    private static JsonNode? ExampleFor(OpenApiDocument document, IOpenApiSchema schema, string? name, int depth)
    {
        if (schema is OpenApiSchemaReference reference)
        {
            var id = reference.Reference.Id;
            if (depth > 6 || id is null || document.Components?.Schemas?.TryGetValue(id, out var target) != true || target is null)
            {
                return null;
            }

            schema = target;
        }

        if (schema.Examples is { Count: > 0 } examples)
        {
            return examples[0]?.DeepClone();
        }

        if (schema.Enum is { Count: > 0 } values)
        {
            return values.FirstOrDefault(value => value is not null)?.DeepClone();
        }

        if (name is not null && ExampleValues.TryGetValue(name, out var known) && Fits(known, schema))
        {
            return known.DeepClone();
        }

        var alternatives = (schema.OneOf ?? []).Concat(schema.AnyOf ?? []).Concat(schema.AllOf ?? []).ToList();
        if (alternatives.Count > 0 && schema.Properties is not { Count: > 0 })
        {
            return alternatives
                .Where(alternative => alternative.Type is not JsonSchemaType.Null)
                .Select(alternative => ExampleFor(document, alternative, name, depth + 1))
                .FirstOrDefault(value => value is not null);
        }

        var type = schema.Type ?? (schema.Properties is { Count: > 0 } ? JsonSchemaType.Object : JsonSchemaType.String);
        if (type.HasFlag(JsonSchemaType.Array))
        {
            var item = schema.Items is null ? null : ExampleFor(document, schema.Items, Singular(name), depth + 1);
            return item is null ? new JsonArray() : new JsonArray(item);
        }

        if (type.HasFlag(JsonSchemaType.Object))
        {
            var result = new JsonObject();
            foreach (var (propertyName, propertySchema) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                if (ExampleFor(document, propertySchema, propertyName, depth + 1) is { } value)
                {
                    result[propertyName] = value;
                }
            }

            if (schema.Properties is not { Count: > 0 } && schema.AdditionalProperties is { } additional)
            {
                // A map such as a validation problem's errors, a text per language or a count per status: keyed by
                // the first of its keys' vocabulary where it has one.
                var value = ExampleFor(document, additional, name == "errors" ? "detail" : null, depth + 1);
                var key = (schema as OpenApiSchema)?.PropertyNames?.Enum?.FirstOrDefault(candidate => candidate is not null)?.GetValue<string>();
                result[key ?? (name == "errors" ? "buurtCode" : "en")] = value;
            }

            return result;
        }

        if (type.HasFlag(JsonSchemaType.Integer))
        {
            return name == "status" ? 400 : 1;
        }

        if (type.HasFlag(JsonSchemaType.Number))
        {
            return 1.5;
        }

        if (type.HasFlag(JsonSchemaType.Boolean))
        {
            return true;
        }

        return schema.Format switch
        {
            "uuid" => ExampleId.ToString(),
            "date" => "2027-03-03",
            "date-time" => "2027-03-03T09:30:00+01:00",
            "email" => "fatima@example.org",
            "uri" => "https://woonstichting.example.org/callback",
            "byte" => "JVBERi0xLjcK",
            _ when schema.Pattern is not null => null,
            _ => name is null ? "tekst" : $"Voorbeeld van {name}",
        } ?? FromPattern(name);
    }

    private static bool TripsTheRulesetsMethodFilter(JsonNode? node) => node switch
    {
        JsonObject members => members.Any(member =>
            (member.Value is not JsonObject && MethodLikeKey().IsMatch(member.Key)) || TripsTheRulesetsMethodFilter(member.Value)),
        JsonArray items => items.Any(TripsTheRulesetsMethodFilter),
        _ => false,
    };

    private static JsonNode? FromPattern(string? name) => name switch
    {
        "buurtCodes" or "buurtCode" => "BU03630000",
        "areaCodes" => "GM0363",
        _ => "tekst",
    };

    /// <summary>Whether a known value has the schema's type (a field named "total" may be a count object elsewhere).</summary>
    private static bool Fits(JsonNode value, IOpenApiSchema schema) => schema.Type is { } type && value.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => type.HasFlag(JsonSchemaType.String),
        System.Text.Json.JsonValueKind.Number => type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number),
        _ => false,
    };

    private static string? Singular(string? name) => name switch
    {
        "buurtCodes" => "buurtCode",
        "areaCodes" => "areaCode",
        _ => name,
    };

    [GeneratedRegex("put|post|patch", RegexOptions.None, matchTimeoutMilliseconds: PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex MethodLikeKey();
}
