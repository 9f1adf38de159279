using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Participatie.Contracts;

namespace Participatie.BuildingBlocks.Http;

/// <summary>
/// Reads the framework's binding failures (their wording is fixed by ASP.NET Core and System.Text.Json) and says
/// which field or parameter was wrong and what it should be, in the words an integrator uses: the JSON path or the
/// query key as sent, "a whole number" rather than <c>Nullable&lt;int&gt;</c>.
/// </summary>
public static partial class BindingFailures
{
    public static (string Field, string Message) Describe(BadHttpRequestException exception, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(context);
        // The exception handler has cleared the endpoint and route values by now; its feature keeps them.
        var failed = context.Features.Get<IExceptionHandlerFeature>();
        var routeValues = failed?.RouteValues?.Keys ?? context.Request.RouteValues.Keys;
        var sentKeys = context.Request.Query.Keys.Concat(routeValues).Concat(context.Request.Headers.Keys);
        var endpoint = failed?.Endpoint ?? context.GetEndpoint();
        var bodyType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        return Describe(exception.Message, exception.InnerException, sentKeys, bodyType);
    }

    /// <param name="bodyType">The endpoint's body type, to tell what a wrongly typed field should hold.</param>
    public static (string Field, string Message) Describe(string message, Exception? inner, IEnumerable<string> sentKeys, Type? bodyType = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (inner is JsonException json)
        {
            return DescribeJson(json, bodyType);
        }

        if (message.StartsWith("Expected a supported JSON media type", StringComparison.Ordinal))
        {
            return ("body", "The body must be JSON: send it with 'Content-Type: application/json'.");
        }

        if (BindFailure().Match(message) is { Success: true } bind)
        {
            var name = KeyAsSent(bind.Groups["name"].Value, sentKeys);
            return (name, $"'{name}' must be {Describe(bind.Groups["type"].Value)}; '{bind.Groups["value"].Value}' is not.");
        }

        if (RequiredMissing().Match(message) is { Success: true } missing)
        {
            if (missing.Groups["source"].Value == "body")
            {
                return ("body", "A JSON body is required.");
            }

            var name = KeyAsSent(missing.Groups["name"].Value, sentKeys);
            return (name, $"'{name}' is required.");
        }

        if (message.StartsWith("Implicit body inferred", StringComparison.Ordinal) || message.Contains("request body", StringComparison.Ordinal))
        {
            return ("body", "A JSON body is required.");
        }

        return ("body", "The request could not be read.");
    }

    /// <summary>A JSON body (or one item of it) that did not fit <paramref name="bodyType"/>.</summary>
    public static (string Field, string Message) DescribeJson(JsonException json, Type? bodyType)
    {
        ArgumentNullException.ThrowIfNull(json);
        var path = FieldName(json.Path);
        if (UnmappedMember().Match(json.Message) is { Success: true } unmapped)
        {
            var property = unmapped.Groups["property"].Value;
            // The path may stop at the object that holds the unknown field.
            var field = path == "body" ? property : path.EndsWith(property, StringComparison.Ordinal) ? path : $"{path}.{property}";
            return (field, $"'{field}' is not a field of this request; remove it (check its spelling).");
        }

        if (MissingRequired().Match(json.Message) is { Success: true } required)
        {
            var names = RequiredNames().Matches(required.Groups["names"].Value).Select(m => m.Groups[1].Value).ToList();
            var first = path == "body" ? names.FirstOrDefault() ?? "body" : $"{path}.{names.FirstOrDefault()}";
            return (first, $"Required: {string.Join(", ", names.Select(n => $"'{n}'"))}.");
        }

        if (json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            // The message names the type that holds the field when it is built through a constructor, so the
            // field's own type is looked up along the path.
            var type = TypeAt(bodyType, path);
            return (path, $"'{path}' must be {(type is null ? "a value of the documented form (see the OpenAPI document)" : Describe(type))}.");
        }

        var position = json.LineNumber is { } line && json.BytePositionInLine is { } column
            ? $" (line {line + 1}, position {column + 1})"
            : string.Empty;
        return (path, path == "body"
            ? $"The body is not valid JSON{position}."
            : $"'{path}' does not hold a valid JSON value{position}.");
    }

