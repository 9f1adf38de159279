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

    /// <summary>Adds a MaxLength error for every string (or string in a list or map) of the request that is too long.</summary>
    public static void Check(object request, ValidationErrors errors)
    {
        foreach (var bounded in Properties.GetOrAdd(request.GetType(), Describe))
        {
            switch (bounded.Property.GetValue(request))
            {
                case string text:
                    CheckText(errors, bounded.Name, text, bounded.MaxLength);
                    break;
                case IDictionary map:
                    foreach (DictionaryEntry entry in map)
                    {
                        CheckText(errors, $"{bounded.Name}.{entry.Key}", entry.Value as string, bounded.MaxLength);
                    }

                    break;
                case IEnumerable<string?> items:
                    var index = 0;
                    foreach (var item in items)
                    {
                        CheckText(errors, $"{bounded.Name}[{index++}]", item, bounded.MaxLength);
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// Within its maximum length, and free of the NUL character: PostgreSQL cannot store U+0000 in text and refused the
    /// whole statement (22021), which answered 500 (found by the OpenAPI fuzz drill).
    /// </summary>
    private static void CheckText(ValidationErrors errors, string field, string? value, int maxLength)
    {
        errors.MaxLength(field, value, maxLength);
        if (value is not null && value.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add(field, $"'{field}' must not contain the NUL character (U+0000).");
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

    private sealed record BoundedProperty(PropertyInfo Property, string Name, int MaxLength);
}
