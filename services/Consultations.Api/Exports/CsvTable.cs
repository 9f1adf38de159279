using System.Globalization;
using System.Text;

namespace Participatie.Consultations.Exports;

/// <summary>
/// A CSV file as RFC 4180 has it: comma-separated, CRLF line ends, a field quoted when it holds a comma, quote or line
/// break (a quote doubled inside). Encoded as UTF-8 with a byte order mark, so that Excel reads Dutch letters (ë, ï)
/// and residents' scripts right instead of guessing a Windows code page.
/// </summary>
public sealed class CsvTable
{
    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);
    private static readonly char[] NeedsQuotes = [',', '"', '\r', '\n'];

    private readonly StringBuilder _text = new();
    private readonly int _columns;

    public CsvTable(params string[] header)
    {
        _columns = header.Length;
        Row(header);
    }

    public CsvTable Row(params object?[] values)
    {
        if (values.Length != _columns)
        {
            throw new ArgumentException($"A row has {_columns} fields; {values.Length} were given.", nameof(values));
        }

        _text.AppendJoin(',', values.Select(Field)).Append("\r\n");
        return this;
    }

    public byte[] ToBytes() => [.. Utf8WithBom.GetPreamble(), .. Utf8WithBom.GetBytes(_text.ToString())];

    /// <summary>
    /// Text a resident typed that starts like a formula (=, +, -, @, tab, carriage return) gets a leading apostrophe, so
    /// that a spreadsheet shows it instead of running it (CSV injection).
    /// </summary>
    internal static string Defused(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    /// <summary>Dates and times in ISO 8601 and numbers with a decimal point: what BI tools read without a locale.</summary>
    private static string Field(object? value)
    {
        var text = value switch
        {
            null => string.Empty,
            DateTimeOffset moment => moment.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            bool flag => flag ? "true" : "false",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => Defused(value.ToString() ?? string.Empty),
        };
        return text.IndexOfAny(NeedsQuotes) < 0 ? text : $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    }
}
