using System.Globalization;
using System.Text;
using Participatie.Residents.Domain;
using Participatie.Residents.Registration;

namespace Participatie.Residents.Bulk;

/// <summary>
/// Reads a CSV upload (UTF-8): a header row naming the fields of POST /v1/residents (in any order, any case; absent
/// optional columns are fine), then one resident per line. An empty cell is a missing value.
/// </summary>
public static class CsvResidents
{
    private static readonly string[] Fields =
    [
        "fullName", "postcode", "houseNumber", "houseNumberSuffix", "buurtCode", "email", "phoneNumber",
        "preferredLanguage", "preferredChannel", "birthYear", "tenure", "street", "city", "digestFrequency",
    ];

    public static BulkBody Read(ReadOnlyMemory<byte> body)
    {
        var text = Encoding.UTF8.GetString(body.Span);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        List<string[]> records;
        try
        {
            records = CsvRecords.Parse(text, CsvRecords.DetectDelimiter(text));
        }
        catch (FormatException exception)
        {
            return BulkBody.Refused("body", $"The CSV cannot be read: {exception.Message}");
        }

        if (records.Count == 0)
        {
            return BulkBody.Refused("header", $"The CSV must start with a header row naming the fields: {string.Join(", ", Fields)}.");
        }

        var columns = new string[records[0].Length];
        for (var index = 0; index < columns.Length; index++)
        {
            var name = records[0][index].Trim();
            var field = Fields.FirstOrDefault(known => string.Equals(known, name, StringComparison.OrdinalIgnoreCase));
            if (field is null || columns.Contains(field))
            {
                return BulkBody.Refused("header", $"Column '{name}' is unknown or repeated; the columns are: {string.Join(", ", Fields)}.");
            }

            columns[index] = field;
        }

        if (records.Count - 1 is 0 or > BulkBody.MaxRows)
        {
            return BulkBody.Refused("residents", $"The CSV must hold 1 to {BulkBody.MaxRows} residents; split a longer file.");
        }

        return new BulkBody([.. records.Skip(1).Select((record, index) => ReadRow(index + 1, columns, record))], null);
    }

    private static BulkRow ReadRow(int row, string[] columns, string[] record)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (record.Length != columns.Length)
        {
            errors["row"] = $"The line has {record.Length} values where the header names {columns.Length}.";
            return new BulkRow(row, null, errors);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var index = 0; index < columns.Length; index++)
        {
            if (record[index].Trim() is { Length: > 0 } value)
            {
                values[columns[index]] = value;
            }
        }

        string? Text(string field) => values.GetValueOrDefault(field);
        int? Number(string field)
        {
            if (Text(field) is not { } text)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }

            errors[field] = $"'{field}' must be a whole number.";
            return null;
        }

        var request = new RegisterResidentRequest(
            Text("fullName"), Text("postcode"), Number("houseNumber") ?? 0, Text("houseNumberSuffix"), Text("buurtCode"),
            Text("email"), Text("phoneNumber"), Text("preferredLanguage"), Text("preferredChannel"), Number("birthYear"), Text("tenure"),
            Text("street"), Text("city"), Text("digestFrequency"));
        return new BulkRow(row, request, errors);
    }
}
