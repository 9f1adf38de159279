using System.Text.Json;
using System.Text.Json.Serialization;

namespace Participatie.BuildingBlocks.Http;

/// <summary>
/// Every string read from a JSON body, at any depth (a bulk upload's rows too), is refused when it holds U+0000:
/// PostgreSQL cannot store that character in text, so the request would otherwise fail late, as a 500.
/// </summary>
public sealed class NulFreeStringConverter : JsonConverter<string>
{
    /// <summary>The words of the refusal; <see cref="BindingFailures"/> recognises them and names the field.</summary>
    public const string Refusal = "must not contain the NUL character (U+0000)";

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value is not null && value.Contains('\0', StringComparison.Ordinal) ? throw new JsonException(Refusal) : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
