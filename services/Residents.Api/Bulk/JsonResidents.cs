using System.Text.Json;
using Participatie.BuildingBlocks.Http;
using Participatie.Residents.Registration;

namespace Participatie.Residents.Bulk;

/// <summary>
/// Reads {"residents":[...]} row by row, so that one row with a value of the wrong type is that row's problem, not
/// the whole request's.
/// </summary>
public static class JsonResidents
{
    public static BulkBody Read(ReadOnlyMemory<byte> body, JsonSerializerOptions options)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            return BulkBody.Refused("body", $"The body is not valid JSON: {exception.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !TryGetResidents(document.RootElement, out var residents)
                || residents.ValueKind != JsonValueKind.Array)
            {
                return BulkBody.Refused("residents", "'residents' must be a list of residents, each like the body of POST /v1/residents.");
            }

            var count = residents.GetArrayLength();
            if (count is 0 or > BulkBody.MaxRows)
            {
                return BulkBody.Refused("residents", $"'residents' must hold 1 to {BulkBody.MaxRows} residents; split a longer list.");
            }

            var rows = new List<BulkRow>(count);
            var row = 0;
            foreach (var element in residents.EnumerateArray())
            {
                rows.Add(ReadRow(++row, element, options));
            }

            return new BulkBody(rows, null);
        }
    }

    private static BulkRow ReadRow(int row, JsonElement element, JsonSerializerOptions options)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new BulkRow(row, null, new Dictionary<string, string>(StringComparer.Ordinal) { ["resident"] = "Each resident must be a JSON object." });
        }

        try
        {
            return new BulkRow(row, element.Deserialize<RegisterResidentRequest>(options), new Dictionary<string, string>(StringComparer.Ordinal));
        }
        catch (JsonException exception)
        {
            var (field, message) = BindingFailures.DescribeJson(exception, typeof(RegisterResidentRequest));
            return new BulkRow(row, null, new Dictionary<string, string>(StringComparer.Ordinal) { [field == "body" ? "resident" : field] = message });
        }
    }

    private static bool TryGetResidents(JsonElement root, out JsonElement residents)
    {
        // Property names match case-insensitively, as they do for the single registration's body.
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, "residents", StringComparison.OrdinalIgnoreCase))
            {
                residents = property.Value;
                return true;
            }
        }

        residents = default;
        return false;
    }
}
