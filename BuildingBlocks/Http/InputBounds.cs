using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Participatie.BuildingBlocks.Http;

/// <summary>
/// Names the vocabulary (a static class with the allowed values in a static <c>All</c>-like member) that a string
/// property holds; the OpenAPI document shows it as an enum, and validation names the same list in its OneOf.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class VocabularyAttribute(Type vocabulary, string member = "All") : Attribute
{
    public Type Vocabulary { get; } = vocabulary;

    public string Member { get; } = member;

    public IReadOnlyCollection<string> Values =>
        (Vocabulary.GetField(Member, BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
            ?? Vocabulary.GetProperty(Member, BindingFlags.Public | BindingFlags.Static)?.GetValue(null)) as IReadOnlyCollection<string>
        ?? throw new InvalidOperationException($"{Vocabulary.Name}.{Member} is not a static list of strings.");
}

/// <summary>
/// The one source of every request string's maximum length: a <see cref="StringLengthAttribute"/> or
/// <see cref="MaxLengthAttribute"/> on the property (or the record's constructor parameter), otherwise
/// <see cref="DefaultMaxLength"/>. <see cref="ValidationFilter"/> enforces it and the OpenAPI document shows it; for a
/// list of strings it bounds each item.
/// </summary>
public static class InputBounds
{
    /// <summary>Long enough for any free text the platform takes; a longer field says so with an attribute.</summary>
    public const int DefaultMaxLength = 4000;

    private static readonly ConcurrentDictionary<Type, IReadOnlyList<BoundedProperty>> Properties = new();

    /// <summary>The maximum length of a string property (or of each string in a list), wherever it is declared.</summary>
    public static int MaxLengthOf(PropertyInfo property) =>
        Attribute<StringLengthAttribute>(property)?.MaximumLength
        ?? Attribute<MaxLengthAttribute>(property)?.Length
        ?? DefaultMaxLength;

    /// <summary>An attribute on the property or, for a positional record, on its constructor parameter.</summary>
    public static T? Attribute<T>(PropertyInfo property)
        where T : Attribute =>
        property.GetCustomAttribute<T>()
        ?? property.DeclaringType?.GetConstructors()
            .SelectMany(constructor => constructor.GetParameters())
            .FirstOrDefault(parameter => string.Equals(parameter.Name, property.Name, StringComparison.OrdinalIgnoreCase)
                && parameter.ParameterType == property.PropertyType)
            ?.GetCustomAttribute<T>();

    /// <summary>Nested request objects deeper than this are not walked (request shapes are a few levels deep at most).</summary>
    private const int MaxDepth = 8;

    private static readonly ConcurrentDictionary<Type, IReadOnlyList<NestedProperty>> Nested = new();

    /// <summary>
    /// Adds a MaxLength error for every string (or string in a list or map) of the request that is too long, and an
    /// error for every string PostgreSQL cannot store, also in nested objects and lists of objects (a bulk row, a
    /// list item), named by their path (<c>items[2].text</c>).
    /// </summary>
    public static void Check(object request, ValidationErrors errors) => Check(request, errors, prefix: "", depth: 0);

    private static void Check(object request, ValidationErrors errors, string prefix, int depth)
    {
        var type = request.GetType();
        // The length bounds are those the OpenAPI document shows, on validated requests; a nested plain object's
        // strings are only checked for what PostgreSQL cannot store, its lengths are its owner's Validate's business.
        var bounds = request is IValidatableRequest;
        foreach (var bounded in Properties.GetOrAdd(type, Describe))
        {
            var name = prefix + bounded.Name;
            var maxLength = bounds ? bounded.MaxLength : int.MaxValue;
            switch (bounded.Property.GetValue(request))
            {
                case string text:
                    CheckText(errors, name, text, maxLength);
                    break;
                case IDictionary map:
                    foreach (DictionaryEntry entry in map)
                    {
                        CheckText(errors, $"{name}.{entry.Key}", entry.Value as string, maxLength);
                        // A map's keys are stored too (a language code, say).
                        CheckText(errors, $"{name}.{entry.Key}", entry.Key as string, int.MaxValue);
                    }

                    break;
                case IEnumerable<string?> items:
                    var index = 0;
                    foreach (var item in items)
                    {
                        CheckText(errors, $"{name}[{index++}]", item, maxLength);
                    }

                    break;
            }
        }

        if (depth >= MaxDepth)
        {
            return;
        }

        foreach (var nested in Nested.GetOrAdd(type, DescribeNested))
        {
            var name = prefix + nested.Name;
            switch (nested.Property.GetValue(request))
            {
                case null:
                    break;
                case IEnumerable items:
                    var index = 0;
                    foreach (var item in items)
                    {
                        if (item is not null)
                        {
                            Check(item, errors, $"{name}[{index}].", depth + 1);
                        }

                        index++;
                    }

                    break;
                case var value:
                    Check(value, errors, $"{name}.", depth + 1);
                    break;
            }
        }
    }

    /// <summary>
    /// Why PostgreSQL would refuse the text, or null: it cannot store U+0000 in text and refuses the whole statement
    /// (22021, a 500 before; found by the OpenAPI fuzz drill), and a lone UTF-16 surrogate cannot be encoded as UTF-8
    /// (Npgsql throws while writing the parameter).
    /// </summary>
    public static string? Unstorable(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            return "must not contain the NUL character (U+0000)";
        }

        for (var index = 0; index < value.Length; index++)
        {
            if (char.IsHighSurrogate(value[index]) && index + 1 < value.Length && char.IsLowSurrogate(value[index + 1]))
            {
                index++;
            }
            else if (char.IsSurrogate(value[index]))
            {
                return "must not contain a lone UTF-16 surrogate (invalid Unicode)";
            }
        }

        return null;
    }

    /// <summary>Within its maximum length, and storable in PostgreSQL (<see cref="Unstorable"/>).</summary>
    private static void CheckText(ValidationErrors errors, string field, string? value, int maxLength)
    {
        errors.MaxLength(field, value, maxLength);
        if (Unstorable(value) is { } reason)
        {
            errors.Add(field, $"'{field}' {reason}.");
        }
    }

    /// <summary>Whether a type holds text: a string, a list of strings, or a map to strings.</summary>
    public static bool HoldsText(Type type) =>
        type == typeof(string)
        || (type != typeof(string) && type.GetInterfaces().Append(type).Any(candidate => candidate.IsGenericType
            && candidate.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            && (candidate.GetGenericArguments()[0] == typeof(string)
                || candidate.GetGenericArguments()[0] == typeof(KeyValuePair<string, string>)
                || candidate.GetGenericArguments()[0] == typeof(KeyValuePair<string, string?>))));

    private static IReadOnlyList<BoundedProperty> Describe(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.CanRead && property.GetIndexParameters().Length == 0 && HoldsText(property.PropertyType))
            .Select(property => new BoundedProperty(
                property,
                property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name),
                MaxLengthOf(property)))
            .ToList();

    /// <summary>
    /// Properties that hold one of the platform's own request objects, or a list of them: walked for their strings.
    /// Types outside the platform's assemblies (Guid, DateOnly, JsonElement...) hold no text to check.
    /// </summary>
    private static IReadOnlyList<NestedProperty> DescribeNested(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.CanRead && property.GetIndexParameters().Length == 0 && !HoldsText(property.PropertyType)
                && IsPlatformObject(ElementType(property.PropertyType) ?? property.PropertyType))
            .Select(property => new NestedProperty(
                property,
                property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name)))
            .ToList();

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type)
            .FirstOrDefault(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            ?.GetGenericArguments()[0];

    private static bool IsPlatformObject(Type type) =>
        type is { IsClass: true, IsAbstract: false } && type != typeof(string)
        && type.Assembly.GetName().Name?.StartsWith("Participatie", StringComparison.Ordinal) == true;

    private sealed record BoundedProperty(PropertyInfo Property, string Name, int MaxLength);

    private sealed record NestedProperty(PropertyInfo Property, string Name);
}