    /// <summary>"$.resident.language" becomes "resident.language"; "$['a b']" keeps its brackets.</summary>
    private static string FieldName(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "body" : jsonPath.TrimStart('$', '.');

    /// <summary>The key as the client spelled it (binding ignores case); else the parameter name in camelCase.</summary>
    private static string KeyAsSent(string parameterName, IEnumerable<string> sentKeys) =>
        sentKeys.FirstOrDefault(key => string.Equals(key, parameterName, StringComparison.OrdinalIgnoreCase))
        ?? (parameterName.Length > 0 ? char.ToLowerInvariant(parameterName[0]) + parameterName[1..] : parameterName);

    /// <summary>The type of the member at a path such as "address.houseNumber" or "items[2].language".</summary>
    private static Type? TypeAt(Type? root, string path)
    {
        var type = root;
        foreach (var segment in path.Split('.'))
        {
            if (type is null)
            {
                return null;
            }

            var name = segment;
            var indexed = name.IndexOf('[', StringComparison.Ordinal);
            if (indexed >= 0)
            {
                name = name[..indexed];
            }

            type = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
            if (indexed >= 0 && type is not null)
            {
                type = ElementType(type);
            }
        }

        return type;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray
            ? type.GetElementType()
            : type.GetInterfaces().Append(type)
                .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                ?.GetGenericArguments()[0];

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type != typeof(string) && ElementType(type) is not null ? "a list" : type.IsClass && type != typeof(string) ? "an object" : Describe(type.Name);
    }

    /// <summary>What a value of a .NET type looks like on the wire, in words.</summary>
    internal static string Describe(string dotnetType)
    {
        var type = NullableWrapper().Replace(dotnetType.Trim(), "$1").Trim();
        type = type[(type.LastIndexOf('.') + 1)..];
        return type switch
        {
            "int" or "Int32" or "long" or "Int64" or "short" or "Int16" or "byte" or "Byte" => "a whole number",
            "decimal" or "Decimal" or "double" or "Double" or "float" or "Single" => "a number",
            "bool" or "Boolean" => "true or false",
            "Guid" => "an id (a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6)",
            "DateOnly" => "a date (yyyy-mm-dd)",
            "TimeOnly" => "a time (hh:mm)",
            "DateTime" or "DateTimeOffset" => "a date and time with offset (ISO 8601, e.g. 2027-03-01T19:30:00+01:00)",
            "string" or "String" => "text",
            _ when type.EndsWith("[]", StringComparison.Ordinal) || type.StartsWith("List", StringComparison.Ordinal)
                || type.StartsWith("IReadOnlyList", StringComparison.Ordinal) || type.StartsWith("IEnumerable", StringComparison.Ordinal) => "a list",
            _ => "a value of the documented form (see the OpenAPI document)",
        };
    }

    [GeneratedRegex("""^Failed to bind parameter "(?<type>.+) (?<name>[^ "]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline, matchTimeoutMilliseconds: PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex BindFailure();

    [GeneratedRegex("""^Required parameter "(?<type>.+) (?<name>[^ "]+)" was not provided from (?<source>[a-z ]+)\.""", RegexOptions.None, matchTimeoutMilliseconds: PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex RequiredMissing();

    [GeneratedRegex("""^The JSON property '(?<property>[^']*)' could not be mapped""", RegexOptions.None, matchTimeoutMilliseconds: PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex UnmappedMember();

    [GeneratedRegex("""missing required properties including: (?<names>.*?)\.(?: Path:|$)""", RegexOptions.Singleline, matchTimeoutMilliseconds: PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex MissingRequired();

    [GeneratedRegex("""'([^']+)'""", RegexOptions.None, matchTimeoutMilliseconds: PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex RequiredNames();

    [GeneratedRegex("""^(?:System\.)?Nullable(?:`1\[|<)(.+?)[\]>]$""", RegexOptions.None, matchTimeoutMilliseconds: PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NullableWrapper();
}
